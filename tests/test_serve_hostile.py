"""The dev server under hostile and unlucky conditions, over real sockets: foreign Host headers (DNS
rebinding), floods of idle connections and event streams, long request lines, watched folders replaced."""

from __future__ import annotations

import io
import os
import queue
import shutil
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from conftest import copy_site
from test_serve import PATIENCE, POST, POST_URL, TEMPLATE, Events, request, save, wait_until

from builder import livereload
from builder.livereload import EVENTS_PATH, STREAMS, Hub
from builder.serve import MAX_TARGET, WORKERS, Hosts, peer_gone, split_host, start_server

HOME = "<h1>Diptyque</h1>"  # on the French home page, never in a refusal


def exchange(url: str, data: bytes) -> bytes:
    """Send raw bytes on a new connection; return all the server sends until it closes the connection."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def parse(response: bytes) -> tuple[int, dict[str, str], str]:
    """Split a raw HTTP response into status, headers (lower-case names) and body."""
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body.decode("utf-8")


def get(
    url: str, target: str = "/fr/", host: str | None = "", version: str = "HTTP/1.1", extra: str = ""
) -> tuple[int, dict[str, str], str]:
    """GET `target` with this Host header ('' for the server's own, None for none); return the answer."""
    own = urlsplit(url).netloc
    host_line = "" if host is None else f"Host: {host or own}\r\n"
    data = f"GET {target} {version}\r\n{host_line}{extra}Connection: close\r\n\r\n".encode()
    return parse(exchange(url, data))


def stream_status(url: str) -> int:
    """Open an event stream, read only its status, and hang up."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE) as sock:
        sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        return int(sock.makefile("rb").readline().split()[1])


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One dev server, not watching, for the tests that leave it as they found it."""
    site = copy_site("basic", tmp_path_factory.mktemp("hostile"))
    server = start_server(site.config(), port=0, watch=False)
    yield site, server
    server.stop()


@pytest.fixture
def fresh(tmp_path):
    """A dev server of its own, not watching, that drops connections silent for 2 seconds."""
    site = copy_site("basic", tmp_path)
    server = start_server(site.config(), port=0, watch=False, timeout=2.0)
    yield site, server
    server.stop()


@pytest.fixture
def watching(tmp_path):
    """A dev server that watches a fresh copy of the basic site."""
    site = copy_site("basic", tmp_path)
    server = start_server(site.config(), port=0, watch=True)
    yield site, server
    server.stop()


@pytest.fixture
def many_files():
    """Allow this process enough open files for a thousand clients and their server."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    if wanted < 2600:
        pytest.skip(f"the open-file limit ({hard}) is too low for 1,000 clients and their server")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# DNS rebinding: the Host header


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "evil.example",
        "127.0.0.1:{other}",
        "127.0.0.1",
        "localhost:{other}",
        "127.0.0.1.nip.io:{port}",
        "localhost.evil.example:{port}",
        "evil.example@127.0.0.1:{port}",
        "127.0.0.1:{port}@evil.example",
        "127.0.0.1:{port}/x",
        "[::1]",
        "::1:{port}",
        "0.0.0.0:{port}",
        "192.168.1.20:{port}",
    ],
)
def test_foreign_host_is_refused(shared, host):
    _site, server = shared
    port = urlsplit(server.url).port
    other = port + 1 if port < 65535 else 1
    status, headers, body = get(server.url, host=host.format(port=port, other=other))
    assert status == 403 and headers["content-type"] == "text/plain; charset=utf-8"
    assert body.startswith("403 Forbidden") and f"127.0.0.1:{port}" in body and f"localhost:{port}" in body
    assert HOME not in body and "__diptyque" not in body


def test_foreign_host_gets_no_event_stream_and_no_file(shared):
    _site, server = shared
    for target in (EVENTS_PATH, "/static/style.css", "/sitemap.xml", "/fr/nulle-part/"):
        status, headers, body = get(server.url, target, host="evil.example")
        assert status == 403 and headers["content-type"].startswith("text/plain"), target
        assert "event:" not in body and "<" not in body, target


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}"])
def test_own_host_names_are_answered(shared, host):
    _site, server = shared
    status, _, body = get(server.url, host=host.format(port=urlsplit(server.url).port))
    assert status == 200 and HOME in body


def test_missing_or_repeated_host_header(shared):
    _site, server = shared
    status, headers, body = get(server.url, host=None)
    assert status == 400 and "needs a Host header" in body
    assert headers["content-type"].startswith("text/plain")
    status, _, body = get(server.url, host=None, version="HTTP/1.0")  # HTTP/1.0 has no Host: answered
    assert status == 200 and HOME in body
    status, _, body = get(server.url, extra="Host: evil.example\r\n")
    assert status == 400 and "several Host headers" in body and HOME not in body


def test_event_stream_refuses_pages_of_other_sites(shared):
    _site, server = shared
    port = urlsplit(server.url).port
    for origin in ("http://evil.example", f"http://evil.example:{port}", "null", f"https://127.0.0.1:{port}"):
        status, _, body = get(server.url, EVENTS_PATH, extra=f"Origin: {origin}\r\n")
        assert status == 403 and "live reload" in body, origin
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE) as sock:
        sock.sendall(
            f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost:{port}\r\n"
            f"Origin: http://localhost:{port}\r\n\r\n".encode()
        )
        head = sock.makefile("rb").readline()
    assert head.split()[1] == b"200"


def test_ipv6_server_answers_its_own_names_only(tmp_path):
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    server = start_server(copy_site("basic", tmp_path).config(), host="::1", port=0, watch=False)
    try:
        port = urlsplit(server.url).port
        assert server.url == f"http://[::1]:{port}/"
        status, _, body = get(server.url)
        assert status == 200 and HOME in body
        assert get(server.url, host=f"localhost:{port}")[0] == 200
        status, _, body = get(server.url, host=f"evil.example:{port}")
        assert status == 403 and f"[::1]:{port}" in body
    finally:
        server.stop()


def test_hosts_of_other_listening_addresses():
    wildcard = Hosts("0.0.0.0", "0.0.0.0", 8000)  # every interface: any IP address names it, no DNS name does
    assert wildcard.allows("192.168.1.20:8000") and wildcard.allows("[fe80::1]:8000")
    assert wildcard.allows("localhost:8000") and not wildcard.allows("evil.example:8000")
    assert not wildcard.allows("192.168.1.20:8001")
    named = Hosts("devbox.lan", "192.168.1.5", 80)  # port 80 may be left out
    assert named.allows("devbox.lan") and named.allows("DEVBOX.LAN:80") and named.allows("192.168.1.5")
    assert not named.allows("192.168.1.6") and not named.allows("evil.example")
    ipv6 = Hosts("::1", "::1", 8000)
    assert ipv6.allows("[::1]:8000") and not ipv6.allows("::1:8000")
    assert split_host("[::1]:8000") == ("::1", 8000)
    assert split_host("a b") is None and split_host("x:") is None


# Floods


def test_a_thousand_idle_connections_then_a_page_is_served(shared, many_files):
    _site, server = shared
    parts = urlsplit(server.url)
    threads = threading.active_count()
    idle = [socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE) for _ in range(1000)]
    try:
        start = time.monotonic()
        status, _, body = request(server.url, POST_URL)
        served_in = time.monotonic() - start
        assert status == 200 and "<article" in body, served_in
        assert threading.active_count() - threads < WORKERS  # no thread per idle connection
        status, _, body = get(server.url, "/en/")
        assert status == 200 and "<html" in body
    finally:
        for sock in idle:
            sock.close()
    assert request(server.url, "/fr/")[0] == 200


def test_silent_connections_are_closed(fresh):
    _site, server = fresh
    parts = urlsplit(server.url)
    silent = [socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE) for _ in range(20)]
    slow = socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE)
    slow.sendall(f"GET /fr/ HTTP/1.1\r\nHost: {parts.netloc}\r\n".encode())  # and the rest never comes
    try:
        for sock in [*silent, slow]:
            assert sock.recv(65536) == b""  # closed by the server, without an answer
    finally:
        for sock in [*silent, slow]:
            sock.close()
    assert request(server.url, "/fr/")[0] == 200


def test_event_streams_are_capped_and_pages_still_served(fresh):
    _site, server = fresh
    streams = [Events(server.url) for _ in range(STREAMS)]
    try:
        status, headers, body = get(server.url, EVENTS_PATH)
        assert status == 503 and headers["retry-after"] == str(livereload.RETRY)
        assert body.startswith("503 Service Unavailable") and "close some tabs" in body
        assert "text/event-stream" not in headers["content-type"]
        status, _, body = request(server.url, POST_URL)
        assert status == 200 and "<article" in body
        status, _, body = get(server.url, "/static/style.css")
        assert status == 200 and body
        streams.pop().close()  # a page closed: its place is free once the server notices
        assert wait_until(lambda: stream_status(server.url) == 200, what="a free stream")
        server.hub.succeeded(changed=True)  # the streams still open are still told
        for events in streams:
            events.wait("reload")
    finally:
        for events in streams:
            events.close()


def test_hub_refuses_streams_beyond_its_limit():
    hub = Hub(limit=2)
    first, second = hub.subscribe(None), hub.subscribe(None)
    assert first is not None and second is not None and hub.subscribe(None) is None
    hub.unsubscribe(first)
    assert hub.subscribe(None) is not None


def test_stream_ends_when_the_client_is_gone():
    out, left = io.BytesIO(), threading.Event()
    messages: queue.Queue = queue.Queue()
    messages.put(("reload", {"version": 2, "removed": []}))
    worker = threading.Thread(target=livereload.stream, args=(messages, out, 60.0, left.is_set, 0.01))
    worker.start()
    wait_until(lambda: b"event: reload" in out.getvalue(), what="the first event")
    left.set()
    worker.join(timeout=PATIENCE)
    assert not worker.is_alive() and out.getvalue().startswith(b"retry: 500\n\n")


def test_peer_gone_sees_a_closed_connection():
    mine, theirs = socket.socketpair()
    try:
        assert not peer_gone(mine)
        theirs.sendall(b"x")
        assert not peer_gone(mine)  # something to read is not an end
        mine.recv(1)
        theirs.close()
        assert wait_until(lambda: peer_gone(mine), what="the end of the connection")
    finally:
        mine.close()


# Long request lines


def test_long_request_target_gets_414(shared):
    _site, server = shared
    for target in ("/" + "a" * 8000, "/fr/" + "x/" * 4000, f"{EVENTS_PATH}?v=" + "1" * 8000):
        status, headers, body = get(server.url, target)
        assert status == 414 and "414 URI Too Long" in body and str(MAX_TARGET) in body, target[:20]
        assert headers["content-type"].startswith("text/plain")
    status, _, _ = parse(exchange(server.url, b"GET /" + b"b" * 70_000 + b" HTTP/1.1\r\n\r\n"))
    assert status == 414
    assert request(server.url, "/fr/")[0] == 200


def test_long_names_below_the_limit_get_the_404_page(shared, capfd):
    _site, server = shared
    for target in ("/" + "a" * 1000, "/fr/" + "é" * 600 + "/", "/en/" + "b" * 300 + "/index.html"):
        status, _, body = get(server.url, target)
        assert status == 404 and ("Page introuvable" in body or "Page not found" in body), target[:20]
    assert "Traceback" not in capfd.readouterr().err


# Watched folders deleted and created again

THEMED = 'data-site-theme="yes"'  # in the site's copy of post.html, not in the theme shipped in the package


def page(server) -> str:
    """The post's page as served now."""
    return request(server.url, POST_URL)[2]


@pytest.mark.parametrize(
    "folder, file, old, new, again",
    [
        ("content", POST, "une ambition", "titre après recréation", "deuxième titre"),
        ("themes", TEMPLATE, "<article", '<article data-edited="once"', '<article data-edited="twice"'),
    ],
)
def test_folder_deleted_and_created_again_is_watched(watching, tmp_path, folder, file, old, new, again):
    site, server = watching
    path = site.root / file
    template = site.root / TEMPLATE
    save(template, template.read_text(encoding="utf-8").replace("<article", f"<article {THEMED}", 1))
    wait_until(lambda: THEMED in page(server), what="the site's own theme")
    backup = tmp_path / f"backup-{folder}"
    shutil.copytree(site.root / folder, backup)
    shutil.rmtree(site.root / folder)
    if folder == "content":  # no content: an error, the last good site is still served
        wait_until(lambda: server.errors, what="the build to fail without content/")
    else:  # no themes/: the theme shipped in the package
        wait_until(lambda: THEMED not in page(server), what="the packaged theme")
    shutil.copytree(backup, site.root / folder)
    wait_until(lambda: not server.errors and THEMED in page(server), what=f"{folder}/ back")
    edited = path.read_text(encoding="utf-8").replace(old, new, 1)
    save(path, edited)
    wait_until(lambda: new in page(server), what=f"an edit in the re-created {folder}/")
    path.write_text(edited.replace(new, again, 1), encoding="utf-8")  # written in place this time
    wait_until(lambda: again in page(server), what="a second edit")


def test_site_templates_folder_created_then_edited(watching):
    site, server = watching
    theme = (site.root / TEMPLATE).read_text(encoding="utf-8")
    override = site.root / "templates" / "post.html"  # the site's own templates/ overrides the theme's
    override.parent.mkdir()
    save(override, theme.replace("<article", '<article data-override="1"', 1))
    wait_until(lambda: 'data-override="1"' in page(server), what="the new override")
    override.write_text(theme.replace("<article", '<article data-override="2"', 1), encoding="utf-8")
    wait_until(lambda: 'data-override="2"' in page(server), what="an edit of the override")


def test_folder_replaced_by_a_rename_is_watched(watching, tmp_path):
    site, server = watching
    content = site.root / "content"
    staged = site.root / "content-new"
    shutil.copytree(content, staged)
    events = Events(server.url)
    os.rename(content, site.root / "content-old")
    os.rename(staged, content)
    post = content / POST.removeprefix("content/")
    save(post, post.read_text(encoding="utf-8").replace("une ambition", "après le renommage"))
    wait_until(lambda: "après le renommage" in request(server.url, POST_URL)[2], what="an edit after a swap")
    events.wait("reload")
    events.close()
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("après le renommage", "encore"), encoding="utf-8")
    wait_until(lambda: "encore" in request(server.url, POST_URL)[2], what="a second edit after the swap")


def test_a_template_that_never_ends_is_stopped_in_the_dev_server(tmp_path, monkeypatch):
    """`diptyque serve --watch` rebuilds in its main thread, where the page budget stops a template that
    never ends: the error is shown and the server keeps serving, instead of hanging on the rebuild."""
    from builder.config import load
    from builder.serve import DevServer

    monkeypatch.setattr("builder.render.PAGE_BUDGET", 1.0)
    site = copy_site("basic", tmp_path)
    server = DevServer(load(site.root), port=0, watch=True, quiet=True, debounce=0.05)
    assert server.rebuild()
    server.start(rebuild_thread=False)
    endless = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"

    def edit_then_stop():
        try:
            path = site.root / TEMPLATE
            path.write_text(path.read_text(encoding="utf-8") + endless, encoding="utf-8")
            wait_until(lambda: server.errors, what="the rebuild's error")
            status, _, _ = get(server.url, POST_URL)
            assert status == 200  # the last good site is still served
        finally:
            server.stop()

    editor = threading.Thread(target=edit_then_stop)
    editor.start()
    server.watch()  # here, in the test's main thread, as `diptyque serve` does; returns once stopped
    editor.join()
    assert any("ran for more than 1 s" in error.message for error in server.errors), server.errors
