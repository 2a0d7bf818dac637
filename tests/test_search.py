"""Search: a Pagefind bundle per language made from the rendered articles, the search page driven in
Chromium (query, accents, other language, tag filter, ?q=, keyboard), `search: false`, `search = false`,
the dev server after an edit, and an indexer that is missing or fails."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import CHROMIUM, SITES, THEME, TODAY, Site, static_server

from builder.config import load
from builder.errors import BuildFailed

TIMEOUT = 20_000  # milliseconds Playwright waits for each expectation

# key.lang -> (title, date, tags, body, extra front matter)
POSTS = {
    "marques.fr": (
        "Le métavers des marques",
        "2024-03-12",
        ["metaverse", "marketing"],
        "Les marques entrent dans le métavers à pas comptés. Un métavers n’est pas un jeu : "
        "le métavers demande une stratégie, et chaque métavers a ses règles.",
        "",
    ),
    "ecole.fr": (
        "L’école face au numérique",
        "2023-05-02",
        ["ai"],
        "L’intelligence artificielle arrive en classe. On parle aussi du métavers, une fois.",
        "",
    ),
    "cache.fr": (
        "Un métavers caché",
        "2022-01-10",
        ["metaverse"],
        "Ce texte sur le métavers ne doit pas sortir dans la recherche.",
        "search: false\n",
    ),
    "relation.fr": (
        "La relation client",
        "2021-07-01",
        ["customer-relationship"],
        "Le client attend une relation simple et humaine.",
        "",
    ),
    "marques.en": (
        "Brands in the metaverse",
        "2024-03-12",
        ["metaverse", "marketing"],
        "Brands are entering the metaverse with care. A metaverse is not a game: the metaverse "
        "needs a strategy, and each metaverse has its rules.",
        "",
    ),
    "ecole.en": (
        "School and the digital age",
        "2023-05-02",
        ["ai"],
        "Artificial intelligence comes to class. The metaverse is mentioned, once.",
        "",
    ),
    "relation.en": (
        "Customer relationship",
        "2021-07-01",
        ["customer-relationship"],
        "Customers expect a simple and human relationship.",
        "",
    ),
}
FRENCH = {"/fr/2024/le-metavers-des-marques/", "/fr/2023/l-ecole-face-au-numerique/"}
ENGLISH = {"/en/2024/brands-in-the-metaverse/", "/en/2023/school-and-the-digital-age/"}
HIDDEN = "/fr/2022/un-metavers-cache/"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Chromium at /usr/bin/chromium (Debian package 'chromium'; `make test` installs it)",
)


def make_site(root: Path) -> Site:
    """A small bilingual site: the basic fixture's settings, tags and pages, and the posts above."""
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns("posts"))
    shutil.copytree(THEME, root / "themes" / "default")
    posts = root / "content" / "posts"
    posts.mkdir()
    for name, (title, date, tags, body, extra) in POSTS.items():
        front = f'---\ntitle: "{title}"\ndate: {date}\ntags: [{", ".join(tags)}]\n{extra}---\n'
        (posts / f"{name}.md").write_text(f"{front}\n{body}\n", encoding="utf-8")
    return Site(root)


def fragments(output: Path, lang: str) -> list[dict]:
    """The pages a language's bundle holds, as Pagefind stored them (url, content, meta, filters)."""
    found = []
    for path in sorted((output / "pagefind" / lang / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd") :]))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    site = make_site(tmp_path_factory.mktemp("search") / "site")
    site.build()
    return site


# The index -----------------------------------------------------------------------------------------------


def test_one_bundle_per_language_with_only_articles_and_pages(built):
    for lang, other in (("fr", "en"), ("en", "fr")):
        entry = json.loads((built.output / "pagefind" / lang / "pagefind-entry.json").read_text())
        assert set(entry["languages"]) == {lang}
        assert (built.output / "pagefind" / lang / "pagefind.js").is_file()
        assert not list((built.output / "pagefind" / lang).glob("pagefind-ui*"))  # the theme has its own UI
        urls = {f["url"] for f in fragments(built.output, lang)}
        assert urls == (
            FRENCH | {"/fr/2021/la-relation-client/", "/fr/a-propos/"}
            if lang == "fr"
            else ENGLISH | {"/en/2021/customer-relationship/", "/en/about/"}
        )
        assert not any(url.startswith(f"/{other}/") for url in urls)


def test_only_title_and_text_are_indexed_with_tags_and_date_apart(built):
    page = next(f for f in fragments(built.output, "fr") if f["url"] == "/fr/2024/le-metavers-des-marques/")
    assert page["meta"]["title"] == "Le métavers des marques"
    assert page["content"].startswith("Le métavers des marques. ")  # the title, then the text
    assert "Les marques entrent dans le métavers à pas comptés." in page["content"]
    assert "min" not in page["content"] and "Marketing" not in page["content"]  # the meta line is not text
    assert sorted(page["filters"]["tag"]) == ["marketing", "metaverse"]
    assert page["meta"]["lang"] == "fr"
    assert page["meta"]["iso"] == "2024-03-12" and page["meta"]["date"] == built.html(page["url"]).time.text


def test_a_page_with_search_false_is_left_out(built):
    assert built.file(HIDDEN).is_file()  # still published
    assert HIDDEN not in {f["url"] for f in fragments(built.output, "fr")}


def test_search_pages_and_the_header_entry(built):
    assert built.html("/en/").select_one("a.search-link")["href"] == "/en/search/"
    page = built.html("/fr/recherche/")
    assert page.select_one("a.search-link")["aria-current"] == "page"
    root = page.select_one(".search")
    assert root["data-bundle"] == "/pagefind/fr/" and root["data-lang"] == "fr"
    strings = json.loads(root["data-strings"])
    assert strings["query_other"] == "{count} résultats pour «\xa0{query}\xa0»"
    assert json.loads(root["data-tags"])["ai"]["url"].startswith("/fr/etiquettes/")
    assert page.select_one(".search-nojs a[href='/fr/etiquettes/']")
    assert page.select_one(".search-form[hidden]")  # shown by the script
    assert "https://diptyque.example/fr/recherche/" in (built.output / "sitemap.xml").read_text()


def test_search_false_in_config_builds_no_index_and_no_entry(tmp_path):
    site = make_site(tmp_path / "site")
    config = site.root / "config.toml"
    config.write_text("search = false\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    site.build()
    assert not (site.output / "pagefind").exists()
    assert not site.file("/fr/recherche/").exists()
    assert site.html("/fr/").select_one("a.search-link") is None


def test_search_in_front_matter_must_be_true_or_false(tmp_path):
    site = make_site(tmp_path / "site")
    text = '---\ntitle: Oups\ndate: 2024-01-01\nsearch: "non"\n---\n\nTexte.\n'
    site.write("content/posts/oups.fr.md", text)
    with pytest.raises(BuildFailed) as failed:
        site.build()
    errors = failed.value.errors
    assert any(e.path.endswith("oups.fr.md") and e.line == 4 and "search" in e.message for e in errors)


# Rebuilds --------------------------------------------------------------------------------------------------


def test_the_index_is_kept_while_no_indexed_page_changes(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    site.build()
    before = site.snapshot()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))  # running it would fail
    site.build()  # nothing changed: the build stops at once
    site.write(
        "content/posts/brouillon.fr.md",
        "---\ntitle: Brouillon\ndate: 2024-01-01\ndraft: true\n---\n\nmétavers\n",
    )
    site.build()  # a draft is no page: every indexed page is unchanged, so its bundle is kept
    assert site.snapshot() == before
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    post = site.root / "content" / "posts" / "relation.fr.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nUn mot nouveau : zorglub.\n", encoding="utf-8")
    result = site.build()
    assert any("zorglub" in f["content"] for f in fragments(site.output, "fr"))
    assert not any(path.startswith("pagefind/en/") for path in result.written)  # English not indexed again


def test_a_deferred_index_is_updated_by_the_next_build_as_a_cold_build_would(tmp_path):
    """The dev server serves the pages first: its build leaves the bundle as it was, says the index is
    still to do, and does not let the next build stop at once; that build leaves the site a cold one gives."""
    from builder.build import build

    site = make_site(tmp_path / "site")
    site.build()
    old = {k: v for k, v in site.snapshot().items() if k.startswith("pagefind/")}
    post = site.root / "content" / "posts" / "relation.fr.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nUn mot nouveau : zorglub.\n", encoding="utf-8")
    deferred = build(site.config(), defer_search=True)
    assert deferred.search_pending and deferred.written
    assert {k: v for k, v in site.snapshot().items() if k.startswith("pagefind/")} == old
    assert not any("zorglub" in f["content"] for f in fragments(site.output, "fr"))
    following = site.build()
    assert not following.search_pending and any(p.startswith("pagefind/fr/") for p in following.written)
    assert any("zorglub" in f["content"] for f in fragments(site.output, "fr"))
    incremental = site.snapshot()
    shutil.rmtree(site.output)
    shutil.rmtree(site.root / ".diptyque")
    site.build()
    assert site.snapshot() == incremental
    assert not build(site.config(), defer_search=True).search_pending  # nothing left to index


@pytest.mark.parametrize("binary", ["missing", "failing", "failing-later"])
def test_a_missing_or_failing_indexer_is_an_error_with_the_fix_and_output_unchanged(
    tmp_path, monkeypatch, binary
):
    site = make_site(tmp_path / "site")
    site.build()
    post = site.root / "content" / "posts" / "relation.fr.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    before = site.snapshot()
    program = tmp_path / "pagefind"
    if binary != "missing":
        later = 'if [ "$1" = "--version" ]; then echo "pagefind 1.5.2"; exit 0; fi\n'  # fails once serving
        later = later if binary == "failing-later" else ""
        program.write_text(f"#!/bin/sh\n{later}echo 'cannot start' >&2\nexit 3\n", encoding="utf-8")
        program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    with pytest.raises(BuildFailed) as failed:
        site.build()
    [error] = failed.value.errors
    assert error.path == "config.toml" and "search index cannot be built" in error.message
    assert "make build" in error.hint and "search = false" in error.hint
    assert {"missing": "not installed", "failing": "cannot start"}.get(
        binary, "Pagefind process stopped"
    ) in error.message
    assert site.snapshot() == before
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    site.build()  # once reinstalled, the same build goes through
    assert any("Une phrase de plus" in f["content"] for f in fragments(site.output, "fr"))


# In Chromium ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(built):
    """The built site over HTTP on a free local port."""
    with static_server(built.output) as base:
        yield base


@pytest.fixture
def tab(browser, served):
    """A new page; requests to any other host than the local server fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(served)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        yield page
    finally:
        context.close()
        assert not outside, f"requests outside the site: {outside}"


def results(page) -> list[str]:
    """The result links shown, in order (paths)."""
    return [link.get_attribute("href") for link in page.locator(".search-title a").all()]


def search(page, served: str, path: str, query: str, count: int) -> list[str]:
    """Open a search page, type a query, wait for `count` results; return their paths."""
    from playwright.sync_api import expect

    page.goto(served + path)
    field = page.get_by_role("searchbox")
    expect(field).to_be_visible()
    field.fill(query)
    expect(page.locator(".search-result")).to_have_count(count)
    return results(page)


@pytest.mark.browser
@needs_chromium
def test_french_search_finds_french_articles_most_relevant_first_with_or_without_accents(tab, served):
    from playwright.sync_api import expect

    found = search(tab, served, "/fr/recherche/", "métavers", 2)
    assert set(found) == FRENCH
    assert found[0] == "/fr/2024/le-metavers-des-marques/"  # in the title, and four times in the text
    assert HIDDEN not in found and all(url.startswith("/fr/") for url in found)
    expect(tab.locator("#search-status")).to_have_text("2 résultats pour «\xa0métavers\xa0»")
    first = tab.locator(".search-result").first
    expect(first.locator("mark").first).to_have_text("métavers")
    expect(first.locator("time")).to_have_attribute("datetime", "2024-03-12")
    expect(first.locator(".tag")).to_have_count(2)
    tab.get_by_role("searchbox").fill("metavers")
    expect(tab.locator("#search-status")).to_contain_text("«\xa0metavers\xa0»")
    assert set(results(tab)) == set(found)


@pytest.mark.browser
@needs_chromium
def test_english_search_then_the_other_language_too(tab, served):
    from playwright.sync_api import expect

    found = search(tab, served, "/en/search/", "metaverse", 2)
    assert set(found) == ENGLISH
    assert all(url.startswith("/en/") for url in found) and found[0] == "/en/2024/brands-in-the-metaverse/"
    tab.get_by_label("Also search the articles in French").check()
    expect(tab.locator(".search-result")).to_have_count(4)
    assert set(results(tab)) == ENGLISH | FRENCH
    expect(tab.locator(".search-result[lang=fr]")).to_have_count(2)
    assert "also=fr" in tab.url
    tab.get_by_label("Also search the articles in French").uncheck()
    expect(tab.locator(".search-result")).to_have_count(2)
    assert set(results(tab)) == ENGLISH and "also=fr" not in tab.url


@pytest.mark.browser
@needs_chromium
def test_tag_filter_sort_and_query_in_the_address(tab, served):
    from playwright.sync_api import expect

    tab.goto(served + "/fr/recherche/?q=" + quote("métavers"))
    expect(tab.locator(".search-result")).to_have_count(2)
    expect(tab.get_by_role("searchbox")).to_have_value("métavers")
    tab.get_by_label("Étiquette").select_option("ai")
    expect(tab.locator(".search-result")).to_have_count(1)
    assert results(tab) == ["/fr/2023/l-ecole-face-au-numerique/"]
    assert "tag=ai" in tab.url
    tab.get_by_label("Étiquette").select_option("")
    tab.get_by_label("Trier par").select_option("date")
    expect(tab.locator(".search-result")).to_have_count(2)
    assert results(tab) == ["/fr/2024/le-metavers-des-marques/", "/fr/2023/l-ecole-face-au-numerique/"]
    tab.get_by_role("searchbox").fill("relation")
    expect(tab.locator(".search-result")).to_have_count(1)
    tab.get_by_role("searchbox").fill("")
    tab.get_by_label("Étiquette").select_option("metaverse")  # a tag alone lists its articles
    expect(tab.locator(".search-result")).to_have_count(1)
    assert results(tab) == ["/fr/2024/le-metavers-des-marques/"]


@pytest.mark.browser
@needs_chromium
def test_keyboard_only(tab, served):
    from playwright.sync_api import expect

    tab.goto(served + "/fr/recherche/?q=" + quote("métavers"))
    expect(tab.locator(".search-result")).to_have_count(2)
    links = tab.locator(".search-title a")
    field = tab.get_by_role("searchbox")
    field.focus()
    tab.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    tab.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    tab.keyboard.press("ArrowDown")  # the last stays focused
    expect(links.nth(1)).to_be_focused()
    tab.keyboard.press("Home")
    expect(links.nth(0)).to_be_focused()
    tab.keyboard.press("End")
    expect(links.nth(1)).to_be_focused()
    tab.keyboard.press("Home")
    tab.keyboard.press("ArrowUp")
    expect(field).to_be_focused()
    tab.keyboard.press("Escape")
    expect(field).to_have_value("")
    expect(tab.locator(".search-result")).to_have_count(0)
    field.type("marques")
    tab.keyboard.press("Enter")
    expect(tab.locator(".search-result")).to_have_count(1)
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    tab.wait_for_url(served + "/fr/2024/le-metavers-des-marques/")


@pytest.mark.browser
@needs_chromium
def test_without_javascript_the_page_says_so_and_links_elsewhere(browser, served):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served + "/en/search/")
        expect(page.locator(".search-nojs")).to_contain_text("Search needs JavaScript")
        expect(page.locator(".search-nojs a[href='/en/tags/']")).to_be_visible()
        expect(page.locator(".search-nojs a[href='/en/archives/']")).to_be_visible()
        expect(page.get_by_role("searchbox")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.browser
@needs_chromium
def test_screenshots_desktop_and_phone_light_and_dark(browser, served, tmp_path_factory):
    """Screenshots of the search page with results, to look at (under pytest's base temporary folder)."""
    from playwright.sync_api import expect

    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    for path, query in (("/fr/recherche/", "métavers"), ("/en/search/", "metaverse")):
        for width, height, name in ((1280, 900, "desktop"), (390, 844, "phone")):
            for scheme in ("light", "dark"):
                size = {"width": width, "height": height}
                context = browser.new_context(viewport=size, color_scheme=scheme)
                try:
                    page = context.new_page()
                    page.goto(f"{served}{path}?q={quote(query)}")
                    expect(page.locator(".search-result")).to_have_count(2, timeout=TIMEOUT)
                    page.screenshot(path=str(shots / f"search-{path.split('/')[1]}-{name}-{scheme}.png"))
                finally:
                    context.close()


@pytest.mark.browser
@needs_chromium
def test_the_dev_server_answers_a_search_for_a_word_added_after_the_save(tmp_path, browser):
    from playwright.sync_api import expect

    from builder.serve import start_server

    site = make_site(tmp_path / "site")
    server = start_server(load(site.root).with_options(today=TODAY), port=0, watch=True)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url + "fr/recherche/?q=zorglub")
        expect(page.locator("#search-status")).to_contain_text("Aucun article")
        post = site.root / "content" / "posts" / "relation.fr.md"
        post.write_text(post.read_text(encoding="utf-8") + "\nUn mot nouveau : zorglub.\n", encoding="utf-8")
        for _ in range(60):  # the page reloads after the rebuild; reload it too, until the word is found
            try:
                expect(page.locator(".search-result")).to_have_count(1, timeout=1_000)
                break
            except AssertionError:
                page.reload()
        expect(page.locator(".search-result")).to_have_count(1)
        assert results(page) == ["/fr/2021/la-relation-client/"]
    finally:
        context.close()
        server.stop()
