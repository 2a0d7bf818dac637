"""Links of a body rewritten for where it is shown: site links under the path of base_url, every link
absolute in feeds, relative links resolved on fallback pages (see builder/links.py for their checks)."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urljoin

from builder.model import Document

ANY = re.compile(r'(?P<attr>href|src)="(?P<value>[^"]*)"')
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")  # a scheme (https:, mailto:) or a host
SITE = re.compile(r'(?P<attr>href|src)="/(?!/)')


def rebase(doc: Document, base_path: str) -> Document:
    """The document with its site links (`/fr/…`) under the path of base_url (`/preview/fr/…`)."""
    html = doc.body.html
    if base_path == "/" or '="/' not in html:
        return doc
    moved = SITE.sub(lambda m: f'{m["attr"]}="{base_path}', html)
    return replace(doc, body=replace(doc.body, html=moved))


def absolute_links(html: str, base_url: str, base_path: str, page: str) -> str:
    """A body's links made absolute, for a feed: site links on base_url's host, relative ones on the
    absolute URL `page` of the page the body was written for (links by file are resolved before)."""
    return _resolved(html, page, base_url[: len(base_url) - len(base_path)])  # base_path ends base_url


def relative_links(html: str, page: str) -> str:
    """A body's relative links resolved against `page`, the path of the page it was written for: on a
    fallback page, which shows it under another language's URL, they lead where they led there."""
    return _resolved(html, page, None)


def _resolved(html: str, page: str, origin: str | None) -> str:
    """Relative links resolved against `page`; with an `origin`, site links and `#part` too."""

    def absolute(match: re.Match) -> str:
        value = match["value"]
        if not value or EXTERNAL.match(value) or (origin is None and value[0] in "/#"):
            return match[0]
        url = origin + value if value[0] == "/" else urljoin(page, value)
        return f'{match["attr"]}="{url}"'

    return ANY.sub(absolute, html) if 'href="' in html or 'src="' in html else html
