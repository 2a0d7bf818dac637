"""The reader of the site: every read a view, or a kind's `shape`, makes of documents, pages of the index,
lists, tags and settings goes through a method of `Reader`, which records a dependency key (`doc:<id>`,
`page:<kind>|<key>|<number>|<lang>`, `list:…`, `tag:<id>`…; the families and their digests are in
builder/pages.py). A value read around it (`entry.posts`, `views.site`) is a value the next build may not
notice has changed.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from builder import images
from builder.config import Config
from builder.model import Document, Entry, PageId, Site, Tag, doc_id
from builder.pages import (
    INDEX,
    PAGE_KEYS,
    SETTINGS,
    TAGS,
    count_key,
    first_pages,
    list_key,
    neighbours,
    page_key,
    used_tags,
)


class Reader:
    """The site as one build's views read it: each method records what it returns."""

    def __init__(self, site: Site, config: Config, entries: list[Entry]):
        self.site, self.config, self._entries = site, config, entries
        self._index = {(e.page, e.lang): e for e in entries}
        self._versions = defaultdict(list)
        for e in entries:
            self._versions[e.page].append(e)
        self._positions = {(lang, d.key): i for lang, docs in site.posts.items() for i, d in enumerate(docs)}
        self._abouts = first_pages(entries)
        self._cards: dict[tuple[str, str, str], tuple[dict, set[str]]] = {}
        self._sites: dict[str, tuple[dict, set[str]]] = {}
        self.refs: set[str] = {SETTINGS}  # the keys the view being shaped has read (see `shape`)

    def begin(self) -> None:
        """Start recording the reads of a new view (every view reads the settings)."""
        self.refs = {SETTINGS}

    def recorded(self) -> tuple[str, ...]:
        """The keys the view being shaped has read, sorted (interned: saved once however many pages)."""
        return tuple(sorted(map(sys.intern, self.refs)))

    def shape(self, entry: Entry) -> tuple[dict, tuple[str, ...]]:
        """The view of one page and the dependency keys it read, for incremental rebuilds."""
        self.begin()
        view = self.context(entry)
        return view, self.recorded()

    def _memo(self, cache: dict, key, make):
        """A value shaped once per build, its reads recorded again wherever it is used."""
        found = cache.get(key)
        if found is None:
            outer, self.refs = self.refs, set()
            try:
                value = make()
            finally:
                reads, self.refs = self.refs, outer
            found = cache[key] = (value, reads)
        self.refs |= found[1]
        return found[0]

    def find(self, page: PageId, lang: str) -> Entry | None:
        """A page of the index (read for its URL, fallback flag and document), or None when there is none."""
        self.refs.add(page_key(page, lang))
        return self._index.get((page, lang))

    def page(self, kind: str, lang: str, key: str = "", number: int = 1) -> Entry | None:
        """A page of the index by kind, language, key and number (see `find`)."""
        return self.find(PageId(kind, key, number), lang)

    def read(self, doc: Document) -> Document:
        """Note that the view being shaped shows this document's own data (title, summary, body…)."""
        self.refs.add(f"doc:{doc_id(doc)}")
        return doc

    def title(self, doc: Document) -> str:
        """A document's title alone (menus and the about link)."""
        self.refs.add(f"title:{doc_id(doc)}")
        return doc.title

    def dates(self, doc: Document) -> tuple:
        """A document's date and `updated` date alone (the sitemap's lastmod)."""
        self.refs.add(f"dates:{doc_id(doc)}")
        return doc.date, doc.updated

    def listed(self, entry: Entry) -> tuple[Document, ...]:
        """The posts a list page holds, in order (their dates with them)."""
        self.refs.add(list_key(entry.page, entry.lang))
        return entry.posts

    def posts(self, lang: str) -> tuple[Document, ...]:
        """Every published post of a language, newest first (their dates with them)."""
        self.refs.add(f"posts:{lang}")
        return self.site.posts[lang]

    def page_count(self, entry: Entry) -> int:
        """How many pages the list of a page has."""
        self.refs.add(count_key(entry.page, entry.lang))
        return entry.pages

    def versions(self, page: PageId) -> list[Entry]:
        """The page in every language it has (fallbacks included), in the order of the languages."""
        for code in self.config.codes:
            self.refs.add(page_key(page, code))
        return self._versions[page]

    def every_page(self) -> tuple[list[Entry], dict]:
        """Every page of the site, and each page's versions by PageId (for the sitemap)."""
        self.refs.add(INDEX)
        return self._entries, self._versions

    def group(self, kind: str, key: str) -> dict[str, Document] | None:
        """The language versions of a document (which languages it has), or None."""
        self.refs.add(f"group:{kind}|{key}")
        return self.site.translations.get((kind, key))

    def page_keys(self) -> list[str]:
        """The keys of the standalone pages, in order."""
        self.refs.add(PAGE_KEYS)
        return [key for kind, key in sorted(self.site.translations) if kind == "page"]

    def tag(self, tag_id: str) -> Tag:
        """A tag of the vocabulary: its labels and slugs."""
        self.refs.add(f"tag:{tag_id}")
        return self.site.tags[tag_id]

    def tags(self) -> list[Tag]:
        """Every tag of the vocabulary, each read (labels and slugs)."""
        self.refs.add(TAGS)
        return [self.tag(tag_id) for tag_id in self.site.tags]

    def tags_used(self, lang: str) -> list[tuple[str, int]]:
        """The tags a language uses, in vocabulary order, with their counts of posts."""
        self.refs.add(f"tags-index:{lang}")
        return used_tags(self.site, lang)

    def tag_count(self, lang: str, tag_id: str) -> int:
        """How many posts of a language a tag has."""
        self.refs.add(f"tag-count:{lang}|{tag_id}")
        return len(self.site.tag_posts[(lang, tag_id)])

    def neighbours(self, doc: Document) -> tuple[Document | None, Document | None]:
        """The newer and older posts beside a post in its language."""
        self.refs.add(f"neighbours:{doc.lang}|{doc.key}")
        return neighbours(self.site.posts[doc.lang], self._positions.get((doc.lang, doc.key)))

    def related(self, lang: str, key: str) -> tuple[Document, ...]:
        """A post's related posts in a language."""
        self.refs.add(f"related:{lang}|{key}")
        return self.site.related.get((lang, key), ())

    def stale(self, doc: Document) -> Document | None:
        """The original a stale translation lags, or None (part of the document's own data)."""
        self.read(doc)
        return self.site.stale.get((doc.lang, doc.key))

    def social(self, doc: Document) -> dict | None:
        """A document's own picture as link previews show it (part of the document's own data)."""
        return images.social(self.read(doc), self.site.pictures, self.config.base_url)

    def entry_id(self, doc: Document) -> str | None:
        """A post's Atom entry id as content/urls.toml fixes it, or None."""
        key = f"{doc.key}.{doc.lang}"
        self.refs.add(f"history:{key}")
        history = self.site.history
        return history.ids.get(key) if history else None

    def about(self, lang: str) -> dict | None:
        """The header's "about" link of a language: its first standalone page."""
        self.refs.add(f"about:{lang}")
        key = self._abouts.get(lang)
        found = self.find(PageId("page", key), lang) if key is not None else None
        return {"url": self.href(found.url), "title": self.title(found.doc)} if found else None

    def url(self, kind: str, lang: str, key: str = "", number: int = 1) -> str:
        """Site-relative URL of a page ("/fr/…"), the form `absolute` and the page index use."""
        found = self.page(kind, lang, key, number)
        if found is None:
            raise KeyError((PageId(kind, key, number), lang))
        return found.url

    def href(self, url: str) -> str:
        """A site-relative URL as links write it: under the path of base_url ("/preview/fr/…")."""
        return self.config.base_path + url[1:]

    def link(self, kind: str, lang: str, key: str = "", number: int = 1) -> str:
        """The href of a page."""
        return self.href(self.url(kind, lang, key, number))
