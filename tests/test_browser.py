"""End to end in headless Chromium: an edit reloads the page, a broken template shows the overlay, a fix
clears it."""

from __future__ import annotations

import pytest
from conftest import ARGS, CHROMIUM, copy_site

from builder.livereload import OVERLAY_ID
from builder.serve import start_server

POST = "content/posts/bonjour.fr.md"
POST_URL = "fr/2024/ia-une-ambition/"
TEMPLATE = "themes/default/templates/post.html"
TIMEOUT = 15_000  # milliseconds Playwright waits for each expectation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Chromium at /usr/bin/chromium (Debian package 'chromium'; `make test` installs it)",
    ),
]


@pytest.fixture
def browser_page(tmp_path):
    """A dev server on a copy of the basic site, and a headless Chromium page."""
    from playwright.sync_api import sync_playwright

    site = copy_site("basic", tmp_path)
    server = start_server(site.config(), port=0, watch=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                page = browser.new_page()
                page.set_default_timeout(TIMEOUT)
                yield site, server, page
            finally:
                browser.close()
    finally:
        server.stop()


def test_edit_reloads_error_overlays_and_fix_recovers(browser_page):
    from playwright.sync_api import expect

    site, server, page = browser_page
    page.goto(server.url + POST_URL)
    heading = page.locator("main h1").first
    expect(heading).to_contain_text("une ambition")

    post = site.root / POST
    post.write_text(
        post.read_text(encoding="utf-8").replace("une ambition", "un titre tout neuf"), encoding="utf-8"
    )
    expect(heading).to_contain_text("un titre tout neuf", timeout=TIMEOUT)

    template = site.root / TEMPLATE
    good = template.read_text(encoding="utf-8")
    template.write_text(
        good.replace("{% block main %}", "{% block main %}\n{{ page.no_such_field }}", 1), encoding="utf-8"
    )
    overlay = page.locator(f"#{OVERLAY_ID}")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text(TEMPLATE)
    expect(overlay).to_contain_text("no_such_field")
    expect(heading).to_contain_text("un titre tout neuf")  # the last good page is still there, under it

    template.write_text(good, encoding="utf-8")
    expect(overlay).to_have_count(0)
    expect(heading).to_contain_text("un titre tout neuf")

    post.unlink()  # the page being viewed is gone: the browser goes to its language's home
    page.wait_for_url(server.url + "fr/", timeout=TIMEOUT)
