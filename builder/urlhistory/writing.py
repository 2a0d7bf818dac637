"""Writing content/urls.toml: what the history and the pages of a build make of each other (`reconcile`:
redirects, pages gone, URLs moved or new, and the file's new text), the text itself, one sorted line per
URL and per id, and `diptyque urls prune`, which forgets chosen URLs.

The text is rendered only when a URL appeared or moved (or an id is new), so an unchanged site never
rewrites the file.
"""

from __future__ import annotations

import json
from typing import Mapping, NamedTuple

from builder.config import Config
from builder.errors import BuildError
from builder.model import Entry
from builder.urlhistory.reading import parse, read_history
from builder.urlhistory.record import History, Ref, error, location, ref_of
from builder.writer import write_atomic

HEADER = (
    "# Every URL this site has published and its page (kind, key, language, page number),\n"
    "# kept by `diptyque build`: commit this file. A URL whose page moved redirects to its new URL.\n"
    "# `diptyque status` lists pages that are gone; `diptyque urls prune URL…` forgets a line.\n"
)
IDS_HEADER = "# Atom entry ids, fixed when an article is first published.\n"


class Moves(NamedTuple):
    """What the history and the pages of this build make of each other."""

    redirects: dict[str, tuple[str, str]]  # old URL -> (current URL, language)
    gone: list[tuple[str, Ref]]  # URLs of pages that no longer exist
    moved: list[str]  # current URLs of pages that had other URLs
    appeared: list[str]  # URLs recorded for the first time
    text: str | None  # the new file, when it must be written


def reconcile(history: History, entries: list[Entry]) -> Moves:
    """Redirects for the URLs whose page moved, the pages gone, and the history to write."""
    current = {e.url: ref_of(e) for e in entries}
    where = {ref: url for url, ref in current.items()}
    redirects, gone = {}, []
    for url, ref in sorted(history.urls.items()):
        if url in current:
            continue
        target = where.get(ref) or (where.get(ref._replace(number=1)) if ref.number > 1 else None)
        if target is None:
            gone.append((url, ref))
        else:
            redirects[url] = (target, ref.lang)
    known = set(history.urls.values())
    new = [url for url, ref in current.items() if history.urls.get(url) != ref]
    moved = sorted(url for url in new if current[url] in known)
    appeared = sorted(url for url in new if current[url] not in known)
    ids = {key: value for key, value in history.ids.items()}
    changed = bool(new) or ids != dict(history.recorded) or not history.exists
    text = render({**history.urls, **current}, ids) if changed else None
    return Moves(redirects, gone, moved, appeared, text)


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def render(urls: Mapping[str, Ref], ids: Mapping[str, str]) -> str:
    """The file's text: a header, then one sorted line per URL and per id."""
    lines = [HEADER, "[urls]"]
    for url, ref in sorted(urls.items()):
        parts = [_quoted(ref.kind), _quoted(ref.key), _quoted(ref.lang)]
        parts += [str(ref.number)] if ref.number > 1 else []
        lines.append(f"{_quoted(url)} = [{', '.join(parts)}]")
    lines += ["", IDS_HEADER.rstrip("\n"), "[ids]"]
    lines += [f"{_quoted(key)} = {_quoted(value)}" for key, value in sorted(ids.items())]
    return "\n".join(lines) + "\n"


def save(config: Config, text: str) -> None:
    """Write the history, atomically (after output/ was committed)."""
    write_atomic(location(config), text.encode("utf-8"))


def prune(config: Config, urls: list[str]) -> tuple[list[str], list[BuildError]]:
    """Forget chosen URLs of the history; return those forgotten, or the errors (nothing is written then)."""
    text, unreadable = read_history(config)
    if unreadable:
        return [], unreadable
    if text is None:
        return [], [error(None, "there is no URL history yet", "build the site once: it records its URLs")]
    known, ids, errors = parse(text, config.codes)
    if errors:
        return [], errors
    missing = [url for url in urls if url not in known]
    if missing:
        hint = "give URLs as the file writes them, e.g. /fr/2019/mon-article/"
        return [], [error(None, f"{missing[0]} is not in the history", hint)]
    kept = {url: ref for url, ref in known.items() if url not in urls}
    save(config, render(kept, ids))
    return list(urls), []
