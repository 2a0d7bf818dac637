"""The one URL policy: language prefixes, localized path words, slugs, pagination."""

from __future__ import annotations

import re
from functools import lru_cache

from slugify import slugify

from builder.config import Config
from builder.model import Document

APOSTROPHES = [
    ["’", "'"],
    ["ʼ", "'"],
    ["‘", "'"],
]  # typographic apostrophes separate words like straight ones


@lru_cache(maxsize=65536)
def slug(text: str, max_length: int = 80) -> str:
    """Make a URL slug from a title or label, French-aware: "L’humanité" → "l-humanite"."""
    made = slugify(text, max_length=max_length, word_boundary=True, replacements=APOSTROPHES)
    if len(slugify(text, replacements=APOSTROPHES)) > len(made):
        made = re.sub(
            r"-[a-z]$", "", made
        )  # a cut after an elided article leaves "…-sur-l": drop the stray letter
    return made


def post_path(config: Config, doc: Document) -> str:
    """Path of an article under its language prefix, from the permalink pattern."""
    date = doc.date
    return _post_path(
        config.permalink,
        date.year if date else None,
        date.month if date else None,
        date.day if date else None,
        doc.slug,
        doc.key,
    )


@lru_cache(maxsize=65536)
def _post_path(
    permalink: str, year: int | None, month: int | None, day: int | None, slug: str, key: str
) -> str:
    values = {
        "year": f"{year:04d}" if year else "",
        "month": f"{month:02d}" if month else "",
        "day": f"{day:02d}" if day else "",
        "slug": slug,
        "key": key,
    }
    path = permalink.format(**values)
    return "/".join(part for part in path.split("/") if part) + "/"


def absolute(config: Config, url: str) -> str:
    """Turn a site-relative URL into an absolute one on base_url."""
    return config.base_url + url.lstrip("/")


def output_file(url: str) -> str:
    """File path under output/ that serves a URL: folders get index.html."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path
