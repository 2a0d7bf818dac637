"""Fixture sites built into tmp_path, and helpers to read what they produce."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from builder.config import load

REPO = Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "fixtures" / "sites"
TODAY = date(2026, 11, 21)
CHROMIUM = Path("/usr/bin/chromium")  # Debian's, which `make test` installs
ARGS = [  # headless, and none of the background requests this machine's closed network refuses
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Site:
    """A fixture site copied into a temporary folder, with the repository's theme."""

    def __init__(self, root: Path):
        self.root = root

    @property
    def output(self) -> Path:
        return self.root / "output"

    def config(self, **options):
        return load(self.root).with_options(today=TODAY, **options)

    def build(self, **options):
        use_cache = options.pop("use_cache", True)
        return build(self.config(**options), use_cache=use_cache)

    def html(self, url: str) -> BeautifulSoup:
        """Parse the page that serves a site-relative URL."""
        path = self.output / url.lstrip("/")
        if url.endswith("/"):
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def file(self, url: str) -> Path:
        path = self.output / url.lstrip("/")
        return path / "index.html" if url.endswith("/") else path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def snapshot(self) -> dict[str, bytes]:
        """Every output file and its bytes."""
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }


THEME = REPO / "builder" / "themes" / "default"


def copy_site(name: str, into: Path) -> Site:
    """Copy fixture site `name` into `into`, with a copy of the default theme as its themes/default (which
    the tests may edit; it stands in for the packaged one)."""
    root = into / name
    shutil.copytree(SITES / name, root)
    if not (root / "themes").exists():
        shutil.copytree(THEME, root / "themes" / "default")
    return Site(root)


@pytest.fixture
def site(tmp_path) -> Site:
    """The basic bilingual fixture site, not yet built."""
    return copy_site("basic", tmp_path)


@pytest.fixture
def built(site) -> Site:
    """The basic fixture site, built."""
    site.build()
    return site


@pytest.fixture(scope="module")
def browser():
    """A headless Debian Chromium driven by Playwright, shared by a module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A plain static file handler that keeps its request log to itself."""

    def log_message(self, format, *args):
        """Print nothing."""


@contextmanager
def static_server(folder: Path):
    """Serve `folder` as any static host would, on a free port of 127.0.0.1; yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
