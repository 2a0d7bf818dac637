"""The search page of a language (`/fr/recherche/`, `/en/search/`), and the header entry every page has.

The page is a form that the theme's `static/search.js` runs with Pagefind's JavaScript API over the
language's bundle (see builder/search/); it shows no document, so it changes only with the tags,
their pages and the settings. Without JavaScript it says so and links to the tag index and the archives.
"""

from __future__ import annotations

from dataclasses import replace

from babel import Locale

from builder.kinds.base import Kind, single
from builder.urls import slug

FOLDER = "pagefind"  # under output/: one Pagefind bundle per language, pagefind/<lang>/


def bundle_url(lang: str) -> str:
    """The site-relative URL of a language's bundle (its pagefind.js is there)."""
    return f"/{FOLDER}/{lang}/"


def _url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/{config.language(lang).paths['search']}/"


def _entries(site, config, lang):
    return [single(KIND, config, lang)] if config.search else []


def _language_name(config, lang: str, page_lang: str) -> str:
    """A language's name in the page's language ("anglais" on a French page)."""
    name = Locale.parse(config.language(lang).locale).get_language_name(config.language(page_lang).locale)
    return name or config.language(lang).name


def shape(views, entry, view) -> None:
    """Where the bundles are, the other languages, and each tag's label and page in the page's language."""
    config, lang = views.config, entry.lang
    tags = {}
    for tag in sorted(views.tags(), key=lambda t: slug(t.labels[lang])):
        found = views.page("tag", lang, tag.id)
        tags[tag.id] = {"label": tag.labels[lang], "url": views.href(found.url) if found else None}
    others = [
        {"lang": code, "name": _language_name(config, code, lang), "bundle": views.href(bundle_url(code))}
        for code in config.codes
        if code != lang
    ]
    view["search"] = {
        "bundle": views.href(bundle_url(lang)),
        "base": config.base_path,
        "tags": tags,
        "others": others,
    }


def header(views, entry, view) -> None:
    """The header's search entry of any page: the search page of its language, when search is on."""
    found = views.page("search", entry.lang)
    view["search_url"] = views.href(found.url) if found else None


def with_header(kinds: tuple[Kind, ...]) -> tuple[Kind, ...]:
    """The page kinds, each shaping the header's search entry too, followed by the search page's kind."""

    def shaped(kind: Kind) -> Kind:
        def both(views, entry, view) -> None:
            header(views, entry, view)
            kind.shape(views, entry, view)

        return replace(kind, shape=both)

    return tuple(shaped(kind) for kind in (*kinds, KIND))


KIND = Kind("search", "search.html", _entries, _url, shape)
