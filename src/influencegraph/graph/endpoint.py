"""A remote SPARQL 1.1 endpoint, spoken to over the SPARQL 1.1 Protocol."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import QueryError, SourceError, first_line
from ..queries import text as sparql_text  # a module: queries.text imports graph.terms
from .base import QueryResult, Source, Triple
from .terms import from_json

if TYPE_CHECKING:
    from rdflib.term import Node

ACCEPT: dict[str, str] = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5",
    "DESCRIBE": "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5",
}
"""The Accept header for each query form: servers such as Virtuoso answer a CONSTRUCT
with a table when asked for SPARQL results first."""
_GRAPH_FORMATS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/ntriples": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
}


def _opener() -> Any:
    """urllib without redirects to anything but http(s) (its default also follows ftp)."""
    import urllib.request
    from urllib.parse import urlsplit

    class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> Any:
            if urlsplit(newurl).scheme not in ("http", "https"):
                raise SourceError(f"the endpoint redirected to {newurl!r}, which is not http(s)")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(HttpOnlyRedirects)


class EndpointSource(Source):
    """A remote SPARQL 1.1 endpoint, over the SPARQL 1.1 Protocol (HTTP POST, stdlib only).

    Read-only. Bindings travel as a ``VALUES`` block built from serialised terms
    (:func:`with_values`); the project's prefixes go first as ``PREFIX`` lines. Every
    request has a ``timeout`` in seconds. Only ``http`` and ``https`` URLs are accepted.

    Example:
        >>> EndpointSource("http://localhost:7878/query").describe()
        'the endpoint http://localhost:7878/query'
    """

    def __init__(
        self, url: str, *, timeout: float = 30.0, default_graph: str | None = None
    ) -> None:
        from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
        params = parse_qsl(parts.query, keep_blank_values=True)
        graphs = [value for name, value in params if name == "default-graph-uri"]
        if default_graph:
            graphs = [default_graph]
        self.default_graphs = graphs
        """``default-graph-uri`` values sent with every query (from the URL or the
        option): the graph holding the data on servers with many graphs."""
        rest = urlencode([(n, v) for n, v in params if n != "default-graph-uri"])
        self.url = urlunsplit(parts._replace(query=rest))
        self.timeout = timeout

    def _post(self, sparql: str, accept: str, timeout: float) -> tuple[str, bytes]:
        import urllib.error
        import urllib.request
        from urllib.parse import urlencode

        form = [("query", sparql)] + [("default-graph-uri", g) for g in self.default_graphs]
        request = urllib.request.Request(
            self.url,
            data=urlencode(form).encode("utf-8"),
            method="POST",
            headers={
                "Accept": accept,
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "User-Agent": "influencegraph",
            },
        )
        try:
            with _opener().open(request, timeout=timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            first = detail.splitlines()[0] if detail else str(exc.reason)
            if 400 <= exc.code < 500:
                raise QueryError(f"the endpoint refused the query ({exc.code}): {first}") from None
            raise SourceError(f"the endpoint {self.url} failed ({exc.code}): {first}") from None
        except TimeoutError:
            raise SourceError(
                f"the endpoint {self.url} did not answer within {timeout:g} s"
            ) from None
        except urllib.error.URLError as exc:
            raise SourceError(f"cannot reach the endpoint {self.url}: {exc.reason}") from None
        except OSError as exc:
            raise SourceError(f"cannot reach the endpoint {self.url}: {exc}") from None

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        timeout: float | None = None,
    ) -> QueryResult:
        import json

        from ..vocab import sparql_prefixes

        text = sparql_prefixes() + sparql
        if bindings:
            text = sparql_text.with_values(text, bindings)
        kind = sparql_text.query_kind(sparql)
        ctype, body = self._post(text, ACCEPT[kind], timeout or self.timeout)
        if kind in ("CONSTRUCT", "DESCRIBE"):
            if ctype not in _GRAPH_FORMATS:
                raise SourceError(
                    f"the endpoint answered a {kind} with {ctype}, not a graph "
                    "in N-Triples or Turtle"
                )
            from rdflib import Graph

            graph = Graph()
            try:
                graph.parse(data=body.decode("utf-8"), format=_GRAPH_FORMATS[ctype])
            except Exception as exc:
                raise SourceError(
                    f"the endpoint sent an unreadable graph: {first_line(exc)}"
                ) from None
            return QueryResult(kind, graph=graph)
        try:
            data = json.loads(body)
        except ValueError:
            raise SourceError(f"the endpoint sent {ctype}, not SPARQL JSON results") from None
        if isinstance(data, dict) and "boolean" in data:
            return QueryResult("ASK", boolean=bool(data["boolean"]))
        try:
            variables = list(data["head"]["vars"])
            cache: dict[Any, Any] = {}
            rows = [
                tuple(from_json(b.get(v), cache) for v in variables)
                for b in data["results"]["bindings"]
            ]
        except (KeyError, TypeError, AttributeError):
            raise SourceError("the endpoint sent malformed SPARQL JSON results") from None
        return QueryResult("SELECT", variables, rows)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        bindings = {
            name: term for name, term in zip("spo", pattern, strict=True) if term is not None
        }
        rows = self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", bindings).rows
        yield from rows  # type: ignore[misc]

    def add(self, triples: Iterable[Triple]) -> None:
        raise SourceError(
            f"the endpoint {self.url} is read-only here; "
            "change the data where the endpoint loads it from"
        )

    def check(self) -> None:
        """Ask the endpoint a trivial question, so an unreachable one fails early and clearly."""
        if self.query("ASK { }").kind != "ASK":
            raise SourceError(f"{self.url} did not answer like a SPARQL endpoint")

    def describe(self) -> str:
        return f"the endpoint {self.url}"
