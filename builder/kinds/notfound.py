"""The 404 page of a language: a way back, and the newest posts."""

from __future__ import annotations

from builder.kinds.base import Kind, single


def _url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/404.html"


def shape(views, entry, view) -> None:
    view["page"]["noindex"] = True
    view["posts"] = [views.card(d, entry.lang) for d in views.posts(entry.lang)[:5]]


KIND = Kind(
    "notfound",
    "404.html",
    lambda site, config, lang: [single(KIND, config, lang)],
    _url,
    shape,
    sitemap=False,
)
