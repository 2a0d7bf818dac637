"""Links in articles and pages: links by source file resolved, and every internal link checked.

Writers link to a file, `[texte](autre.fr.md#partie)`, which does not move when a date or slug changes
the URL. `key.fr.md` names a language version; `key.md` means the version in the language of the page
showing the link (or what `missing_translation` puts in its place).

Every other link or image of a body that is not external (no scheme, no host) is checked too: a
site link `/fr/…` or a relative one must lead to a page of the site (an old URL that now redirects
counts), a file of the output (static files, feeds, root files) or a file beside the source; `#partie`
must be an id of the target article or page (a heading, a footnote, any `id=` of its HTML). Each
failure is an error naming the file and line. External links are not fetched. Site links written
`/fr/…` get the path of base_url, in feeds every link becomes absolute, and on a fallback page relative
links are resolved against the page the body was written for (builder/hrefs.py).
"""

from __future__ import annotations

import difflib
import os
import re
from html import unescape
from typing import Callable, Iterable, Mapping, NamedTuple
from urllib.parse import unquote, urljoin

from builder.errors import BuildError, ErrorKind
from builder.hrefs import EXTERNAL
from builder.model import Document, Entry

# href="…/key.lang.md#anchor" as Python-Markdown writes a link; a scheme (https:, mailto:) is never ours.
LINK = re.compile(
    r'(?P<attr>href|src)="(?P<dirs>(?:\.{1,2}/)*(?:(?:posts|pages)/)?)'
    r'(?P<key>[^"/#?:.]+)(?:\.(?P<lang>[a-z]{2,3}))?\.md(?P<anchor>#[^"]*)?"'
)
FILE_LINK = re.compile(
    r'(?P<dirs>(?:\.{1,2}/)*(?:(?:posts|pages)/)?)(?P<key>[^"/#?:.]+)'
    r"(?:\.(?P<lang>[a-z]{2,3}))?\.md(?P<anchor>#.*)?"
)
# What `check` reads: one expression per attribute, as a literal start lets the search skip ahead (three
# times faster over a site's HTML than one expression starting with an alternation).
INTERNAL = tuple(
    re.compile(rf'{attr}="(?![a-zA-Z][a-zA-Z0-9+.-]*:|//)(?P<value>[^"]+)"') for attr in ("href", "src")
)
IDS = re.compile(r'\s(?:id|name)="([^"]+)"')


def targets(html: str) -> list[tuple[str, str | None, str]]:
    """The (key, language or None, anchor) of every link by file in a rendered body."""
    if ".md" not in html:
        return []
    return [(m["key"], m["lang"], m["anchor"] or "") for m in LINK.finditer(html)]


def resolve(html: str, lang: str, url_of: Callable[[str, str | None, str], str | None]) -> str:
    """Replace each link by file with `url_of(key, language or None, page language)` plus its anchor.

    A link `url_of` cannot resolve is left as written (the plan stage has reported it already).
    """
    if ".md" not in html:
        return html

    def replace_link(match: re.Match) -> str:
        url = url_of(match["key"], match["lang"], lang)
        if url is None:
            return match[0]
        return f'{match["attr"]}="{url}{match["anchor"] or ""}"'

    return LINK.sub(replace_link, html)


def anchors(html: str) -> set[str]:
    """The ids a body offers to links: headings, footnotes, any id= or name= of its HTML."""
    return {unescape(found) for found in IDS.findall(html)}


class Targets(NamedTuple):
    """What internal links may lead to."""

    pages: Mapping[str, Entry]  # site URL -> page (redirect pages included)
    moved: Mapping[str, str]  # old URL -> current URL, for every redirect (feeds too, which have no page)
    files: frozenset[str]  # site URLs of the other files of the output (static files, root files)
    assets: frozenset[str]  # files beside the sources under content/, by path
    own: Mapping[tuple[str, str, str], str]  # (kind, key, language) -> URL of a document's own page
    translations: Mapping[tuple[str, str], Mapping[str, Document]]  # (kind, key) -> language -> document
    base_path: str  # the path of base_url, which `rebase` put before site links
    unread: frozenset[str] = frozenset()  # keys of documents that could not be read: links to them unchecked


def check(docs: Iterable[Document], found: Targets, read_text: Callable[[str], str]) -> list[BuildError]:
    """Errors for the internal links and images of every document that lead nowhere.

    `read_text` gives a document's source, read only when an error needs its line number.
    """
    errors, cache = [], {}
    keys = sorted({key for _, key in found.translations})
    for doc in docs:
        html = doc.body.html
        if 'href="' not in html and 'src="' not in html:
            continue
        for match in sorted((m for pattern in INTERNAL for m in pattern.finditer(html)), key=_start):
            value = unescape(match["value"]) if "&" in match["value"] else match["value"]
            if EXTERNAL.match(value) or _own_anchor(value, html):
                continue
            problem = _problem(doc, value, found, keys, cache)
            if problem:
                written, message, hint = problem
                errors.append(
                    BuildError(
                        doc.path, _line(read_text(doc.path), written), message, hint, kind=ErrorKind.CONTENT
                    )
                )
    return list(dict.fromkeys(errors))


def _own_anchor(value: str, html: str) -> bool:
    """Whether a link is `#id` to an id of its own body, found at once (a heading's permalink, a footnote):
    the usual link, which `_problem` would find good too."""
    return value[:1] == "#" and value[1:2] != "#" and "%" not in value and f'id="{value[1:]}"' in html


def _start(match: re.Match) -> int:
    return match.start()


def _anchors(doc: Document, cache: dict) -> set[str]:
    if doc.path not in cache:
        cache[doc.path] = anchors(doc.body.html)
    return cache[doc.path]


def _missing_anchor(target: Document | None, anchor: str, written: str, cache: dict):
    """The problem of a link whose #anchor is not an id of the target document, or None."""
    anchor = unquote(anchor.lstrip("#"))
    if not anchor or target is None or f'id="{anchor}"' in target.body.html:
        return None
    if anchor in _anchors(target, cache):
        return None
    close = difflib.get_close_matches(anchor, sorted(_anchors(target, cache)), n=1)
    return (
        written,
        f"link to {written}: no anchor #{anchor} in {target.path}",
        f"did you mean #{close[0]}?" if close else "link to an id of the target (a heading's) or drop #…",
    )


def _problem(doc: Document, value: str, found: Targets, keys: list[str], cache: dict):
    """What is wrong with one link of a document, as (text to find its line, message, hint), or None."""
    by_file = FILE_LINK.fullmatch(value)
    if by_file:
        return _file_problem(doc, by_file, value, found, keys, cache)
    path, _, anchor = value.partition("#")
    path = path.split("?", 1)[0]
    if path.endswith(".md"):
        return (
            value,
            f"link to {value}: not an article or page of content/posts or content/pages",
            "link to an article or page by its file name, e.g. autre-article.fr.md",
        )
    if not path:
        return _missing_anchor(doc, anchor, value, cache)
    if path.startswith("/"):
        written = "/" + path[len(found.base_path) :] if path.startswith(found.base_path) else path
        url = written
    else:
        written = value
        if os.path.normpath(os.path.join(os.path.dirname(doc.path), unquote(path))) in found.assets:
            return None
        url = urljoin(found.own.get((doc.kind, doc.key, doc.lang), f"/{doc.lang}/"), path)
    page = _page(url, found) or _page(unquote(url), found)
    if page is None:
        if url in found.files or unquote(url) in found.files or url in found.moved:
            return None
        shown = written if written == url else f"{written} (that is {url})"
        return (
            written.split("#", 1)[0],
            f"link to {shown}: no page or file of the site there",
            "link to an article by its file name (autre.fr.md), or fix the path",
        )
    return _missing_anchor(page.doc, anchor, written, cache) if anchor else None


def _page(url: str, found: Targets) -> Entry | None:
    """The page at a site URL, also written without its final / or as …/index.html."""
    for candidate in (url, url + "/", url.removesuffix("index.html")):
        if candidate in found.pages:
            return found.pages[candidate]
    return None


def _file_problem(doc: Document, match: re.Match, value: str, found: Targets, keys: list[str], cache: dict):
    """What is wrong with a link by file: no such document, a folder outside content/, a missing anchor."""
    key, lang = match["key"], match["lang"]
    name = f"{key}.{lang}.md" if lang else f"{key}.md"
    if match["dirs"].count("../") > 1:
        return (
            value,
            f"link to {value}: a file outside content/",
            "link to an article or page by its file name, e.g. autre-article.fr.md",
        )
    versions = found.translations.get(("post", key)) or found.translations.get(("page", key))
    if key in found.unread:  # its own error is reported: a link to it is not another one
        return None
    if not versions or (lang and lang not in versions):
        close = difflib.get_close_matches(key, keys, n=1)
        hint = (
            f"did you mean {close[0]}.{lang or doc.lang}.md?"
            if close
            else "link to an article or page by its file name, e.g. autre-article.fr.md"
        )
        what = f"no '{lang}' version of '{key}'" if versions else "no article or page"
        return (name, f"link to {name}: {what}", hint)
    target = versions.get(lang or doc.lang) or next(iter(versions.values()))
    return _missing_anchor(target, match["anchor"] or "", value, cache)


def _line(text: str, name: str) -> int | None:
    """The first line of a source naming a link target, for the message."""
    lines = text.split("\n")
    for pattern in (f"({name})", f"({name}#", f"({name}", name):
        for number, line in enumerate(lines, start=1):
            if pattern in line:
                return number
    return None


def own_urls(entries: Iterable[Entry]) -> dict[tuple[str, str, str], str]:
    """(kind, key, language) -> the URL of each document's own page."""
    return {
        (e.doc.kind, e.doc.key, e.doc.lang): e.url
        for e in entries
        if e.doc and not e.fallback and e.page.kind in ("post", "page")
    }
