"""A lean HTTP/1.x request reader and response writer for the worker processes' hot path.

The standard library's ``BaseHTTPRequestHandler`` costs about a third of a worker's
Python time per request (a buffered file over the socket, the ``email`` header parser,
a send for the headers and another for the body, a date formatted per request).
:class:`LeanHandler` keeps every rule of :class:`~.http._Handler` (it *is* one: the same
``do_GET``/``_respond``/``_body``...) but reads the request head from the socket's bytes
itself and writes the whole answer in one send; one request per connection, closed after
the answer (``Connection: close``, as ``http.server`` does for HTTP/1.0 responses).

Malformed requests get a plain-text 400 (414 for a request line over
:data:`MAX_LINE` bytes, 431 for headers over :data:`MAX_HEAD` bytes or
:data:`MAX_HEADERS` lines, 505 for HTTP/2 and later), never a traceback; a client that
sends nothing for :data:`READ_SECONDS` is dropped, so none can hold a worker for long
(and on Linux a connection reaches a worker only once its request has begun to arrive:
:data:`~.http.DEFER_SECONDS`).

Example:
    >>> head = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\\r\\nHost: localhost\\r\\nAccept: */*"
    >>> request = parse_head(head)
    >>> request.method, request.target, request.headers.get("ACCEPT")
    ('GET', '/sparql?query=ASK%7B%7D', '*/*')
    >>> parse_head(b"GET /sparql HTTP/1.1\\r\\n Folded: line")
    Traceback (most recent call last):
    ...
    influencegraph.server.wire.BadRequest: a header line starts with a space (obsolete line folding)
"""

from __future__ import annotations

import io
import select
import socket
import time
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

from .http import _Handler

MAX_LINE = 65536
"""The longest request line read (as ``http.server``'s limit): longer is 414."""
MAX_HEAD = 65536
"""The most bytes of header lines read after the request line: more is 431."""
MAX_HEADERS = 100
"""The most header lines read (as ``http.server``'s limit): more is 431."""
READ_SECONDS = 15.0
"""How long a client may take to send its request (head and body), as the threads allow."""
_RECEIVE = 65536


class BadRequest(Exception):
    """A request that cannot be read: answered with ``status`` and a one-line reason."""

    def __init__(self, reason: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Headers(dict[str, str]):
    """Request headers by lower-case name (the first of repeated ones), read as
    ``email.message.Message`` reads them where the handler asks."""

    def get(self, name: str, default: Any = None) -> Any:
        """The header's value, whatever the case of ``name``."""
        return dict.get(self, name.lower(), default)

    def get_content_type(self) -> str:
        """The media type without parameters, lower case (``text/plain`` if none or bad)."""
        value = dict.get(self, "content-type", "").partition(";")[0].strip().lower()
        return value if value.count("/") == 1 else "text/plain"

    def get_content_charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type, lower case, or None."""
        for param in dict.get(self, "content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip('"').lower() or None
        return None


@dataclass
class Request:
    """A request's head: method, target, version and headers."""

    method: str
    target: str
    version: str
    headers: Headers
    line: str


def parse_head(head: bytes) -> Request:
    """The request line and headers of ``head`` (without the blank line ending it), or
    :class:`BadRequest` saying what is wrong with them."""
    lines = head.split(b"\n")
    first = lines[0].rstrip(b"\r")
    if len(first) > MAX_LINE:
        raise BadRequest("the request line is too long", HTTPStatus.REQUEST_URI_TOO_LONG)
    line = first.decode("iso-8859-1")
    words = line.split()
    if len(words) != 3:
        raise BadRequest(f"bad request syntax ({line[:200]!r})")
    method, target, version = words
    if not version.startswith("HTTP/"):
        raise BadRequest(f"bad request version ({version[:50]!r})")
    major, dot, minor = version[5:].partition(".")
    if not (dot and major.isdigit() and minor.isdigit() and len(version) <= 10):
        raise BadRequest(f"bad request version ({version[:50]!r})")
    if int(major) >= 2:
        raise BadRequest(
            f"invalid HTTP version ({version[5:]})", HTTPStatus.HTTP_VERSION_NOT_SUPPORTED
        )
    if len(lines) - 1 > MAX_HEADERS:
        raise BadRequest("too many headers", HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
    headers = Headers()
    for raw in lines[1:]:
        text = raw.rstrip(b"\r").decode("iso-8859-1")
        if text[:1] in (" ", "\t"):
            raise BadRequest("a header line starts with a space (obsolete line folding)")
        name, colon, value = text.partition(":")
        if not colon or not name or name != name.strip():
            raise BadRequest(f"bad header line ({text[:100]!r})")
        key, value = name.lower(), value.strip()
        if key in headers:
            if key in ("content-length", "host") and headers[key] != value:
                raise BadRequest(f"conflicting {name} headers")
            continue
        headers[key] = value
    if target.startswith("//"):  # as http.server: never read as a network location
        target = "/" + target.lstrip("/")
    return Request(method, target, version, headers, line)


class Connection:
    """The client's socket, read without a timeout set on it: a non-blocking try first
    (the request has usually arrived), then a wait bounded by the request's deadline."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.deadline = time.monotonic() + READ_SECONDS
        self.seen = bytearray()
        """Every byte read, so a request can be handed on as it came."""

    def receive(self, size: int = _RECEIVE) -> bytes:
        """Up to ``size`` bytes (b"" at the end), or TimeoutError past the deadline."""
        try:
            data = self.sock.recv(size, socket.MSG_DONTWAIT)
        except BlockingIOError:
            left = self.deadline - time.monotonic()
            poller = select.poll()
            poller.register(self.sock, select.POLLIN)
            if left <= 0 or not poller.poll(left * 1000):
                raise TimeoutError("the client sent nothing in time") from None
            data = self.sock.recv(size)
        self.seen += data
        return data

    def read_head(self) -> tuple[bytes, bytes]:
        """The request head up to its blank line, and the bytes read after it; b"" for
        a client that closed without sending anything."""
        buffer = b""
        while True:
            chunk = self.receive()
            if not chunk:
                if buffer.strip():
                    raise BadRequest("the request ended before its headers did")
                return b"", b""
            start = max(0, len(buffer) - 3)
            buffer += chunk
            end, gap = _head_end(buffer, start)
            if end >= 0:
                _check_sizes(buffer[:end])
                return buffer[:end], buffer[end + gap :]
            _check_sizes(buffer)

    def send(self, data: bytes) -> None:
        """Send all of ``data``: at once if the socket takes it, else waiting (bounded)."""
        try:
            sent = self.sock.send(data, socket.MSG_DONTWAIT)
        except BlockingIOError:
            sent = 0
        if sent < len(data):
            self.sock.settimeout(READ_SECONDS)
            self.sock.sendall(memoryview(data)[sent:])


def _head_end(buffer: bytes, start: int) -> tuple[int, int]:
    """Where the head ends (the last header line's LF) and how long the blank line after
    it is, searching from ``start``; (-1, 0) if not yet. Lines may end in CRLF or LF."""
    bare, crlf = buffer.find(b"\n\n", start), buffer.find(b"\n\r\n", start)
    if crlf >= 0 and (bare < 0 or crlf < bare):
        return crlf, 3
    return bare, 2


def _check_sizes(head: bytes) -> None:
    """Refuse a head past the limits before reading (or parsing) any more of it."""
    newline = head.find(b"\n")
    line_length = len(head) if newline < 0 else newline
    if line_length > MAX_LINE + 1:
        raise BadRequest("the request line is too long", HTTPStatus.REQUEST_URI_TOO_LONG)
    if newline >= 0:
        rest = len(head) - newline - 1
        if rest > MAX_HEAD:
            raise BadRequest(
                "the request headers are too large", HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
            )
        if head.count(b"\n", newline + 1) > MAX_HEADERS:
            raise BadRequest("too many headers", HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)


class _Body:
    """The request body's reader for :meth:`_Handler._body`: the bytes already read
    after the head, then the socket's, up to what is asked."""

    def __init__(self, connection: Connection, rest: bytes) -> None:
        self.connection = connection
        self.rest = rest

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes; fewer only if the client ended its request."""
        data, self.rest = self.rest[:size], self.rest[size:]
        while len(data) < size:
            chunk = self.connection.receive(min(_RECEIVE, size - len(data)))
            if not chunk:
                break
            data += chunk
        return data


_DATE: list[Any] = [0, ""]
"""The Date header's value and the second it was written for: one formatdate a second."""


def _date() -> str:
    now = int(time.time())
    if _DATE[0] != now:
        _DATE[:] = [now, formatdate(now, usegmt=True)]
    return str(_DATE[1])


class LeanHandler(_Handler):
    """:class:`~.http._Handler`'s answers, read and written without ``http.server``'s
    machinery: one request per connection, answered in one send (see the module)."""

    def __init__(self, sock: socket.socket, address: Any, server: Any) -> None:
        # No BaseRequestHandler.__init__: the socket is read and written here directly.
        self.request = self.connection = sock
        self.client_address = address
        self.server = server
        self.wire = Connection(sock)
        self.out = io.BytesIO()
        self.wfile = self.out
        self.head: list[str] = []
        """The answer's status line and headers so far, written out at :meth:`end_headers`."""
        self.command = ""
        self.requestline = ""
        self.request_version = "HTTP/1.0"
        self.close_connection = True
        self.headers = Headers()  # type: ignore[assignment]

    def answer(self) -> None:
        """Read one request, answer it, send the answer (the caller closes the socket)."""
        try:
            head, rest = self.wire.read_head()
            if not head:
                return
            request = parse_head(head)
        except BadRequest as exc:
            self.send_error(exc.status, exc.reason)
        except TimeoutError:
            return  # as http.server: a client that sent nothing in time is dropped
        else:
            self.command, self.path = request.method, request.target
            self.request_version, self.requestline = request.version, request.line
            self.headers = request.headers  # type: ignore[assignment]
            if request.method not in ("GET", "HEAD", "POST", "OPTIONS"):
                self.send_error(
                    HTTPStatus.NOT_IMPLEMENTED, f"Unsupported method ({request.method!r})"
                )
            else:
                self.rfile = _Body(self.wire, rest)  # type: ignore[assignment]
                getattr(self, "do_" + request.method)()
        self.flush()  # nothing was written for a request handed on

    def flush(self) -> None:
        """Send what has been written so far, in one send."""
        data = self.out.getvalue()
        self.out.seek(0)
        self.out.truncate()
        if data:
            self.wire.send(data)

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        if message is None:
            try:
                message = HTTPStatus(code).phrase
            except ValueError:
                message = ""
        self.head.append(
            f"{self.protocol_version} {int(code)} {message}\r\n"
            f"Server: {self.server_version} {self.sys_version}\r\n"
            f"Date: {_date()}\r\n"
        )

    def send_header(self, keyword: str, value: str) -> None:
        self.head.append(f"{keyword}: {value}\r\n")

    def end_headers(self) -> None:
        self.head.append("\r\n")
        self.out.write("".join(self.head).encode("latin-1", "strict"))
        self.head.clear()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log = self.server.endpoint.log
        if log is not None:
            code = int(code) if isinstance(code, int) else code
            log(f'{self.client_address[0]} "{self.requestline}" {code} {size}')
