"""The home page of a language: every published post, newest first, paginated."""

from __future__ import annotations

from builder.kinds.base import Kind, cards, lists, paged


def _url(config, lang, page, doc=None, tag=None) -> str:
    return paged(f"/{lang}/", page.number, config.language(lang).paths["page"])


KIND = Kind(
    "home",
    "list.html",
    lambda site, config, lang: lists(KIND, "", lang, site.posts[lang], config),
    _url,
    cards,
)
