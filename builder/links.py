"""Links by source file: `[texte](autre.fr.md#partie)` in Markdown becomes the URL of that page.

Writers link to a file, which does not move when a date or slug changes the URL. `key.fr.md` names a
language version; `key.md` means the version in the language of the page showing the link (or what
`missing_translation` puts in its place). A link to a file that is not an article or page is an error
naming the file and line.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Iterable

from builder.errors import BuildError, ErrorKind

# href="…/key.lang.md#anchor" as Python-Markdown writes a link; a scheme (https:, mailto:) is never ours.
LINK = re.compile(r'(?P<attr>href|src)="(?P<dirs>(?:\.{1,2}/)*(?:(?:posts|pages)/)?)'
                  r'(?P<key>[^"/#?:.]+)(?:\.(?P<lang>[a-z]{2,3}))?\.md(?P<anchor>#[^"]*)?"')


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

    def replace(match: re.Match) -> str:
        url = url_of(match["key"], match["lang"], lang)
        if url is None:
            return match[0]
        return f'{match["attr"]}="{url}{match["anchor"] or ""}"'

    return LINK.sub(replace, html)


def check(docs: Iterable, known: set[tuple[str, str]], codes: tuple[str, ...],
          read_text: Callable[[str], str]) -> list[BuildError]:
    """Errors for links by file whose target is not a document: (key, lang) pairs in `known`.

    `read_text` gives a document's source, read only when an error needs its line number.
    """
    keys = sorted({key for key, _ in known})
    errors = []
    for doc in docs:
        for key, lang, _ in targets(doc.body.html):
            if (key, lang) in known or (lang is None and any((key, code) in known for code in codes)):
                continue
            name = f"{key}.{lang}.md" if lang else f"{key}.md"
            close = difflib.get_close_matches(key, keys, n=1)
            hint = f"did you mean {close[0]}.{lang or doc.lang}.md?" if close else \
                "link to an article or page by its file name, e.g. autre-article.fr.md"
            what = f"no '{lang}' version of '{key}'" if any(k == key for k in keys) else "no article or page"
            errors.append(BuildError(doc.path, _line(read_text(doc.path), name), f"link to {name}: {what}",
                                     hint, kind=ErrorKind.CONTENT))
    return errors


def _line(text: str, name: str) -> int | None:
    """The first line of a source naming a link target, for the message."""
    for number, line in enumerate(text.split("\n"), start=1):
        if f"{name})" in line or f"{name}#" in line:
            return number
    return None
