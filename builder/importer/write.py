"""Write planned articles to content/posts without ever clobbering a person's edits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import BuildError
from builder.frontmatter import body_digest, dump, split
from builder.importer.pipeline import Planned

CREATED, UPDATED, UNCHANGED, KEPT = "created", "updated", "unchanged", "kept because edited"


@dataclass(frozen=True)
class Outcome:
    """What happened (or would happen, in a dry run) to one article file."""

    path: Path  # the article file
    action: str  # CREATED, UPDATED, UNCHANGED or KEPT
    reason: str = ""  # why a file was kept


def render(article: Planned) -> str:
    """The file text for a planned article."""
    return dump(article.meta, article.cleaned.body)


def decide(path: Path, text: str, force: bool) -> Outcome:
    """Compare the wanted text with the file on disk: create, update, leave unchanged, or keep a human edit."""
    if not path.exists():
        return Outcome(path, CREATED)
    current = path.read_text(encoding="utf-8")
    if current == text:
        return Outcome(path, UNCHANGED)
    parsed = split(current, str(path))
    if isinstance(parsed, BuildError):
        reason = f"its front matter no longer parses ({parsed.message})"
    elif "import_digest" not in parsed.meta:
        reason = "it has no import_digest: it was not written by the importer"
    elif body_digest(parsed.body) != parsed.meta["import_digest"]:
        reason = "its body was edited since the import"
    else:
        return Outcome(path, UPDATED)
    return Outcome(path, UPDATED, f"overwritten with --force although {reason}") if force else Outcome(path, KEPT, reason)


def apply(articles: tuple[Planned, ...], posts: Path, dry_run: bool, force: bool) -> list[Outcome]:
    """Decide each article's fate and, unless dry_run, write the created and updated files."""
    outcomes = []
    for article in articles:
        path = posts / f"{article.key}.fr.md"
        text = render(article)
        outcome = decide(path, text, force)
        if not dry_run and outcome.action in (CREATED, UPDATED):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        outcomes.append(outcome)
    return outcomes
