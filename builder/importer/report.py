"""What an import run tells the user: per-file messages, the summary table, the editor's review report."""

from __future__ import annotations

from collections import Counter

from builder.importer import tags
from builder.importer.pipeline import Plan
from builder.importer.write import CREATED, KEPT, UNCHANGED, UPDATED, Outcome


def summary(plan: Plan, outcomes: list[Outcome], dry_run: bool) -> str:
    """The table printed at the end of a run."""
    counts = Counter(outcome.action for outcome in outcomes)
    rows = [(CREATED, counts[CREATED]), (UPDATED, counts[UPDATED]), (UNCHANGED, counts[UNCHANGED]),
            (KEPT, counts[KEPT]), ("duplicates", len(plan.duplicates)), ("files failed", len(plan.errors))]
    width = max(len(label) for label, _ in rows)
    title = "Import summary (dry run: nothing written)" if dry_run else "Import summary"
    return "\n".join([title] + [f"  {label:<{width}}  {count:>4}" for label, count in rows])


def review(plan: Plan, outcomes: list[Outcome]) -> list[str]:
    """Low-confidence decisions for the editor: boundaries, alt text, dates, duplicates, kept files."""
    items = []
    for article in plan.articles:
        where = f"{article.found.source}:{article.found.first_line} {article.key}"
        for flag in article.found.flags + article.cleaned.flags:
            items.append(f"{where}: {flag}")
        if article.dated.source == "unknown" or not article.dated.confident:
            items.append(f"{where}: date {article.dated.date} ({article.dated.source}) — {article.dated.note}")
    for duplicate in plan.duplicates:
        items.append(f"{duplicate.found.source}:{duplicate.found.first_line} {duplicate.found.title.text.strip()!r}: "
                     f"duplicate of {duplicate.kept.source}:{duplicate.kept.first_line}, imported from there only")
    for outcome in outcomes:
        if outcome.action == KEPT or outcome.reason:
            items.append(f"{outcome.path.name}: {outcome.action} — {outcome.reason}")
    return items


def markdown(plan: Plan, outcomes: list[Outcome], dry_run: bool) -> str:
    """The review report as a Markdown document (for --report FILE)."""
    lines = ["# Import review", "", "```", summary(plan, outcomes, dry_run), "```", "", "## Articles", "",
             "| File | Lines | Key | Date | Source | Tags |", "|---|---|---|---|---|---|"]
    for article in plan.articles:
        found = article.found
        lines.append(f"| {found.source} | {found.first_line}–{found.last_line} | {article.key} | {article.dated.date} "
                     f"| {article.dated.source} | {', '.join(article.choice.tags)} |")
    lines += ["", "## To check", ""]
    lines += [f"- {item}" for item in review(plan, outcomes)] or ["- nothing"]
    if plan.errors:
        lines += ["", "## Files that failed", ""] + [f"- {str(error).replace(chr(10), ' — ')}" for error in plan.errors]
    return "\n".join(lines) + "\n"


def explanation(plan: Plan) -> list[str]:
    """--explain: per article, each chosen tag with the keywords and counts that chose it."""
    lines = []
    for article in plan.articles:
        lines.append(f"{article.key} ({article.found.source}:{article.found.first_line})")
        lines += [f"    {line}" for line in tags.explain(article.choice)]
        lines.append(f"    date {article.dated.date} [{article.dated.source}]: {article.dated.note}")
    return lines
