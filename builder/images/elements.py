"""Pictures as pages show them: the plain values a template gets (`hero`, `view`, the Open Graph
`social` image), and the markup a body gets, a `<picture>` with a source per format (a plain `<img>` in
feeds), made a `<figure>` when a titled picture stands alone in its paragraph.

Each variant's file name carries the picture's content hash, so hosts may cache the files forever.
"""

from __future__ import annotations

import re
from html import escape
from typing import Mapping

from builder.i18n import typography
from builder.images.sources import IMG, attributes, hero_asset, local, locate
from builder.images.variants import Picture
from builder.model import Document

SIZES = "(min-width: 42.5rem) 40rem, calc(100vw - 2rem)"  # the prose column of the default theme
MIME = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
ALONE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>", re.IGNORECASE)
SET_BY_US = (
    "src",
    "alt",
    "title",
    "width",
    "height",
    "loading",
    "decoding",
    "srcset",
    "sizes",
    "fetchpriority",
)


def hero(doc: Document, pictures: Mapping[str, Picture], prefix: str) -> dict | None:
    """The hero picture of a document as templates use it, or None."""
    asset = hero_asset(doc, pictures)
    if asset is None:
        return None
    caption = typography(doc.image_caption, doc.lang) if doc.image_caption else None
    return view(pictures[asset], doc.image_alt or "", prefix, caption)


def view(found: Picture, alt: str, prefix: str, caption: str | None = None) -> dict:
    """A picture as plain values for a template: its sources per format, its fallback, its size."""
    index = found.fallback()
    sources = (
        []
        if found.copied
        else [{"type": MIME[ext], "srcset": found.srcset(prefix, ext)} for ext in found.formats]
    )
    return {
        "sources": sources,
        "src": prefix + found.file(found.ext, found.widths[index]),
        "srcset": None if found.copied else found.srcset(prefix, found.ext),
        "sizes": SIZES,
        "width": found.width,
        "height": found.height,
        "alt": alt,
        "caption": caption,
    }


def social(doc: Document, pictures: Mapping[str, Picture], base_url: str) -> dict | None:
    """The hero as an Open Graph image (absolute URL, about 1200 pixels wide), or None for none or an SVG."""
    asset = hero_asset(doc, pictures)
    if asset is None or pictures[asset].ext == "svg":
        return None
    found = pictures[asset]
    index = found.fallback(1200)
    return {
        "url": base_url + found.file(found.ext, found.widths[index]),
        "width": found.widths[index],
        "height": found.heights[index],
        "type": MIME[found.ext],
        "alt": doc.image_alt or "",
    }


def _attrs(values: dict[str, str | None]) -> str:
    """HTML attributes, values escaped; those whose value is None are left out."""
    return "".join(f' {k}="{escape(v, quote=True)}"' for k, v in values.items() if v is not None)


def markup(data: dict, extra: dict | None = None, hero_picture: bool = False) -> str:
    """The `<picture>` element of a picture view, `extra` attributes (class, id, title) on its `<img>`."""
    img = {
        "src": data["src"],
        "srcset": data["srcset"],
        "sizes": data["sizes"] if data["srcset"] else None,
        "width": str(data["width"]),
        "height": str(data["height"]),
        "alt": data["alt"],
        **(extra or {}),
    }
    img.update(
        {"fetchpriority": "high", "decoding": "async"}
        if hero_picture
        else {"loading": "lazy", "decoding": "async"}
    )
    sizes = escape(data["sizes"])
    sources = "".join(
        f'<source type="{s["type"]}" srcset="{escape(s["srcset"])}" sizes="{sizes}">' for s in data["sources"]
    )
    return f"<picture>{sources}<img{_attrs(img)}></picture>"


def feed_markup(data: dict, extra: dict | None = None) -> str:
    """A picture for a feed reader: one `<img>` with an absolute URL and its size."""
    img = {
        "src": data["src"],
        "width": str(data["width"]),
        "height": str(data["height"]),
        "alt": data["alt"],
        **(extra or {}),
    }
    return f"<img{_attrs(img)}>"


def _element(
    tag: str, doc: Document, pictures: Mapping[str, Picture], prefix: str, feed: bool, captioned: bool
) -> tuple[str, str | None] | None:
    """One `<img>` of a body as its picture markup, with its title (kept on the image unless `captioned`)."""
    found = attributes(tag)
    src = found.get("src")
    asset = locate(doc.path, doc.key, src, pictures) if local(src) else None
    if asset is None:
        return None
    title = found.get("title") or None
    extra = {k: v for k, v in found.items() if k not in SET_BY_US}
    if title and not captioned:
        extra["title"] = title
    data = view(pictures[asset], found.get("alt") or "", prefix)
    return (feed_markup(data, extra) if feed else markup(data, extra)), title


def body(html: str, doc: Document, pictures: Mapping[str, Picture], prefix: str, feed: bool = False) -> str:
    """A rendered body with each picture beside its article made a `<picture>` (a plain `<img>` in feeds)."""
    if "<img" not in html or not pictures:  # a titled picture alone in its paragraph becomes a <figure>
        return html

    def alone(match: re.Match) -> str:
        """A paragraph holding only a picture: the picture, or a `<figure>` captioned with its title."""
        made = _element(match[1], doc, pictures, prefix, feed, captioned=True)
        if made is None:
            return match[0]
        element, title = made
        if not title:
            return f"<p>{element}</p>"
        caption = escape(typography(title, doc.lang), quote=False)
        return f"<figure>{element}<figcaption>{caption}</figcaption></figure>"

    def inline(match: re.Match) -> str:
        """A picture within text: its markup."""
        made = _element(match[0], doc, pictures, prefix, feed, captioned=False)
        return match[0] if made is None else made[0]

    return IMG.sub(inline, ALONE.sub(alone, html))
