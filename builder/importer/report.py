"""What an import run tells the user: per-file messages, the summary table, the editor's review report."""

from __future__ import annotations

from collections import Counter

from builder.importer import tags
from builder.importer.pipeline import Plan, Planned
from builder.importer.write import CREATED, FAILED, KEPT, UNCHANGED, UPDATED, Outcome


def summary(plan: Plan, outcomes: list[Outcome], dry_run: bool) -> str:
    """The table printed at the end of a run."""
    counts = Counter(outcome.action for outcome in outcomes)
    rows = [
        (CREATED, counts[CREATED]),
        (UPDATED, counts[UPDATED]),
        (UNCHANGED, counts[UNCHANGED]),
        (KEPT, counts[KEPT]),
        ("duplicates", len(plan.duplicates)),
        ("files failed", len(plan.errors) + counts[FAILED]),
    ]
    width = max(len(label) for label, _ in rows)
    title = "Import summary (dry run: nothing written)" if dry_run else "Import summary"
    return "\n".join([title] + [f"  {label:<{width}}  {count:>4}" for label, count in rows])


def _final(plan: Plan, outcomes: list[Outcome]) -> list[tuple[Planned, Outcome | None]]:
    """Each planned article under the key it was written with, and what happened to its file."""
    if len(outcomes) != len(plan.articles):
        return [(article, None) for article in plan.articles]
    return [
        (outcome.article or article, outcome)
        for article, outcome in zip(plan.articles, outcomes, strict=True)
    ]


def review(plan: Plan, outcomes: list[Outcome]) -> list[str]:
    """Low-confidence decisions for the editor: boundaries, alt text, dates, duplicates, kept files."""
    items = []
    for article, _ in _final(plan, outcomes):
        where = f"{article.found.source}:{article.found.first_line} {article.key}"
        for flag in article.found.flags + article.cleaned.flags:
            items.append(f"{where}: {flag}")
        if article.dated.source == "unknown" or not article.dated.confident:
            dated = article.dated
            items.append(f"{where}: date {dated.date} ({dated.source}) — {dated.note}")
    for duplicate in plan.duplicates:
        found, kept = duplicate.found, duplicate.kept
        items.append(
            f"{found.source}:{found.first_line} {found.title.text.strip()!r}: "
            f"duplicate of {kept.source}:{kept.first_line}, imported from there only"
        )
    for outcome in outcomes:
        if outcome.action in (KEPT, FAILED) or outcome.reason:
            items.append(f"{outcome.path.name}: {outcome.action} — {outcome.reason}")
    return items


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(plan: Plan, outcomes: list[Outcome], dry_run: bool) -> str:
    """The review report as a Markdown document (for --report FILE)."""
    lines = [
        "# Import review",
        "",
        "```",
        summary(plan, outcomes, dry_run),
        "```",
        "",
        "## Articles",
        "",
        "| File | Lines | Key | Date | Source | Tags | Outcome |",
        "|---|---|---|---|---|---|---|",
    ]
    for article, outcome in _final(plan, outcomes):
        found = article.found
        action = outcome.action if outcome else ""
        lines.append(
            f"| {_cell(found.source)} | {found.first_line}–{found.last_line} | {article.key} "
            f"| {article.dated.date} | {article.dated.source} | {', '.join(article.choice.tags)} "
            f"| {action} |"
        )
    lines += ["", "## To check", ""]
    lines += [f"- {item}" for item in review(plan, outcomes)] or ["- nothing"]
    failed = list(plan.errors) + [outcome.error for outcome in outcomes if outcome.error]
    if failed:
        lines += ["", "## Files that failed", ""]
        lines += [f"- {str(error).replace(chr(10), ' — ')}" for error in failed]
    return "\n".join(lines) + "\n"


def explanation(plan: Plan, outcomes: list[Outcome] | None = None) -> list[str]:
    """--explain: per article, each chosen tag with the keywords and counts that chose it."""
    lines = []
    for article, _ in _final(plan, outcomes or []):
        lines.append(f"{article.key} ({article.found.source}:{article.found.first_line})")
        lines += [f"    {line}" for line in tags.explain(article.choice)]
        lines.append(f"    date {article.dated.date} [{article.dated.source}]: {article.dated.note}")
    return lines
