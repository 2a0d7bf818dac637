"""How connections get threads: a lobby holds the silent ones, a bounded pool answers the rest.

A browser opens connections ahead of need and many clients may be slow or hostile: none of them may cost a
thread until it speaks, and no more than WORKERS threads ever run, event streams included.
"""

from __future__ import annotations

import collections
import queue
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import HTTPServer

TIMEOUT = 10.0  # seconds a connection may stay silent: before its request, or in the middle of it
GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)  # the client went away
WORKERS = 64  # threads answering requests, event streams included (livereload.STREAMS of them at most)
PARKED = 1024  # connections that have not sent a byte yet, held without a thread; beyond, the oldest goes
BACKLOG = 128  # connections the system queues before the server accepts them


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
        """Wake the lobby's thread, to admit arrivals or to close."""
        try:
            self.ring.send(b"\0")
        except OSError:  # a wake-up already pending (the buffer is full), or closed
            pass

    def _run(self) -> None:
        """Hand over connections that speak, admit new ones, drop the silent; until closed."""
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
        """Read the pending wake-up bytes."""
        try:
            while self.bell.recv(4096):
                pass
        except OSError:
            pass

    def _admit(self) -> None:
        """Watch the connections accepted since the last turn; drop the oldest beyond `limit`."""
        while self.arrivals:
            sock, address, deadline = self.arrivals.popleft()
            try:
                self.selector.register(sock, selectors.EVENT_READ)
            except (OSError, ValueError):  # closed meanwhile
                self.drop(sock)
                continue
            self.parked[sock] = (address, deadline)
        while len(self.parked) > self.limit:
            self._evict(next(iter(self.parked)))

    def _expire(self, now: float) -> None:
        """Drop the connections silent past their deadline."""
        for sock, (_, deadline) in list(self.parked.items()):
            if deadline > now:
                break
            self._evict(sock)

    def _release(self, sock: socket.socket):
        """Stop watching a parked connection; return its address."""
        self.selector.unregister(sock)
        return self.parked.pop(sock)[0]

    def _evict(self, sock: socket.socket) -> None:
        """Stop watching a parked connection and close it."""
        self._release(sock)
        self.drop(sock)

    def _shut(self) -> None:
        """Close every connection still waiting, and the lobby's own sockets."""
        for sock in list(self.parked):
            self._evict(sock)
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
        """Run jobs from the queue until told to end (a None job)."""
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


class LobbyServer(HTTPServer):
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
        """Give a connection that spoke to a worker thread."""
        self.workers.submit(lambda: self._answer(request, client_address))

    def _answer(self, request, client_address) -> None:
        """Answer one connection's requests, then close it."""
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
