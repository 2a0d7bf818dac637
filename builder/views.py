"""The only place that shapes template data: each page's view as plain, hashable values."""

from __future__ import annotations

import math
from collections import defaultdict
from itertools import groupby

from builder.config import Config
from builder.links import resolve
from builder.i18n import display_date, month_name, rfc3339, typography
from builder.model import Document, Entry, PageId, Site, doc_id
from builder.pages import counterpart
from builder.seo import alternates, blog_posting, og_locale
from builder.urls import absolute, slug

WORDS_PER_MINUTE = 230
TEMPLATES = {"home": "list.html", "tag": "list.html", "month": "list.html", "year": "archive.html",
             "archives": "archives.html", "tags": "tags.html", "post": "post.html", "page": "page.html",
             "notfound": "404.html", "feed": "atom.xml", "tagfeed": "atom.xml"}


class Views:
    """Shapes view data for every entry of one build, sharing one index of pages."""

    def __init__(self, site: Site, config: Config, entries: list[Entry]):
        self.site, self.config = site, config
        self.index = {(e.page, e.lang): e for e in entries}
        self.versions = defaultdict(list)
        for e in entries:
            self.versions[e.page].append(e)
        self.positions = {(lang, d.key): i for lang, docs in site.posts.items() for i, d in enumerate(docs)}
        self.abouts = {e.lang: {"url": self.href(e.url), "title": e.doc.title} for e in reversed(entries) if e.page.kind == "page"}
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
        return {"iso": doc.date.iso(), "text": display_date(doc.date, self.config.language(lang).locale),
                "precision": doc.date.precision}

    def tag_links(self, doc: Document, lang: str) -> list[dict]:
        return [{"label": self.site.tags[t].labels[lang], "url": self.link("tag", lang, t), "id": t}
                for t in doc.tags if (PageId("tag", t), lang) in self.index]

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

    def _card(self, doc: Document, lang: str) -> dict:
        return {"title": typography(doc.title, doc.lang), "url": self.link(doc.kind, lang, doc.key),
                "date": self.date(doc, lang), "summary": typography(doc.summary, doc.lang),
                "tags": self.tag_links(doc, lang), "minutes": max(1, math.ceil(doc.body.words / WORDS_PER_MINUTE)),
                "lang": doc.lang}

    def context(self, entry: Entry) -> dict:
        """The whole view of one page: site chrome, head metadata and the page's own data."""
        config, lang = self.config, entry.lang
        language = config.language(lang)
        switcher = [{"lang": code, "name": config.language(code).name, "current": code == lang,
                     "url": self.href(counterpart(self.index, entry.page, code).url)} for code in config.codes]
        versions = self.versions[entry.page]
        page = {"kind": entry.page.kind, "url": entry.url, "canonical": absolute(config, entry.url),
                "alternates": alternates(entry, versions, config), "noindex": entry.fallback,
                "og_locale": og_locale(config, lang), "number": entry.page.number, "pages": entry.pages,
                "og_alternates": [og_locale(config, e.lang) for e in versions if e.lang != lang and not e.fallback],
                "key": entry.page.key, "jsonld": None, "title": "", "description": language.description}
        page["prev_url"] = self._page_url(entry, entry.page.number - 1)
        page["next_url"] = self._page_url(entry, entry.page.number + 1)
        view = {"site": self.site_view(lang), "switcher": switcher, "page": page}
        getattr(self, f"_{entry.page.kind}")(entry, view)
        return view

    def site_view(self, lang: str) -> dict:
        """What every page of a language shows of the site: titles, navigation, feed (shaped once)."""
        if lang not in self.sites:
            language, config = self.config.language(lang), self.config
            self.sites[lang] = {"title": language.title, "description": language.description, "lang": lang,
                                "locale": language.locale, "base_url": config.base_url, "author": language.author,
                                "home": self.link("home", lang), "tags": self.link("tags", lang),
                                "archives": self.link("archives", lang), "feed": self.link("feed", lang),
                                "root": config.base_path,
                                "feed_abs": absolute(config, self.url("feed", lang)), "about": self.abouts.get(lang)}
        return self.sites[lang]

    def _page_url(self, entry: Entry, number: int) -> str | None:
        found = self.index.get((PageId(entry.page.kind, entry.page.key, number), entry.lang))
        return self.href(found.url) if found and 1 <= number <= entry.pages else None

    def _home(self, entry: Entry, view: dict) -> None:
        view["posts"] = [self.card(d, entry.lang) for d in entry.posts]

    def _tag(self, entry: Entry, view: dict) -> None:
        tag = self.site.tags[entry.page.key]
        view["tag"] = {"label": tag.labels[entry.lang], "count": len(self.site.tag_posts[(entry.lang, tag.id)]),
                       "feed": absolute(self.config, self.url("tagfeed", entry.lang, tag.id))}
        view["page"]["title"] = tag.labels[entry.lang]
        self._home(entry, view)

    def _month(self, entry: Entry, view: dict) -> None:
        year, month = (int(p) for p in entry.page.key.split("/"))
        view["period"] = {"text": month_name(year, month, self.config.language(entry.lang).locale),
                          "year_url": self.link("year", entry.lang, f"{year:04d}")}
        view["page"]["title"] = view["period"]["text"]
        self._home(entry, view)

    def _year(self, entry: Entry, view: dict) -> None:
        locale = self.config.language(entry.lang).locale
        months = []
        for month, docs in groupby(entry.posts, key=lambda d: d.date.month):
            key = f"{entry.page.key}/{month:02d}" if month else ""
            months.append({"text": month_name(int(entry.page.key), month, locale) if month else entry.page.key,
                           "url": self.link("month", entry.lang, key) if month else None,
                           "posts": [self.card(d, entry.lang) for d in docs]})
        view["year"] = {"text": entry.page.key, "count": len(entry.posts), "months": months}
        view["page"]["title"] = entry.page.key

    def _archives(self, entry: Entry, view: dict) -> None:
        years = []
        for year, docs in groupby(entry.posts, key=lambda d: d.date.year):
            docs = list(docs)
            months = sorted({d.date.month for d in docs if d.date.month}, reverse=True)
            locale = self.config.language(entry.lang).locale
            years.append({"text": f"{year:04d}", "url": self.link("year", entry.lang, f"{year:04d}"), "count": len(docs),
                          "months": [{"text": month_name(year, m, locale), "count": sum(d.date.month == m for d in docs),
                                      "url": self.link("month", entry.lang, f"{year:04d}/{m:02d}")} for m in months]})
        view["years"] = years

    def _tags(self, entry: Entry, view: dict) -> None:
        tags = [{"label": tag.labels[entry.lang], "url": self.link("tag", entry.lang, tag.id),
                 "count": len(self.site.tag_posts[(entry.lang, tag.id)])}
                for tag in self.site.tags.values() if (entry.lang, tag.id) in self.site.tag_posts]
        view["tags"] = sorted(tags, key=lambda t: slug(t["label"]))  # accents ignored: "Éthique" between D and F

    def _notfound(self, entry: Entry, view: dict) -> None:
        view["page"]["noindex"] = True
        view["posts"] = [self.card(d, entry.lang) for d in self.site.posts[entry.lang][:5]]

    def _feed(self, entry: Entry, view: dict) -> None:
        posts = [self.read(d) for d in entry.posts[: self.config.feed_entries]]
        view["feed"] = {"self": absolute(self.config, entry.url), "id": absolute(self.config, entry.url),
                        "updated": rfc3339(max((d.date.start for d in posts), default=None)),
                        "alternate": absolute(self.config, self.url("home", entry.lang)), "title": None}
        view["entries"] = [{"title": d.title, "url": absolute(self.config, self.url("post", entry.lang, d.key)),
                            "date": rfc3339(d.date), "summary": d.summary,
                            "html": resolve(d.body.html, entry.lang, self.file_url_absolute),
                            "tags": [self.site.tags[t].labels[entry.lang] for t in d.tags]} for d in posts]

    def _tagfeed(self, entry: Entry, view: dict) -> None:
        self._feed(entry, view)
        view["feed"]["title"] = self.site.tags[entry.page.key].labels[entry.lang]
        view["feed"]["alternate"] = absolute(self.config, self.url("tag", entry.lang, entry.page.key))

    def _page(self, entry: Entry, view: dict) -> None:
        doc = self.read(entry.doc)
        view["page"].update(title=doc.title, description=doc.summary or view["page"]["description"])
        original = self.site.stale.get((doc.lang, doc.key)) if not entry.fallback else None
        view["doc"] = {**self._card(doc, entry.lang), "html": resolve(doc.body.html, entry.lang, self.file_link),
                       "lang": doc.lang,
                       "toc": [{"level": level, "anchor": anchor, "title": title} for level, anchor, title in doc.body.toc]
                              if len(doc.body.toc) >= self.config.toc_min_headings else [],
                       "image_alt": doc.image_alt, "fallback": entry.fallback,
                       "original": self._original(doc, entry) if entry.fallback else None,
                       "stale": {"url": self.link(doc.kind, original.lang, doc.key),
                                 "lang_name": self.config.language(original.lang).name, "lang": original.lang} if original else None}
        if entry.fallback:
            view["page"]["canonical"] = absolute(self.config, self.url(doc.kind, doc.lang, doc.key))

    def _original(self, doc: Document, entry: Entry) -> dict:
        return {"url": self.link(doc.kind, doc.lang, doc.key), "lang": doc.lang,
                "lang_name": self.config.language(doc.lang).name}

    def _post(self, entry: Entry, view: dict) -> None:
        self._page(entry, view)
        doc, lang = entry.doc, entry.lang
        position = self.positions.get((doc.lang, doc.key))
        siblings = self.site.posts[doc.lang]
        newer = siblings[position - 1] if position else None
        older = siblings[position + 1] if position is not None and position + 1 < len(siblings) else None
        view["doc"]["newer"] = self.card(newer, lang) if newer and not entry.fallback else None
        view["doc"]["older"] = self.card(older, lang) if older and not entry.fallback else None
        view["doc"]["related"] = [] if entry.fallback else [self.card(d, lang) for d in self.site.related.get((lang, doc.key), ())]
        view["page"]["og_type"] = "article"
        data = blog_posting(entry, doc, self.versions[entry.page], self.config, None)
        data["keywords"] = [t["label"] for t in view["doc"]["tags"]]
        view["page"]["jsonld"] = data
