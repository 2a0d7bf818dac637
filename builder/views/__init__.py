"""The only place that shapes template data: each page's view as plain, hashable values.

`Views` reads the site only through the methods of its base, `Reader` (builder/views/reader.py), each of
which records a dependency key; `shape` returns the keys a view recorded with the view, and the next build
shapes the page again only when one of them has another digest.
"""

from __future__ import annotations

import math

from babel import Locale

from builder import images
from builder.hrefs import relative_links
from builder.i18n import display_date, typography
from builder.kinds import BY_NAME
from builder.links import resolve
from builder.model import Document, Entry, PageId
from builder.pages import counterpart
from builder.seo import alternates, og_locale
from builder.urls import absolute
from builder.views.reader import Reader

WORDS_PER_MINUTE = 230


class Views(Reader):
    """Shapes view data for every entry of one build, reading the site through the recording reader."""

    def file_page(self, key: str, lang: str | None, page_lang: str) -> Entry | None:
        """The page a link by file (`key.lang.md`, or `key.md` in the page's language) leads to."""
        for kind in ("post", "page"):
            versions = self.group(kind, key)
            if versions:
                found = self.find(PageId(kind, key), lang or page_lang)
                if found is None and lang is None:  # no version here, and no fallback page: the original's
                    original = next(iter(versions.values()))
                    found = self.find(PageId(kind, key), original.lang)
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
        """A document's date as pages show it (the caller has read the document)."""
        if doc.date is None:
            return None
        return {
            "iso": doc.date.iso(),
            "text": display_date(doc.date, self.config.language(lang).locale),
            "precision": doc.date.precision,
        }

    def tag_links(self, doc: Document, lang: str) -> list[dict]:
        """A document's tags that have a page in the language, as links."""
        links = []
        for tag_id in doc.tags:
            found = self.find(PageId("tag", tag_id), lang)
            if found is not None:
                links.append(
                    {"label": self.tag(tag_id).labels[lang], "url": self.href(found.url), "id": tag_id}
                )
        return links

    def card(self, doc: Document, lang: str) -> dict:
        """A post as lists show it (shaped once per post and language)."""
        return self._memo(self._cards, (doc.kind, doc.key, lang), lambda: self._card(doc, lang))

    def body(self, doc: Document, lang: str, absolute_links: bool = False) -> str:
        """A document's HTML with its links by file resolved and its pictures as `<picture>` (links and
        pictures absolute in feeds, where a picture is one `<img>`); on a page of another language (a
        fallback), relative links lead where they do on the document's own page."""
        html = resolve(
            self.read(doc).body.html, lang, self.file_url_absolute if absolute_links else self.file_link
        )
        prefix = self.config.base_url if absolute_links else self.config.base_path
        html = images.body(html, doc, self.site.pictures, prefix, feed=absolute_links)
        if lang != doc.lang and not absolute_links:
            return relative_links(html, self.link(doc.kind, doc.lang, doc.key))
        return html

    def hero(self, doc: Document) -> dict | None:
        """A document's own picture (front matter image.src) as templates show it, or None."""
        return images.hero(self.read(doc), self.site.pictures, self.config.base_path)

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
        self.read(doc)
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
        self.find(entry.page, lang)  # the page's own URL, fallback flag and document
        language = config.language(lang)
        switcher = [
            {
                "lang": code,
                "name": config.language(code).name,
                "current": code == lang,
                "url": self.href(counterpart(self.find, entry.page, code).url),
            }
            for code in config.codes
        ]
        versions = self.versions(entry.page)
        page = {
            "kind": entry.page.kind,
            "url": entry.url,
            "canonical": absolute(config, entry.url),
            "alternates": alternates(entry, versions, config),
            "noindex": entry.fallback,
            "og_locale": og_locale(config, lang),
            "number": entry.page.number,
            "pages": self.page_count(entry),
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
        return self._memo(self._sites, lang, lambda: self._site_view(lang))

    def _site_view(self, lang: str) -> dict:
        language, config = self.config.language(lang), self.config
        return {
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
            "about": self.about(lang),
            "menu": self.menu(lang),
        }

    def menu(self, lang: str) -> list[dict]:
        """The navigation of a language, from `menu` in config.toml; by default the home, tags and archives
        pages and then every standalone page in key order. A page missing in the language is left out."""
        items = self.config.language(lang).menu or (
            "home",
            "tags",
            "archives",
            *(f"page:{key}" for key in self.page_keys()),
        )
        menu = []
        for item in items:
            if isinstance(item, tuple):
                menu.append({"kind": "link", "title": item[0], "url": item[1], "key": ""})
            elif item.startswith("page:"):
                entry = self.find(PageId("page", item[5:]), lang)
                if entry is not None:
                    menu.append(
                        {
                            "kind": "page",
                            "title": self.title(entry.doc),
                            "url": self.href(entry.url),
                            "key": entry.page.key,
                        }
                    )
            else:
                menu.append({"kind": item, "title": "", "url": self.link(item, lang), "key": ""})
        return menu

    def _page_url(self, entry: Entry, number: int) -> str | None:
        if not 1 <= number <= self.page_count(entry):
            return None
        found = self.find(PageId(entry.page.kind, entry.page.key, number), entry.lang)
        return self.href(found.url) if found else None
