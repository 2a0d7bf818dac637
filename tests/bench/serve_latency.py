"""Edit-to-reload latency of `diptyque serve --watch`: from saving a Markdown file to the SSE reload event,
and to the new page being served, on the repository's own content and on a synthetic 1,000-article site.

Run: .venv/bin/python tests/bench/serve_latency.py [--runs 7] [--articles 1000] [--real-only]
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, generate  # noqa: E402

from builder.config import load  # noqa: E402
from builder.livereload import EVENTS_PATH  # noqa: E402
from builder.serve import serve_folder, start_server  # noqa: E402


class Stream:
    """Server-Sent Events read in a thread; each event kept with the time it arrived."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
        self.connection.request("GET", EVENTS_PATH)
        self.response = self.connection.getresponse()
        self.events: list[tuple[str, dict, float]] = []
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event = None
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event:
                    with self.arrived:
                        self.events.append((event, json.loads(line[6:]), time.perf_counter()))
                        self.arrived.notify_all()
        except (OSError, ValueError):
            pass

    def next_event(self, after: int, timeout: float = 120.0) -> tuple[str, dict, float]:
        """Wait for the first event received after index `after`."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.events) > after, timeout):
                raise TimeoutError("no event from the dev server")
            return self.events[after]


def fetch(url: str, path: str) -> str:
    """GET one page and return its text."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode("utf-8")
    finally:
        connection.close()


def find_page(folder: Path, marker: str, lang: str) -> str:
    """Return the URL of the article page that shows `marker` (the end of its body appears nowhere else)."""
    pages = sorted(
        (p for p in folder.joinpath(lang).rglob("index.html") if marker in p.read_text("utf-8")),
        key=lambda p: len(p.parts),
    )
    if not pages:
        raise RuntimeError(f"no page shows {marker}")
    return "/" + pages[0].relative_to(folder).as_posix().removesuffix("index.html")


def settle(server, quiet_for: float = 0.3) -> None:
    """Wait until the watcher has nothing pending and no rebuild runs, so runs do not overlap."""
    calm_since = time.monotonic()
    while time.monotonic() - calm_since < quiet_for:
        if server.watcher.debounce.pending or server.site.lock.locked():
            calm_since = time.monotonic()
        time.sleep(0.01)


def measure(root: Path, runs: int) -> dict:
    """Edit one article `runs` times under a watching dev server; return median latencies in ms."""
    start = time.perf_counter()
    server = start_server(load(root), port=0, watch=True, quiet=True)
    first_build = time.perf_counter() - start
    try:
        posts = sorted((root / "content" / "posts").glob("*.fr.md"))
        article = posts[len(posts) // 2]
        original = article.read_text(encoding="utf-8")
        stream, url_path = Stream(server.url), None
        to_event, to_page = [], []
        settle(server)
        for run in range(runs + 1):  # run 0 warms up and finds the page's URL
            marker = f"benchmarkmarker{run}x{time.time_ns()}"
            seen = len(stream.events)
            began = time.perf_counter()
            article.write_text(f"{original.rstrip()}\n\n{marker}\n", encoding="utf-8")
            event, data, arrived = stream.next_event(seen)
            if event != "reload":
                raise RuntimeError(f"expected a reload, got {event}: {data}")
            url_path = url_path or find_page(serve_folder(root), marker, "fr")
            if marker not in fetch(server.url, url_path):
                raise RuntimeError("the reloaded page does not show the edit")
            served = time.perf_counter()
            if run:
                to_event.append((arrived - began) * 1000)
                to_page.append((served - began) * 1000)
            settle(server)
        server.watcher.stop()
        rebuilds = []
        for run in range(runs):  # the build alone, without watcher and debounce
            article.write_text(f"{original.rstrip()}\n\nbuildonly{run}\n", encoding="utf-8")
            began = time.perf_counter()
            server.rebuild({article.name})
            rebuilds.append((time.perf_counter() - began) * 1000)
        article.write_text(original, encoding="utf-8")
    finally:
        server.stop()
    english = len(list((root / "content" / "posts").glob("*.en.md")))
    return {
        "pages": len(list(serve_folder(root).rglob("*.html"))),
        "articles": f"{len(posts)} fr + {english} en",
        "first_build_ms": first_build * 1000,
        "rebuild_ms": statistics.median(rebuilds),
        "to_event_ms": statistics.median(to_event),
        "to_page_ms": statistics.median(to_page),
        "runs": runs,
        "page": url_path,
    }


def real_site(into: Path) -> Path:
    """Copy the repository's own site (content, config, themes) into a temporary folder."""
    root = into / "real"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "themes", root / "themes")
    shutil.copy(REPO / "config.toml", root / "config.toml")
    return root


def report(name: str, result: dict) -> None:
    """Print one corpus's figures."""
    print(
        f"{name}: {result['articles']} article files, {result['pages']} HTML pages; "
        f"first build {result['first_build_ms']:.0f} ms; page edited: {result['page']}"
    )
    print(
        f"  median of {result['runs']} edits: save -> reload event {result['to_event_ms']:.0f} ms · "
        f"save -> new page served {result['to_page_ms']:.0f} ms · "
        f"rebuild alone {result['rebuild_ms']:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure and print the serve latencies."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="edits measured per corpus (default: 7)")
    parser.add_argument(
        "--articles", type=int, default=1000, help="articles of the synthetic site (default: 1000)"
    )
    parser.add_argument("--real-only", action="store_true", help="skip the synthetic site")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="diptyque-bench-") as temp:
        report("real corpus", measure(real_site(Path(temp)), args.runs))
        if not args.real_only:
            root = generate(Path(temp) / "synthetic", args.articles)
            report(f"synthetic site ({args.articles} × fr/en)", measure(root, max(3, args.runs // 2)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
