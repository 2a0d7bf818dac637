"""The HTTP request handler: one request of the dev server, from its checks to the bytes sent.

It refuses what must be refused (an over-long target, a foreign Host or Origin), answers the live-reload
event stream and the translations page, and serves the private folder with live reload added to HTML.
"""

from __future__ import annotations

import selectors
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from builder.serve import livereload
from builder.serve.connections import GONE, TIMEOUT
from builder.serve.files import TYPES, content_type, locate, url_path
from builder.translate.page import PATH as TRANSLATIONS_PATH
from builder.translate.page import translations_page

if TYPE_CHECKING:
    from builder.serve.server import DevServer

HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream
MAX_TARGET = 4096  # longest request target (path and query) answered; a longer one gets 414


def peer_gone(sock: socket.socket) -> bool:
    """Tell whether the client closed its end of a connection (readable, with nothing left to read)."""
    try:
        with selectors.DefaultSelector() as probe:
            probe.register(sock, selectors.EVENT_READ)
            if not probe.select(0):
                return False
        return not sock.recv(1, socket.MSG_PEEK)
    except (OSError, ValueError):
        return True


def stream_version(seen: str) -> int | None:
    """Return the build version a page says it shows (`?v=`), or None when it names none that can be."""
    return int(seen) if seen.isascii() and seen.isdigit() and len(seen) < 19 else None


class Handler(BaseHTTPRequestHandler):
    """Serve the private folder, the event stream, and inject live reload into HTML."""

    server_version = "diptyque"
    timeout = TIMEOUT  # a client silent this long in the middle of a request is dropped
    dev: DevServer  # set on the subclass made for each server

    def parse_request(self) -> bool:
        """Parse as the base class does, then refuse a target too long (414) and a foreign Host (403)."""
        if not super().parse_request():
            return False
        if len(self.path) > MAX_TARGET:
            self._plain(
                HTTPStatus.REQUEST_URI_TOO_LONG,
                f"414 URI Too Long: the address has "
                f"{len(self.path)} characters; the server answers those of {MAX_TARGET} at most.\n",
            )
            return False
        refusal = self.dev.hosts.refusal(self.headers.get_all("Host") or [], self.request_version)
        if refusal:
            self._plain(*refusal)
            return False
        return True

    def do_HEAD(self):
        """Answer as GET would, headers only."""
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        """Answer the event stream, the translations page, or a file of the private folder."""
        try:
            target, _, query = self.path.partition("?")
            if target == livereload.EVENTS_PATH:
                return self._events(query, head)
            if target.rstrip("/") == TRANSLATIONS_PATH.rstrip("/"):  # served only by serve, never built
                page = self.dev.decorate(translations_page(self.dev.config))
                return self._send(HTTPStatus.OK, page, TYPES[".html"], head)
            self._file(target, query, head)
        except GONE:
            self.close_connection = True

    def _file(self, target: str, query: str, head: bool) -> None:
        """Send the file that answers the request, a redirect to its folder, the 404 page or a refusal."""
        try:
            rel = url_path(self.path)
        except UnicodeDecodeError:
            rel = None
        status, path = (
            (HTTPStatus.BAD_REQUEST, None)
            if rel is None
            else locate(self.dev.folder, rel, self.dev.config.codes)
        )
        if status == HTTPStatus.MOVED_PERMANENTLY:
            self.send_response(status)
            self.send_header("Location", target + "/" + ("?" + query if query else ""))
            self.send_header("Content-Length", "0")
            return self.end_headers()
        try:
            data = path.read_bytes() if path else f"<h1>{status.value} {status.phrase}</h1>".encode()
        except FileNotFoundError:  # removed by a rebuild since it was found
            status, path, data = HTTPStatus.NOT_FOUND, None, b"<h1>404 Not Found</h1>"
        if path is None or path.suffix.lower() == ".html":
            data = self.dev.decorate(data)
        self._send(status, data, content_type(path) if path else TYPES[".html"], head)

    def _send(
        self, status: HTTPStatus, data: bytes, ctype: str, head: bool, extra: dict | None = None
    ) -> None:
        """Send a whole answer, never cached, with `extra` headers; the body unless for HEAD."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _plain(self, status: HTTPStatus, message: str, extra: dict | None = None) -> None:
        """Answer with a short text message and close the connection."""
        self.close_connection = True
        self._send(
            status,
            message.encode(),
            TYPES[".txt"],
            self.command == "HEAD",
            {**(extra or {}), "Connection": "close"},
        )

    def _events(self, query: str, head: bool) -> None:
        """Stream live-reload events to a page of this server until it leaves or the server stops."""
        origin = self.headers.get("Origin")
        if origin is not None and not self.dev.hosts.allows_origin(origin):
            return self._plain(
                HTTPStatus.FORBIDDEN,
                f"403 Forbidden: live reload is for pages of this server, not of {origin[:100]!r}.\n",
            )
        hub = self.dev.hub
        messages = hub.subscribe(stream_version(parse_qs(query).get("v", [""])[0]))
        if messages is None:
            return self._plain(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"503 Service Unavailable: {hub.limit} pages "
                f"already listen for reloads, the most this server keeps; close some tabs "
                f"of the site. This page asks again in {livereload.RETRY} s.\n",
                {"Retry-After": str(livereload.RETRY)},
            )
        try:
            self.close_connection = True
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                livereload.stream(messages, self.wfile, HEARTBEAT, lambda: peer_gone(self.connection))
        finally:
            hub.unsubscribe(messages)

    def log_message(self, format, *args):  # the argument names are the base class's
        """Keep the terminal for build news, not request logs."""
