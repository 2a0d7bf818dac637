"""What a translator translates in an article: front matter fields and body blocks, each a segment, with
what changed in the original since the translation was made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.config import Config
from builder.frontmatter import field_line
from builder.translate.align import ADDED, REMOVED, SAME, Pair, align
from builder.translate.articles import Article
from builder.translate.blocks import parse_body
from builder.translate.history import Found, made_from

FIELDS = ("title", "summary", "image.alt", "image.caption")  # front matter fields translated as segments


@dataclass(frozen=True)
class Segment:
    """One unit of translation."""

    id: str  # title, summary, image.alt, image.caption, body.1, body.2…
    source: str  # the original's text now
    target: str  # the translation's text ("" when there is none yet)
    fuzzy: bool  # the original changed since the translation was made (or it is unknown whether it did)
    previous: str | None  # the original's text when the translation was made, for fuzzy segments
    note: str  # what the segment is, for the translator
    line: int | None  # its line in the original


@dataclass(frozen=True)
class Comparison:
    """An article's original now and then, and its translation, block by block."""

    article: Article
    pairs: list[Pair]
    found: Found  # the original the translation was made from (its body, or why it is unknown)
    aligned: bool  # the translation has the block structure of the original it was made from

    @property
    def state(self) -> str:
        """missing, draft, untracked, stale or current."""
        translation = self.article.translation
        if translation is None:
            return "missing"
        if translation.parsed.meta.get("draft") is True:
            return "draft"
        if translation.translation_of is None:
            return "untracked"
        return "current" if translation.translation_of == self.article.original.digest else "stale"


def field(meta: dict[str, Any], name: str) -> str:
    """A front matter field as text, `image.alt` and `image.caption` for the picture's ("" when absent)."""
    if name.startswith("image."):
        image = meta.get("image")
        return str(image.get(name[6:]) or "") if isinstance(image, dict) else ""
    value = meta.get(name)
    return "" if value is None else str(value)


def compare(config: Config, article: Article) -> Comparison:
    """Pair the original's blocks now and when translated with the translation's."""
    original, translation = article.original, article.translation
    if translation is None:
        unknown = Found(None, reason="no translation")
        return Comparison(article, align(None, original.body, None), unknown, True)
    if translation.translation_of == original.digest:
        found = Found(original.parsed)
    else:
        found = made_from(config.root, original.path, translation.translation_of)
    old = None
    if found.parsed is original.parsed:
        old = original.body
    elif found.parsed is not None:
        old = parse_body(found.parsed.body)
    aligned = old is not None and old.shape == translation.body.shape
    return Comparison(article, align(old, original.body, translation.body), found, aligned)


def _line(comparison: Comparison, name: str) -> int | None:
    return field_line(comparison.article.original.text, name.split(".")[0])


def _own(comparison: Comparison, target: str, source: str) -> str:
    """A draft translation's text, "" where it is still the original's (as `translate-stub` leaves it)."""
    return "" if comparison.state == "draft" and target == source else target


def _fields(comparison: Comparison) -> list[Segment]:
    """Segments for the title, summary and picture alt text and caption the original has."""
    original, translation = comparison.article.original, comparison.article.translation
    then = comparison.found.parsed.meta if comparison.found.parsed else None
    segments = []
    for name in FIELDS:
        source = field(original.parsed.meta, name)
        if not source.strip():
            continue
        target = _own(comparison, field(translation.parsed.meta, name) if translation else "", source)
        previous = field(then, name) if then is not None else None
        fuzzy = bool(target) and (previous is None or previous != source)
        segments.append(
            Segment(
                name,
                source,
                target,
                fuzzy,
                previous if fuzzy else None,
                f"front matter: {name}",
                _line(comparison, name),
            )
        )
    return segments


def segments(comparison: Comparison) -> list[Segment]:
    """Every segment of an article, in order: front matter fields, then body blocks."""
    found = [*_fields(comparison)]
    body_line = comparison.article.original.parsed.body_line
    number = 0
    for pair in comparison.pairs:
        if pair.state == REMOVED:
            continue
        number += 1
        target = pair.translation.text if pair.translation and pair.state != ADDED else ""
        target = _own(comparison, target, pair.now.text)
        fuzzy = bool(target) and (pair.state != SAME or not comparison.aligned)
        previous = pair.then.text if fuzzy and pair.then else None
        note = pair.now.label
        if fuzzy and not comparison.aligned:
            note += "; the translation's blocks may not match the original's: check this one"
        found.append(
            Segment(
                f"body.{number}", pair.now.text, target, fuzzy, previous, note, body_line + pair.now.line - 1
            )
        )
    return found
