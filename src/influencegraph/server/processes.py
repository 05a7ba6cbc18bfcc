"""Serving from worker processes: each one accepts connections on the endpoint's
listening socket and answers SPARQL requests itself, so HTTP, evaluation and writing
run on every core, with no hop through the parent and no global interpreter lock shared.

A worker answers one request at a time (read and written by :mod:`.wire`, one request
per connection), over its own read-only copy of the graph
(:class:`~influencegraph.graph.bounded.GraphSpec`). A watchdog thread in the worker
stops a query that runs past its deadline: Oxigraph releases the interpreter lock while
it evaluates, so the watchdog writes the 503 itself and ends the process, which stops
the evaluation for good; the parent starts a fresh worker in its place while the others
go on answering. Requests the worker does not answer (the explorer's pages) are handed
back to the parent with the connection's descriptor and the bytes already read.

The parent side is :class:`HTTPWorkers`; the worker side runs as ``python -m
influencegraph.server.processes LISTEN_FD CONTROL_FD``.

Kept as one module: the parent and its workers speak one private protocol over the
control socket (settings, ready, a forwarded connection), safest read and changed in
one file.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

from ..graph.bounded import (
    START_SECONDS,
    GraphSpec,
    _evaluate,
    json_answer,
    timeout_error,
    too_large_error,
)
from ..sparql import prepare
from .endpoint import Endpoint
from .http import _Handler, _Server
from .protocol import QUERY_PATH, _HTTPError
from .results import TOO_LARGE, json_results
from .wire import LeanHandler

if TYPE_CHECKING:
    import urllib.parse

    from ..graph import QueryResult
    from ..sparql import PreparedQuery

_FRAME = struct.Struct("!cI")
"""A control message: its kind (b"S" settings, b"R" ready, b"F" forwarded) and length."""
WATCH_SECONDS = 0.02
"""How often a worker's watchdog looks at the running query's deadline."""


@dataclass(frozen=True)
class _Settings:
    """What a worker needs to answer as the parent's endpoint would."""

    spec: GraphSpec
    timeout: float
    max_rows: int | None
    host: str
    port: int
    cors_origins: tuple[str, ...]
    explorer: bool
    log: bool


# ---------------------------------------------------------------- in the parent


class HTTPWorkers:
    """``count`` worker processes serving ``endpoint``'s socket, each replaced when it
    ends (a stopped runaway query) until :meth:`close`."""

    def __init__(self, endpoint: Endpoint, spec: GraphSpec, count: int) -> None:
        self.endpoint = endpoint
        self.settings = _Settings(
            spec,
            endpoint.runner.timeout,
            endpoint.runner.max_rows,
            endpoint.host,
            endpoint.port,
            endpoint.cors_origins,
            endpoint.explorer is not None,
            endpoint.log is not None,
        )
        self.count = count
        self._closing = threading.Event()
        self._children: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the workers (once) and wait until each has opened the graph."""
        if self._threads:
            return
        ready = [threading.Event() for _ in range(self.count)]
        for event in ready:
            thread = threading.Thread(target=self._keep, args=(event,), daemon=True)
            thread.start()
            self._threads.append(thread)
        for event in ready:
            event.wait(START_SECONDS)

    def _keep(self, ready: threading.Event) -> None:
        """One worker slot: start a worker, serve its forwarded requests, replace it when
        it ends; give up if it ended before it could open the graph."""
        while not self._closing.is_set():
            process, control = self._spawn()
            try:
                _send(control, b"S", pickle.dumps(self.settings))
            except OSError:  # killed at once: the endpoint is closing
                opened = False
            else:
                opened = self._relay(control, ready)
            control.close()
            process.wait()
            with self._lock:
                self._children.discard(process)
            if not opened:
                if not self._closing.is_set() and self.endpoint.log is not None:
                    self.endpoint.log("a query worker could not open the graph; see above")
                ready.set()
                return

    def _spawn(self) -> tuple[subprocess.Popen[bytes], socket.socket]:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        listen_fd = self.endpoint.httpd.socket.fileno()
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(listen_fd), str(theirs.fileno())],
            pass_fds=(listen_fd, theirs.fileno()),
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
        theirs.close()
        with self._lock:
            self._children.add(process)
        if self._closing.is_set():  # closed while starting: close() may have missed it
            process.kill()
        return process, ours

    def _relay(self, control: socket.socket, ready: threading.Event) -> bool:
        """Read the worker's messages until it ends; True if it opened the graph."""
        opened = False
        while True:
            try:
                kind, payload, fds = _receive(control)
            except (EOFError, OSError):
                return opened
            if kind == b"R":
                opened = True
                ready.set()
            elif kind == b"F" and fds:
                threading.Thread(
                    target=self._answer_forwarded, args=(payload, fds[0]), daemon=True
                ).start()

    def _answer_forwarded(self, payload: bytes, fd: int) -> None:
        """Answer a request a worker handed back, with the parent's own handler."""
        host, port, raw = pickle.loads(payload)
        connection = socket.socket(fileno=fd)
        try:
            _Forwarded(raw, connection, (host, port), self.endpoint.httpd)
        except Exception:  # the handler logs what matters; a hung-up client is no error
            pass
        finally:
            self.endpoint.httpd.shutdown_request(connection)

    def pids(self) -> list[int]:
        """The process ids of the running workers (for tests and monitoring)."""
        with self._lock:
            return sorted(process.pid for process in self._children)

    def close(self) -> None:
        """Stop every worker."""
        self._closing.set()
        with self._lock:
            children = list(self._children)
        for process in children:
            process.kill()
        for thread in self._threads:
            thread.join(5)


class _Forwarded(_Handler):
    """The parent's handler for a request a worker already read (``raw``)."""

    def __init__(self, raw: bytes, request: socket.socket, address: Any, server: Any) -> None:
        self.raw = raw
        super().__init__(request, address, server)

    def setup(self) -> None:
        super().setup()
        self.rfile = io.BytesIO(self.raw)


def _send(sock: socket.socket, kind: bytes, payload: bytes, fds: list[int] | None = None) -> None:
    head = _FRAME.pack(kind, len(payload))
    if fds:
        socket.send_fds(sock, [head], fds)
    else:
        sock.sendall(head)
    sock.sendall(payload)


def _receive(sock: socket.socket) -> tuple[bytes, bytes, list[int]]:
    head, fds, _, _ = socket.recv_fds(sock, _FRAME.size, 1)
    head += _read(sock, _FRAME.size - len(head))
    kind, size = _FRAME.unpack(head)
    return kind, _read(sock, size), fds


def _read(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


# ---------------------------------------------------------------- in the worker


class _Runner:
    """Evaluates in this process, under the watchdog: what :class:`QueryRunner` does with
    its worker pool, for the endpoint's calls (``run``, ``run_json``)."""

    def __init__(self, settings: _Settings, store: Any, union: bool) -> None:
        self.timeout = settings.timeout
        self.max_rows = settings.max_rows
        self.store, self.union = store, union
        self.handler: _WorkerHandler | None = None
        self.deadline: float | None = None
        self.lock = threading.Lock()
        threading.Thread(target=self._watch, daemon=True).start()

    def run(self, text: str | PreparedQuery) -> QueryResult:
        from ..graph.bounded import _result

        return _result(self._answer(text))

    def run_json(self, text: str | PreparedQuery) -> bytes:
        """A SELECT's or ASK's SPARQL JSON results, written straight from the engine's
        solutions when it answers in full (:mod:`.results`), else as :meth:`run` would."""
        body: bytes | tuple[Any, ...] | None = self._answer(text, json_results)
        if body is TOO_LARGE:
            # json_results reports TOO_LARGE only when there is a row limit
            raise too_large_error("rows", cast(int, self.max_rows))
        if isinstance(body, bytes):
            return body
        # the engine's error (raised from its answer, not evaluated again), or the rare
        # answer json_results leaves to the general path
        return json_answer(body if body is not None else self._answer(text))[1]

    def _answer(self, text: str | PreparedQuery, evaluate: Any = None) -> Any:
        """``evaluate`` (by default the worker pool's plain-tuple answer) on the query,
        under the watchdog."""
        prepared = prepare(text) if isinstance(text, str) else text
        with self.lock:
            self.deadline = time.monotonic() + self.timeout
        answer = (evaluate or _evaluate)(self.store, self.union, prepared.text, self.max_rows)
        with self.lock:  # past this point the watchdog leaves the request alone
            self.deadline = None
        return answer

    def _watch(self) -> None:
        """Answer 503 for a query past its deadline, then end the process (only that
        stops Oxigraph); the parent starts a fresh worker. End too if the parent has."""
        parent = os.getppid()
        while True:
            time.sleep(WATCH_SECONDS)
            if os.getppid() != parent:  # the server is gone: so is this worker
                os._exit(0)
            with self.lock:
                if self.deadline is None or time.monotonic() < self.deadline:
                    continue
                if self.handler is not None:
                    _answer_stopped(self.handler, str(timeout_error(self.timeout)))
                sys.stderr.flush()
                os._exit(0)


def _answer_stopped(handler: _WorkerHandler, reason: str) -> None:
    """Write the 503 for a query stopped at its deadline, and end the response."""

    def stopped() -> tuple[str, bytes]:
        raise _HTTPError(HTTPStatus.SERVICE_UNAVAILABLE, reason)

    try:
        handler._respond(stopped, body=handler.command != "HEAD")
        handler.flush()
        handler.connection.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the client has gone


class _WorkerHandler(LeanHandler):
    """The endpoint's handler, in a worker: the explorer's pages go back to the parent."""

    server: _WorkerServer

    def _explore(self, url: urllib.parse.SplitResult) -> bool:
        if not self.server.settings.explorer or url.path == QUERY_PATH:
            return False
        host, port = self.client_address[:2]
        payload = pickle.dumps((host, port, bytes(self.wire.seen)))
        _send(self.server.control, b"F", payload, [self.connection.fileno()])
        self.server.forwarded = self.connection
        return True


class _WorkerServer(_Server):
    """One request at a time on the inherited listening socket."""

    def __init__(self, listener: socket.socket, control: socket.socket, settings: _Settings):
        import socketserver

        socketserver.BaseServer.__init__(self, listener.getsockname(), _WorkerHandler)
        self.socket = listener
        self.control = control
        self.settings = settings
        self.forwarded: socket.socket | None = None
        store, union = settings.spec.open()
        self.runner = _Runner(settings, store, union)
        self.endpoint = _WorkerEndpoint(self)

    def serve(self) -> None:
        while True:
            try:
                request, address = self.socket.accept()
            except OSError:
                continue
            self.process_request(request, address)

    def process_request(self, request: Any, client_address: Any) -> None:
        try:
            handler = _WorkerHandler(request, client_address, self)
            self.runner.handler = handler
            handler.answer()
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.runner.handler = None
            self.shutdown_request(request)

    def shutdown_request(self, request: Any) -> None:
        """Close the connection. No ``shutdown`` call first, as socketserver makes: this
        process holds the only descriptor of the socket (a forwarded one's copy is the
        parent's), which has no file objects open on it, so closing it sends the FIN at
        once; a syscall less on every request (1.7% of a worker's time under load)."""
        if request is self.forwarded:
            self.forwarded = None  # the parent answers on its own copy
        request.close()


class _WorkerEndpoint(Endpoint):
    """The parent's endpoint as a worker sees it: same limits, formats and headers."""

    def __init__(self, server: _WorkerServer) -> None:
        settings = server.settings
        self.runner = server.runner  # type: ignore[assignment]
        self.log = _log if settings.log else None
        self.cors_origins = settings.cors_origins
        self.explorer = None
        self.httpd = server
        self.host, self.port = settings.host, settings.port
        from .http import _is_loopback

        self.loopback = _is_loopback(settings.host)


def _log(line: str) -> None:
    """One line to the server's stderr, in one write (workers share it)."""
    data = memoryview((line + "\n").encode("utf-8", "replace"))
    while data:
        data = data[os.write(2, data) :]


def _worker_main(listen_fd: int, control_fd: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    control = socket.socket(fileno=control_fd)
    try:
        _, payload, _ = _receive(control)
        settings = pickle.loads(payload)
        server = _WorkerServer(socket.socket(fileno=listen_fd), control, settings)
    except Exception as exc:
        from ..errors import first_line

        _log(f"query worker: cannot open the graph: {first_line(exc)}")
        return
    _send(control, b"R", b"")
    server.serve()


if __name__ == "__main__":  # python -m influencegraph.server.processes LISTEN_FD CONTROL_FD
    _worker_main(int(sys.argv[1]), int(sys.argv[2]))
