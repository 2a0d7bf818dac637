"""Which existing file holds which article: never write one article's text into another article's file.

An existing file belongs to a planned article when its `source` names the same archive and its title is
the same (or, when the title was changed by hand, its body is mostly the same). A planned article with no
file of its own whose key's file belongs to another article is written under the next free key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from builder.errors import BuildError
from builder.frontmatter import Parsed, split
from builder.importer.pipeline import Planned, rekeyed

SUFFIX = ".fr.md"
SAME_BODY = 0.5  # share of body lines in common that identifies an article whose title was changed by hand


@dataclass(frozen=True)
class Existing:
    """An article file already in content/posts."""

    path: Path  # the file
    key: str  # its name before .fr.md
    text: str | None  # its text; None when it cannot be read
    parsed: Parsed | None  # its front matter and body; None when they cannot be read
    problem: str = ""  # why it cannot be read or parsed, "" when it can

    @property
    def source(self) -> str | None:
        """The archive file its front matter names, if any."""
        source = self.parsed.meta.get("source") if self.parsed else None
        return str(source.get("file")) if isinstance(source, dict) else None


@dataclass(frozen=True)
class Placement:
    """Where one planned article goes."""

    article: Planned  # the article, under its final key
    path: Path  # the file it is written to
    holder: Existing | None  # the file already there, if any
    note: str = ""  # why the key differs from the planned one
    error: BuildError | None = None  # why it cannot be written at all


def _read(path: Path) -> Existing:
    key = path.name[: -len(SUFFIX)]
    if path.is_dir():
        return Existing(path, key, None, None, "it is a folder, not an article file")
    if not path.is_file():
        return Existing(path, key, None, None, "it is not a regular file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return Existing(path, key, None, None, "it is not UTF-8 text")
    except OSError as exc:
        return Existing(path, key, None, None, f"it cannot be read ({exc.strerror or exc})")
    parsed = split(text, str(path))
    if isinstance(parsed, BuildError):
        problem = f"its front matter no longer parses (line {parsed.line}: {parsed.message})"
        return Existing(path, key, text, None, problem)
    return Existing(path, key, text, parsed)


def scan(posts: Path) -> dict[str, Existing]:
    """Every article file of the importer's language in `posts`, by key."""
    if not posts.is_dir():
        return {}
    return {path.name[: -len(SUFFIX)]: _read(path) for path in sorted(posts.glob(f"*{SUFFIX}"))}


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.casefold()))


def _lines(body: str) -> set[tuple[str, ...]]:
    return {words for line in body.split("\n") if (words := _words(line))}


def _likeness(existing: Existing, article: Planned, left: set, right: set) -> float | None:
    """How surely `existing` (body lines `left`) holds `article` (body lines `right`), higher is surer; None
    when it holds another article."""
    if existing.parsed is None or existing.source != article.found.source:
        return None
    same_title = _words(str(existing.parsed.meta.get("title", ""))) == _words(article.found.title.text)
    shared = len(left & right) / max(len(left), len(right), 1)
    if not same_title and shared < SAME_BODY:
        return None
    return (1.0 if same_title else 0.0) + shared


def _first_line(existing: Existing) -> int:
    lines = existing.parsed.meta.get("source", {}).get("lines") if existing.parsed else None
    return lines[0] if isinstance(lines, list) and lines and isinstance(lines[0], int) else 0


def match(articles: tuple[Planned, ...], existing: dict[str, Existing]) -> dict[int, Existing]:
    """Pair planned articles (by position) with the existing files that hold them, surest pairs first."""
    pairs = []
    sources = {article.found.source for article in articles}
    mine = [found for found in existing.values() if found.parsed is not None and found.source in sources]
    lines = {found.key: _lines(found.parsed.body) for found in mine}
    for index, article in enumerate(articles):
        planned = _lines(article.cleaned.body)
        for found in mine:
            likeness = _likeness(found, article, lines[found.key], planned)
            if likeness is not None:
                distance = abs(_first_line(found) - article.found.first_line)
                pairs.append((-likeness, distance, index, found.key))
    matched: dict[int, Existing] = {}
    taken: set[str] = set()
    for _, _, index, key in sorted(pairs):
        if index not in matched and key not in taken:
            matched[index] = existing[key]
            taken.add(key)
    return matched


def _holder(existing: Existing) -> str:
    if existing.parsed is None:
        return "a file that cannot be read"
    title = str(existing.parsed.meta.get("title", "")).strip() or "untitled"
    origin = f" from {existing.source}" if existing.source else ", written by hand"
    return f"another article ({title!r}{origin})"


def _free(base: str, existing: dict[str, Existing], taken: set[str]) -> str:
    number = 2
    while f"{base}-{number}" in existing or f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def place(articles: tuple[Planned, ...], posts: Path, existing: dict[str, Existing]) -> list[Placement]:
    """Decide each planned article's file: its own existing file, else its key, else the next free key."""
    matched = match(articles, existing)
    taken = {found.key for found in matched.values()}
    placements = []
    for index, article in enumerate(articles):
        if index in matched:
            own = matched[index]
            placements.append(Placement(rekeyed(article, own.key), own.path, own))
            continue
        here = existing.get(article.key)
        if here is not None and here.parsed is None:  # cannot tell whose it is: leave it, say so
            error = (
                BuildError(
                    str(here.path),
                    None,
                    here.problem.removeprefix("it "),
                    "remove or rename it, then import again",
                    "output",
                )
                if here.problem.startswith("it is a folder")
                else None
            )
            placements.append(Placement(article, here.path, here, error=error))
            continue
        if here is None and article.key not in taken:
            taken.add(article.key)
            placements.append(Placement(article, posts / f"{article.key}{SUFFIX}", None))
            continue
        key = _free(article.key, existing, taken)
        taken.add(key)
        why = (
            f"{article.key}{SUFFIX} holds {_holder(here)}"
            if here is not None
            else f"{article.key}{SUFFIX} is taken by another article of this import"
        )
        placements.append(
            Placement(
                rekeyed(article, key), posts / f"{key}{SUFFIX}", None, f"{why}: written as {key}{SUFFIX}"
            )
        )
    return placements
