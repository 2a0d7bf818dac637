"""Finding the pictures an article shows: the `<img>` tags of its body and its front matter hero, and the
asset each one names, looked for beside the article.

A picture lives next to the article that shows it, shared by every language version: in
`content/posts/<key>/` (a folder named like the article's key) or in `content/posts/` itself. These
functions only read the document and the list of assets: checking and processing come after.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from html import escape, unescape
from typing import Iterable, Mapping
from urllib.parse import unquote

from builder.discover import NAME, nfc
from builder.model import Document

IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/)")
SRC = re.compile(r"""\ssrc\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""")


def attributes(tag: str) -> dict[str, str | None]:
    """The attributes of one HTML start tag, unescaped."""
    found = {}
    for match in ATTR.finditer(tag[4:-1].rstrip("/")):
        value = next((v for v in match.groups()[1:] if v is not None), "")  # a bare attribute is empty
        found.setdefault(match[1].lower(), unescape(value))
    return found


def local(src: str | None) -> bool:
    """Whether an image source names a file beside the article (no scheme, host or site path)."""
    return bool(src) and not EXTERNAL.match(src)


def bare(src: str) -> str:
    """A picture's source without its fragment and query, percent-escapes decoded."""
    return unquote(src.split("#", 1)[0].split("?", 1)[0])


def folders(doc_path: str, key: str) -> list[str]:
    """Where a picture of an article may be: its key's folder, then the article's own folder."""
    folder = os.path.dirname(doc_path)
    match = NAME.match(nfc(os.path.basename(doc_path)))
    keys = dict.fromkeys(k for k in (match["key"] if match else None, key) if k)
    return [f"{folder}/{k}" for k in keys] + [folder]


def locate(doc_path: str, key: str, src: str, assets: Mapping[str, str]) -> str | None:
    """The asset a picture's source names, looked for in the article's key folder, then beside it."""
    path = nfc(bare(src))
    if not path or ".." in path.split("/"):
        return None
    for folder in folders(doc_path, key):
        candidate = os.path.normpath(f"{folder}/{path}")
        if candidate in assets:
            return candidate
    return None


def canonical(doc: Document, assets: Mapping[str, str]) -> Document:
    """The document with each picture's source written relative to its folder (`key/photo.jpg`)."""
    html = doc.body.html  # so that link checks and views find the file in either of its two places
    if "<img" not in html:
        return doc
    folder = os.path.dirname(doc.path)

    def rewrite(match: re.Match) -> str:
        """One `<img>` tag, its source rewritten when it names an asset."""
        tag = match[0]
        src = attributes(tag).get("src")
        found = locate(doc.path, doc.key, src, assets) if local(src) else None
        if found is None:
            return tag
        written = escape(os.path.relpath(found, folder), quote=True)
        return SRC.sub(f' src="{written}"', tag, count=1)

    moved = IMG.sub(rewrite, html)
    return doc if moved == html else replace(doc, body=replace(doc.body, html=moved))


@dataclass(frozen=True)
class Use:
    """One place a picture is shown: the document, what it wrote, and whether it is the hero."""

    doc: Document
    src: str  # as written (in the body or in image.src)
    hero: bool


def uses(doc: Document) -> Iterable[tuple[Use, dict]]:
    """Every picture of a document beside it: the hero first, then the body's, with their attributes."""
    if doc.image_src:
        yield Use(doc, doc.image_src, True), {"alt": doc.image_alt}
    if "<img" in doc.body.html:
        for match in IMG.finditer(doc.body.html):
            found = attributes(match[0])
            if local(found.get("src")):
                yield Use(doc, found["src"], False), found


def hero_asset(doc: Document, assets: Mapping[str, object]) -> str | None:
    """The asset of a document's hero picture, or None when it has none (or it is not among `assets`)."""
    return locate(doc.path, doc.key, doc.image_src, assets) if doc.image_src else None


def shown(doc: Document, assets: Mapping[str, object]) -> list[str]:
    """The assets among `assets` that a document shows, in the order of its uses."""
    found = []
    for use, _ in uses(doc):
        asset = locate(doc.path, doc.key, use.src, assets)
        if asset:
            found.append(asset)
    return found
