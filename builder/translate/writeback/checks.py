"""The checks an exchange file passes before its translation is written: its segments are the original's
segments now, with the same sources; neither the original nor the translation changed since the export;
every segment is translated (or let through for review with --allow-fuzzy)."""

from __future__ import annotations

import re

from builder.config import Config
from builder.errors import BuildError
from builder.translate.articles import Article
from builder.translate.files import fingerprint
from builder.translate.formats import Unit
from builder.translate.segments import FIELDS, field

EXPORT_AGAIN = "export the article again (diptyque translate export) and carry your translations over"


def expected(article: Article) -> list[tuple[str, str, int | None]]:
    """(id, source, original line) of every segment the original has now."""
    original = article.original
    found = [
        (name, field(original.parsed.meta, name), None)
        for name in FIELDS
        if field(original.parsed.meta, name).strip()
    ]
    body = original.parsed.body_line - 1
    return found + [
        (f"body.{n}", block.text, body + block.line)
        for n, block in enumerate(original.body.segments, start=1)
    ]


def _unknown_and_repeated(
    path: str, article: Article, units: list[Unit], wanted: set[str]
) -> list[BuildError]:
    """Errors for segments the original does not have and for segments given more than once."""
    have = {unit.id: unit for unit in units}
    errors = [
        BuildError(
            path,
            have[sid].line,
            f"segment {sid} is not in the original "
            f"{article.original.path} (a block was removed since the export?)",
            EXPORT_AGAIN,
        )
        for sid in have
        if sid not in wanted
    ]
    ids = [unit.id for unit in units]
    return errors + [
        BuildError(
            path, have[sid].line, f"segment {sid} appears more than once", "keep one entry per segment"
        )
        for sid in sorted(set(ids))
        if ids.count(sid) > 1
    ]


def structure(path: str, article: Article, units: list[Unit]) -> list[BuildError]:
    """Errors when the file's segments are not the original's segments now."""
    segments = expected(article)
    have = {unit.id: unit for unit in units}
    errors = _unknown_and_repeated(path, article, units, {sid for sid, _, _ in segments})
    for sid, source, line in segments:
        unit = have.get(sid)
        where = f"{article.original.path}:{line}" if line else article.original.path
        if unit is None:
            errors.append(
                BuildError(
                    path,
                    None,
                    f"segment {sid} of {where} is missing from the file "
                    "(a block was added since the export?)",
                    EXPORT_AGAIN,
                )
            )
        elif unit.source != source:
            errors.append(
                BuildError(
                    path,
                    unit.line,
                    f"segment {sid}: its source is no longer the text of "
                    f"{where} (the original changed since the export)",
                    EXPORT_AGAIN,
                )
            )
    return errors


def original_changed(path: str, article: Article, meta: dict[str, str]) -> list[BuildError]:
    """An error when the original changed since the export."""
    if meta["original-digest"] == article.original.digest:
        return []
    return [BuildError(path, None, f"{article.original.path} changed since the export", EXPORT_AGAIN)]


def translation_edited(
    config: Config, path: str, article: Article, meta: dict[str, str], force: bool
) -> list[BuildError]:
    """An error when the translation was edited since the export, unless the import is forced."""
    current = fingerprint(article.translation.text if article.translation else None)
    if current == meta["translation-digest"] or force:
        return []
    target = article.target.relative_to(config.root)
    if article.translation is None:  # there was one at the export
        return [
            BuildError(
                path,
                None,
                f"{target} was deleted since the export",
                "restore it and import again, or import with --force to write it anew from this file",
            )
        ]
    return [
        BuildError(
            path,
            None,
            f"{target} was edited since the export: importing would overwrite those edits",
            "export again and carry the edits over, or import with --force",
        )
    ]


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, line feed and carriage return are text
FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")  # a footnote reference, or the label of its definition


def targets(
    path: str, units: list[Unit], allow_fuzzy: bool
) -> tuple[dict[str, str], list[str], list[BuildError]]:
    """The text of each segment, the ids let through for review, and the refused ones."""
    texts, review, errors = {}, [], []
    for unit in units:
        text = unit.target
        control = CONTROL.search(text)
        if control:
            errors.append(
                BuildError(
                    path,
                    unit.line,
                    f"segment {unit.id} holds the control character U+{ord(control.group()):04X}",
                    "remove it: no page can show it, and feeds and pages would be invalid",
                )
            )
        markers = FOOTNOTE.findall(unit.source), FOOTNOTE.findall(text)
        if sorted(markers[0]) != sorted(markers[1]):
            errors.append(
                BuildError(
                    path,
                    unit.line,
                    f"segment {unit.id} has the footnote references {' '.join(markers[1]) or 'none'}, "
                    f"its original {' '.join(markers[0]) or 'none'}",
                    "keep the original's [^n] references: each points to a footnote of the article",
                )
            )
        if not text.strip() or unit.fuzzy:
            state = "is not translated" if not text.strip() else "is fuzzy (marked for review)"
            if not allow_fuzzy:
                errors.append(
                    BuildError(
                        path,
                        unit.line,
                        f"segment {unit.id} {state}",
                        "translate it and clear the fuzzy mark, or import with "
                        "--allow-fuzzy (the article is then marked draft)",
                    )
                )
            review.append(unit.id)
            text = text.strip() or unit.source
        texts[unit.id] = text.strip("\n")
    return texts, review, errors
