"""Write planned articles to content/posts without ever clobbering a person's edits or another article."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from builder.errors import BuildError
from builder.frontmatter import dump
from builder.importer import digest
from builder.importer.owners import Existing, Placement, place, scan
from builder.importer.pipeline import Planned

CREATED, UPDATED, UNCHANGED, KEPT, FAILED = "created", "updated", "unchanged", "kept because edited", "failed"


@dataclass(frozen=True)
class Outcome:
    """What happened (or would happen, in a dry run) to one article file."""

    path: Path  # the article file
    action: str  # CREATED, UPDATED, UNCHANGED, KEPT or FAILED
    reason: str = ""  # why a file was kept, written under another key, or overwritten with --force
    article: Planned | None = None  # the article, under the key it was written with
    error: BuildError | None = None  # why it failed (FAILED only)


def render(article: Planned) -> str:
    """The file text for a planned article, its import_digest covering everything else in it."""
    meta = {key: value for key, value in article.meta.items() if key != digest.FIELD}
    body = article.cleaned.body
    return dump({**meta, digest.FIELD: digest.text_digest(dump(meta, body))}, body)


def _shown(value: object) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _differences(holder: Existing, article: Planned) -> str:
    """The front matter fields that differ between a file and what this import would write."""
    old = {k: v for k, v in holder.parsed.meta.items() if k != digest.FIELD}
    new = article.meta
    fields = [key for key in dict.fromkeys([*new, *old]) if old.get(key) != new.get(key)]
    return "; ".join(
        f"{key} {_shown(old[key])} → {_shown(new[key])}" if key in old and key in new else key
        for key in fields
    )


def _edited(holder: Existing, article: Planned) -> str:
    """Why an existing file of this article must be kept, or "" when it may be overwritten."""
    if holder.parsed is None:
        return f"{holder.problem}: fix it or delete it, then import again"
    found = digest.state(holder.text, holder.parsed)
    if found == digest.UNEDITED:
        return ""
    if found == digest.MISSING:
        return "it has no import_digest: it was not written by the importer"
    if found == digest.EDITED:
        return "it was edited since its import (front matter or body)"
    changed = _differences(holder, article)
    if not changed:
        return ""
    return (
        f"it was written by an earlier importer, whose import_digest covered the body only, and its "
        f"front matter differs from this import ({changed}): it may have been edited by hand"
    )


def decide(placement: Placement, text: str, force: bool) -> Outcome:
    """Compare the wanted text with the file on disk: create, update, leave unchanged or keep an edit."""
    path, holder, article = placement.path, placement.holder, placement.article
    if placement.error:
        return Outcome(path, FAILED, placement.error.message, article, placement.error)
    if holder is None:
        return Outcome(path, CREATED, placement.note, article)
    if holder.text == text:
        return Outcome(path, UNCHANGED, "", article)
    reason = _edited(holder, article)
    if not reason:
        return Outcome(path, UPDATED, "", article)
    if force and holder.parsed is not None:
        return Outcome(path, UPDATED, f"overwritten with --force although {reason}", article)
    return Outcome(path, KEPT, reason, article)


def write_text(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then renamed over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def _written(outcome: Outcome, text: str) -> Outcome:
    """Write the file of a created or updated outcome; a failure becomes a FAILED outcome naming the file."""
    try:
        outcome.path.parent.mkdir(parents=True, exist_ok=True)
        write_text(outcome.path, text)
    except OSError as exc:
        error = BuildError(
            str(outcome.path),
            None,
            f"cannot write the article ({exc.strerror or exc})",
            "check that the folder exists and can be written, then import again",
            "output",
        )
        return Outcome(outcome.path, FAILED, error.message, outcome.article, error)
    return outcome


def apply(articles: tuple[Planned, ...], posts: Path, dry_run: bool, force: bool) -> list[Outcome]:
    """Decide each article's fate and, unless dry_run, write the created and updated files."""
    outcomes = []
    for placement in place(articles, posts, scan(posts)):
        text = render(placement.article)
        outcome = decide(placement, text, force)
        if not dry_run and outcome.action in (CREATED, UPDATED):
            outcome = _written(outcome, text)
        outcomes.append(outcome)
    return outcomes
