"""Redirect pages: an old URL of a page (from content/urls.toml) or an alias leads to the page's URL.

Each is a small page in the target's language (a meta refresh and a link, `rel=canonical` to the
target, `noindex`), written where the old URL names a folder or an .html file; every redirect is also a
line of `_redirects` at the output root (Netlify and Cloudflare Pages answer it with a 301). Redirect
pages are made once every other page's URL is known (`pages`, called by the plan stage): the kind's own
`entries` has none to give.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, NamedTuple

from builder.errors import BuildError, ErrorKind
from builder.frontmatter import field_line
from builder.i18n import typography
from builder.kinds.base import Kind
from builder.model import Document, Entry, PageId
from builder.urls import absolute, output_file

FILE = "_redirects"
HEADER = "# Moved pages, 301 (Netlify, Cloudflare Pages), from content/urls.toml and aliases\n"


class Redirect(NamedTuple):
    """One old URL and where it leads."""

    target: str  # site-relative URL of the page now
    lang: str  # the page's language
    doc: Document | None  # the article or page it shows, if any


def is_page(url: str) -> bool:
    """Whether a redirect page can stand at a URL: a folder or an .html file (a feed gets a 301 line only)."""
    last = url.rsplit("/", 1)[1]
    return not last or last.endswith((".html", ".htm"))


def entry(old: str, redirect: Redirect) -> Entry:
    """The redirect page at an old URL (its key holds the target, so a new target is a new page)."""
    return Entry(PageId("redirect", f"{old} {redirect.target}"), redirect.lang, old, doc=redirect.doc)


def _url(config, lang, page, doc=None, tag=None) -> str:
    return page.key.split(" ", 1)[0]


def shape(views, entry: Entry, view: dict) -> None:
    """The page's target: its URL, absolute and as a link, and its title."""
    target = entry.page.key.split(" ", 1)[1]
    doc = views.read(entry.doc) if entry.doc else None
    title = typography(doc.title, doc.lang) if doc else view["site"]["title"]
    view["page"].update(
        noindex=True, canonical=absolute(views.config, target), title=title, alternates=[], og_alternates=[]
    )
    view["redirect"] = {
        "href": views.href(target),
        "absolute": absolute(views.config, target),
        "title": title,
        "lang": doc.lang if doc else entry.lang,
    }


def _alias_line(text: str, url: str) -> int | None:
    """The line of the front matter that writes an alias (else the `aliases:` line)."""
    start = field_line(text, "aliases")
    if start is None:
        return None
    bare = url.strip("/")
    shorter = bare.split("/", 1)[1] if "/" in bare else bare
    for number, line in enumerate(text.split("\n")[start - 1 :], start=start):
        if number > start and not line.startswith((" ", "\t", "-")):
            break
        if bare in line or shorter in line:
            return number
    return start


def aliases(
    docs: list[Document], entries: list[Entry], root: Path
) -> tuple[dict[str, Redirect], list[BuildError]]:
    """The redirects the documents' `aliases` ask for; an alias that is a page's URL, or that two files
    claim, is an error naming the file and line."""
    from builder.kinds.root import ROOT_FILES  # root imports the registry, which imports this module

    pages = {e.url: e for e in entries}
    own = {(e.doc.kind, e.doc.key, e.doc.lang): e.url for e in entries if e.doc and not e.fallback}
    found, claims, errors = {}, {}, []
    for doc in sorted(docs, key=lambda d: d.path):
        for url in doc.aliases:
            target, problem = own.get((doc.kind, doc.key, doc.lang)), None
            if url in pages:
                what = pages[url].doc.path if pages[url].doc else f"the {pages[url].page.kind} page"
                problem = (
                    f"the alias {url} is the URL of a page ({what})",
                    "remove the alias, or change the page's slug",
                )
            elif url in claims:
                problem = (
                    f"the alias {url} is also claimed by {claims[url]}",
                    "keep it in one of the two files",
                )
            elif output_file(url) in (*ROOT_FILES, FILE):
                problem = (f"the alias {url} is a file the build writes", "choose another path")
            if problem:
                where = _alias_line((root / doc.path).read_text(encoding="utf-8", errors="replace"), url)
                errors.append(BuildError(doc.path, where, *problem, kind=ErrorKind.URL))
            elif target:
                claims[url] = doc.path
                found[url] = Redirect(target, doc.lang, doc)
    return found, errors


def pages(
    moved: Mapping[str, tuple[str, str]], alias: Mapping[str, Redirect], entries: list[Entry]
) -> tuple[dict[str, Redirect], list[Entry]]:
    """Every redirect (old URLs of the history, then aliases, which win) and the pages they get."""
    by_url = {e.url: e for e in entries}
    every = {old: Redirect(target, lang, by_url[target].doc) for old, (target, lang) in moved.items()}
    every.update(alias)
    return every, [entry(old, r) for old, r in sorted(every.items()) if is_page(old)]


def redirects_file(every: Mapping[str, Redirect], base_path: str, own: str | None) -> bytes | None:
    """The `_redirects` file: the site's own static/_redirects first (when it has one), then a line per
    redirect; None when there is neither."""
    if not every and own is None:
        return None
    lines = [f"{base_path}{old[1:]} {base_path}{r.target[1:]} 301" for old, r in sorted(every.items())]
    head = (own.rstrip("\n") + "\n\n") if own else ""
    return (head + HEADER + "".join(f"{line}\n" for line in lines)).encode("utf-8")


def own_redirects(root: Path) -> str | None:
    """The site's static/_redirects, which the generated file includes."""
    path = os.path.join(root, "static", FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None


KIND = Kind("redirect", "redirect-page.html", lambda site, config, lang: [], _url, shape, sitemap=False)
