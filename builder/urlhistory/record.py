"""What the URL history holds: `Ref`, the page a URL belongs to, independent of its URL; `History`, the
file as read; and the Atom entry ids of articles (RFC 4151 tag URIs), fixed when first published.

These are plain values, shared by the reading and the writing of content/urls.toml and by the stages
that use it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, NamedTuple
from urllib.parse import quote, urlsplit

from builder.config import Config
from builder.errors import BuildError, ErrorKind
from builder.model import Entry

FILE = "urls.toml"
PATH = f"content/{FILE}"


class Ref(NamedTuple):
    """A page independent of its URL: what a URL of the history belongs to."""

    kind: str  # home, post, page, tag, year…
    key: str  # article key, tag id, year…
    lang: str  # language code
    number: int = 1  # page number of a paginated list


def ref_of(entry: Entry) -> Ref:
    """The page an entry is."""
    return Ref(entry.page.kind, entry.page.key, entry.lang, entry.page.number)


def id_key(key: str, lang: str) -> str:
    """The [ids] key of an article in a language: its file name without .md."""
    return f"{key}.{lang}"


@dataclass(frozen=True)
class History:
    """content/urls.toml as read, with the entry ids of the articles not yet recorded added."""

    urls: Mapping[str, Ref] = field(default_factory=dict)  # URL -> page
    ids: Mapping[str, str] = field(default_factory=dict)  # "key.lang" -> Atom entry id (recorded or new)
    recorded: Mapping[str, str] = field(default_factory=dict)  # the ids the file holds
    exists: bool = False  # whether the file exists
    report: list = field(default_factory=list, compare=False)  # the build's warnings, where moves are told

    def digest(self) -> str:
        """Digest of what pages show from the history (ids; redirects are pages of their own)."""
        return hashlib.sha256(repr(sorted(self.ids.items())).encode()).hexdigest()[:16]


def tag_id(host: str, key: str, lang: str, year: int) -> str:
    """An RFC 4151 tag URI for an article: the site's domain, a year, the article's key and language."""
    return f"tag:{host},{year:04d}:{quote(id_key(key, lang), safe='-._~')}"


def domain(config: Config) -> str:
    """The host of the site's base_url, which tag URIs name (config.toml's, even in a preview build)."""
    return (urlsplit(config.site_url or config.base_url).hostname or "localhost").lower()


def location(config: Config) -> Path:
    """Where the history of a site is: content/urls.toml."""
    return config.content_dir / FILE


def error(line: int | None, message: str, hint: str) -> BuildError:
    """An error in content/urls.toml, at a line when one is known."""
    return BuildError(PATH, line, message, hint, kind=ErrorKind.CONTENT)
