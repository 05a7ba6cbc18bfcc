"""Answering untrusted queries within bounds: Oxigraph evaluates each one in a worker
process, which is killed when the query runs past its deadline.

A thread cannot be stopped while it is inside Oxigraph (Rust) or a regular expression
(C), so a runaway query would hold the process; a worker process can always be killed.
Each worker holds its own copy of the graph: it opens the same on-disk store
read-only, parses the same files, or reads an N-Quads copy of any other source
(:func:`spec_for`). Workers are fresh interpreters (``python -m
influencegraph.graph.bounded``, never a fork of a process that runs threads, and never
a re-import of the caller's main module as multiprocessing's spawn does), kept for the
next query when they finish in time, and replaced when killed. At most ``size``
queries are evaluated at once; a query that waits
longer
than its deadline for a free worker is refused as busy.

Results cross the pipe as plain tuples and come back as rdflib terms, capped at
``max_rows`` + 1 rows (or triples), so an oversized result is refused without being
built in full.

Example:
    >>> from influencegraph.graph import default_data_paths
    >>> with WorkerPool(GraphSpec(paths=tuple(map(str, default_data_paths())))) as pool:
    ...     pool.run("ASK { igd:the-challenge a ig:Organisation }", timeout=30).boolean
    True

Kept as one module: the parent side (:class:`WorkerPool`) and the worker side speak one
private wire format over a pipe, safest read and changed in one file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import EndpointBusy, QueryError, QuerySyntaxError, QueryTimeout, ResultTooLarge
from .terms import XSD_STRING

if TYPE_CHECKING:
    from .base import QueryResult, Source

START_SECONDS = 120.0
"""How long a worker may take to open its copy of the graph (parsing big files)."""


@dataclass(frozen=True)
class GraphSpec:
    """What a worker opens: RDF files (with the vocabulary), a store directory, or N-Quads
    text (a copy of any other source)."""

    paths: tuple[str, ...] = ()
    store: str | None = None
    nquads: bytes | None = None

    def open(self) -> Any:
        """The pyoxigraph store this spec describes, and whether to query the union of
        its graphs."""
        import pyoxigraph

        from .oxigraph import OxigraphMemorySource, open_oxigraph

        if self.store is not None:
            store = open_oxigraph(self.store, read_only=True)
            return store, any(True for _ in store.named_graphs())
        if self.nquads is not None:
            store = pyoxigraph.Store()
            store.bulk_load(self.nquads, format=pyoxigraph.RdfFormat.N_QUADS)
            return store, any(True for _ in store.named_graphs())
        return OxigraphMemorySource(self.paths).store, False


def spec_for(source: Source) -> GraphSpec:
    """How a worker opens the same graph as ``source``: the same files or store, or an
    N-Quads copy (an rdflib graph, a store with triples added in memory)."""
    from .oxigraph import OxigraphMemorySource, OxigraphSource, StoreSource
    from .rdflib_graph import MemorySource

    if isinstance(source, StoreSource):
        return GraphSpec(store=str(source.path))
    if isinstance(source, OxigraphMemorySource) and not source.changed:
        return GraphSpec(paths=tuple(str(p) for p in source.paths))
    if isinstance(source, OxigraphSource):
        import pyoxigraph

        data = pyoxigraph.serialize(source.store, format=pyoxigraph.RdfFormat.N_QUADS)
        return GraphSpec(nquads=data)
    if isinstance(source, MemorySource):
        return GraphSpec(nquads=source.graph.serialize(format="nt", encoding="utf-8"))
    raise QueryError(f"cannot evaluate queries on {source.describe()} in a worker")


# ---------------------------------------------------------------- in the worker


def _term(term: Any) -> tuple[str, ...] | None:
    """A pyoxigraph term as a plain tuple that pickles cheaply."""
    from pyoxigraph import BlankNode, NamedNode

    if term is None:
        return None
    if type(term) is NamedNode:
        return ("u", term.value)
    if type(term) is BlankNode:
        return ("b", term.value)
    return ("l", term.value, term.datatype.value, term.language or "")


_POSITION = re.compile(
    r"^(?:Parser error (?:at|between) line (\d+) column (\d+)"
    r"(?: and line \d+ column \d+)?|error at (\d+):(\d+)): "
)


def _evaluate(store: Any, union: bool, text: str, max_rows: int | None) -> tuple[Any, ...]:
    """Run one query; the answer as ``(kind, ...)`` tuples, or ``("error", type, message,
    line, column)``."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    from ..queries.text import query_kind
    from ..vocab import PREFIXES

    try:
        result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=union)
        cap = None if max_rows is None else max_rows + 1
        if isinstance(result, QueryBoolean):
            return ("ASK", bool(result))
        if isinstance(result, QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                rows.append(tuple(_term(t) for t in solution))
                if cap is not None and len(rows) >= cap:
                    return ("too-large", "rows", max_rows)
            return ("SELECT", variables, rows)
        triples = []
        for triple in result:
            triples.append((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
            if cap is not None and len(triples) >= cap:
                return ("too-large", "triples", max_rows)
        return (query_kind(text), triples)
    except ENGINE_ERRORS as exc:
        return failure(exc)


ENGINE_ERRORS = (SyntaxError, OSError, RuntimeError, ValueError)
"""What Oxigraph raises for a query it cannot parse or evaluate."""


def failure(exc: BaseException) -> tuple[Any, ...]:
    """One of :data:`ENGINE_ERRORS` as a worker's answer, ``("error", "syntax" or "query",
    message, line, column)``: worded here once, for every path that evaluates."""
    from ..errors import first_line

    if isinstance(exc, SyntaxError):
        message = str(exc.msg if exc.msg else exc).strip().splitlines()[0]
        found = _POSITION.match(message)
        reason = _POSITION.sub("", message)
        if found:
            line, column = found.group(1) or found.group(3), found.group(2) or found.group(4)
            return ("error", "syntax", reason, int(line), int(column))
        return ("error", "syntax", reason, None, None)
    return ("error", "query", f"the query failed while running: {first_line(exc)}", None, None)


def _worker_main(conn: Any) -> None:
    """A worker's life: receive what to open, open it, then answer queries until the pipe
    closes."""
    try:
        spec = conn.recv()
        store, union = spec.open()
    except Exception as exc:  # reported to the parent, which raises it there
        from ..errors import first_line

        conn.send(("error", "open", first_line(exc), None, None))
        return
    conn.send(("ready",))
    while True:
        try:
            text, max_rows = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_evaluate(store, union, text, max_rows))


# ---------------------------------------------------------------- in the parent


class _Worker:
    """One worker process and the parent's end of its two pipes."""

    def __init__(self, spec: GraphSpec) -> None:
        from multiprocessing.connection import Connection

        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "influencegraph.graph.bounded", str(down_r), str(up_w)],
            pass_fds=(down_r, up_w),
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
        os.close(down_r)
        os.close(up_w)
        self.conn = _Duplex(Connection(up_r, writable=False), Connection(down_w, readable=False))
        self.conn.send(spec)

    def wait_ready(self) -> None:
        if not self.conn.poll(START_SECONDS):
            self.kill()
            raise QueryError(f"the query worker did not open the graph in {START_SECONDS:g} s")
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise QueryError("the query worker ended while opening the graph") from None
        if message[0] != "ready":
            self.kill()
            raise QueryError(f"the query worker could not open the graph: {message[2]}")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.conn.close()


class _Duplex:
    """A reading and a writing :class:`~multiprocessing.connection.Connection` as one."""

    def __init__(self, reader: Any, writer: Any) -> None:
        self.reader, self.writer = reader, writer

    def send(self, obj: Any) -> None:
        self.writer.send(obj)

    def recv(self) -> Any:
        return self.reader.recv()

    def poll(self, timeout: float) -> bool:
        return bool(self.reader.poll(timeout))

    def close(self) -> None:
        self.reader.close()
        self.writer.close()


class WorkerPool:
    """Worker processes answering queries over one graph, each query within its deadline.

    Thread-safe: the server calls :meth:`run` from many threads.
    """

    def __init__(self, spec: GraphSpec, size: int = 2) -> None:
        if size < 1:
            raise ValueError("at least one worker is needed")
        self.spec = spec
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def warm(self, count: int | None = None) -> None:
        """Start workers now rather than at the first queries (``serve`` does at start-up)."""
        started = []
        for _ in range(min(count or self.size, self.size)):
            worker = _Worker(self.spec)
            started.append(worker)
        for worker in started:
            worker.wait_ready()
        with self._lock:
            self._idle.extend(started)

    def run(self, text: str, *, timeout: float, max_rows: int | None = None) -> QueryResult:
        """Evaluate ``text`` in a worker; kill it if no answer comes within ``timeout`` s
        (the wait for a free worker counts too)."""
        return _result(self.answer(text, timeout=timeout, max_rows=max_rows))

    def run_json(
        self, text: str, *, timeout: float, max_rows: int | None = None
    ) -> tuple[str, bytes]:
        """As :meth:`run`, but the answer as SPARQL 1.1 JSON results (for a SELECT or an
        ASK) straight from the worker's plain terms, never built as rdflib terms: the
        endpoint's common case, several times cheaper. Returns (query form, body)."""
        return json_answer(self.answer(text, timeout=timeout, max_rows=max_rows))

    def answer(self, text: str, *, timeout: float, max_rows: int | None = None) -> tuple[Any, ...]:
        """The worker's plain answer (or its error raised), within the deadline."""
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            raise EndpointBusy(
                f"all {self.size} query workers stayed busy for {timeout:g} s; try again shortly"
            )
        try:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None:
                worker = _Worker(self.spec)
                worker.wait_ready()
                deadline = max(deadline, time.monotonic() + timeout)
            try:
                worker.conn.send((text, max_rows))
                answered = worker.conn.poll(max(0.0, deadline - time.monotonic()))
                answer: tuple[Any, ...] | None = worker.conn.recv() if answered else None
            except (EOFError, OSError):
                worker.kill()
                raise QueryError("the query worker ended unexpectedly") from None
            if answer is None:
                worker.kill()
                raise timeout_error(timeout)
            with self._lock:
                self._idle.append(worker)
            if answer[0] in ("error", "too-large"):
                _result(answer)  # raises
            return answer
        finally:
            self._slots.release()

    def pids(self) -> list[int]:
        """The process ids of the idle workers (for tests and monitoring)."""
        with self._lock:
            return [worker.process.pid for worker in self._idle]

    def close(self) -> None:
        """Stop every idle worker (busy ones end with their query)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _result(answer: tuple[Any, ...]) -> QueryResult:
    """A worker's answer as a :class:`QueryResult` of rdflib terms, or its error raised."""
    from .base import QueryResult

    kind = answer[0]
    if kind == "error":
        _, what, message, line, column = answer
        if what == "syntax":
            raise QuerySyntaxError(message, line, column)
        raise QueryError(message)
    if kind == "too-large":
        raise too_large_error(answer[1], answer[2])
    if kind == "ASK":
        return QueryResult("ASK", boolean=answer[1])
    from .terms import from_json

    cache: dict[Any, Any] = {}

    def convert(term: tuple[str, ...] | None) -> Any:
        return None if term is None else from_json(_json_term(term), cache)

    if kind == "SELECT":
        rows = [tuple(convert(t) for t in row) for row in answer[2]]
        return QueryResult("SELECT", list(answer[1]), rows)
    from rdflib import Graph

    graph = Graph()
    for s, p, o in answer[1]:
        graph.add((convert(s), convert(p), convert(o)))
    return QueryResult(kind, graph=graph)


def too_large_error(unit: str, limit: int) -> ResultTooLarge:
    """What a client is told when the answer has more than ``limit`` rows or triples."""
    return ResultTooLarge(
        f"the result has more than the {limit} {unit} allowed; add a "
        "LIMIT (and OFFSET to page through it)"
    )


def timeout_error(timeout: float) -> QueryTimeout:
    """What a client is told when its query ran past ``timeout`` s and was stopped."""
    return QueryTimeout(
        f"query took longer than {timeout:g} s and was stopped; narrow the "
        "patterns, add a LIMIT, or allow more time with a longer timeout"
    )


def json_answer(answer: tuple[Any, ...]) -> tuple[str, bytes]:
    """A worker's answer to a SELECT or ASK as SPARQL 1.1 JSON results, written from its
    plain terms without building rdflib terms (a graph comes back as Turtle); returns
    (query form, body). Errors are raised as by :meth:`WorkerPool.run`."""
    if answer[0] not in ("SELECT", "ASK"):
        result = _result(answer)
        from ..sparql import serialize

        return result.kind, serialize(result, "turtle")
    if answer[0] == "ASK":
        return "ASK", json.dumps({"head": {}, "boolean": answer[1]}).encode("utf-8")
    variables = answer[1]
    bindings = [
        {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in answer[2]
    ]
    body = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return "SELECT", json.dumps(body, ensure_ascii=False).encode("utf-8")


def _json_term(term: tuple[str, ...]) -> dict[str, str]:
    """A plain term as a SPARQL 1.1 JSON results binding (what the endpoint sends, and what
    :func:`~influencegraph.graph.terms.from_json` turns into an rdflib term)."""
    if term[0] == "u":
        return {"type": "uri", "value": term[1]}
    if term[0] == "b":
        return {"type": "bnode", "value": term[1]}
    if term[3]:
        return {"type": "literal", "value": term[1], "xml:lang": term[3]}
    if term[2] == XSD_STRING:
        return {"type": "literal", "value": term[1]}
    return {"type": "literal", "value": term[1], "datatype": term[2]}


if __name__ == "__main__":  # a worker: python -m influencegraph.graph.bounded READ_FD WRITE_FD
    from multiprocessing.connection import Connection

    _worker_main(
        _Duplex(
            Connection(int(sys.argv[1]), writable=False),
            Connection(int(sys.argv[2]), readable=False),
        )
    )
