"""The dev server: build into a private folder, serve it on 127.0.0.1, rebuild on change, reload pages."""

from __future__ import annotations

import collections
import errno
import ipaddress
import mimetypes
import queue
import re
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

from builder import livereload
from builder.config import Config
from builder.errors import BuildError
from builder.translate.page import PATH as TRANSLATIONS_PATH
from builder.translate.page import translations_page
from builder.watch import QUIET, WATCHED, Rebuilder, Watcher

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream
GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)  # the client went away
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("", "0.0.0.0", "::")  # listening on every address: any IP address may name the server
TIMEOUT = 10.0  # seconds a connection may stay silent: before its request, or in the middle of it
WORKERS = 64  # threads answering requests, event streams included (livereload.STREAMS of them at most)
PARKED = 1024  # connections that have not sent a byte yet, held without a thread; beyond, the oldest goes
BACKLOG = 128  # connections the system queues before the server accepts them
MAX_TARGET = 4096  # longest request target (path and query) answered; a longer one gets 414
HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::([0-9]{1,5}))?")  # a Host header: name or [IPv6], port


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
    """Say what answers `rel`: a file (200), a redirect to its folder (301), the 404 page, a refusal (403)."""
    top = folder.resolve()
    try:
        found = find(top, rel)
    except OSError:  # a name longer than the file system allows, for one: there is no such page
        found = None
    return found or not_found(top, rel, languages)


def find(top: Path, rel: str) -> tuple[HTTPStatus, Path | None] | None:
    """Return the file under `top` that answers `rel` (200), a redirect (301), a refusal (403), or None."""
    target = (top / rel).resolve()
    if not target.is_relative_to(top):
        return HTTPStatus.FORBIDDEN, None  # a symlink leading outside the folder
    if target.is_dir():
        if rel and not rel.endswith("/"):
            return HTTPStatus.MOVED_PERMANENTLY, None
        target = (target / "index.html").resolve()
    if target.is_file() and target.is_relative_to(top):
        return HTTPStatus.OK, target
    return None


def not_found(top: Path, rel: str, languages: tuple[str, ...]) -> tuple[HTTPStatus, Path | None]:
    """Return the 404 page for `rel`: its language's, else the site's, else none."""
    first = rel.split("/", 1)[0]
    for page in ([top / first / "404.html"] if first in languages else []) + [top / "404.html"]:
        if page.is_file() and page.resolve().is_relative_to(top):
            return HTTPStatus.NOT_FOUND, page
    return HTTPStatus.NOT_FOUND, None


def content_type(path: Path) -> str:
    """Return the Content-Type of a file, with UTF-8 for text."""
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def split_host(value: str) -> tuple[str, int | None] | None:
    """Split a Host header into its name (lower case, IPv6 without brackets) and port; None when malformed."""
    match = HOST.fullmatch(value.strip().lower())
    if not match:
        return None
    name, port = match.group(1), match.group(2)
    return name.strip("[]"), int(port) if port else None


def is_ip(name: str) -> bool:
    """Tell whether a host name is an IP address (which DNS cannot rebind)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Hosts:
    """The Host header values a server answers to: its own address, by name or number, with its port.

    Anything else is what a DNS rebinding attack sends: a page of another site whose name was pointed at
    127.0.0.1 after it loaded, reading this server as if it were its own.
    """

    def __init__(self, host: str, bound: str, port: int):
        names = {*LOOPBACK, host.lower(), bound.lower()}
        self.names = frozenset(n.strip("[]") for n in names if n not in WILDCARD)
        self.port, self.any_ip = port, host in WILDCARD

    def allows(self, value: str) -> bool:
        """Tell whether a Host header (or the host part of an Origin) names this server."""
        parsed = split_host(value)
        if parsed is None:
            return False
        name, port = parsed
        if port != self.port and not (port is None and self.port == 80):
            return False
        return name in self.names or (self.any_ip and is_ip(name))

    def allows_origin(self, origin: str) -> bool:
        """Tell whether an Origin header names a page of this server."""
        return origin.startswith("http://") and self.allows(origin[len("http://") :])

    def shown(self) -> str:
        """Return the addresses this server answers to, for messages: '127.0.0.1:8000, localhost:8000…'."""
        return ", ".join(f"[{n}]:{self.port}" if ":" in n else f"{n}:{self.port}" for n in sorted(self.names))

    def refusal(self, values: list[str], version: str) -> tuple[HTTPStatus, str] | None:
        """Return why a request with these Host headers is refused (status, message), or None to answer it."""
        if len(values) > 1:
            return HTTPStatus.BAD_REQUEST, "400 Bad Request: the request has several Host headers; send one\n"
        if not values:
            if version in ("HTTP/0.9", "HTTP/1.0"):
                return None  # no Host header in HTTP/1.0; browsers always send one
            return HTTPStatus.BAD_REQUEST, (
                f"400 Bad Request: an HTTP/1.1 request needs a Host header; "
                f"send one naming this server ({self.shown()}).\n"
            )
        if self.allows(values[0]):
            return None
        return HTTPStatus.FORBIDDEN, (
            f"403 Forbidden: this dev server answers only to the host names "
            f"{self.shown()}, not {values[0][:100]!r}. Open http://127.0.0.1:"
            f"{self.port}/ (or the address `diptyque serve` printed) instead.\n"
        )


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
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        try:
            target, _, query = self.path.partition("?")
            if target == livereload.EVENTS_PATH:
                return self._events(query, head)
            if target.rstrip("/") == TRANSLATIONS_PATH.rstrip("/"):  # served only by serve, never built
                page = self.dev.decorate(translations_page(self.dev.config))
                return self._send(HTTPStatus.OK, page, TYPES[".html"], head)
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
        except GONE:
            self.close_connection = True

    def _send(
        self, status: HTTPStatus, data: bytes, ctype: str, head: bool, extra: dict | None = None
    ) -> None:
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
        origin = self.headers.get("Origin")
        if origin is not None and not self.dev.hosts.allows_origin(origin):
            return self._plain(
                HTTPStatus.FORBIDDEN,
                f"403 Forbidden: live reload is for pages of this server, not of {origin[:100]!r}.\n",
            )
        seen = parse_qs(query).get("v", [""])[0]
        hub = self.dev.hub
        messages = hub.subscribe(int(seen) if seen.isascii() and seen.isdigit() and len(seen) < 19 else None)
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


class Lobby:
    """Connections that have not sent a byte yet: one thread watches them all, none is spent on each.

    A connection that speaks is handed to `ready`; one silent for `idle` seconds, or the oldest when more
    than `limit` wait, is closed with `drop`. Browsers open such connections ahead of need; a flood of
    them costs file descriptors here, not threads.
    """

    def __init__(self, ready: Callable, drop: Callable, limit: int, idle: float):
        self.ready, self.drop, self.limit, self.idle = ready, drop, limit, idle
        self.selector = selectors.DefaultSelector()
        self.bell, self.ring = socket.socketpair()  # a byte on `ring` wakes the thread
        for end in (self.bell, self.ring):
            end.setblocking(False)
        self.selector.register(self.bell, selectors.EVENT_READ)
        self.arrivals: collections.deque = collections.deque()  # (socket, address, deadline), from accept
        self.parked: dict[socket.socket, tuple] = {}  # socket -> (address, deadline), oldest first
        self.closing = False
        self.thread = threading.Thread(target=self._run, name="diptyque-lobby", daemon=True)
        self.thread.start()

    def add(self, sock: socket.socket, address) -> None:
        """Hold a newly accepted connection until it sends something."""
        self.arrivals.append((sock, address, time.monotonic() + self.idle))
        self._wake()

    def close(self) -> None:
        """Close every waiting connection and stop the thread."""
        self.closing = True
        self._wake()
        self.thread.join(timeout=5)

    def _wake(self) -> None:
        try:
            self.ring.send(b"\0")
        except OSError:  # a wake-up already pending (the buffer is full), or closed
            pass

    def _run(self) -> None:
        while not self.closing:
            first = next(iter(self.parked.values()), None)
            timeout = max(0.0, first[1] - time.monotonic()) if first else None
            for key, _ in self.selector.select(timeout):
                if key.fileobj is self.bell:
                    self._drain()
                else:
                    address = self._release(key.fileobj)
                    self.ready(key.fileobj, address)
            self._admit()
            self._expire(time.monotonic())
        self._shut()

    def _drain(self) -> None:
        try:
            while self.bell.recv(4096):
                pass
        except OSError:
            pass

    def _admit(self) -> None:
        while self.arrivals:
            sock, address, deadline = self.arrivals.popleft()
            try:
                self.selector.register(sock, selectors.EVENT_READ)
            except (OSError, ValueError):  # closed meanwhile
                self.drop(sock)
                continue
            self.parked[sock] = (address, deadline)
        while len(self.parked) > self.limit:
            oldest = next(iter(self.parked))
            self._release(oldest)
            self.drop(oldest)

    def _expire(self, now: float) -> None:
        for sock, (_, deadline) in list(self.parked.items()):
            if deadline > now:
                break
            self._release(sock)
            self.drop(sock)

    def _release(self, sock: socket.socket):
        self.selector.unregister(sock)
        return self.parked.pop(sock)[0]

    def _shut(self) -> None:
        for sock in list(self.parked):
            self._release(sock)
            self.drop(sock)
        while self.arrivals:
            self.drop(self.arrivals.popleft()[0])
        self.selector.close()
        self.bell.close()
        self.ring.close()


class Workers:
    """At most `size` daemon threads, started as needed; jobs beyond them wait their turn in a queue."""

    def __init__(self, size: int):
        self.size, self.jobs, self.lock = size, queue.SimpleQueue(), threading.Lock()
        self.threads = self.idle = self.waiting = 0

    def submit(self, job: Callable[[], None]) -> None:
        """Run `job` in a free thread, a new one while fewer than `size` run, or the first that frees up."""
        with self.lock:
            self.waiting += 1
            grow = self.waiting > self.idle and self.threads < self.size
            self.threads += grow
        self.jobs.put(job)
        if grow:
            threading.Thread(target=self._work, name="diptyque-http", daemon=True).start()

    def close(self) -> None:
        """Let every thread end once it has finished its job."""
        with self.lock:
            count = self.threads
        for _ in range(count):
            self.jobs.put(None)

    def _work(self) -> None:
        while True:
            with self.lock:
                self.idle += 1
            job = self.jobs.get()
            with self.lock:
                self.idle -= 1
                if job is None:
                    self.threads -= 1
                    return
                self.waiting -= 1
            job()


def parked_limit() -> int:
    """Return how many silent connections to hold: PARKED, fewer when the open-file limit is low."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        return PARKED
    return PARKED if soft == resource.RLIM_INFINITY else max(16, min(PARKED, soft // 4))


class _HTTPServer(HTTPServer):
    """Accept connections, park them in a Lobby until they speak, answer them with at most WORKERS threads."""

    allow_reuse_address = True
    request_queue_size = BACKLOG
    lobby: Lobby | None = None
    workers: Workers | None = None

    def __init__(self, address, handler, idle: float = TIMEOUT):
        super().__init__(address, handler)
        self.workers = Workers(WORKERS)
        self.lobby = Lobby(self._ready, self.shutdown_request, parked_limit(), idle)

    def process_request(self, request, client_address):
        """Park a new connection: it takes a thread only once it sends its request."""
        self.lobby.add(request, client_address)

    def _ready(self, request, client_address) -> None:
        self.workers.submit(lambda: self._answer(request, client_address))

    def _answer(self, request, client_address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 — as socketserver does: a failure ends this connection only
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def handle_error(self, request, client_address):
        """A client that disconnects mid-response is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], GONE):
            super().handle_error(request, client_address)

    def server_close(self):
        """Close the listening socket, every waiting connection, and let the threads end."""
        super().server_close()
        if self.lobby:
            self.lobby.close()
        if self.workers:
            self.workers.close()


class DevServer:
    """A running dev server: `.url`, `.stop()`; builds into its private folder and reloads pages."""

    def __init__(
        self,
        config: Config,
        host: str = "127.0.0.1",
        port: int = 0,
        watch: bool = True,
        quiet: bool = False,
        debounce: float | None = None,
        timeout: float = TIMEOUT,
    ):
        self.folder = config.output or serve_folder(config.root)
        self.site = Rebuilder(config.with_options(output=self.folder), quiet=quiet)
        self.hub = self.site.hub
        handler = type("BoundHandler", (Handler,), {"dev": self, "timeout": timeout})
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server_class = type("BoundServer", (_HTTPServer,), {"address_family": family})
        self.httpd = server_class((host, port), handler, idle=timeout)  # OSError when the port is taken
        bound, port = self.httpd.server_address[:2]
        self.hosts = Hosts(host, bound, port)
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
        self.site.options["base_url"] = self.url  # links and feeds point at this server, as Hugo's does
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="diptyque-http", daemon=True)
        self.watcher = (
            Watcher(config.root, self.site.rebuild, QUIET if debounce is None else debounce)
            if watch
            else None
        )

    @property
    def config(self) -> Config:
        return self.site.config

    @property
    def errors(self) -> tuple[BuildError, ...]:
        return self.site.errors

    def rebuild(self, changed: set[str] = frozenset()) -> bool:
        """Build now, as the watcher would after an edit; return whether it succeeded."""
        return self.site.rebuild(changed)

    def start(self) -> DevServer:
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


def start_server(
    config: Config,
    host: str = "127.0.0.1",
    port: int = 0,
    watch: bool = True,
    quiet: bool = True,
    debounce: float | None = None,
    timeout: float = TIMEOUT,
) -> DevServer:
    """Build once, then serve (and watch) in background threads; return the server (`.url`, `.stop()`)."""
    server = DevServer(
        config, host=host, port=port, watch=watch, quiet=quiet, debounce=debounce, timeout=timeout
    )
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


def run_server(
    config: Config, host: str = "127.0.0.1", port: int = 8000, watch: bool = False, open_browser: bool = False
) -> int:
    """Run `diptyque serve` until Ctrl-C; return the exit code."""
    if host not in LOOPBACK:
        print(
            f"warning: serving on {host}: other machines on the network can see this site, drafts included",
            file=sys.stderr,
        )
    try:
        server = DevServer(config, host=host, port=port, watch=watch)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            print(f"error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
            return 1
        other = free_port(host, port + 1)
        print(
            f"error: port {port} is already in use; try {f'--port {other}' if other else 'another port'} "
            "(or --port 0 for any free port)",
            file=sys.stderr,
        )
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
        watching = f" · watching {', '.join(f'{name}/' for name in WATCHED)} and config.toml" if watch else ""
        print(f"serving {server.url}{watching} · Ctrl-C to stop", flush=True)
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
