"""The front matter a translation import writes: the translated fields, `translation_of`, and `draft` with
a note naming the segments to review when --allow-fuzzy let some through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.translate.articles import Article
from builder.translate.fields import DELETE
from builder.urls import slug as make_slug

REVIEW_NOTE = "Imported with segments to review"  # how the note left by --allow-fuzzy begins


def _notes(meta: dict[str, Any], review: list[str], exchange_path: str) -> tuple[list, list]:
    """The translation's notes before the import, and after it: the review note replaced or removed."""
    before = meta.get("notes") or []
    after = [n for n in before if not str(n).startswith(REVIEW_NOTE)]
    if review:
        after.append(
            f"{REVIEW_NOTE} ({', '.join(review)}) from {Path(exchange_path).name}: check them "
            "against the original, then remove this note and draft: true."
        )
    return before, after


def meta_changes(
    article: Article, texts: dict[str, str], review: list[str], exchange_path: str
) -> dict[str, Any]:
    """The front matter fields an import sets: translated fields, translation_of, draft and its note."""
    meta = article.translation.parsed.meta if article.translation else {}
    changes: dict[str, Any] = {name: texts[name] for name in ("title", "summary") if name in texts}
    pictured = {name[6:]: text for name, text in texts.items() if name.startswith("image.")}
    if pictured:  # alt text and caption translated, the picture's other keys kept
        image = meta.get("image")
        image = image if isinstance(image, dict) else article.original.parsed.meta["image"]
        changes["image"] = {**image, **pictured}
    changes["translation_of"] = article.original.digest
    before, notes = _notes(meta, review, exchange_path)
    if review:
        changes["draft"] = True
    elif len(notes) != len(before):
        changes["draft"] = DELETE
    if notes != before:
        changes["notes"] = notes or DELETE
    return changes


def new_meta(article: Article, changes: dict[str, Any]) -> dict[str, Any]:
    """Front matter of a translation that did not exist: the original's date and tags, translated fields."""
    meta = article.original.parsed.meta
    new = {
        "title": changes["title"],
        "date": meta.get("date"),
        "slug": make_slug(changes["title"]),
        "tags": meta.get("tags", []),
    }
    new.update({name: changes[name] for name in ("summary", "image") if name in changes})
    new.update({name: value for name, value in changes.items() if name not in new and value is not DELETE})
    return {name: value for name, value in new.items() if value is not None}
