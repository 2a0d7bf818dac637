"""List every page of the site, per language, and find each page's counterpart in another language."""

from __future__ import annotations

import hashlib

from builder.config import Config
from builder.kinds import BY_NAME, KINDS
from builder.model import Entry, PageId, Site, doc_id


def site_entries(site: Site, config: Config) -> list[Entry]:
    """Every page of every language, kind by kind (see builder/kinds)."""
    return [entry for lang in config.codes for kind in KINDS for entry in kind.entries(site, config, lang)]


def counterpart(index: dict, page: PageId, lang: str) -> Entry:
    """The page a visitor switching to `lang` lands on: the same page, else the nearest one that exists."""
    candidates = [page, PageId(page.kind, page.key, 1), *BY_NAME[page.kind].fallbacks(page), PageId("home")]
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
    marks = {
        id(d): f"{d.key}|{d.lang}|{d.date.iso() if d.date else ''}"
        for docs in site.posts.values()
        for d in docs
    }
    rows = []
    for entry in entries:
        if id(entry.posts) not in lists:
            lists[id(entry.posts)] = ",".join(marks.get(id(d)) or f"{d.key}|{d.lang}" for d in entry.posts)
        shown = f"{entry.doc.key}|{entry.doc.lang}" if entry.doc else ""
        page = entry.page
        rows.append(
            f"{page.kind}|{page.key}|{page.number}|{entry.lang}|{entry.url}|{entry.fallback:d}|{entry.pages}|"
            f"{shown}\0{lists[id(entry.posts)]}"
        )
    digest.update("\n".join(rows).encode())
    digest.update(
        repr(sorted(site.related_inputs.items())).encode()
    )  # related lists follow from their inputs
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
