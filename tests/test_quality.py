"""Quality gates over built sites (the real corpus and the basic fixture): the Nu HTML Checker, axe-core in
Chromium, internal links and anchors, feeds and the sitemap, what every page says it is, and printing.

Each gate collects every problem and fails once, naming the page and the message.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from conftest import CHROMIUM, REPO, TODAY, copy_site, static_server

from builder.build import build
from builder.config import load

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Chromium at /usr/bin/chromium (Debian package 'chromium'; `make test` installs it)",
)
needs_axe = pytest.mark.skipif(
    not AXE.exists(), reason="needs node_modules/axe-core (`make test` installs it)"
)


@dataclass
class Built:
    """A site built into a temporary folder, with every HTML page parsed once."""

    name: str
    output: Path
    base_url: str
    site_titles: set[str]
    pages: dict[str, lxml.html.HtmlElement]  # by path relative to the output folder
    page_words: set[str]  # the path word of list pages after the first, in each language ("page")

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path


def _corpus(into: Path) -> Path:
    root = into / "corpus"
    root.mkdir()
    shutil.copy(REPO / "config.toml", root / "config.toml")
    shutil.copytree(REPO / "content", root / "content")
    return root


def _parse_pages(output: Path) -> dict[str, lxml.html.HtmlElement]:
    return {
        p.relative_to(output).as_posix(): lxml.html.fromstring(p.read_bytes())
        for p in sorted(output.rglob("*.html"))
    }


@pytest.fixture(scope="module", params=["corpus", "basic"])
def site(request, tmp_path_factory) -> Built:
    """The real corpus, or the basic fixture site, built into a temporary folder (in this module, in place of
    conftest's unbuilt `site`)."""
    into = tmp_path_factory.mktemp(request.param)
    if request.param == "corpus":
        config = load(_corpus(into))
    else:
        config = copy_site("basic", into).config()
    build(config.with_options(today=TODAY) if request.param == "basic" else config, use_cache=False)
    titles = {language.title for language in config.languages}
    words = {language.paths["page"] for language in config.languages}
    pages = _parse_pages(config.output_dir)
    return Built(request.param, config.output_dir, config.base_url, titles, pages, words)


def fail_with(problems: list[str], what: str) -> None:
    """Fail with every problem found, one a line (the first 60)."""
    if problems:
        more = f"\n  … and {len(problems) - 60} more" if len(problems) > 60 else ""
        shown = "\n  ".join(problems[:60]) + more
        pytest.fail(f"{len(problems)} {what}:\n  {shown}", pytrace=False)


def text(element) -> str:
    """An element's text with its whitespace collapsed (no-break spaces included)."""
    return " ".join(element.text_content().split())


def visible_text(element) -> str:
    """An element's text without what only screen readers get (.visually-hidden)."""
    copy = lxml.html.fromstring(lxml.html.tostring(element))
    for hidden in copy.xpath('.//*[contains(concat(" ", @class, " "), " visually-hidden ")]'):
        hidden.drop_tree()
    return text(copy)


def page_number(site: Built, page: str) -> int | None:
    """The number of a list page after the first, from its path (`…/page/2/index.html`)."""
    found = re.search(r"/([^/]+)/(\d+)/index\.html$", page)
    return int(found.group(2)) if found and found.group(1) in site.page_words else None


def page_kind(document) -> str:
    """The page's kind from its body class (`page-post`…); the language chooser and the pages that send
    an old address to its new one have none (`chooser`, `redirect`)."""
    body = document.find("body")
    found = re.search(r"\bpage-(\w+)", body.get("class", "")) if body is not None else None
    if found:
        return found.group(1)
    return "chooser" if document.xpath("//h1") else "redirect"


# The Nu HTML Checker -------------------------------------------------------------------------------------

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.skipif(
    not shutil.which("java") or not VNU.exists(),
    reason="needs java and node_modules/vnu-jar (`make test` installs both)",
)
def test_nu_html_checker_finds_no_error_and_no_warning(site):
    run = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(VNU), "--format", "json", "--skip-non-html", str(site.output)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{unquote(m.get('url', '')).split(str(site.output) + '/')[-1]}:{m.get('lastLine', '?')}: "
        f"{m.get('subType', m['type'])}: {m['message']}"
        for m in messages
        if m["type"] != "info" or m.get("subType") == "warning"
    ]
    assert run.returncode in (0, 1), run.stderr[-2000:]
    fail_with(problems, f"Nu HTML Checker messages on the {site.name} site")
    assert len(site.pages) > 10


# Internal links and anchors ------------------------------------------------------------------------------


def ids_of(document) -> set[str]:
    """Every fragment a link may point at in a page."""
    return set(document.xpath("//@id")) | set(document.xpath("//a/@name"))


def link_targets(document) -> list[str]:
    """Every address a page links to or loads: links, resources, canonical, alternates, meta refresh."""
    found = document.xpath(
        "//a/@href | //link/@href | //img/@src | //script/@src | //source/@src | //iframe/@src"
    )
    found += document.xpath('//meta[@property="og:url"]/@content')
    for refresh in document.xpath('//meta[@http-equiv="refresh"]/@content'):
        found += re.findall(r"url=(\S+)", refresh, flags=re.IGNORECASE)
    return [str(href).strip() for href in found]


def resolve_target(site: Built, page: str, href: str) -> tuple[str, str] | None:
    """The output file an internal address leads to and its fragment; None for an external address."""
    if href.startswith(SKIPPED_SCHEMES) or href.startswith("//"):
        return None
    if href.startswith(("http://", "https://")):
        if not href.startswith(site.base_url):
            return None
        href = site.base_path + href[len(site.base_url) :]
    parts = urlsplit(urljoin(site.base_path + page, href))
    path = unquote(parts.path)
    if not path.startswith(site.base_path):
        return ("(outside base_url) " + path, parts.fragment)
    rel = path[len(site.base_path) :]
    return (rel + "index.html" if rel.endswith("/") or rel == "" else rel, parts.fragment)


def link_problems(site: Built, page: str, document, ids: dict[str, set[str]]) -> list[str]:
    """The broken internal links of one page."""
    problems = []
    for href in link_targets(document):
        target = resolve_target(site, page, href)
        if target is None:
            continue
        path, fragment = target
        if not (site.output / path).is_file():
            problems.append(f"{page}: link to {href}: no such file output/{path}")
        elif (
            fragment
            and path.endswith(".html")
            and fragment not in ids.setdefault(path, ids_of(site.pages[path]))
        ):
            problems.append(f"{page}: link to {href}: output/{path} has no element with id '{fragment}'")
    return problems


def test_no_internal_link_or_anchor_is_broken(site):
    ids: dict[str, set[str]] = {}
    problems = [p for page, document in site.pages.items() for p in link_problems(site, page, document, ids)]
    fail_with(problems, f"broken internal links on the {site.name} site")
    assert sum(len(link_targets(d)) for d in site.pages.values()) > 100


# Feeds and the sitemap -----------------------------------------------------------------------------------


def test_every_feed_parses_without_bozo_and_links_inside_the_site(site):
    import feedparser

    feeds = sorted(site.output.rglob("atom.xml"))
    problems = []
    for path in feeds:
        rel = path.relative_to(site.output).as_posix()
        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            problems.append(f"{rel}: {parsed.bozo_exception}")
        if parsed.version != "atom10":
            problems.append(f"{rel}: not recognised as Atom 1.0 (version {parsed.version!r})")
        links = [parsed.feed.get("link", "")] + [entry.link for entry in parsed.entries]
        for href in links:
            target = resolve_target(site, rel, href)
            if target is None or not (site.output / target[0]).is_file():
                problems.append(f"{rel}: link {href!r} leads to no page of the site")
    fail_with(problems, f"feed problems on the {site.name} site")
    assert len(feeds) >= 4


def sitemap_alternates(site: Built) -> dict[str, dict[str, str]]:
    """Each address of sitemap.xml and its alternates, hreflang → address."""
    tree = ET.parse(site.output / "sitemap.xml")
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in tree.getroot().findall(f"{SITEMAP}url")
    }


def reciprocity_problems(alternates: dict[str, dict[str, str]], where: str) -> list[str]:
    """Alternates that are not listed themselves, or that do not list back the address that names them."""
    problems = []
    for loc, links in alternates.items():
        if links and loc not in links.values():
            problems.append(f"{where}: {loc} does not list itself among its alternates")
        for hreflang, href in links.items():
            if href not in alternates:
                problems.append(f"{where}: {loc} names {href} ({hreflang}), which is not listed")
            elif hreflang != "x-default" and loc not in alternates[href].values():
                problems.append(f"{where}: {loc} names {href} ({hreflang}), which does not name it back")
    return problems


def test_sitemap_alternates_are_reciprocal_and_lead_to_pages(site):
    alternates = sitemap_alternates(site)
    problems = reciprocity_problems(alternates, "sitemap.xml")
    for loc in alternates:
        target = resolve_target(site, "sitemap.xml", loc)
        if target is None or not (site.output / target[0]).is_file():
            problems.append(f"sitemap.xml: {loc} leads to no page of the site")
    fail_with(problems, f"sitemap problems on the {site.name} site")
    assert sum(len(links) > 1 for links in alternates.values()) > 5


def test_page_head_alternates_are_reciprocal(site):
    alternates = {}
    for page, document in site.pages.items():
        canonical = document.xpath('//link[@rel="canonical"]/@href')
        if (
            canonical
            and page != "404.html"
            and page_kind(document) != "chooser"
            and not document.xpath('//meta[@name="robots"][@content="noindex"]')
        ):
            alternates[canonical[0]] = {
                link.get("hreflang"): link.get("href")
                for link in document.xpath('//link[@rel="alternate"][@hreflang]')
            }
    fail_with(reciprocity_problems(alternates, "hreflang"), f"hreflang problems on the {site.name} site")


# What every page says it is ------------------------------------------------------------------------------


def identity_problems(site: Built, page: str, document) -> list[str]:
    """A page's title, h1 and description: present, consistent, within bounds."""
    title, headings = document.find(".//title"), document.xpath("//h1")
    descriptions = document.xpath('//meta[@name="description"]/@content')
    problems = []
    if title is None or not text(title):
        return [f"{page}: no <title>"]
    if len(headings) != 1:
        problems.append(f"{page}: {len(headings)} h1 elements, one expected")
    if not descriptions or not descriptions[0].strip():
        problems.append(f"{page}: no meta description")
    elif len(descriptions[0]) > 160:
        problems.append(f"{page}: meta description of {len(descriptions[0])} characters (160 at most)")
    heading = text(headings[0]) if headings else ""
    expected = {heading + " — " + t for t in site.site_titles} | {heading}
    if headings and page_kind(document) != "chooser" and text(title) not in expected:
        problems.append(f"{page}: title {text(title)!r} is not the h1 {heading!r} and the site's title")
    number = page_number(site, page)
    if number and f"page {number}" not in text(title):
        problems.append(f"{page}: title {text(title)!r} does not give the page number {number}")
    return problems


def test_every_page_has_a_distinct_title_one_h1_and_a_short_description(site):
    shown = {page: document for page, document in site.pages.items() if page_kind(document) != "redirect"}
    problems = [p for page, document in shown.items() for p in identity_problems(site, page, document)]
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for page, document in shown.items():
        if page != "404.html":  # the default language's 404 page, copied to the root
            seen[(document.get("lang"), text(document.find(".//title")))].append(page)
    problems += [
        f"{', '.join(pages)}: share the title {title!r}"
        for (_, title), pages in seen.items()
        if len(pages) > 1
    ]
    fail_with(problems, f"page identity problems on the {site.name} site")


def test_titles_and_headings_name_the_page_kind_and_number(site):
    kinds = {page_kind(d) for d in site.pages.values()}
    assert {"home", "post", "page", "tag", "tags", "archives", "year", "month", "notfound"} <= kinds
    for page, document in site.pages.items():
        title, kind = text(document.find(".//title")), page_kind(document)
        lang = document.get("lang")
        if kind == "tag":
            assert title.startswith({"fr": "Étiquette :", "en": "Tag:"}[lang]), (page, title)
        elif kind == "year":
            assert re.fullmatch(r"Archives \d{4} — .+", title), (page, title)
        elif kind == "notfound":
            assert title.startswith({"fr": "Page introuvable", "en": "Page not found"}[lang]), (page, title)
        elif kind == "month":
            visible = visible_text(document.xpath("//h1")[0])
            assert visible[0].isupper() and visible[0].isalpha(), (page, visible)


def test_a_tag_list_after_its_first_page_says_so(tmp_path):
    basic = copy_site("basic", tmp_path)
    build(basic.config(posts_per_page=1), use_cache=False)
    cases = (
        ("fr/etiquettes/donnees/page/2/index.html", "Étiquette :", "Données — page 2"),
        ("en/tags/data/page/2/index.html", "Tag:", "Data — page 2"),
    )
    for path, prefix, heading in cases:
        document = lxml.html.fromstring((basic.output / path).read_bytes())
        assert text(document.find(".//title")) == f"{prefix} {heading} — Diptyque"
        assert text(document.xpath("//h1")[0]) == f"{prefix} {heading}"
        assert visible_text(document.xpath("//h1")[0]) == heading  # the kicker above shows the prefix


def test_month_headings_of_year_archives_are_capitalized(site):
    headings = [
        (page, text(h))
        for page, d in site.pages.items()
        if page_kind(d) == "year"
        for h in d.xpath('//section[@class="archive-month"]/h2[a]')
    ]
    assert headings
    wrong = [f"{page}: {heading!r}" for page, heading in headings if not heading[0].isupper()]
    fail_with(wrong, "month headings not capitalized")


def test_tag_pages_link_their_own_feed_in_the_head(site):
    problems = []
    for page, document in site.pages.items():
        if page_kind(document) != "tag":
            continue
        feeds = document.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href')
        own = document.xpath('//p[@class="lede"]/a/@href')
        if not own or own[0] not in feeds:
            problems.append(f"{page}: the head links {feeds}, not the tag's feed {own}")
        elif not (site.output / resolve_target(site, page, own[0])[0]).is_file():
            problems.append(f"{page}: the tag's feed {own[0]} does not exist")
    fail_with(problems, "tag pages without their feed")


def language_of(element) -> str | None:
    """The language an element is in: its own lang, or its nearest ancestor's."""
    found = element.xpath("ancestor-or-self::*[@lang][1]/@lang")
    return found[0] if found else None


def document_language(document) -> str | None:
    """The language of a page's main text: its article's, else the page's."""
    articles = document.xpath('//article[@class="post"]')
    return language_of(articles[0]) if articles else document.get("lang")


def test_titles_in_another_language_carry_lang(site):
    problems = []
    for page, document in site.pages.items():
        own = document_language(document)
        if own != document.get("lang") and document.find(".//title").get("lang") != own:
            problems.append(f'{page}: the page shows a text in {own}, its <title> has no lang="{own}"')
        links = document.xpath(
            '//h2[@class="card-title"]/a | //section[@class="related"]//a'
            ' | //nav[@class="prevnext"]/a/span[@class="title"]'
        )
        for link in links:
            href = link.get("href") or link.getparent().get("href")
            target = resolve_target(site, page, href)
            linked = site.pages.get(target[0]) if target else None
            if linked is not None and language_of(link) != document_language(linked):
                problems.append(
                    f"{page}: {text(link)!r} is in {document_language(linked)}, marked {language_of(link)}"
                )
    fail_with(problems, "titles in another language without lang")
    if site.name == "basic":  # the fixture has articles shown in their original language
        assert any(document_language(d) != d.get("lang") for d in site.pages.values())


# In Chromium: axe-core and printing ----------------------------------------------------------------------


@pytest.fixture
def served(site):
    """The built site over HTTP on a free local port."""
    with static_server(site.output) as base:
        yield base + site.base_path


def one_page_per_kind(site: Built) -> dict[tuple[str, str], str]:
    """A page of each kind in each language (a second list page and an original shown in place of its
    translation count as kinds of their own), by (language, kind)."""
    chosen = {}
    for page, document in site.pages.items():
        kind = page_kind(document)
        if kind == "redirect":  # it leaves for its new address at once
            continue
        if page_number(site, page):
            kind += "-paged"
        if document.xpath('//div[@class="notice"]'):
            kind += "-notice"
        chosen.setdefault((document.get("lang"), kind if page != "404.html" else "root-404"), page)
    return chosen


def axe_violations(page, address: str) -> list[str]:
    """axe-core's WCAG 2 A and AA violations on the page loaded now, one line each."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{address}: {v['id']} ({v['impact']}): {v['help']} at {node['target']}: "
        f"{node['failureSummary'].splitlines()[-1].strip()}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


@pytest.mark.browser
@needs_chromium
@needs_axe
def test_axe_finds_no_violation_on_any_kind_of_page_light_and_dark(site, served, browser):
    pages = one_page_per_kind(site)
    problems = []
    context = browser.new_context()
    try:
        tab = context.new_page()
        for path in sorted(set(pages.values())):
            tab.goto(served + path.removesuffix("index.html"))
            for scheme in ("light", "dark"):
                tab.emulate_media(color_scheme=scheme)
                problems += [f"[{scheme}] {line}" for line in axe_violations(tab, path)]
    finally:
        context.close()
    fail_with(problems, f"axe violations on the {site.name} site")
    assert len(pages) >= 20


LAYOUT = """() => {
    const box = el => el && el.getBoundingClientRect();
    const problems = [];
    for (const tag of document.querySelectorAll('a.tag'))
        if (box(tag).height < 24)
            problems.push(`tag "${tag.textContent}" is ${box(tag).height}px high (24 at least)`);
    for (const sep of document.querySelectorAll('.meta .sep')) {
        const tag = sep.parentElement.querySelector('a.tag');
        if (getComputedStyle(sep).display !== 'none' && box(sep).bottom <= box(tag).top)
            problems.push(`a "·" ends a line above the tag "${tag.textContent}"`);
    }
    const back = document.querySelector('.back a'), cards = document.querySelector('.cards');
    if (back && Math.abs(box(back).left - box(cards).left) > 1)
        problems.push(`the way back starts at ${box(back).left}px, the column at ${box(cards).left}px`);
    const count = document.querySelector('.pagination .count'), bar = document.querySelector('.pagination');
    const middle = b => (b.left + b.right) / 2;
    if (count && Math.abs(middle(box(count)) - middle(box(bar))) > 2)
        problems.push(`"${count.textContent}" is off the centre of the pagination bar`);
    return problems;
}"""


@pytest.mark.browser
@needs_chromium
def test_tags_separators_pagination_and_way_back_hold_on_desktop_and_phone(site, served, browser):
    pages = one_page_per_kind(site)
    problems = []
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            tab = context.new_page()
            for path in sorted(set(pages.values())):
                tab.goto(served + path.removesuffix("index.html"))
                problems += [f"{path} at {width}px: {line}" for line in tab.evaluate(LAYOUT)]
        finally:
            context.close()
    fail_with(problems, f"layout problems on the {site.name} site")


EXTERNAL_ARTICLE = "fr/2024/ia-une-ambition/"  # in the basic fixture: an article with an external link


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("site", ["basic"], indirect=True)
def test_printing_uses_the_light_palette_hides_navigation_and_shows_link_addresses(site, served, browser):
    context = browser.new_context(color_scheme="dark")
    try:
        tab = context.new_page()
        tab.goto(served + EXTERNAL_ARTICLE)
        tab.emulate_media(media="print")
        style = tab.evaluate("""() => {
            const link = document.querySelector('.prose a[href^="http"]');
            return {background: getComputedStyle(document.body).backgroundColor,
                    color: getComputedStyle(document.body).color,
                    masthead: getComputedStyle(document.querySelector('.masthead')).display,
                    footer: getComputedStyle(document.querySelector('.colophon')).display,
                    after: getComputedStyle(link, '::after').content, href: link.getAttribute('href')};
        }""")
        pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    assert style["background"] == "rgb(255, 255, 255)", style
    assert style["color"] == "rgb(17, 17, 17)", style
    assert style["masthead"] == style["footer"] == "none", style
    assert style["href"] in style["after"], style
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in sizes), sizes[:3]


# The deploy recipe ---------------------------------------------------------------------------------------


def readme_commands() -> set[str]:
    """The commands the README's "Two commands" block gives."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return {line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()}


def test_github_pages_workflow_builds_with_the_readme_command_and_uploads_output():
    import yaml

    workflow = yaml.safe_load((REPO / "docs" / "github-pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build_job, deploy_job = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step["run"].strip() for step in build_job["steps"] if "run" in step]
    assert runs == ["make build"] and set(runs) <= readme_commands()
    uses = {step["uses"].split("@")[0]: step for step in build_job["steps"] if "uses" in step}
    assert {"actions/checkout", "actions/setup-python", "actions/upload-pages-artifact"} <= set(uses)
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "output/"
    assert deploy_job["needs"] == "build" and deploy_job["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy_job["steps"]] == ["actions/deploy-pages"]
