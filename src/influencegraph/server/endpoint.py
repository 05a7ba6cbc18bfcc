"""The :class:`Endpoint`: a query runner served over HTTP, started and stopped from
Python (a background thread in tests) or served until Ctrl-C (``serve``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ..errors import (
    EndpointBusy,
    InfluenceGraphError,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from ..sparql import ENDPOINT_PORT, formats_for, prepare, serialize

if TYPE_CHECKING:
    from ..explorer.routes import Response
    from ..sparql import QueryRunner
    from .processes import HTTPWorkers

    Explorer = Callable[[str, str, dict[str, list[str]]], Response]
    """The explorer's routes: (method, path, query parameters) -> response."""

from .http import (
    _Handler,
    _is_loopback,
    _Server,
    _Server6,
)
from .pages import (
    form_page,
)
from .protocol import (
    QUERY_PATH,
    _HTTPError,
    _types_for,
    media_type,
    negotiate,
)


class Endpoint:
    """The HTTP server: bind at construction, then :meth:`serve_forever` or :meth:`start`.

    ``port=0`` picks a free port (read it back from :attr:`port`). ``log`` receives one
    line per request; None keeps quiet. With ``processes`` (and a runner over files or a
    store), that many worker processes accept and answer the requests
    (:mod:`.processes`), each evaluating one query at a time; otherwise threads of this
    process answer, evaluating in the runner's workers.
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
        processes: int = 0,
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
        self._stopped = threading.Event()
        self.workers: HTTPWorkers | None = None
        if processes and runner.pool is not None:
            from .processes import HTTPWorkers

            self.workers = HTTPWorkers(self, runner.pool.spec, processes)

    @property
    def url(self) -> str:
        """The query form's address, ``http://127.0.0.1:PORT/``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL endpoint's address, ``http://127.0.0.1:PORT/sparql``."""
        return self.url.rstrip("/") + QUERY_PATH

    def warm(self) -> None:
        """Start the query workers now, so the first requests don't wait for them."""
        if self.workers is not None:
            self.workers.start()
        else:
            self.runner.warm()

    def serve_forever(self) -> None:
        """Answer requests until :meth:`close` (from another thread) or Ctrl-C."""
        if self.workers is None:
            self._serving.set()
            self.httpd.serve_forever(poll_interval=0.05)
            return
        self.warm()  # the workers accept and answer; this thread waits
        self._serving.set()
        while not self._stopped.wait(0.5):
            pass

    def serve_until_stopped(self, ready: Callable[[], None] | None = None) -> None:
        """Serve from this (main) thread until Ctrl-C or SIGTERM, then close cleanly.

        ``ready`` is called once the workers answer (``serve`` prints its address then):
        SIGTERM is handled from before they start, so a client told the address may stop
        the server at once and it still closes cleanly."""
        import signal

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, stop)
        try:
            self.warm()
            if ready is not None:
                ready()
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
        from ..graph.bounded import START_SECONDS

        self._serving.wait(5 if self.workers is None else START_SECONDS)
        return self

    def close(self) -> None:
        """Stop serving (and the worker processes) and release the port."""
        self._stopped.set()
        if self.workers is not None:
            self.workers.close()
        elif self._serving.is_set():
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
        text = self._query_text(params)
        try:
            prepared = prepare(text)  # checked once; the runner takes it as it is
            kind = prepared.kind
            fmt = self._format(params, accept, kind)
            if fmt == "json" and kind in ("SELECT", "ASK"):
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
