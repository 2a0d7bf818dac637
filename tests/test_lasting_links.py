"""Links that last: links by file and internal links checked, stable feed ids, aliases, and redirects from
every URL a page had (content/urls.toml), checked on the built files."""

from __future__ import annotations

import re
import shutil
import tomllib
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import Site

from builder.cli import main
from builder.errors import BuildFailed

POST = "---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}\n"
BASE = "https://diptyque.example/"
ATTR = re.compile(r'(?:href|src)="([^"]*)"')


def post(site: Site, name: str, title: str, body: str, date: str = "2023-05", extra: str = "") -> Path:
    return site.write(f"content/posts/{name}", POST.format(title=title, date=date, extra=extra, body=body))


def edit(site: Site, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def failure(site: Site, **options) -> BuildFailed:
    with pytest.raises(BuildFailed) as caught:
        site.build(**options)
    return caught.value


def history(site: Site) -> dict:
    return tomllib.loads((site.root / "content" / "urls.toml").read_text(encoding="utf-8"))


def redirects_file(site: Site) -> dict[str, str]:
    """The `_redirects` lines: source -> target (each a 301)."""
    found = {}
    for line in (site.output / "_redirects").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target, code = line.split()
            assert code == "301"
            found[source] = target
    return found


def redirect_pages(site: Site) -> dict[str, str]:
    """Every redirect page of the output: its URL -> where its meta refresh leads."""
    found = {}
    for path in site.output.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
        if refresh and path.name == "index.html" and path.parent != site.output:
            url = "/" + path.parent.relative_to(site.output).as_posix() + "/"
            found[url] = refresh["content"].split("url=", 1)[1]
    return found


def feed_ids(site: Site, lang: str = "fr") -> dict[str, str]:
    """Entry title -> id in a language's feed."""
    soup = BeautifulSoup((site.output / lang / "atom.xml").read_text(encoding="utf-8"), "xml")
    return {entry.title.text: entry.id.text for entry in soup.find_all("entry")}


def pages(site: Site) -> dict[str, bytes]:
    """The output without the search index (which the search work compares on its own)."""
    return {path: data for path, data in site.snapshot().items() if not path.startswith("pagefind/")}


def target_file(site: Site, path: str) -> Path:
    file = site.output / unquote(path).lstrip("/")
    return file / "index.html" if path.endswith("/") else file


def broken_links(site: Site) -> list[str]:
    """Every internal link, image and alternate of the built HTML that leads to no file or anchor."""
    broken, ids = [], {}
    for page in sorted(site.output.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        url = "/" + page.relative_to(site.output).as_posix()
        for value in map(unescape, ATTR.findall(text)):
            if value.startswith(BASE):
                value = "/" + value[len(BASE) :]
            if not value or urlsplit(value).scheme or value.startswith("//"):
                continue
            parts = urlsplit(urljoin(url, value))
            file = target_file(site, parts.path)
            if not file.is_file():
                broken.append(f"{url}: {value}")
            elif parts.fragment and file.suffix == ".html":
                if file not in ids:
                    ids[file] = set(re.findall(r'\sid="([^"]+)"', file.read_text(encoding="utf-8")))
                if unquote(parts.fragment) not in ids[file]:
                    broken.append(f"{url}: {value} (no such anchor)")
    return broken


def test_links_by_file_follow_the_policy_in_both_languages(site):
    post(
        site,
        "liens.fr.md",
        "Liens",
        "Voir [sections](sections.md#premier-point), [Mars](metavers.md) et "
        "[l’anglais](bonjour.en.md), [une note](#fn:1)[^1].\n\n[^1]: Une note.",
    )
    post(
        site,
        "liens.en.md",
        "Links",
        "See [sections](sections.md#first-point), [Mars](metavers.md) and [the about page](about.md).",
    )
    site.build()
    french = {a.text: a["href"] for a in site.html("/fr/2023/liens/").select(".prose a")}
    assert french["sections"] == "/fr/2020/un-long-article-en-sections/#premier-point"
    assert french["Mars"] == "/fr/2022/rendez-vous-sur-mars/"
    assert french["l’anglais"].startswith("/en/2024/")
    english = {a.text: a["href"] for a in site.html("/en/2023/links/").select(".prose a")}
    assert english["sections"] == "/en/2020/a-long-article-in-sections/#first-point"
    assert english["Mars"] == "/en/2022/rendez-vous-sur-mars/"  # missing translation: the fallback page
    assert english["the about page"] == "/en/about/"
    edit(site, "config.toml", 'missing_translation = "fallback"', 'missing_translation = "home"')
    site.build()
    english = {a.text: a["href"] for a in site.html("/en/2023/links/").select(".prose a")}
    assert english["Mars"] == "/fr/2022/rendez-vous-sur-mars/"  # no fallback page: the original
    assert broken_links(site) == []


@pytest.mark.parametrize(
    "link,expect",
    [
        ("[ici](/fr/nulle-part/)", "link to /fr/nulle-part/: no page or file"),
        ("[ici](sections.fr.md#absent)", "no anchor #absent in content/posts/sections.fr.md"),
        ("[ici](/fr/2020/un-long-article-en-sections/#absent)", "no anchor #absent"),
        ("[ici](#nulle-part)", "no anchor #nulle-part in content/posts/liens.fr.md"),
        ("[ici](../autre-article/)", "link to ../autre-article/ (that is /fr/2023/autre-article/)"),
        ("![image](/images/absente.png)", "link to /images/absente.png: no page or file"),
        ("[ici](../../README.md)", "a file outside content/"),
        ("[ici](/docs/guide.md)", "not an article or page of content/posts or content/pages"),
    ],
)
def test_a_broken_link_or_anchor_fails_with_file_and_line(built, link, expect):
    before = built.snapshot()
    post(built, "liens.fr.md", "Liens", f"Texte.\n\nVoir {link}, ou [ailleurs](https://example.org/#x).")
    errors = failure(built).errors
    error = next(e for e in errors if e.path == "content/posts/liens.fr.md")
    assert expect in error.message and error.line == 8, error
    assert built.snapshot() == before


def test_links_that_resolve_pass_and_site_links_get_the_base_path(site):
    site.write("static/images/plan.png", "png")
    post(
        site,
        "liens.fr.md",
        "Liens",
        "[Sections](/fr/2020/un-long-article-en-sections/#premier-point), "
        "[étiquettes](/fr/etiquettes/), [flux](/fr/atom.xml), ![plan](/images/plan.png), "
        "[sans barre](/fr/a-propos), [voisin](../../2020/un-long-article-en-sections/).",
    )
    site.build(base_url="https://diptyque.example/preview/")
    links = [a["href"] for a in site.html("/fr/2023/liens/").select(".prose a")]
    assert links[0] == "/preview/fr/2020/un-long-article-en-sections/#premier-point"
    assert links[1:4] == ["/preview/fr/etiquettes/", "/preview/fr/atom.xml", "/preview/fr/a-propos"]
    assert links[4] == "../../2020/un-long-article-en-sections/"  # relative links are left as written
    assert site.html("/fr/2023/liens/").select_one(".prose img")["src"] == "/preview/images/plan.png"
    feed = (site.output / "fr" / "atom.xml").read_text(encoding="utf-8")
    assert 'href="https://diptyque.example/preview/fr/etiquettes/"' in unescape(feed)
    assert 'href="https://diptyque.example/preview/fr/2020/un-long-article-en-sections/"' in unescape(feed)


def test_a_date_then_a_slug_change_redirect_both_old_urls_and_nothing_breaks(built):
    first = "/fr/2022/rendez-vous-sur-mars/"
    ids = feed_ids(built)
    assert ids["Rendez-vous sur Mars"] == "tag:diptyque.example,2022:metavers.fr"
    post(built, "liens.fr.md", "Liens", "Voir [Mars](/fr/2022/rendez-vous-sur-mars/) et [Mars](metavers.md).")
    built.build()
    edit(built, "content/posts/metavers.fr.md", "date: 2022-03", "date: 2021-03")
    result = built.build()
    assert "2 URLs moved; redirects written; commit content/urls.toml" in result.warnings  # and the fallback
    second = "/fr/2021/rendez-vous-sur-mars/"
    edit(built, "content/posts/metavers.fr.md", "tags:", "slug: sur-mars\ntags:")
    built.build()
    now = "/fr/2021/sur-mars/"
    assert built.file(now).is_file()
    assert redirect_pages(built)[first] == now and redirect_pages(built)[second] == now
    assert redirects_file(built)[first] == now and redirects_file(built)[second] == now
    assert redirects_file(built)["/en/2022/rendez-vous-sur-mars/"] == "/en/2021/sur-mars/"  # the fallback
    assert {a["href"] for a in built.html("/fr/2023/liens/").select(".prose a")} == {first, now}
    assert broken_links(built) == []
    assert feed_ids(built)["Rendez-vous sur Mars"] == ids["Rendez-vous sur Mars"]
    page = built.html(first)
    assert page.html["lang"] == "fr" and page.find("link", rel="canonical")["href"] == BASE + now[1:]
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("a", href=now) is not None
    sitemap = (built.output / "sitemap.xml").read_text(encoding="utf-8")
    assert first not in sitemap and second not in sitemap and now in sitemap
    urls = history(built)["urls"]
    assert urls[first] == urls[second] == urls[now] == ["post", "metavers", "fr"]


def test_redirect_pages_and_the_redirects_file_agree(built):
    edit(built, "content/posts/sections.fr.md", "date: 2020-05-02", "date: 2019-05-02")
    edit(built, "content/tags.toml", 'en = "Data"', 'en = "Data and privacy"')
    built.build()
    pages, lines = redirect_pages(built), redirects_file(built)
    assert pages and set(pages) == {source for source in lines if source.endswith("/")}
    assert all(lines[url] == target for url, target in pages.items())
    assert all(not source.endswith("/") and source.endswith(".xml") for source in set(lines) - set(pages))
    assert all(target_file(built, target).is_file() for target in lines.values())


def test_a_tag_label_change_redirects_the_old_tag_pages(built):
    assert built.file("/en/tags/data/").is_file()
    edit(built, "content/tags.toml", 'en = "Data"', 'en = "Data and privacy"')
    built.build()
    assert redirect_pages(built)["/en/tags/data/"] == "/en/tags/data-and-privacy/"
    assert redirects_file(built)["/en/tags/data/atom.xml"] == "/en/tags/data-and-privacy/atom.xml"
    assert "/en/tags/data/" not in (built.output / "sitemap.xml").read_text(encoding="utf-8")
    assert broken_links(built) == []


def test_aliases_redirect_in_the_page_language_and_stay_out_of_sitemap_and_feeds(site):
    post(site, "alias.fr.md", "Alias", "Texte.", extra="aliases: [ancien/chemin/, /vieux.html]\n")
    site.build()
    assert redirect_pages(site)["/fr/ancien/chemin/"] == "/fr/2023/alias/"
    vieux = BeautifulSoup((site.output / "vieux.html").read_text(encoding="utf-8"), "lxml")
    assert vieux.html["lang"] == "fr" and vieux.find("a", href="/fr/2023/alias/")
    assert redirects_file(site) == {"/fr/ancien/chemin/": "/fr/2023/alias/", "/vieux.html": "/fr/2023/alias/"}
    for name in ("sitemap.xml", "fr/atom.xml"):
        text = (site.output / name).read_text(encoding="utf-8")
        assert "ancien/chemin" not in text and "vieux.html" not in text
    assert "/fr/ancien/chemin/" not in history(site)["urls"]


def test_a_second_build_does_not_touch_the_history(built):
    path = built.root / "content" / "urls.toml"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    built.build()
    built.build(use_cache=False)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    lines = path.read_text(encoding="utf-8").splitlines()
    urls = [line for line in lines if line.startswith('"/')]
    assert urls == sorted(urls) and len(urls) == len(history(built)["urls"])


def test_a_hand_sorted_history_is_not_rewritten_for_nothing(built):
    path = built.root / "content" / "urls.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("[urls]") + 1
    end = lines.index("", start)
    lines[start:end] = reversed(lines[start:end])
    path.write_text("\n".join(lines), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    built.build()
    assert path.read_text(encoding="utf-8") == text


def test_drafts_and_other_output_folders_read_the_history_but_never_write_it(built, tmp_path):
    path = built.root / "content" / "urls.toml"
    text = path.read_text(encoding="utf-8")
    built.build(drafts=True)
    built.build(output=tmp_path / "preview")
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "front,expect",
    [
        (
            "aliases: [/fr/2020/un-long-article-en-sections/]\n",
            "is the URL of a page (content/posts/sections.fr",
        ),
        ("aliases: [../../ailleurs/]\n", "holds '..'"),
        ("aliases: [https://ailleurs.example/x/]\n", "leaves the site"),
        ("aliases: [/sitemap.xml]\n", "a file the build writes"),
        ("aliases: {a: b}\n", "aliases should be a list of paths"),
    ],
)
def test_an_alias_that_cannot_be_fails_with_file_and_line(built, front, expect):
    before = built.snapshot()
    post(built, "alias.fr.md", "Alias", "Texte.", extra=front)
    error = next(e for e in failure(built).errors if e.path == "content/posts/alias.fr.md")
    assert expect in error.message and error.line == 4, error
    assert built.snapshot() == before


def test_two_pages_claiming_one_alias_fail(built):
    post(built, "a.fr.md", "A", "Texte.", extra="aliases: [commun/]\n")
    post(built, "b.fr.md", "B", "Texte.", extra="aliases:\n  - autre/\n  - commun/\n")
    error = next(e for e in failure(built).errors if e.path == "content/posts/b.fr.md")
    assert "is also claimed by content/posts/a.fr.md" in error.message and error.line == 6


@pytest.mark.parametrize(
    "damage,line,expect",
    [
        (lambda t: t.replace('"/en/" =', '<<<<<<< HEAD\n"/en/" =', 1), 6, "a merge conflict"),
        (lambda t: t.replace('"/en/" = [', '"/en/" = [[', 1), 7, "invalid TOML"),  # where TOML sees it
        (lambda t: t.replace('["home", "", "en"]', '["home"]', 1), 6, "is not a site URL and its page"),
    ],
)
def test_a_damaged_history_fails_with_its_line_and_leaves_output_alone(built, damage, line, expect):
    before = built.snapshot()
    path = built.root / "content" / "urls.toml"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    error = next(e for e in failure(built).errors if e.path == "content/urls.toml")
    assert expect in error.message and error.line == line, error
    assert built.snapshot() == before


def test_a_hand_edited_history_builds_like_a_cold_build(built, tmp_path):
    path = built.root / "content" / "urls.toml"
    text = path.read_text(encoding="utf-8").replace(
        "[urls]\n", '[urls]\n"/fr/2019/ancienne/" = ["post", "bonjour", "fr"]\n', 1
    )
    text = text.replace("tag:diptyque.example,2024:bonjour.fr", "tag:diptyque.example,2023:bonjour.fr")
    path.write_text(text, encoding="utf-8")
    built.build()
    cold = tmp_path / "cold"
    shutil.copytree(built.root, cold, ignore=shutil.ignore_patterns("output", ".diptyque"))
    Site(cold).build(use_cache=False)
    assert pages(built) == pages(Site(cold))
    assert redirect_pages(built)["/fr/2019/ancienne/"] == "/fr/2024/ia-une-ambition/"
    assert "tag:diptyque.example,2023:bonjour.fr" in feed_ids(built).values()


def test_status_lists_pages_gone_and_prune_forgets_them(built, capsys):
    (built.root / "content" / "posts" / "relation.en.md").unlink()
    built.build()
    assert main(["--root", str(built.root), "status"]) in (0, 1)
    out = capsys.readouterr().out  # the English article now has a fallback page: it moved, it is not gone
    gone = [line.split()[1] for line in out.splitlines() if line.strip().startswith("gone:")]
    assert set(gone) == {
        "/en/tags/customer-relationship/",
        "/en/tags/customer-relationship/atom.xml",
        "/en/archives/2021/",
    }
    assert "/en/2021/love-stories-end-in-algorithms/" in redirects_file(built)
    assert main(["--root", str(built.root), "urls", "prune", *gone]) == 0
    assert not set(gone) & set(history(built)["urls"])
    assert main(["--root", str(built.root), "urls", "prune", "/fr/nulle-part/"]) == 1
    assert "is not in the history" in capsys.readouterr().err


def test_the_dev_server_serves_redirect_pages(built):
    from urllib.request import urlopen

    from builder.serve import start_server

    edit(built, "content/posts/metavers.fr.md", "date: 2022-03", "date: 2021-03")
    built.build()
    text = (built.root / "content" / "urls.toml").read_text(encoding="utf-8")
    server = start_server(built.config(), port=0, watch=False)
    try:
        with urlopen(server.url.rstrip("/") + "/fr/2022/rendez-vous-sur-mars/", timeout=30) as response:
            page = BeautifulSoup(response.read().decode("utf-8"), "lxml")
    finally:
        server.stop()
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh.endswith("/fr/2021/rendez-vous-sur-mars/")
    assert (built.root / "content" / "urls.toml").read_text(encoding="utf-8") == text  # never written by it


def test_the_site_own_redirects_come_first_in_the_redirects_file(built):
    built.write("static/_redirects", "/ancien-blog/* /fr/ 301\n")
    edit(built, "content/posts/metavers.fr.md", "date: 2022-03", "date: 2021-03")
    built.build()
    lines = (built.output / "_redirects").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "/ancien-blog/* /fr/ 301"
    assert "/fr/2022/rendez-vous-sur-mars/ /fr/2021/rendez-vous-sur-mars/ 301" in lines


def test_a_preview_build_neither_records_nor_changes_feed_ids(built):
    """`--base-url` builds the site for another address: feed ids stay those of the site's own domain, and
    content/urls.toml is not written (the first real build records the new article)."""
    path = built.root / "content" / "urls.toml"
    before = path.read_text(encoding="utf-8")
    post(built, "apercu.fr.md", "Un aperçu", "Texte.", date="2024-06")
    built.build(base_url="https://preview.example.org/pr-42/")
    assert path.read_text(encoding="utf-8") == before
    ids = feed_ids(built)
    assert ids["Un aperçu"] == "tag:diptyque.example,2024:apercu.fr"
    built.build()
    assert "tag:diptyque.example,2024:apercu.fr" in path.read_text(encoding="utf-8")
    assert feed_ids(built)["Un aperçu"] == ids["Un aperçu"]
