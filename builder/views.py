"""The only place that shapes template data: each page's view as plain, hashable values."""

from __future__ import annotations

import math
from collections import defaultdict

from babel import Locale

from builder import images
from builder.config import Config
from builder.i18n import display_date, typography
from builder.kinds import BY_NAME
from builder.links import resolve
from builder.model import Document, Entry, PageId, Site, doc_id
from builder.pages import counterpart
from builder.seo import alternates, og_locale
from builder.urls import absolute

WORDS_PER_MINUTE = 230


class Views:
    """Shapes view data for every entry of one build, sharing one index of pages."""

    def __init__(self, site: Site, config: Config, entries: list[Entry]):
        self.site, self.config = site, config
        self.index = {(e.page, e.lang): e for e in entries}
        self.versions = defaultdict(list)
        for e in entries:
            self.versions[e.page].append(e)
        self.positions = {(lang, d.key): i for lang, docs in site.posts.items() for i, d in enumerate(docs)}
        self.abouts = {
            e.lang: {"url": self.href(e.url), "title": e.doc.title}
            for e in reversed(entries)
            if e.page.kind == "page"
        }
        self.cards: dict[tuple[str, str, str], dict] = {}
        self.refs: set[str] = set()  # documents the view being shaped has read (see `shape`)
        self.sites: dict[str, dict] = {}

    def url(self, kind: str, lang: str, key: str = "", number: int = 1) -> str:
        """Site-relative URL of a page ("/fr/…"), the form `absolute` and the page index use."""
        return self.index[(PageId(kind, key, number), lang)].url

    def href(self, url: str) -> str:
        """A site-relative URL as links write it: under the path of base_url ("/preview/fr/…")."""
        return self.config.base_path + url[1:]

    def link(self, kind: str, lang: str, key: str = "", number: int = 1) -> str:
        """The href of a page."""
        return self.href(self.url(kind, lang, key, number))

    def file_page(self, key: str, lang: str | None, page_lang: str) -> Entry | None:
        """The page a link by file (`key.lang.md`, or `key.md` in the page's language) leads to."""
        for kind in ("post", "page"):
            versions = self.site.translations.get((kind, key))
            if versions:
                found = self.index.get((PageId(kind, key), lang or page_lang))
                if found is None and lang is None:  # no version here, and no fallback page: the original's
                    original = next(iter(versions.values()))
                    found = self.index.get((PageId(kind, key), original.lang))
                return found
        return None

    def file_link(self, key: str, lang: str | None, page_lang: str) -> str | None:
        """The href of a link by file, as pages write it."""
        found = self.file_page(key, lang, page_lang)
        return self.href(found.url) if found else None

    def file_url_absolute(self, key: str, lang: str | None, page_lang: str) -> str | None:
        """The absolute URL of a link by file, as feeds need it."""
        found = self.file_page(key, lang, page_lang)
        return absolute(self.config, found.url) if found else None

    def date(self, doc: Document, lang: str) -> dict | None:
        if doc.date is None:
            return None
        return {
            "iso": doc.date.iso(),
            "text": display_date(doc.date, self.config.language(lang).locale),
            "precision": doc.date.precision,
        }

    def tag_links(self, doc: Document, lang: str) -> list[dict]:
        return [
            {"label": self.site.tags[t].labels[lang], "url": self.link("tag", lang, t), "id": t}
            for t in doc.tags
            if (PageId("tag", t), lang) in self.index
        ]

    def read(self, doc: Document) -> Document:
        """Note that the view being shaped shows this document's own data (title, summary, body…)."""
        self.refs.add(doc_id(doc))
        return doc

    def shape(self, entry: Entry) -> tuple[dict, tuple[str, ...]]:
        """The view of one page and the documents whose data it shows, for incremental rebuilds."""
        self.refs = set()
        view = self.context(entry)
        return view, tuple(sorted(self.refs))

    def card(self, doc: Document, lang: str) -> dict:
        """A post as lists show it (shaped once per post and language)."""
        self.read(doc)
        key = (doc.kind, doc.key, lang)
        if key not in self.cards:
            self.cards[key] = self._card(doc, lang)
        return self.cards[key]

    def body(self, doc: Document, lang: str, absolute_links: bool = False) -> str:
        """A document's HTML with its links by file resolved and its pictures as `<picture>` (links and
        pictures absolute in feeds, where a picture is one `<img>`)."""
        html = resolve(doc.body.html, lang, self.file_url_absolute if absolute_links else self.file_link)
        prefix = self.config.base_url if absolute_links else self.config.base_path
        return images.body(html, doc, self.site.pictures, prefix, feed=absolute_links)

    def hero(self, doc: Document) -> dict | None:
        """A document's own picture (front matter image.src) as templates show it, or None."""
        return images.hero(doc, self.site.pictures, self.config.base_path)

    def language_link(self, kind: str, lang: str, key: str, page_lang: str) -> dict:
        """A link to another language's version, with that language named in the page's language."""
        name = (
            Locale.parse(self.config.language(lang).locale).get_language_name(
                self.config.language(page_lang).locale
            )
            or self.config.language(lang).name
        )
        return {"url": self.link(kind, lang, key), "lang": lang, "lang_name": name}

    def card_of(self, doc: Document, lang: str) -> dict:
        """A post's card, shaped anew (see `card`)."""
        return self._card(doc, lang)

    def _card(self, doc: Document, lang: str) -> dict:
        return {
            "title": typography(doc.title, doc.lang),
            "url": self.link(doc.kind, lang, doc.key),
            "date": self.date(doc, lang),
            "summary": typography(doc.summary, doc.lang),
            "tags": self.tag_links(doc, lang),
            "minutes": max(1, math.ceil(doc.body.words / WORDS_PER_MINUTE)),
            "lang": doc.lang,
            "image": self.hero(doc),
        }

    def context(self, entry: Entry) -> dict:
        """The whole view of one page: site chrome, head metadata and the page's own data."""
        config, lang = self.config, entry.lang
        language = config.language(lang)
        switcher = [
            {
                "lang": code,
                "name": config.language(code).name,
                "current": code == lang,
                "url": self.href(counterpart(self.index, entry.page, code).url),
            }
            for code in config.codes
        ]
        versions = self.versions[entry.page]
        page = {
            "kind": entry.page.kind,
            "url": entry.url,
            "canonical": absolute(config, entry.url),
            "alternates": alternates(entry, versions, config),
            "noindex": entry.fallback,
            "og_locale": og_locale(config, lang),
            "number": entry.page.number,
            "pages": entry.pages,
            "og_alternates": [
                og_locale(config, e.lang) for e in versions if e.lang != lang and not e.fallback
            ],
            "key": entry.page.key,
            "jsonld": None,
            "title": "",
            "description": language.description,
        }
        page["prev_url"] = self._page_url(entry, entry.page.number - 1)
        page["next_url"] = self._page_url(entry, entry.page.number + 1)
        view = {"site": self.site_view(lang), "switcher": switcher, "page": page}
        BY_NAME[entry.page.kind].shape(self, entry, view)
        return view

    def site_view(self, lang: str) -> dict:
        """What every page of a language shows of the site: titles, navigation, feed (shaped once)."""
        if lang not in self.sites:
            language, config = self.config.language(lang), self.config
            self.sites[lang] = {
                "title": language.title,
                "description": language.description,
                "lang": lang,
                "locale": language.locale,
                "base_url": config.base_url,
                "author": language.author,
                "home": self.link("home", lang),
                "tags": self.link("tags", lang),
                "archives": self.link("archives", lang),
                "feed": self.link("feed", lang),
                "root": config.base_path,
                "feed_abs": absolute(config, self.url("feed", lang)),
                "about": self.abouts.get(lang),
                "menu": self.menu(lang),
            }
        return self.sites[lang]

    def menu(self, lang: str) -> list[dict]:
        """The navigation of a language, from `menu` in config.toml; by default the home, tags and archives
        pages and then every standalone page in key order. A page missing in the language is left out."""
        items = self.config.language(lang).menu or (
            "home",
            "tags",
            "archives",
            *(f"page:{key}" for kind, key in sorted(self.site.translations) if kind == "page"),
        )
        menu = []
        for item in items:
            if isinstance(item, tuple):
                menu.append({"kind": "link", "title": item[0], "url": item[1], "key": ""})
            elif item.startswith("page:"):
                entry = self.index.get((PageId("page", item[5:]), lang))
                if entry is not None:
                    menu.append(
                        {
                            "kind": "page",
                            "title": entry.doc.title,
                            "url": self.href(entry.url),
                            "key": entry.page.key,
                        }
                    )
            else:
                menu.append({"kind": item, "title": "", "url": self.link(item, lang), "key": ""})
        return menu

    def _page_url(self, entry: Entry, number: int) -> str | None:
        found = self.index.get((PageId(entry.page.kind, entry.page.key, number), entry.lang))
        return self.href(found.url) if found and 1 <= number <= entry.pages else None
