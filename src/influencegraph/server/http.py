"""The HTTP layer: the request handler (GET, HEAD, POST, OPTIONS, CORS, Host checks,
bounded bodies, plain-text errors) and the threading servers for IPv4 and IPv6."""

from __future__ import annotations

import codecs
import socket
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .endpoint import Endpoint

from .pages import (
    form_page,
    service_description,
)
from .protocol import (
    MAX_QUERY_BYTES,
    QUERY_PATH,
    _HTTPError,
)


class _Handler(BaseHTTPRequestHandler):
    server_version = "influencegraph-sparql"
    timeout = 15  # seconds a client may take to send its request
    server: _Server

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        # /sparql is never the explorer's: no host check here for it (_respond makes it)
        if url.path != QUERY_PATH and self._host_allowed() and self._explore(url):
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
            from ..explorer.routes import Response

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


DEFER_SECONDS = 15
"""How long the kernel holds a connection that has sent nothing before handing it over
(Linux ``TCP_DEFER_ACCEPT``): a client connected but silent takes no worker or thread."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    endpoint: Endpoint

    def server_bind(self) -> None:
        """Bind; where the system offers it, accept a connection only once its request
        has begun to arrive, so the first read finds it waiting."""
        super().server_bind()
        if hasattr(socket, "TCP_DEFER_ACCEPT"):
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, DEFER_SECONDS)

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


MAX_FIELDS = 100
"""The most fields a query string or form body may hold (as ``parse_qs``'s limit here)."""


def _parse_form(text: str) -> dict[str, list[str]]:
    """The fields of a query string or form body, as ``urllib.parse.parse_qs`` reads them
    with blank values kept and UTF-8 strict (a field without ``=`` has the value ""), at
    most :data:`MAX_FIELDS` of them; 413 for a text over :data:`MAX_QUERY_BYTES`, 400
    for one that cannot be read.

    Example:
        >>> _parse_form("query=ASK%20%7B%7D&format=json&format=&flag")
        {'query': ['ASK {}'], 'format': ['json', ''], 'flag': ['']}
    """
    if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
        raise _HTTPError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the query is over {MAX_QUERY_BYTES} bytes"
        )
    if text.count("&") >= MAX_FIELDS:
        raise _HTTPError(
            HTTPStatus.BAD_REQUEST, "cannot read the parameters: Max number of fields exceeded"
        )
    params: dict[str, list[str]] = {}
    try:
        for field in text.split("&"):
            if field:
                name, _, value = field.partition("=")
                params.setdefault(_unquote_plus(name), []).append(_unquote_plus(value))
    except UnicodeDecodeError as exc:
        raise _HTTPError(HTTPStatus.BAD_REQUEST, f"cannot read the parameters: {exc}") from None
    return params


def _unquote_plus(text: str) -> str:
    """``urllib.parse.unquote_plus(text, errors="strict")``, in a fifth of its time for
    the usual ASCII text (a query's ~60 escapes: 2.5 us against 13 us, read on every
    request): each ``%XX`` becomes the escape ``\\xXX`` that :func:`codecs.escape_decode`
    turns into its byte (backslashes doubled first, so no other escape can arise). Text
    with other characters, or a ``%`` not followed by two hex digits (which that decoder
    refuses), goes to urllib, which keeps such a ``%`` as it is.
    """
    if text.isascii():
        data = text.encode("ascii").replace(b"+", b" ")
        if b"%" not in data:
            return data.decode("ascii")
        try:
            data = codecs.escape_decode(data.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]
        except ValueError:  # a % that starts no escape
            pass
        else:
            return data.decode("utf-8")
    return urllib.parse.unquote_plus(text, encoding="utf-8", errors="strict")


# ---------------------------------------------------------------- HTML
