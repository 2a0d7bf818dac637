"""List every page of the site, per language, and find each page's counterpart in another language."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from builder.assemble import original_of
from builder.config import Config
from builder.model import Document, Entry, PageId, Site, doc_id
from builder.urls import url_for


def _paginate(posts: tuple[Document, ...], size: int) -> list[tuple[Document, ...]]:
    return [posts[i:i + size] for i in range(0, len(posts), size)] or [()]


def _lists(kind: str, key: str, lang: str, posts, config: Config, **url_args) -> list[Entry]:
    chunks = _paginate(posts, config.posts_per_page)
    return [Entry(page=PageId(kind, key, n), lang=lang, posts=chunk, pages=len(chunks),
                  url=url_for(config, lang, PageId(kind, key, n), **url_args)) for n, chunk in enumerate(chunks, 1)]


def site_entries(site: Site, config: Config) -> list[Entry]:
    """Every page of every language: lists, articles, fallbacks, tags, archives, feeds."""
    entries = []
    for lang in config.codes:
        posts = site.posts[lang]
        entries += _lists("home", "", lang, posts, config)
        entries.append(Entry(PageId("feed"), lang, url_for(config, lang, PageId("feed")), posts=posts))
        for (kind, key), versions in site.translations.items():
            doc, fallback = versions.get(lang), False
            if doc is None and config.missing_translation == "fallback":
                doc, fallback = original_of(versions, config) or next(iter(versions.values())), True
            if doc is not None:
                page = PageId(kind, key)
                entries.append(Entry(page, lang, url_for(config, lang, page, doc=doc), doc=doc, fallback=fallback))
        used = [tag for tag_id, tag in site.tags.items() if (lang, tag_id) in site.tag_posts]
        entries.append(Entry(PageId("tags"), lang, url_for(config, lang, PageId("tags")), posts=posts))
        for tag in used:
            tagged = site.tag_posts[(lang, tag.id)]
            entries += _lists("tag", tag.id, lang, tagged, config, tag=tag)
            feed = PageId("tagfeed", tag.id)
            entries.append(Entry(feed, lang, url_for(config, lang, feed, tag=tag), posts=tagged))
        entries.append(Entry(PageId("archives"), lang, url_for(config, lang, PageId("archives")), posts=posts))
        periods = defaultdict(list)
        for doc in posts:
            periods[("year", f"{doc.date.year:04d}")].append(doc)
            if doc.date.month:
                periods[("month", f"{doc.date.year:04d}/{doc.date.month:02d}")].append(doc)
        for (kind, key), docs in periods.items():
            page = PageId(kind, key)
            entries.append(Entry(page, lang, url_for(config, lang, page), posts=tuple(docs)))
        entries.append(Entry(PageId("notfound"), lang, url_for(config, lang, PageId("notfound"))))
    return entries


FALLBACK_PARENT = {"tag": PageId("tags"), "tagfeed": PageId("feed"), "year": PageId("archives")}


def counterpart(index: dict, page: PageId, lang: str) -> Entry:
    """The page a visitor switching to `lang` lands on: the same page, else the nearest one that exists."""
    candidates = [page, PageId(page.kind, page.key, 1)]
    if page.kind == "month":
        candidates.append(PageId("year", page.key.split("/")[0]))
    candidates += [FALLBACK_PARENT.get(page.kind, PageId("archives")) if page.kind in ("month", "year", "tag", "tagfeed")
                   else PageId("home"), PageId("home")]
    for candidate in candidates:
        if (candidate, lang) in index:
            return index[(candidate, lang)]
    raise KeyError((page, lang))


def structure(site: Site, entries: list[Entry], config: Config, theme_digest: str) -> str:
    """Digest of everything page views use besides the documents they show.

    The pages and their URLs, which posts each list holds (with their dates) and in what order, related
    lists, tags, about pages, settings and the theme. (Whether a translation is stale shows only on its
    own page, so it is part of that document's digest: see `document_digests`.) While it is unchanged, a page
    whose documents are unchanged has the same view as last time and need not be shaped again.
    """
    digest = hashlib.sha256(f"{config!r}\0{theme_digest}".encode())
    for tag in site.tags.values():
        digest.update(repr((tag.id, tuple(tag.labels.items()), tuple(tag.slugs.items()))).encode())
    lists: dict[int, str] = {}  # the feed, tag index and archives share one tuple of posts: hash it once
    marks = {id(d): f"{d.key}|{d.lang}|{d.date.iso() if d.date else ''}" for docs in site.posts.values() for d in docs}
    rows = []
    for entry in entries:
        if id(entry.posts) not in lists:
            lists[id(entry.posts)] = ",".join(marks.get(id(d)) or f"{d.key}|{d.lang}" for d in entry.posts)
        shown = f"{entry.doc.key}|{entry.doc.lang}" if entry.doc else ""
        page = entry.page
        rows.append(f"{page.kind}|{page.key}|{page.number}|{entry.lang}|{entry.url}|{entry.fallback:d}|{entry.pages}|"
                    f"{shown}\0{lists[id(entry.posts)]}")
    digest.update("\n".join(rows).encode())
    digest.update(repr(sorted(site.related_inputs.items())).encode())  # related lists follow from their inputs
    digest.update(repr([(lang, d.key, d.title) for lang, docs in site.pages.items() for d in docs]).encode())
    return digest.hexdigest()


def document_digests(site: Site) -> dict[str, str]:
    """Digest of each document's own data as views show it: its source file, and whether it is stale."""
    digests = {}
    for versions in site.translations.values():
        for doc in versions.values():
            original = site.stale.get((doc.lang, doc.key))
            digests[doc_id(doc)] = doc.digest + (f":stale:{original.lang}" if original else "")
    return digests
