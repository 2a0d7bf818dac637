"""Live reload: the script the dev server adds to pages, the hub of build news, the event stream.

A page learns of each build through Server-Sent Events: a reload when the site changed (or moves home when
its own page was removed), the error overlay when a build failed.
"""

from __future__ import annotations

import json
import queue
import re
import threading
from collections.abc import Callable, Iterable
from typing import BinaryIO

from builder.serve.overlay import OVERLAY_ID

EVENTS_PATH = "/__diptyque/events"  # Server-Sent Events endpoint
STREAMS = 32  # open event streams at most; one more is refused (each holds a server thread)
RETRY = 5  # seconds a page waits before asking again for a stream that was refused
CHECK = 1.0  # seconds between checks that the client of a silent stream is still there

SCRIPT = """<script data-diptyque="live-reload">
(function () {
  var version = %(version)d, languages = %(languages)s, id = "%(overlay)s";
  function here() { return decodeURI(location.pathname).replace(/index\\.html$/, ""); }
  function home() {
    var first = here().split("/")[1];
    return languages.indexOf(first) >= 0 ? "/" + first + "/" : "/";
  }
  function listen() {
    var source = new EventSource("%(events)s?v=" + version);
    source.addEventListener("reload", function (event) {
      var data = JSON.parse(event.data);
      if (data.search && !document.querySelector("[data-search-page]")) { return; }  // only search pages
      source.close();
      if (data.removed.indexOf(here()) >= 0) { location.href = home(); } else { location.reload(); }
    });
    source.addEventListener("failed", function (event) {
      var old = document.getElementById(id), box = document.createElement("div");
      box.innerHTML = JSON.parse(event.data).html;
      if (old) { old.replaceWith(box.firstElementChild); }
      else { document.body.appendChild(box.firstElementChild); }
    });
    source.addEventListener("error", function () {  // refused (too many open pages): the browser gives up
      if (source.readyState === EventSource.CLOSED) { setTimeout(listen, %(retry)d); }
    });
  }
  listen();
})();
</script>
"""


def script(version: int, languages: Iterable[str]) -> str:
    """Return the live-reload script for a page served at build `version`."""
    return SCRIPT % {
        "version": version,
        "languages": json.dumps(list(languages)),
        "overlay": OVERLAY_ID,
        "events": EVENTS_PATH,
        "retry": RETRY * 1000,
    }


def inject(page: bytes, snippet: str) -> bytes:
    """Insert `snippet` before the last </body> of an HTML page (or at its end when there is none)."""
    data = snippet.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + data if at < 0 else page[:at] + data + page[at:]


def output_url(rel: str) -> str:
    """Return the URL that serves an output file: 'fr/a/index.html' -> '/fr/a/'."""
    return "/" + re.sub(r"(^|/)index\.html$", r"\1", rel)


class Hub:
    """The dev server's live state: build version, current errors, and one queue per open event stream."""

    def __init__(self, limit: int = STREAMS):
        self.lock = threading.Lock()
        self.version = 1  # bumped by every successful build that changed the site
        self.failure: str | None = None  # overlay HTML while the last build failed
        self.clients: set[queue.Queue] = set()
        self.limit = limit  # open streams at most
        self.closed = False

    def subscribe(self, seen_version: int | None) -> queue.Queue | None:
        """Open a stream (None if `limit` are open): a reload first if the page is old, then any error."""
        stream: queue.Queue = queue.Queue()
        with self.lock:
            if self.closed:
                stream.put(None)
            elif len(self.clients) >= self.limit:
                return None
            if seen_version is not None and seen_version != self.version:
                stream.put(("reload", {"version": self.version, "removed": []}))
            if self.failure is not None:
                stream.put(("failed", {"html": self.failure}))
            self.clients.add(stream)
        return stream

    def unsubscribe(self, stream: queue.Queue) -> None:
        """Forget a stream whose client went away."""
        with self.lock:
            self.clients.discard(stream)

    def succeeded(self, changed: bool, removed: Iterable[str] = ()) -> bool:
        """Record a good build; tell every page to reload when the site changed or an error was cleared."""
        with self.lock:
            if not changed and self.failure is None:
                return False
            self.failure = None
            self.version += 1
            gone = sorted(output_url(r) for r in removed)
            self._send(("reload", {"version": self.version, "removed": gone}))
            return True

    def indexed(self) -> None:
        """Tell the search pages to reload: the search index they read was replaced."""
        with self.lock:
            self._send(("reload", {"version": self.version, "removed": [], "search": True}))

    def failed(self, overlay: str) -> None:
        """Record a failed build and push its overlay to every open page."""
        with self.lock:
            self.failure = overlay
            self._send(("failed", {"html": overlay}))

    def close(self) -> None:
        """End every stream, so their threads return."""
        with self.lock:
            self.closed = True
            self._send(None)
            self.clients.clear()

    def _send(self, message) -> None:
        """Put a message on every open stream (the caller holds the lock)."""
        for stream in self.clients:
            stream.put(message)


def sse(message: tuple[str, dict]) -> bytes:
    """Encode one event in the Server-Sent Events format."""
    event, data = message
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def stream(
    messages: queue.Queue,
    out: BinaryIO,
    heartbeat: float,
    gone: Callable[[], bool] = lambda: False,
    check: float = CHECK,
) -> None:
    """Write the events of a subscribed queue to one client until the hub closes or the client leaves.

    A client that went away is noticed by `gone()`, asked every `check` seconds of silence, or when a write
    raises; a comment every `heartbeat` seconds of silence keeps proxies and browsers from timing out.
    """
    out.write(b"retry: 500\n\n")
    out.flush()
    silent = 0.0
    while True:
        try:
            message = messages.get(timeout=min(check, heartbeat))
        except queue.Empty:
            if gone():
                return
            silent += min(check, heartbeat)
            if silent < heartbeat:
                continue
            out.write(b": ping\n\n")
        else:
            if message is None:
                return
            out.write(sse(message))
        silent = 0.0
        out.flush()
