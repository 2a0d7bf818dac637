"""The dev server: path safety, live reload, error overlay, watching, over real HTTP on a free port."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, copy_site

from builder.errors import BuildError
from builder.livereload import EVENTS_PATH, OVERLAY_ID, Hub, context_lines, inject, output_url, overlay_html
from builder.serve import content_type, locate, run_server, serve_folder, start_server, url_path
from builder.watch import Debounce, changed_paths, relevant, summary

POST = "content/posts/bonjour.fr.md"
POST_URL = "/fr/2024/ia-une-ambition/"
TEMPLATE = "themes/default/templates/post.html"
MARK = "__diptyque"  # every trace of the dev server's additions carries this
SHOWN = f'id="{OVERLAY_ID}"'  # the overlay element itself, not the script naming it


PATIENCE = 60.0  # seconds any wait may last: a loaded machine is slow, and each wait returns once done


def wait_until(predicate, timeout: float = PATIENCE, what: str = "condition"):
    """Poll `predicate` until it returns a truthy value (returned at once); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def request(url: str, path: str, method: str = "GET") -> tuple[int, dict, str]:
    """Send one raw request (the path as is, no normalisation); return status, headers and body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=PATIENCE)
    try:
        connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def save(path: Path, text: str) -> None:
    """Save a file in one step, as many editors do: write a hidden temporary file, rename it over the old."""
    temp = path.with_name(f".{path.name}.tmp-save")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


class Events:
    """An open Server-Sent Events stream, read in a thread into a list of (event, data)."""

    def __init__(self, url: str, version: int | None = None):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=PATIENCE * 2)
        self.connection.request("GET", EVENTS_PATH + (f"?v={version}" if version is not None else ""))
        self.sock = self.connection.sock  # the response keeps it open after the connection object lets go
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type").startswith("text/event-stream")
        self.received: list[tuple[str, dict]] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        event = None
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event:
                    self.received.append((event, json.loads(line[6:])))
                    event = None
        except (OSError, ValueError):
            pass

    def wait(self, event: str, start: int = 0, where=lambda data: True) -> dict:
        """Wait for an event of this type (whose data satisfies `where`) among those received from `start`."""

        def found():
            return next((d for e, d in self.received[start:] if e == event and where(d)), None)

        return wait_until(found, what=f"a '{event}' event")

    def close(self):
        """Hang up, as a page does when it is closed."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed by the server
        self.connection.close()
        self.thread.join(timeout=PATIENCE)
        self.response.close()


@pytest.fixture
def dev(tmp_path):
    """A dev server with watching on a fresh copy of the basic site."""
    site = copy_site("basic", tmp_path)
    server = start_server(site.config(), port=0, watch=True)
    yield site, server
    server.stop()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One dev server, not watching, for the tests that only read."""
    site = copy_site("basic", tmp_path_factory.mktemp("shared"))
    server = start_server(site.config(), port=0, watch=False)
    yield site, server
    server.stop()


# Pure parts


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("/", ""),
        ("/fr/", "fr/"),
        ("/fr/a%20b/?q=1#x", "fr/a b/"),
        ("/static/style.css", "static/style.css"),
        ("/../etc/passwd", None),
        ("/%2e%2e/etc/passwd", None),
        ("/fr/..%2f..%2fetc", None),
        ("/./x", None),
        ("//etc/passwd", None),
        ("/a\\..\\b", None),
        ("/a%00b", None),
        ("etc/passwd", None),
    ],
)
def test_url_path_refuses_traversal(raw, expected):
    assert url_path(raw) == expected


def test_locate_files_folders_404_and_symlinks(tmp_path):
    folder = tmp_path / "site"
    (folder / "fr" / "a").mkdir(parents=True)
    (folder / "fr" / "a" / "index.html").write_text("a")
    (folder / "fr" / "404.html").write_text("fr 404")
    (folder / "404.html").write_text("404")
    (tmp_path / "secret.txt").write_text("secret")
    (folder / "out").symlink_to(tmp_path)
    (folder / "leak.txt").symlink_to(tmp_path / "secret.txt")
    assert locate(folder, "fr/a/", ("fr", "en")) == (HTTPStatus.OK, (folder / "fr/a/index.html").resolve())
    assert locate(folder, "fr/a", ("fr", "en"))[0] == HTTPStatus.MOVED_PERMANENTLY
    assert locate(folder, "fr/nope/", ("fr", "en")) == (
        HTTPStatus.NOT_FOUND,
        folder.resolve() / "fr/404.html",
    )
    assert locate(folder, "en/nope/", ("fr", "en")) == (HTTPStatus.NOT_FOUND, folder.resolve() / "404.html")
    assert locate(folder, "out/secret.txt")[0] == HTTPStatus.FORBIDDEN
    assert locate(folder, "leak.txt")[0] == HTTPStatus.FORBIDDEN


def test_content_types_are_utf8_for_text():
    assert content_type(Path("a.html")) == "text/html; charset=utf-8"
    assert content_type(Path("atom.xml")) == "application/xml; charset=utf-8"
    assert content_type(Path("style.css")) == "text/css; charset=utf-8"
    assert content_type(Path("app.js")) == "text/javascript; charset=utf-8"
    assert content_type(Path("photo.png")) == "image/png"


def test_inject_goes_before_the_last_body_end():
    assert inject(b"<body>x</body></html>", "<s>") == b"<body>x<s></body></html>"
    assert inject(b"<BODY>x</BODY>", "<s>") == b"<BODY>x<s></BODY>"
    assert inject(b"fragment", "<s>") == b"fragment<s>"


def test_context_lines_around_the_error():
    text = "\n".join(f"line {n}" for n in range(1, 11))
    expected = [
        (3, "line 3", False),
        (4, "line 4", False),
        (5, "line 5", True),
        (6, "line 6", False),
        (7, "line 7", False),
    ]
    assert context_lines(text, 5, radius=2) == expected
    assert context_lines(text, 1, radius=2)[0] == (1, "line 1", True)
    assert context_lines(text, None) == [] and context_lines(text, 99) == []


def test_overlay_names_file_line_message_hint_and_context_escaped():
    errors = [
        BuildError("themes/t/post.html", 2, "template syntax error: <unexpected '}'>", "close the tag"),
        BuildError("config.toml", None, "unknown key 'titel'", "did you mean 'title'?", kind="config"),
    ]
    page = overlay_html(errors, {"themes/t/post.html": "{% extends 'base.html' %}\n{% if %}<b>\nend"})
    assert f'id="{OVERLAY_ID}"' in page and "2 problems" in page
    assert "themes/t/post.html:2" in page and "&lt;unexpected &#x27;}&#x27;&gt;" in page
    assert "hint: close the tag" in page and "{% if %}&lt;b&gt;" in page and "<b>" not in page
    assert "config.toml · config" in page and "did you mean &#x27;title&#x27;?" in page


def test_output_urls():
    assert output_url("fr/2024/a/index.html") == "/fr/2024/a/"
    assert output_url("index.html") == "/"
    assert output_url("fr/atom.xml") == "/fr/atom.xml"


@pytest.mark.parametrize(
    "rel, expected",
    [
        ("content/posts/a.fr.md", True),
        ("themes/default/templates/post.html", True),
        ("config.toml", True),
        ("themes/default/locales/fr/LC_MESSAGES/messages.po", True),
        ("themes/default/static/style.css", True),
        ("content/posts/.a.fr.md.swp", False),
        ("content/posts/a.fr.md~", False),
        ("content/posts/.#a.fr.md", False),
        ("content/posts/4913", False),
        ("content/posts/.tmp-x1y2", False),
        ("content/posts/a.fr.md.tmp", False),
        ("content/posts/#a.fr.md#", False),
        ("content/.git/index", False),
        ("output/fr/index.html", False),
        (".diptyque/state.json", False),
        ("README.md", False),
        ("config.toml.swp", False),
    ],
)
def test_relevant_paths_skip_editor_droppings(rel, expected):
    assert relevant(rel) is expected


def test_changed_paths_of_an_atomic_rename(tmp_path):
    moved = changed_paths(
        tmp_path,
        "moved",
        [str(tmp_path / "content/posts/.a.md.swp"), str(tmp_path / "content/posts/a.fr.md")],
    )
    assert moved == {"content/posts/a.fr.md"}
    assert changed_paths(tmp_path, "opened", [str(tmp_path / "content/posts/a.fr.md")]) == set()
    assert changed_paths(tmp_path, "modified", [str(tmp_path / "content/posts")], is_directory=True) == set()
    deleted = changed_paths(tmp_path, "deleted", [str(tmp_path / "content/old")], is_directory=True)
    assert deleted == {"content/old/"}


def test_debounce_makes_a_burst_one_batch():
    debounce = Debounce(quiet=0.1, limit=1.0, settled=0.02)
    assert debounce.wait_time(0.0) is None
    for at, name in [(0.0, "a"), (0.03, "b"), (0.06, "a")]:
        debounce.add([name], at)
    assert debounce.wait_time(0.1) == pytest.approx(0.06)
    assert debounce.wait_time(0.16) == 0
    assert debounce.take() == {"a", "b"} and debounce.wait_time(0.2) is None


def test_debounce_is_short_once_every_save_is_complete():
    debounce = Debounce(quiet=0.1, limit=1.0, settled=0.02)
    debounce.add(["a"], 0.0)  # modified: more writes may follow
    debounce.add(["b"], 0.001)
    debounce.add(["a"], 0.002, complete=True)  # closed after writing
    assert debounce.wait_time(0.01) == pytest.approx(0.092)  # "b" is still being written
    debounce.add(["b"], 0.005, complete=True)
    assert debounce.wait_time(0.01) == pytest.approx(0.015)
    assert debounce.wait_time(0.03) == 0 and debounce.take() == {"a", "b"}


def test_debounce_releases_a_never_ending_burst_at_the_limit():
    debounce = Debounce(quiet=0.1, limit=1.0)
    for step in range(30):
        debounce.add(["a"], step * 0.05)
    assert debounce.wait_time(1.0) == 0


def test_hub_catches_up_a_page_older_than_the_site():
    hub = Hub()
    hub.succeeded(changed=True, removed=["fr/old/index.html"])
    stream = hub.subscribe(seen_version=1)
    assert stream.get_nowait() == ("reload", {"version": 2, "removed": []})
    hub.failed("<div>boom</div>")
    assert stream.get_nowait() == ("failed", {"html": "<div>boom</div>"})
    assert hub.succeeded(changed=False) is True  # clearing an error always reloads
    assert hub.succeeded(changed=False) is False  # nothing changed, nothing to reload


def test_summary_line():
    line = summary({"content/posts/a.fr.md"}, 3, 0, 41.6)
    assert line == "content/posts/a.fr.md changed · 3 pages written · 42 ms"
    assert summary({"a", "b"}, 1, 2, 5) == "2 files changed · 1 page written · 2 removed · 5 ms"


# Serving


def test_pages_types_redirects_and_injection(shared):
    _site, server = shared
    status, headers, body = request(server.url, "/fr/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Diptyque</h1>" in body and EVENTS_PATH in body
    assert body.index(EVENTS_PATH) < body.rindex("</body>")
    status, headers, _ = request(server.url, "/fr")
    assert status == 301 and headers["Location"] == "/fr/"
    status, headers, body = request(server.url, "/static/style.css")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8" and MARK not in body
    status, headers, body = request(server.url, "/sitemap.xml")
    assert status == 200 and headers["Content-Type"] == "application/xml; charset=utf-8" and MARK not in body
    status, headers, body = request(server.url, POST_URL, method="HEAD")
    assert status == 200 and body == "" and int(headers["Content-Length"]) > 0


def test_unknown_page_gets_the_sites_404_page(shared):
    _site, server = shared
    status, headers, body = request(server.url, "/fr/nulle-part/")
    assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Page introuvable" in body and EVENTS_PATH in body
    status, _, body = request(server.url, "/no/such/file.css")
    assert status == 404 and "Page introuvable" in body  # the default language's, at the root


@pytest.mark.parametrize(
    "path",
    [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/fr/..%2f..%2fconfig.toml",
        "/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "//etc/passwd",
        "/..\\config.toml",
    ],
)
def test_traversal_is_refused(shared, path):
    _site, server = shared
    status, _, body = request(server.url, path)
    assert status in (400, 403, 404)
    assert "base_url" not in body and "root:" not in body


def test_symlink_leading_outside_is_refused(shared):
    site, server = shared
    link = serve_folder(site.root) / "escape"
    link.symlink_to(site.root)
    try:
        status, _, body = request(server.url, "/escape/config.toml")
        assert status == 403 and "base_url" not in body
    finally:
        link.unlink()


def test_many_clients_and_clients_that_leave_early(shared):
    _site, server = shared
    parts = urlsplit(server.url)
    for _ in range(10):  # ask for a page and hang up before reading the answer
        with socket.create_connection((parts.hostname, parts.port)) as sock:
            sock.sendall(f"GET {POST_URL} HTTP/1.0\r\n\r\n".encode())
    streams = [Events(server.url) for _ in range(8)]
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda _: request(server.url, POST_URL)[0], range(64)))
    assert statuses == [200] * 64
    for stream in streams:
        stream.close()
    assert request(server.url, "/en/")[0] == 200


def test_injected_script_only_in_served_html_never_in_files(dev):
    site, server = dev
    from builder.build import build

    build(site.config())  # the deploy build, into output/
    for folder in (site.output, serve_folder(site.root)):
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert files and not any(MARK.encode() in p.read_bytes() for p in files), folder
    assert MARK in request(server.url, POST_URL)[2]


# Watching


def test_edit_changes_the_served_page_and_reloads(dev):
    site, server = dev
    events = Events(server.url)
    path = site.root / POST
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("une ambition", "un nouveau titre"), encoding="utf-8")
    wait_until(lambda: "un nouveau titre" in request(server.url, POST_URL)[2], what="the new title")
    events.wait("reload")
    events.close()


def test_atomic_rename_save_and_ignored_temp_files(dev):
    site, server = dev
    path = site.root / POST
    temp = path.with_name(".bonjour.fr.md.tmp-4913")
    text = path.read_text(encoding="utf-8")
    temp.write_text(text.replace("une ambition", "sauvé par renommage"), encoding="utf-8")
    os.replace(temp, path)
    wait_until(lambda: "sauvé par renommage" in request(server.url, POST_URL)[2], what="the renamed-in save")


def test_deleted_post_page_is_gone_and_new_post_appears(dev):
    site, server = dev
    events = Events(server.url)
    (site.root / POST).unlink()
    wait_until(lambda: request(server.url, POST_URL)[0] == 404, what="the deleted page to go")
    events.wait("reload", where=lambda data: POST_URL in data["removed"])
    site.write("content/posts/nouveau.fr.md", "---\ntitle: Tout nouveau\ndate: 2025-01-02\n---\n\nBonjour.\n")
    wait_until(lambda: request(server.url, "/fr/2025/tout-nouveau/")[0] == 200, what="the new page")
    events.close()


def test_template_error_shows_overlay_then_fix_clears_it(dev):
    site, server = dev
    events = Events(server.url)
    template = site.root / TEMPLATE
    good = template.read_text(encoding="utf-8")
    save(template, good.replace("{% block main %}", "{% block main %}\n{% if %}", 1))
    overlay = events.wait("failed")["html"]
    assert TEMPLATE in overlay and "template syntax error" in overlay and "{% if %}" in overlay
    status, _, body = request(server.url, POST_URL)
    assert status == 200 and SHOWN in body and "<article" in body  # the last good page, under the overlay
    count = len(events.received)
    save(template, good)
    events.wait("reload", start=count)
    assert SHOWN not in request(server.url, POST_URL)[2]
    events.close()


def test_bad_front_matter_and_config_errors_are_shown_and_cleared(dev):
    site, server = dev
    events = Events(server.url)
    config = site.root / "config.toml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("posts_per_page = 2", "posts_per_pages = 2"), encoding="utf-8")
    overlay = events.wait("failed", where=lambda data: "posts_per_pages" in data["html"])["html"]
    assert "config.toml:4" in overlay and "did you mean" in overlay
    count = len(events.received)
    config.write_text(good.replace("posts_per_page = 2", "posts_per_page = 1"), encoding="utf-8")
    events.wait("reload", start=count)
    wait_until(lambda: request(server.url, "/fr/page/3/")[0] == 200, what="the new pagination")
    count = len(events.received)
    site.write("content/posts/casse.fr.md", "---\ntitle: [unclosed\n---\nx\n")
    overlay = events.wait("failed", start=count, where=lambda data: "casse.fr.md" in data["html"])["html"]
    assert "content/posts/casse.fr.md" in overlay and SHOWN in request(server.url, "/fr/")[2]
    events.close()


def test_a_late_page_is_told_to_reload(dev):
    _site, server = dev
    events = Events(server.url, version=0)
    assert events.wait("reload")["removed"] == []
    events.close()


# The command


def test_port_taken_suggests_another(tmp_path, capsys):
    site = copy_site("basic", tmp_path)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert run_server(site.config(), port=port) == 1
    err = capsys.readouterr().err
    assert f"port {port} is already in use" in err and "--port 0" in err


def _terminal_interrupt() -> None:
    """Ctrl-C with its default action in the server: a suite started from a script's background job
    (`( make test & )`) inherits SIGINT ignored, and Python keeps it so, which no terminal user sees."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_cleanly(tmp_path):
    site = copy_site("basic", tmp_path)
    command = [sys.executable, "-m", "builder", "--root", str(site.root), "serve", "--watch", "--port", "0"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        preexec_fn=_terminal_interrupt,  # as in a terminal, whatever started the test suite
    )
    guard = threading.Timer(PATIENCE, process.kill)  # a server that never says it is serving fails, not hangs
    guard.start()
    try:
        line = ""
        while "serving" not in line:
            line = process.stdout.readline()
            assert line, process.stderr.read()
        guard.cancel()
        url = line.split()[1]
        assert request(url, "/fr/")[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=PATIENCE)
    finally:
        guard.cancel()
        process.kill() if process.poll() is None else None
    assert process.returncode == 0 and "Traceback" not in err and "stopped" in out
    assert not (site.root / "output").exists()  # the deploy folder is never touched
