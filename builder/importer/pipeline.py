"""From archive texts to the articles to write: segment, clean, deduplicate, date, tag and key them (no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass


from builder.errors import BuildError
from builder.frontmatter import body_digest
from builder.urls import slug
from builder.importer import dates, tags
from builder.importer.clean import clean
from builder.importer.decode import SEPARATORS
from builder.importer.model import Archive, Cleaned, Found
from builder.importer.segment import segment

DUPLICATE_SIMILARITY = 0.8  # share of normalised lines two occurrences must have in common


@dataclass(frozen=True)
class Planned:
    """One article ready to be written."""

    key: str  # file key and slug
    found: Found  # where it came from
    cleaned: Cleaned  # its Markdown
    dated: dates.Dated  # its date
    choice: tags.TagChoice  # its tags and why
    meta: dict  # front matter, in contract order


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
        stated = dates.Dated(f"{year:04d}-{month:02d}", "navigation",
                             "archive page between the previous and next months' pages")
    return stated


def plan(texts: list[tuple[str, str]], vocabulary: set[str]) -> Plan:
    """Turn (file name, text) pairs into a Plan: what to write, what is duplicated, what failed."""
    errors: list[BuildError] = []
    archives: list[Archive] = []
    for name, text in texts:
        result = segment(text.translate(SEPARATORS), name)
        if isinstance(result, BuildError):
            errors.append(result)
        else:
            archives.append(result)
    cleaned = {(a.name, f.index): clean(f) for a in archives for f in a.articles}
    stated = {(a.name, f.index): _stated(f, cleaned[(a.name, f.index)], a) for a in archives for f in a.articles}
    occurrences = [f for a in archives for f in a.articles]
    kept_for: dict[tuple[str, int], Found] = {}
    for index, found in enumerate(occurrences):
        for other in occurrences[:index]:
            if (other.source, other.index) not in kept_for and same_article(found, other):
                rank = lambda f: dates.RANK[(stated[(f.source, f.index)] or dates.Dated("", "unknown", "")).source]
                keep, drop = (found, other) if rank(found) < rank(other) else (other, found)
                kept_for[(drop.source, drop.index)] = keep
                if (keep.source, keep.index) in kept_for:
                    del kept_for[(keep.source, keep.index)]
                break
    for (name, index), keep in kept_for.items():  # an article's stated date also dates its other occurrence
        if stated[(name, index)] is None and stated[(keep.source, keep.index)] is not None:
            stated[(name, index)] = stated[(keep.source, keep.index)]
    dated: dict[tuple[str, int], dates.Dated] = {}
    for archive in archives:
        order = [(stated[(archive.name, f.index)], dates.clues(f.title.text + "\n" + "\n".join(b.text for b in f.blocks)))
                 for f in archive.articles]
        for found, result in zip(archive.articles, dates.infer(order), strict=True):
            dated[(archive.name, found.index)] = result
    choices = {(f.source, f.index): tags.choose(f.title.text, cleaned[(f.source, f.index)].body, vocabulary)
               for f in occurrences}
    for archive in archives:  # too little evidence: borrow the tags of the articles around it
        for position, found in enumerate(archive.articles):
            if len(choices[(archive.name, found.index)].tags) < tags.MIN_TAGS:
                around = [archive.articles[i] for i in (position - 1, position + 1) if 0 <= i < len(archive.articles)]
                fallback = tuple(t for f in around for t in choices[(f.source, f.index)].tags)
                fallback += ("digital-transformation", "innovation")
                choices[(archive.name, found.index)] = tags.choose(found.title.text, cleaned[(archive.name, found.index)].body,
                                                                 vocabulary, fallback)
    planned: list[Planned] = []
    used: set[str] = set()
    for found in occurrences:
        ident = (found.source, found.index)
        if ident in kept_for:
            continue
        key = base = slug(found.title.text, max_length=60) or "article"
        number = 2
        while key in used:
            key, number = f"{base}-{number}", number + 1
        used.add(key)
        choice = choices[ident]
        planned.append(Planned(key, found, cleaned[ident], dated[ident], choice,
                               front_matter(key, found, cleaned[ident], dated[ident], choice)))
    duplicates = tuple(Duplicate(f, kept_for[(f.source, f.index)]) for f in occurrences if (f.source, f.index) in kept_for)
    return Plan(tuple(planned), duplicates, tuple(archives), tuple(errors))


def front_matter(key: str, found: Found, cleaned: Cleaned, dated: dates.Dated, choice: tags.TagChoice) -> dict:
    """The front matter fields, in the order the build expects."""
    meta: dict = {"title": found.title.text.strip(), "date": dated.date, "date_source": dated.source}
    if dated.note:
        meta["date_note"] = dated.note
    meta.update({"slug": key, "tags": list(choice.tags), "summary": cleaned.summary})
    if found.alt:
        meta["image"] = {"alt": found.alt}
    meta["source"] = {"file": found.source, "lines": [found.first_line, found.last_line]}
    meta["import_digest"] = body_digest(cleaned.body)
    return meta
