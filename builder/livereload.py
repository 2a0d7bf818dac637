"""Live reload: the script and error overlay the dev server adds to pages it serves, and the event hub."""

from __future__ import annotations

import html
import json
import queue
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from builder.errors import BuildError

EVENTS_PATH = "/__diptyque/events"  # Server-Sent Events endpoint
OVERLAY_ID = "__diptyque-overlay"
CONTEXT = 3  # lines of source shown before and after the line of an error
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

STYLE = {
    "box": "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;"
    "background:rgba(20,20,24,.94);color:#f4f4f5;font:15px/1.5 system-ui,sans-serif;text-align:left",
    "error": "max-width:60rem;margin:0 auto 1.5rem;padding:1rem 1.25rem;border-left:4px solid #f87171;"
    "background:#27272a;border-radius:4px",
    "where": "font:600 14px/1.4 ui-monospace,monospace;color:#fca5a5",
    "hint": "color:#a7f3d0",
    "code": "margin:.75rem 0 0;padding:.5rem 0;background:#18181b;border-radius:4px;overflow:auto;"
    "font:13px/1.5 ui-monospace,monospace",
    "line": "display:block;padding:0 .75rem;white-space:pre",
    "bad": "display:block;padding:0 .75rem;white-space:pre;background:#7f1d1d;color:#fff",
}


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


def context_lines(text: str, line: int | None, radius: int = CONTEXT) -> list[tuple[int, str, bool]]:
    """Return (number, text, is_the_error_line) for the lines around `line` of a file's text."""
    lines = text.splitlines()
    if not line or line < 1 or line > len(lines):
        return []
    first, last = max(1, line - radius), min(len(lines), line + radius)
    return [(n, lines[n - 1], n == line) for n in range(first, last + 1)]


def read_sources(errors: Iterable[BuildError], root: Path) -> dict[str, str]:
    """Read the text of each file named by an error (inside the project only), for the overlay's context."""
    texts, top = {}, root.resolve()
    for error in errors:
        if not error.line or error.path in texts:
            continue
        path = (top / error.path).resolve()
        if path.is_relative_to(top) and path.is_file():
            try:
                texts[error.path] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                pass
    return texts


def overlay_html(errors: Iterable[BuildError], sources: Mapping[str, str]) -> str:
    """Render the error overlay: each error's file, line, message, hint and source context."""
    errors = list(errors)
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
    parts = [
        (
            f'<div id="{OVERLAY_ID}" role="alertdialog" aria-modal="true" '
            f'aria-labelledby="{OVERLAY_ID}-title" style="{STYLE["box"]}"><h1 id="{OVERLAY_ID}-title" '
            f'style="font-size:1.4rem;max-width:60rem;'
            f'margin:0 auto 1rem">Build failed: {count}</h1><p style="max-width:60rem;margin:0 auto 1.5rem;'
            f'color:#d4d4d8">The last good version of the site is still served. Save a fix and this page '
            f"reloads.</p>"
        )
    ]
    for error in errors:
        where = f"{error.path}:{error.line}" if error.line else error.path
        parts.append(
            f'<section class="diptyque-error" data-kind="{html.escape(error.kind)}" '
            f'style="{STYLE["error"]}">'
            f'<div style="{STYLE["where"]}">{html.escape(where)} · {html.escape(error.kind)}</div>'
            f'<p style="margin:.4rem 0">{html.escape(error.message)}</p>'
        )
        if error.hint:
            parts.append(f'<p style="{STYLE["hint"]};margin:.4rem 0">hint: {html.escape(error.hint)}</p>')
        lines = context_lines(sources.get(error.path, ""), error.line)
        if lines:
            width = len(str(lines[-1][0]))
            rows = "".join(
                f'<span style="{STYLE["bad" if bad else "line"]}">{n:>{width}} │ {html.escape(text)}</span>'
                for n, text, bad in lines
            )
            parts.append(f'<pre style="{STYLE["code"]}"><code>{rows}</code></pre>')
        parts.append("</section>")
    parts.append("</div>")
    return "".join(parts)


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
