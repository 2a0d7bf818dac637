"""The built fixture site, checked on its parsed HTML and XML."""

from __future__ import annotations

import json
from urllib.parse import urljoin, urlparse

from lxml import etree

BASE = "https://diptyque.example/"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def pages(site):
    return sorted(p for p in site.output.rglob("*.html"))


def url_of(site, path):
    rel = path.relative_to(site.output).as_posix()
    return "/" + rel.removesuffix("index.html")


def exists(site, url):
    path = urlparse(url).path
    if url.startswith("http"):
        assert url.startswith(BASE), url
        path = "/" + url[len(BASE) :]
    return site.file(path).is_file()


def test_every_internal_link_and_hreflang_target_exists(built):
    checked = 0
    for path in pages(built):
        soup = built.html(url_of(built, path))
        for tag in soup.find_all(["a", "link"], href=True):
            href = tag["href"]
            if href.startswith("#") or (href.startswith("http") and not href.startswith(BASE)):
                continue
            target = urljoin(url_of(built, path), href.split("#")[0])
            assert exists(built, target), f"{path}: dead link {href}"
            checked += 1
    assert checked > 500


def test_switcher_leads_to_the_same_page_in_the_other_language(built):
    cases = {
        "/fr/2024/ia-une-ambition/": "/en/2024/ai-an-ambition/",
        "/en/2024/ai-an-ambition/": "/fr/2024/ia-une-ambition/",
        "/fr/etiquettes/relation-client/": "/en/tags/customer-relationship/",
        "/en/archives/2020/05/": "/fr/archives/2020/05/",
        "/fr/archives/2021/": "/en/archives/2021/",
        "/fr/a-propos/": "/en/about/",
        "/fr/page/2/": "/en/page/2/",
        "/fr/": "/en/",
        "/fr/archives/2024/03/": "/en/archives/2024/03/",
        # a month, and its year, with no English post: the nearest page that exists
        "/fr/archives/2022/03/": "/en/archives/",
    }
    for url, target in cases.items():
        soup = built.html(url)
        other = soup.select_one(".switcher a[hreflang]")
        assert other["href"] == target, url


def test_missing_translation_gets_a_fallback_page(built):
    soup = built.html("/fr/2022/rendez-vous-sur-mars/")
    assert soup.select_one(".switcher a[hreflang=en]")["href"] == "/en/2022/rendez-vous-sur-mars/"
    assert not soup.select("link[rel=alternate][hreflang]")  # no real translation: no hreflang
    fallback = built.html("/en/2022/rendez-vous-sur-mars/")
    assert fallback.html["lang"] == "en"
    assert fallback.select_one("article.post")["lang"] == "fr"
    assert fallback.select_one("meta[name=robots]")["content"] == "noindex"
    assert fallback.select_one("link[rel=canonical]")["href"] == BASE + "fr/2022/rendez-vous-sur-mars/"
    assert "not been translated" in fallback.select_one(".notice").get_text()
    assert not fallback.select("link[rel=alternate][hreflang]")


def test_home_policy_links_to_the_other_home(site):
    config = site.root / "config.toml"
    config.write_text(
        config.read_text().replace('missing_translation = "fallback"', 'missing_translation = "home"')
    )
    site.build()
    soup = site.html("/fr/2022/rendez-vous-sur-mars/")
    assert soup.select_one(".switcher a[hreflang=en]")["href"] == "/en/"
    assert not site.file("/en/2022/rendez-vous-sur-mars/").exists()


def test_hreflang_and_open_graph_on_a_translated_article(built):
    soup = built.html("/en/2024/ai-an-ambition/")
    links = {a["hreflang"]: a["href"] for a in soup.select("link[rel=alternate][hreflang]")}
    assert links == {
        "fr": BASE + "fr/2024/ia-une-ambition/",
        "en": BASE + "en/2024/ai-an-ambition/",
        "x-default": BASE + "fr/2024/ia-une-ambition/",
    }
    assert soup.select_one('meta[property="og:locale"]')["content"] == "en_US"
    assert soup.select_one('meta[property="og:locale:alternate"]')["content"] == "fr_FR"
    assert soup.html["lang"] == "en"


def test_json_ld_links_the_two_language_versions(built):
    fr = json.loads(
        built.html("/fr/2024/ia-une-ambition/").select_one("script[type='application/ld+json']").string
    )
    en = json.loads(
        built.html("/en/2024/ai-an-ambition/").select_one("script[type='application/ld+json']").string
    )
    assert fr["@type"] == "BlogPosting" and fr["inLanguage"] == "fr" and en["inLanguage"] == "en"
    assert fr["workTranslation"][0]["@id"] == en["@id"]
    assert en["translationOfWork"]["@id"] == fr["@id"]
    assert fr["datePublished"] == "2024-03-13"


def test_dates_and_strings_are_localized(built):
    fr = built.html("/fr/2024/ia-une-ambition/")
    en = built.html("/en/2024/ai-an-ambition/")
    assert fr.select_one(".post-head time").get_text() == "13 mars 2024"
    assert en.select_one(".post-head time").get_text() == "March 13, 2024"
    assert fr.select_one(".skip").get_text() == "Aller au contenu"
    assert en.select_one(".skip").get_text() == "Skip to content"
    month = built.html("/fr/2022/rendez-vous-sur-mars/").select_one(".post-head time")
    assert month.get_text() == "mars 2022" and month["datetime"] == "2022-03"
    year = built.html("/en/2021/love-stories-end-in-algorithms/").select_one(".post-head time")
    assert year.get_text() == "2021"
    assert built.html("/en/archives/2020/05/").h1.get_text() == "Archives: May 2020"  # "Archives:" read only
    assert (
        built.html("/fr/archives/2020/05/").h1.get_text() == "Archives\u00a0: Mai 2020"
    )  # by screen readers


def test_plural_forms(built):
    tags = {
        li.a.get_text(): li.select_one(".count").get_text()
        for li in built.html("/en/tags/").select(".tag-cloud li")
    }
    assert tags["Data"] == "2 articles"
    assert tags["Artificial intelligence"] == "1 article"
    fr = {
        li.a.get_text(): li.select_one(".count").get_text()
        for li in built.html("/fr/etiquettes/").select(".tag-cloud li")
    }
    assert fr["Métavers"] == "1 article" and fr["Données"] == "2 articles"


def test_french_typography(built):
    soup = built.html("/fr/2024/ia-une-ambition/")
    text = soup.select_one(".prose p").get_text()
    assert "rapport\u202f;" in text and "«\u00a0équilibré\u00a0»" in text and "\u202f!" in text
    assert soup.h1.get_text() == "L’intelligence artificielle\u00a0: une ambition"
    english = built.html("/en/2024/ai-an-ambition/").select_one(".prose p").get_text()
    assert "\u202f" not in english and "\u00a0" not in english


def test_home_pagination_holds_the_right_posts(built):
    def titles(url):
        return [a.get_text() for a in built.html(url).select(".card-title a")]

    first, second, third = titles("/fr/"), titles("/fr/page/2/"), built.file("/fr/page/3/")
    assert first == ["L’intelligence artificielle\u00a0: une ambition", "Rendez-vous sur Mars"]
    assert second == ["Les histoires d’amour finissent en algorithmes", "Un long article en sections"]
    assert not third.exists()
    assert built.html("/fr/").select_one(".pagination a[rel=next]")["href"] == "/fr/page/2/"
    # lists show the posts written in their language; the French-only one is not in English lists
    assert titles("/en/") == ["Artificial intelligence: an ambition", "Love stories end in algorithms"]


def test_drafts_and_future_posts_are_left_out(built, site):
    assert (
        not list(built.output.glob("fr/*/un-brouillon"))
        and not built.file("/fr/2099/un-article-du-futur/").exists()
    )
    site.build(drafts=True)
    assert (
        built.file("/fr/2023/un-brouillon/").exists() and built.file("/fr/2099/un-article-du-futur/").exists()
    )


def test_tag_and_archive_pages_hold_the_right_posts(built):
    titles = [a.get_text() for a in built.html("/fr/etiquettes/donnees/").select(".card-title a")]
    assert titles == [
        "L’intelligence artificielle\u00a0: une ambition",
        "Les histoires d’amour finissent en algorithmes",
    ]
    years = [h.a.get_text() for h in built.html("/fr/archives/").select(".archive-year h2")]
    assert years == ["2024", "2022", "2021", "2020"]
    year = built.html("/fr/archives/2021/")
    assert year.select_one(".archive-month h2").get_text() == "Date dans l’année inconnue"
    assert not built.file("/fr/archives/2021/01/").exists()


def test_table_of_contents_and_related(built):
    soup = built.html("/fr/2020/un-long-article-en-sections/")
    assert [a["href"] for a in soup.select(".toc a")] == [
        "#premier-point",
        "#deuxieme-point",
        "#l-humanite-en-conclusion",
    ]
    assert soup.select_one("#l-humanite-en-conclusion")
    assert not built.html("/fr/2024/ia-une-ambition/").select(".toc")
    related = [a.get_text() for a in built.html("/fr/2024/ia-une-ambition/").select(".related a")]
    assert related[0] == "Les histoires d’amour finissent en algorithmes"


def test_feeds_parse_and_list_their_posts(built):
    feed = etree.parse(str(built.file("/fr/atom.xml")))
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][0] == "L'intelligence artificielle : une ambition"
    assert len(entries) == 4
    assert all(e.find(f"{ATOM}link").get("href").startswith(BASE + "fr/") for e in entries)
    tag_feed = etree.parse(str(built.file("/en/tags/data/atom.xml")))
    assert len(tag_feed.findall(f"{ATOM}entry")) == 2
    assert tag_feed.getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_sitemap_lists_every_page_with_alternates(built):
    tree = etree.parse(str(built.file("/sitemap.xml")))
    urls = {u.findtext(f"{SM}loc"): u for u in tree.findall(f"{SM}url")}
    html_pages = {
        BASE + url_of(built, p).lstrip("/")
        for p in pages(built)
        if not p.name == "404.html" and p.relative_to(built.output).as_posix() != "index.html"
    }
    fallbacks = {BASE + "en/2022/rendez-vous-sur-mars/"}
    assert set(urls) == html_pages - fallbacks
    alternates = {
        a.get("hreflang"): a.get("href") for a in urls[BASE + "fr/a-propos/"].findall(f"{XHTML}link")
    }
    assert alternates["en"] == BASE + "en/about/"
    assert "Sitemap: " + BASE + "sitemap.xml" in built.file("/robots.txt").read_text()


def test_base_url_override(site):
    site.build(base_url="https://preview.example/site")
    soup = site.html("/fr/")
    assert soup.select_one("link[rel=canonical]")["href"] == "https://preview.example/site/fr/"
    feed = etree.parse(str(site.file("/fr/atom.xml")))
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href").startswith("https://preview.example/site/fr/")


def test_root_page_sends_visitors_to_their_language_without_javascript(built):
    soup = built.html("/")
    assert soup.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=/fr/"
    assert [a["href"] for a in soup.select("main a")] == ["/fr/", "/en/"]


def test_404_page(built):
    soup = built.html("/404.html")
    assert soup.select_one("meta[name=robots]")["content"] == "noindex"
    assert built.html("/en/404.html").h1.get_text() == "Page not found"


def test_accessibility_landmarks(built):
    for url in ("/fr/", "/en/2024/ai-an-ambition/", "/fr/etiquettes/"):
        soup = built.html(url)
        assert soup.select_one("a.skip")["href"] == "#main" and soup.select_one("main#main")
        assert soup.select_one("header") and soup.select_one("footer") and soup.select("nav[aria-label]")
        assert len(soup.find_all("h1")) == 1


def test_second_build_writes_nothing(built):
    before = {p: p.stat().st_mtime_ns for p in built.output.rglob("*") if p.is_file()}
    result = built.build()
    assert result.written == () and result.removed == () and result.rendered == 0
    assert before == {p: p.stat().st_mtime_ns for p in built.output.rglob("*") if p.is_file()}


def test_output_contains_no_external_requests(built):
    for path in pages(built):
        soup = built.html(url_of(built, path))
        for tag in soup.find_all(["script", "link", "img"]):
            src = tag.get("src") or (
                tag.get("href") if tag.name == "link" and "stylesheet" in tag.get("rel", []) else ""
            )
            assert not (src or "").startswith(("http:", "https:", "//")), (path, tag)


def test_tag_index_sorts_accented_labels_alphabetically(site):
    tags = site.root / "content/tags.toml"
    tags.write_text(tags.read_text() + '\n[ethics]\nfr = "Éthique"\nen = "Ethics"\n')
    post = site.root / "content/posts/relation.fr.md"
    post.write_text(
        post.read_text().replace(
            "tags: [customer-relationship, data]", "tags: [customer-relationship, data, ethics]"
        )
    )
    site.build()
    labels = [a.get_text() for a in site.html("/fr/etiquettes/").select(".tag-cloud a")]
    assert labels == sorted(labels, key=lambda label: label.replace("É", "E")) and labels.index(
        "Éthique"
    ) < labels.index("Innovation")


def test_a_base_url_with_a_path_prefixes_every_link(site):
    site.build(base_url="https://preview.example/site/")
    checked = 0
    for path in pages(site):
        soup = site.html(url_of(site, path))
        for tag in soup.find_all(["a", "link"], href=True):
            href = tag["href"]
            if href.startswith(("#", "https://example.org")):
                continue
            if href.startswith("https://preview.example/site/"):
                href = href[len("https://preview.example") :]
            assert href.startswith("/site/"), f"{path}: {href}"
            target = site.file(urljoin(url_of(site, path), href.split("#")[0])[len("/site") :])
            assert target.is_file(), f"{path}: dead link {href}"
            checked += 1
    assert checked > 500
    root = site.html("/")
    assert root.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=/site/fr/"
    assert root.select_one("link[rel=canonical]")["href"] == "https://preview.example/site/fr/"
