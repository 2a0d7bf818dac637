"""From archive texts to the articles to write: segment, clean, deduplicate, date, tag, key them (no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from builder.errors import BuildError
from builder.importer import dates, tags
from builder.importer.clean import clean
from builder.importer.decode import SEPARATORS
from builder.importer.model import Archive, Cleaned, Found
from builder.importer.segment import segment
from builder.urls import slug

DUPLICATE_SIMILARITY = 0.8  # share of normalised lines two occurrences must have in common


@dataclass(frozen=True)
class Planned:
    """One article ready to be written."""

    key: str  # file key and slug
    found: Found  # where it came from
    cleaned: Cleaned  # its Markdown
    dated: dates.Dated  # its date
    choice: tags.TagChoice  # its tags and why
    meta: dict  # front matter in contract order, without import_digest (added when the file is rendered)


@dataclass(frozen=True)
class Duplicate:
    """An occurrence left out because the same article was imported from elsewhere."""

    found: Found  # the occurrence left out
    kept: Found  # the occurrence imported


@dataclass(frozen=True)
class Plan:
    """Everything an import run decided."""

    articles: tuple[Planned, ...]  # to write, in archive order
    duplicates: tuple[Duplicate, ...]  # occurrences reported, not written
    archives: tuple[Archive, ...]  # the segmented archives
    errors: tuple[BuildError, ...]  # files that could not be imported


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.casefold()))


def _lines(found: Found) -> set[tuple[str, ...]]:
    return {_words(line.text) for block in found.blocks for line in block.lines if _words(line.text)}


def same_article(a: Found, b: Found) -> bool:
    """Two occurrences of one article: same title words and mostly the same lines."""
    if _words(a.title.text) != _words(b.title.text):
        return False
    left, right = _lines(a), _lines(b)
    return bool(left and right) and len(left & right) / max(len(left), len(right)) >= DUPLICATE_SIMILARITY


def _stated(found: Found, cleaned: Cleaned, archive: Archive) -> dates.Dated | None:
    """A date the archive states for this article (source note, opening date, navigation), if any."""
    opening = found.blocks[0].first.text if found.blocks else ""
    stated = dates.explicit(cleaned.notes, opening)
    if stated is None and archive.nav_month:
        year, month = archive.nav_month
        stated = dates.Dated(
            f"{year:04d}-{month:02d}",
            "navigation",
            "archive page between the previous and next months' pages",
        )
    return stated


Ident = tuple[str, int]  # (archive file name, position of the article in it)


def _ident(found: Found) -> Ident:
    return found.source, found.index


def _segmented(texts: list[tuple[str, str]]) -> tuple[list[Archive], list[BuildError]]:
    """Split each archive into articles; an archive that cannot be split is an error."""
    archives, errors = [], []
    for name, text in texts:
        result = segment(text.translate(SEPARATORS), name)
        (errors if isinstance(result, BuildError) else archives).append(result)
    return archives, errors


def _duplicates(occurrences: list[Found], stated: dict[Ident, dates.Dated | None]) -> dict[Ident, Found]:
    """Occurrences left out → the occurrence of the same article kept (the one whose date is best stated)."""

    def rank(found: Found) -> int:
        return dates.RANK[(stated[_ident(found)] or dates.Dated("", "unknown", "")).source]

    kept_for: dict[Ident, Found] = {}
    for index, found in enumerate(occurrences):
        for other in occurrences[:index]:
            if _ident(other) not in kept_for and same_article(found, other):
                keep, drop = (found, other) if rank(found) < rank(other) else (other, found)
                kept_for[_ident(drop)] = keep
                kept_for.pop(_ident(keep), None)
                break
    return kept_for


def _dated(archives: list[Archive], stated: dict[Ident, dates.Dated | None]) -> dict[Ident, dates.Dated]:
    """Each article's date, archive by archive (newest first in each)."""
    dated: dict[Ident, dates.Dated] = {}
    for archive in archives:
        order = [
            (stated[_ident(f)], dates.clues(f.title.text + "\n" + "\n".join(b.text for b in f.blocks)))
            for f in archive.articles
        ]
        for found, result in zip(archive.articles, dates.infer(order), strict=True):
            dated[_ident(found)] = result
    return dated


def _tagged(
    archives: list[Archive], cleaned: dict[Ident, Cleaned], vocabulary: tags.Vocabulary
) -> dict[Ident, tags.TagChoice]:
    """Each article's tags; with too little evidence, those of the articles around it, then the commonest."""
    choices = {
        _ident(f): tags.choose(f.title.text, cleaned[_ident(f)].body, vocabulary)
        for a in archives
        for f in a.articles
    }
    commonest = tags.commonest(list(choices.values()), vocabulary)
    for archive in archives:
        for position, found in enumerate(archive.articles):
            if len(choices[_ident(found)].tags) < tags.MIN_TAGS:
                around = [
                    archive.articles[i]
                    for i in (position - 1, position + 1)
                    if 0 <= i < len(archive.articles)
                ]
                fallback = tuple(t for f in around for t in choices[_ident(f)].tags) + commonest
                choices[_ident(found)] = tags.choose(
                    found.title.text, cleaned[_ident(found)].body, vocabulary, fallback
                )
    return choices


def _key(title: str, used: set[str]) -> str:
    """The title's slug, numbered when an earlier article of the run has it."""
    key = base = slug(title, max_length=60) or "article"
    number = 2
    while key in used:
        key, number = f"{base}-{number}", number + 1
    used.add(key)
    return key


def plan(texts: list[tuple[str, str]], vocabulary: tags.Vocabulary) -> Plan:
    """Turn (file name, text) pairs into a Plan: what to write, what is duplicated, what failed."""
    archives, errors = _segmented(texts)
    occurrences = [f for a in archives for f in a.articles]
    cleaned = {_ident(f): clean(f) for f in occurrences}
    stated = {_ident(f): _stated(f, cleaned[_ident(f)], a) for a in archives for f in a.articles}
    kept_for = _duplicates(occurrences, stated)
    for ident, keep in kept_for.items():  # an article's stated date also dates its other occurrence
        if stated[ident] is None and stated[_ident(keep)] is not None:
            stated[ident] = stated[_ident(keep)]
    dated = _dated(archives, stated)
    choices = _tagged(archives, cleaned, vocabulary)
    planned: list[Planned] = []
    used: set[str] = set()
    for found in occurrences:
        ident = _ident(found)
        if ident not in kept_for:
            key = _key(found.title.text, used)
            meta = front_matter(key, found, cleaned[ident], dated[ident], choices[ident])
            planned.append(Planned(key, found, cleaned[ident], dated[ident], choices[ident], meta))
    duplicates = tuple(Duplicate(f, kept_for[_ident(f)]) for f in occurrences if _ident(f) in kept_for)
    return Plan(tuple(planned), duplicates, tuple(archives), tuple(errors))


def front_matter(
    key: str, found: Found, cleaned: Cleaned, dated: dates.Dated, choice: tags.TagChoice
) -> dict:
    """The front matter fields, in the order the build expects."""
    meta: dict = {"title": found.title.text.strip(), "date": dated.date, "date_source": dated.source}
    if dated.note:
        meta["date_note"] = dated.note
    meta.update({"slug": key, "tags": list(choice.tags), "summary": cleaned.summary})
    if found.alt:
        meta["image"] = {"alt": found.alt}
    meta["source"] = {"file": found.source, "lines": [found.first_line, found.last_line]}
    return meta


def rekeyed(article: Planned, key: str) -> Planned:
    """The same article written under another key (its existing file's, or a free one)."""
    return replace(article, key=key, meta={**article.meta, "slug": key})
