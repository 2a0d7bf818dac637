"""What a page kind declares: its pages per language, URL, template, view and counterpart fallbacks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from builder.config import Config
from builder.model import Document, Entry, PageId


@dataclass(frozen=True)
class Kind:
    """One kind of page (Nikola's taxonomies and Pelican's generators have the same role)."""

    name: str  # the kind's id, PageId.kind
    template: str  # template name in the theme chain
    entries: Callable  # (site, config, lang) -> [Entry]: its pages in one language
    url: Callable  # (config, lang, page, doc, tag) -> site-relative URL
    shape: Callable  # (views, entry, view) -> None: fills the page's own part of its view
    fallbacks: Callable = lambda page: [
        PageId("home")
    ]  # where the language switcher goes when the page is absent
    sitemap: bool = True  # listed in sitemap.xml


def paginate(posts: tuple[Document, ...], size: int) -> list[tuple[Document, ...]]:
    """Split a list of posts into pages (an empty list is one empty page)."""
    return [posts[i : i + size] for i in range(0, len(posts), size)] or [()]


def paged(base: str, number: int, word: str) -> str:
    """The URL of page `number` of a list whose first page is `base`."""
    return base if number == 1 else f"{base}{word}/{number}/"


def lists(kind: Kind, key: str, lang: str, posts, config: Config, **url_args) -> list[Entry]:
    """The pages of one paginated list."""
    chunks = paginate(posts, config.posts_per_page)
    return [
        Entry(
            page=PageId(kind.name, key, n),
            lang=lang,
            posts=chunk,
            pages=len(chunks),
            url=kind.url(config, lang, PageId(kind.name, key, n), **url_args),
        )
        for n, chunk in enumerate(chunks, 1)
    ]


def single(kind: Kind, config: Config, lang: str, posts=(), key: str = "", **url_args) -> Entry:
    """The one page of a kind that has a single page per language (or per key)."""
    page = PageId(kind.name, key)
    return Entry(page, lang, kind.url(config, lang, page, **url_args), posts=posts)


def cards(views, entry: Entry, view: dict) -> None:
    """A list page's view: a card per post it holds."""
    view["posts"] = [views.card(d, entry.lang) for d in views.listed(entry)]
