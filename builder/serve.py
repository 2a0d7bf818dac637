"""The dev server: build into a private folder, serve it on 127.0.0.1, rebuild on change, reload the browser."""

from __future__ import annotations

import errno
import mimetypes
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

from builder import livereload
from builder.config import Config
from builder.errors import BuildError
from builder.watch import QUIET, Rebuilder, Watcher

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".txt": "text/plain; charset=utf-8", ".json": "application/json; charset=utf-8",
         ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json"}
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream
GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)  # the client went away
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve_folder(root: Path) -> Path:
    """Return the private folder the dev server builds into (never the deploy folder)."""
    return root / ".diptyque" / "serve" / "site"


def url_path(raw: str) -> str | None:
    """Turn a request target into a safe relative path ('' for the root), or None when it must be refused."""
    path = unquote(raw.split("?", 1)[0].split("#", 1)[0], errors="strict")
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return None
    segments = path.split("/")
    if any(s in ("..", ".") for s in segments) or path.startswith("//"):
        return None
    return path.lstrip("/")


def locate(folder: Path, rel: str, languages: tuple[str, ...] = ()) -> tuple[HTTPStatus, Path | None]:
    """Decide what answers `rel`: a file (200), a redirect to the folder (301), the 404 page, or a refusal (403)."""
    top = folder.resolve()
    target = (top / rel).resolve()
    if not target.is_relative_to(top):
        return HTTPStatus.FORBIDDEN, None  # a symlink leading outside the folder
    if target.is_dir():
        if rel and not rel.endswith("/"):
            return HTTPStatus.MOVED_PERMANENTLY, None
        target = (target / "index.html").resolve()
    if target.is_file() and target.is_relative_to(top):
        return HTTPStatus.OK, target
    first = rel.split("/", 1)[0]
    for page in ([top / first / "404.html"] if first in languages else []) + [top / "404.html"]:
        if page.is_file() and page.resolve().is_relative_to(top):
            return HTTPStatus.NOT_FOUND, page
    return HTTPStatus.NOT_FOUND, None


def content_type(path: Path) -> str:
    """Return the Content-Type of a file, with UTF-8 for text."""
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class Handler(BaseHTTPRequestHandler):
    """Serve the private folder, the event stream, and inject live reload into HTML."""

    server_version = "diptyque"
    dev: "DevServer"  # set on the subclass made for each server

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        try:
            target, _, query = self.path.partition("?")
            if target == livereload.EVENTS_PATH:
                return self._events(query)
            try:
                rel = url_path(self.path)
            except UnicodeDecodeError:
                rel = None
            status, path = (HTTPStatus.BAD_REQUEST, None) if rel is None else \
                locate(self.dev.folder, rel, self.dev.config.codes)
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
        except GONE:
            self.close_connection = True

    def _send(self, status: HTTPStatus, data: bytes, ctype: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self, query: str) -> None:
        seen = parse_qs(query).get("v", [""])[0]
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        livereload.stream(self.dev.hub, self.wfile, int(seen) if seen.isdigit() else None, HEARTBEAT)

    def log_message(self, format, *args):  # noqa: A002 — the name is the base class's
        """Keep the terminal for build news, not request logs."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        """A client that disconnects mid-response is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], GONE):
            super().handle_error(request, client_address)


class DevServer:
    """A running dev server: `.url`, `.stop()`; builds into its private folder and reloads pages."""

    def __init__(self, config: Config, host: str = "127.0.0.1", port: int = 0, watch: bool = True,
                 quiet: bool = False, debounce: float | None = None):
        self.folder = config.output or serve_folder(config.root)
        self.site = Rebuilder(config.with_options(output=self.folder), quiet=quiet)
        self.hub = self.site.hub
        handler = type("BoundHandler", (Handler,), {"dev": self})
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server_class = type("BoundServer", (_HTTPServer,), {"address_family": family})
        self.httpd = server_class((host, port), handler)  # raises OSError when the port is taken
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{self.httpd.server_address[1]}/"
        self.site.options["base_url"] = self.url  # links and feeds point at this server, as Hugo's does
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="diptyque-http", daemon=True)
        self.watcher = Watcher(config.root, self.site.rebuild, QUIET if debounce is None else debounce) \
            if watch else None

    @property
    def config(self) -> Config:
        return self.site.config

    @property
    def errors(self) -> tuple[BuildError, ...]:
        return self.site.errors

    def rebuild(self, changed: set[str] = frozenset()) -> bool:
        """Build now, as the watcher would after an edit; return whether it succeeded."""
        return self.site.rebuild(changed)

    def start(self) -> "DevServer":
        """Serve and watch in background threads; call after the first build."""
        self.thread.start()
        if self.watcher:
            self.watcher.start()
        return self

    def decorate(self, page: bytes) -> bytes:
        """Add the live-reload script, and the error overlay while a build error stands, to an HTML page."""
        with self.hub.lock:
            version, failure = self.hub.version, self.hub.failure
        return livereload.inject(page, (failure or "") + livereload.script(version, self.config.codes))

    def stop(self) -> None:
        """Stop watching and serving; join the threads."""
        if self.watcher:
            self.watcher.stop()
        self.hub.close()
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join(timeout=5)
        self.httpd.server_close()


def start_server(config: Config, host: str = "127.0.0.1", port: int = 0, watch: bool = True,
                 quiet: bool = True, debounce: float | None = None) -> DevServer:
    """Build once, then serve (and watch) in background threads; return the server with `.url` and `.stop()`."""
    server = DevServer(config, host=host, port=port, watch=watch, quiet=quiet, debounce=debounce)
    server.rebuild()
    return server.start()


def free_port(host: str, start: int) -> int | None:
    """Return the first port from `start` that can be bound on `host`, or None."""
    for port in range(start, min(start + 50, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            try:
                probe.bind((host, port))
                return port
            except OSError:
                continue
    return None


def run_server(config: Config, host: str = "127.0.0.1", port: int = 8000, watch: bool = False,
               open_browser: bool = False) -> int:
    """Run `diptyque serve` until Ctrl-C; return the exit code."""
    if host not in LOOPBACK:
        print(f"warning: serving on {host}: other machines on the network can see this site, drafts included",
              file=sys.stderr)
    try:
        server = DevServer(config, host=host, port=port, watch=watch)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            print(f"error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
            return 1
        other = free_port(host, port + 1)
        print(f"error: port {port} is already in use; try {f'--port {other}' if other else 'another port'} "
              "(or --port 0 for any free port)", file=sys.stderr)
        return 1
    try:
        start = time.perf_counter()
        ok = server.rebuild()
        if not ok and not watch:
            server.stop()
            return 1
        if ok:
            print(f"built in {(time.perf_counter() - start) * 1000:.0f} ms into {server.folder}")
        server.start()
        print(f"serving {server.url}" + (" · watching content/, themes/ and config.toml" if watch else "")
              + " · Ctrl-C to stop", flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        while server.thread.is_alive():
            server.thread.join(timeout=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("stopped")
    return 0
