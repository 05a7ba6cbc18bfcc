"""A read-only SPARQL 1.1 Protocol endpoint: the HTTP layer over :mod:`influencegraph.sparql`.

``GET /sparql?query=...`` and ``POST /sparql`` (``application/x-www-form-urlencoded`` with
``query=...``, or the query itself as ``application/sparql-query``) answer in the format the
``Accept`` header asks for (or a ``format`` parameter names): SPARQL JSON, XML, CSV or TSV
results for SELECT and ASK; Turtle, N-Triples, RDF/XML or JSON-LD for CONSTRUCT and
DESCRIBE; an HTML table for a browser. ``GET /sparql`` with no query answers the
endpoint's SPARQL 1.1 Service Description (Turtle), or a browser the query form. ``GET
/`` is a small query form (no scripts, no external files, every value escaped), unless
an ``explorer`` is attached (``serve`` attaches :mod:`influencegraph.explorer`): then
every GET but ``/sparql`` goes to it, ``/`` included. ``HEAD`` answers as ``GET`` without
the body; ``OPTIONS`` answers CORS preflights.

Browser clients on other origins (YASGUI, a notebook page) may read answers only when
``cors_origins`` names their origin, or is ``("*",)``: by default no cross-origin reads
are allowed, since the graph on a loopback endpoint may be private and any web page the
user opens could otherwise read it. When bound to a loopback address, a request whose
``Host`` header names another host is refused (403), which defeats DNS rebinding.

Every query passes through :func:`influencegraph.sparql.prepare` first, so what the
command line refuses is refused here too. Status codes:

- 400 with a one-line plain-text reason: a syntax error, an update (``update=``,
  ``application/sparql-update``; there is no update endpoint), ``SERVICE``, ``FROM``,
  ``default-graph-uri``/``named-graph-uri``, a missing or repeated ``query``, a body
  shorter than its ``Content-Length`` (408 when the client stops sending).
- 500 when the engine fails on a well-formed query.
- 503 when the server will not spend more on the query: it ran past the time bound (the
  evaluation is stopped, see :mod:`influencegraph.sparql`), its result has more rows than
  the runner's ``max_rows`` (``serve`` uses :data:`~influencegraph.sparql.ENDPOINT_MAX_ROWS`),
  or every evaluation slot stayed busy (then with ``Retry-After``).
- 406 when ``Accept`` names no format this kind of result can be written in (an ASK is
  written only as SPARQL JSON or XML, the W3C formats for a boolean); 413 for a
  query over :data:`MAX_QUERY_BYTES`; 415 for another POST body type; 403 for a foreign
  ``Host`` on a loopback endpoint. Every error, 414 and 501 included, is one line of
  plain text; a client that hangs up is not an error worth a traceback.

Built on the standard library's ``ThreadingHTTPServer``; :class:`Endpoint` can be started
in a background thread (tests do, on a free loopback port) and stopped again.

Example:
    >>> import json, urllib.request, urllib.parse
    >>> from influencegraph.graph import open_source
    >>> from influencegraph.sparql import QueryRunner
    >>> with Endpoint(QueryRunner(open_source()), port=0).start() as endpoint:
    ...     url = endpoint.query_url + "?" + urllib.parse.urlencode(
    ...         {"query": "ASK { ?r a ig:Survey }"})
    ...     json.load(urllib.request.urlopen(url))
    {'head': {}, 'boolean': True}
"""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from .errors import (
    EndpointBusy,
    InfluenceGraphError,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from .sparql import ENDPOINT_PORT

if TYPE_CHECKING:
    from .explorer.routes import Response
    from .graph import QueryResult
    from .sparql import QueryRunner

    Explorer = Callable[[str, str, dict[str, list[str]]], Response]
    """The explorer's routes: (method, path, query parameters) -> response."""

QUERY_PATH = "/sparql"
MAX_QUERY_BYTES = 100_000
"""The longest query (or POST body) accepted, in bytes."""

# What each kind of result can be written as: media type -> format name, in order of
# preference (the first is the default for "*/*" or no Accept header).
_SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "html",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "json",
    "application/json": "json",
    "text/html": "html",
}


def negotiate(accept: str | None, kind: str) -> str | None:
    """The format to answer in for an ``Accept`` header, or None if nothing fits (406).

    Highest quality wins; among equals, the order of the header, then the server's.

    Example:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
        'xml'
        >>> negotiate("*/*", "CONSTRUCT")
        'turtle'
        >>> negotiate("image/png", "ASK") is None
        True
    """
    types = _types_for(kind)
    if not accept or not accept.strip():
        return next(iter(types.values()))
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, item in enumerate(accept.split(",")):
        media, _, params = item.strip().partition(";")
        media = media.strip().lower()
        quality = _quality(params)
        if quality <= 0:
            continue
        for rank, (offered, fmt) in enumerate(types.items()):
            major = offered.split("/")[0]
            if media in (offered, f"{major}/*", "*/*"):
                key = (-quality, position, rank)
                if best is None or key < best:
                    best, chosen = key, fmt
                break
    return chosen


def _types_for(kind: str) -> dict[str, str]:
    """Media type -> format for a result of this kind (ASK: JSON, XML and HTML only)."""
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return _GRAPH_TYPES
    if kind == "ASK":
        return {m: f for m, f in _SOLUTION_TYPES.items() if f not in ("csv", "tsv")}
    return _SOLUTION_TYPES


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def media_type(kind: str, fmt: str) -> str:
    """The Content-Type sent for a format (with ``charset=utf-8`` for text types)."""
    from .sparql import formats_for

    if fmt == "html":
        return "text/html; charset=utf-8"
    media = formats_for(kind)[fmt]
    return media if media.endswith(("+json", "+xml", "ld+json")) else media + "; charset=utf-8"


class _HTTPError(Exception):
    """An answer other than 200, with its plain-text reason."""

    def __init__(
        self, status: HTTPStatus, reason: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}


class Endpoint:
    """The HTTP server: bind at construction, then :meth:`serve_forever` or :meth:`start`.

    ``port=0`` picks a free port (read it back from :attr:`port`). ``log`` receives one
    line per request; None keeps quiet.
    """

    def __init__(
        self,
        runner: QueryRunner,
        host: str = "127.0.0.1",
        port: int = ENDPOINT_PORT,
        *,
        log: Callable[[str], None] | None = None,
        cors_origins: tuple[str, ...] = (),
        explorer: Explorer | None = None,
    ) -> None:
        self.runner = runner
        self.log = log
        self.cors_origins = cors_origins
        self.explorer = explorer
        server_class = _Server6 if ":" in host else _Server
        try:
            self.httpd = server_class((host, port), _Handler)
        except OSError as exc:
            raise InfluenceGraphError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                "choose another --port (0 picks a free one)"
            ) from None
        self.httpd.endpoint = self
        self.host = host
        self.port: int = self.httpd.server_address[1]
        self.loopback = _is_loopback(host)
        self._thread: threading.Thread | None = None
        self._serving = threading.Event()

    @property
    def url(self) -> str:
        """The query form's address, ``http://127.0.0.1:PORT/``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL endpoint's address, ``http://127.0.0.1:PORT/sparql``."""
        return self.url.rstrip("/") + QUERY_PATH

    def serve_forever(self) -> None:
        """Answer requests until :meth:`close` (from another thread) or Ctrl-C."""
        self._serving.set()
        self.httpd.serve_forever(poll_interval=0.05)

    def serve_until_stopped(self) -> None:
        """Serve from this (main) thread until Ctrl-C or SIGTERM, then close cleanly."""
        import signal

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, stop)
        try:
            self.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.close()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def start(self) -> Endpoint:
        """Serve from a background daemon thread; returns self (a context manager)."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="influencegraph-http", daemon=True
        )
        self._thread.start()
        self._serving.wait(5)
        return self

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._serving.is_set():
            self.httpd.shutdown()
            self._serving.clear()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ answering

    def answer(self, params: dict[str, list[str]], accept: str | None) -> tuple[str, bytes]:
        """Run the protocol request ``params``: (Content-Type, body), or raise _HTTPError."""
        from .sparql import prepare, serialize

        text = self._query_text(params)
        try:
            prepared = prepare(text)  # checked once; the runner takes it as it is
            kind = prepared.kind
            fmt = self._format(params, accept, kind)
            if fmt == "json" and kind in ("SELECT", "ASK") and self.runner.pool is not None:
                return media_type(kind, fmt), self.runner.run_json(prepared)
            result = self.runner.run(prepared)
        except EndpointBusy as exc:
            raise _HTTPError(
                HTTPStatus.SERVICE_UNAVAILABLE, str(exc), {"Retry-After": "1"}
            ) from None
        except (QueryTimeout, ResultTooLarge) as exc:
            raise _HTTPError(HTTPStatus.SERVICE_UNAVAILABLE, str(exc)) from None
        except (QuerySyntaxError, QueryRefused) as exc:
            raise _HTTPError(HTTPStatus.BAD_REQUEST, str(exc)) from None
        except QueryError as exc:
            status = (
                HTTPStatus.INTERNAL_SERVER_ERROR
                if "failed while running" in str(exc)
                else HTTPStatus.BAD_REQUEST
            )
            raise _HTTPError(status, str(exc)) from None
        if fmt == "html":
            return media_type(result.kind, fmt), form_page(text, result).encode("utf-8")
        try:
            return media_type(result.kind, fmt), serialize(result, fmt)
        except QueryError as exc:  # e.g. RDF/XML cannot write every predicate IRI
            raise _HTTPError(HTTPStatus.NOT_ACCEPTABLE, str(exc)) from None

    @staticmethod
    def _query_text(params: dict[str, list[str]]) -> str:
        if "update" in params:
            raise _HTTPError(
                HTTPStatus.BAD_REQUEST,
                "updates are refused: this endpoint is read-only and offers no SPARQL Update",
            )
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                raise _HTTPError(
                    HTTPStatus.BAD_REQUEST,
                    f"{name} is refused: the endpoint answers over the graph it was started with",
                )
        queries = [q for q in params.get("query", []) if q.strip()]
        if len(queries) != 1:
            raise _HTTPError(
                HTTPStatus.BAD_REQUEST,
                "send exactly one SPARQL query: in the "
                "'query' parameter (GET or POST form) or as an "
                "application/sparql-query body",
            )
        return queries[0]

    @staticmethod
    def _format(params: dict[str, list[str]], accept: str | None, kind: str) -> str:
        """A ``format`` parameter that fits the result wins; otherwise the Accept header.

        ``format`` is no part of the protocol; clients spell it their own way
        (SPARQLWrapper sends ``format=json``, ``rdf+xml``, ``json-ld``...), so a value that
        does not name a format for this result is ignored rather than refused.
        """
        from .sparql import formats_for

        types = _types_for(kind)
        for wanted in params.get("format", []):
            wanted = _FORMAT_ALIASES.get(wanted.strip().lower(), wanted.strip().lower())
            if (wanted in formats_for(kind) and wanted in types.values()) or wanted == "html":
                return wanted
            if wanted in types:
                return types[wanted]
        fmt = negotiate(accept, kind)
        if fmt is None:
            raise _HTTPError(
                HTTPStatus.NOT_ACCEPTABLE,
                f"a {kind} result can be sent as "
                f"{', '.join(types)}; the Accept header allows none of them",
            )
        return fmt


_FORMAT_ALIASES = {
    "ttl": "turtle",
    "n3": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "rdf": "xml",
    "rdf+xml": "xml",
    "json-ld": "json",
    "jsonld": "json",
}


class _Handler(BaseHTTPRequestHandler):
    server_version = "influencegraph-sparql"
    timeout = 15  # seconds a client may take to send its request
    server: _Server

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if self._host_allowed() and self._explore(url):
            return
        self._respond(lambda: self._get(url))

    def do_HEAD(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self._respond(lambda: self._get(url), body=False)

    # ---- the evidence explorer (issue 16): every GET but /sparql goes to its routes
    def _explore(self, url: urllib.parse.SplitResult) -> bool:
        """Answer a GET from the explorer, if one is attached; False leaves it to SPARQL."""
        explorer = self.server.endpoint.explorer
        if explorer is None or url.path == QUERY_PATH:
            return False
        try:
            response = explorer("GET", url.path, _parse_form(url.query))
        except _HTTPError:
            return False  # an unreadable query string: the protocol side says why
        except Exception as exc:  # a bug: say so without a traceback
            self.log_message("internal error: %r", exc)
            from .explorer.routes import Response

            response = Response(
                500,
                {"Content-Type": "text/plain; charset=utf-8"},
                b"internal error; see the server's log\n",
            )
        self.send_response(response.status)
        for name, value in {**response.headers, "Content-Length": str(len(response.body))}.items():
            self.send_header(name, value)
        try:
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went elsewhere (a superseded suggestion request)
        return True

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self._respond(lambda: self._post(url))

    def do_OPTIONS(self) -> None:
        """A CORS preflight (or a plain OPTIONS): which methods and headers are allowed."""

        def allowed() -> tuple[str, bytes]:
            raise _HTTPError(
                HTTPStatus.NO_CONTENT,
                "",
                {
                    "Allow": "GET, HEAD, POST, OPTIONS",
                    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Accept, Content-Type",
                    "Access-Control-Max-Age": "600",
                },
            )

        self._respond(allowed)

    def _get(self, url: urllib.parse.SplitResult) -> tuple[str, bytes]:
        browser = "text/html" in (self.headers.get("Accept") or "")
        if not url.query and (url.path == "/" or (url.path == QUERY_PATH and browser)):
            return "text/html; charset=utf-8", form_page().encode("utf-8")
        if url.path not in ("/", QUERY_PATH):
            raise _HTTPError(
                HTTPStatus.NOT_FOUND,
                f"no such page; the SPARQL endpoint is {QUERY_PATH} and the query form is /",
            )
        params = _parse_form(url.query)
        if url.path == QUERY_PATH and not params and not browser:
            return service_description(self.server.endpoint.query_url, self.headers.get("Accept"))
        return self.server.endpoint.answer(params, self.headers.get("Accept"))

    def _post(self, url: urllib.parse.SplitResult) -> tuple[str, bytes]:
        if url.path != QUERY_PATH:
            raise _HTTPError(HTTPStatus.NOT_FOUND, f"POST queries to {QUERY_PATH}")
        body = self._body()
        content_type = self.headers.get_content_type()
        charset = self.headers.get_content_charset() or "utf-8"
        params = _parse_form(url.query)
        if content_type == "application/x-www-form-urlencoded":
            params.update(_parse_form(_decode(body, "utf-8")))
        elif content_type == "application/sparql-query":
            params["query"] = [_decode(body, charset)]
        elif content_type == "application/sparql-update":
            params["update"] = [""]
        else:
            raise _HTTPError(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a form (application/x-www-form-urlencoded) or application/sparql-query",
            )
        return self.server.endpoint.answer(params, self.headers.get("Accept"))

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            raise _HTTPError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header")
        try:
            size = int(length)
        except ValueError:
            raise _HTTPError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number") from None
        if size < 0 or size > MAX_QUERY_BYTES:
            raise _HTTPError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the request body is over {MAX_QUERY_BYTES} bytes",
            )
        try:
            body = self.rfile.read(size)
        except TimeoutError:
            self.close_connection = True
            raise _HTTPError(
                HTTPStatus.REQUEST_TIMEOUT,
                f"the request body stopped before its Content-Length ({size} bytes) was sent",
            ) from None
        if len(body) < size:
            self.close_connection = True
            raise _HTTPError(
                HTTPStatus.BAD_REQUEST,
                f"the request body has {len(body)} bytes, fewer than its Content-Length ({size})",
            )
        return body

    def _host_allowed(self) -> bool:
        """On a loopback endpoint, only requests addressed to a loopback name are served:
        a web page whose DNS name rebinds to 127.0.0.1 still sends its own name as Host."""
        if not self.server.endpoint.loopback:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.strip("[]") in ("localhost", "127.0.0.1", "::1") or host == ""

    def _cors_headers(self) -> dict[str, str]:
        origin = self.headers.get("Origin")
        allowed = self.server.endpoint.cors_origins
        if not origin or not allowed:
            return {}
        if "*" in allowed:
            return {"Access-Control-Allow-Origin": "*"}
        if origin in allowed:
            return {"Access-Control-Allow-Origin": origin}
        return {}

    def _respond(self, produce: Callable[[], tuple[str, bytes]], *, body: bool = True) -> None:
        headers: dict[str, str] = {}
        try:
            if not self._host_allowed():
                raise _HTTPError(
                    HTTPStatus.FORBIDDEN,
                    "this endpoint answers only requests "
                    "addressed to localhost (the Host header names another host)",
                )
            content_type, data = produce()
            status = HTTPStatus.OK
        except _HTTPError as exc:
            status, headers = exc.status, exc.headers
            content_type = "text/plain; charset=utf-8"
            data = (exc.reason + "\n").encode("utf-8") if exc.reason else b""
        except Exception as exc:  # a bug, never the client's fault: say so without a traceback
            self.log_message("internal error: %r", exc)
            status = HTTPStatus.INTERNAL_SERVER_ERROR
            content_type = "text/plain; charset=utf-8"
            data = b"internal error; see the server's log\n"
        self.send_response(status)
        if status != HTTPStatus.NO_CONTENT:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept, Origin")
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type.startswith("text/html"):
            self.send_header(
                "Content-Security-Policy",
                "default-src 'none'; "
                "style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
                "frame-ancestors 'none'",
            )
        for name, value in {**self._cors_headers(), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        if body and status != HTTPStatus.NO_CONTENT:
            self.wfile.write(data)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by http.server itself (414, 501, a bad request line) as one line of
        plain text, like every other error here."""
        try:
            reason = message or HTTPStatus(code).phrase
        except ValueError:
            reason = message or "error"
        data = (reason + "\n").encode("utf-8", "replace")
        self.send_response(code, message)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(data)

    def handle(self) -> None:
        """Serve the connection; a client that hangs up mid-answer ends it quietly."""
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        log = self.server.endpoint.log
        if log is not None:
            log(f"{self.address_string()} {format % args}")


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .

[] a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
    fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples, fmt:RDF_XML, fmt:JSON-LD ;
  sd:feature sd:UnionDefaultGraph ;
  sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> .
"""


def service_description(endpoint: str, accept: str | None) -> tuple[str, bytes]:
    """The endpoint's SPARQL 1.1 Service Description, as Turtle (or N-Triples if asked)."""
    text = SERVICE_DESCRIPTION.format(endpoint=endpoint)
    if accept and "application/n-triples" in accept and "text/turtle" not in accept:
        from rdflib import Graph

        data = Graph().parse(data=text, format="turtle").serialize(format="nt")
        return "application/n-triples", data.encode("utf-8")
    return "text/turtle; charset=utf-8", text.encode("utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    endpoint: Endpoint

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up is no error; anything else is logged in one line."""
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return
        log = self.endpoint.log
        if log is not None:
            log(f"{client_address[0]} connection error: {error!r}")


class _Server6(_Server):
    address_family = socket.AF_INET6


def _decode(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        raise _HTTPError(
            HTTPStatus.BAD_REQUEST, f"the request is not valid {charset} text"
        ) from None


def _parse_form(text: str) -> dict[str, list[str]]:
    if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
        raise _HTTPError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the query is over {MAX_QUERY_BYTES} bytes"
        )
    try:
        return urllib.parse.parse_qs(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=100,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise _HTTPError(HTTPStatus.BAD_REQUEST, f"cannot read the parameters: {exc}") from None


# ---------------------------------------------------------------- HTML


_EXAMPLE = """SELECT ?work ?kind ?target ?claimant WHERE {
  ?target prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?influencer ; ig:kind ?k ; ig:claimant ?c .
  ?influencer rdfs:label ?work . ?k rdfs:label ?kind . ?c rdfs:label ?claimant .
} LIMIT 20"""


def form_page(query: str = _EXAMPLE, result: QueryResult | None = None) -> str:
    """The query form (and, below it, ``result``), as one self-contained HTML page
    (``templates/sparql-form.html.j2``, every value escaped)."""
    from .sparql import QUERY_KINDS, serialize, term_text
    from .templating import template
    from .vocab import PREFIXES

    turtle = triples = None
    rows: list[list[dict[str, str]]] = []
    if result is not None and result.graph is not None:
        turtle = serialize(result, "turtle").decode("utf-8")
        triples = len(result.graph)
    elif result is not None and result.kind == "SELECT":
        rows = [[_cell(term, term_text(term)) for term in row] for row in result.rows]
    return str(
        template("sparql-form.html.j2").render(
            query=query,
            result=result,
            turtle=turtle,
            triples=triples,
            rows=rows,
            kinds=QUERY_KINDS,
            prefixes=list(PREFIXES),
            path=QUERY_PATH,
            formats=("html", "json", "xml", "csv", "tsv", "turtle", "ntriples"),
        )
    )


def _cell(term: Any, text: str) -> dict[str, str]:
    """A table cell: an IRI links to a DESCRIBE of itself, anything else is text."""
    from rdflib import URIRef

    if isinstance(term, URIRef):
        try:
            iri = term.n3()  # refuses an IRI that would not read back as one
        except Exception:
            return {"text": text}
        link = (
            QUERY_PATH
            + "?"
            + urllib.parse.urlencode({"query": f"DESCRIBE {iri}", "format": "html"})
        )
        return {"text": text, "link": link, "iri": str(term)}
    return {"text": text}
