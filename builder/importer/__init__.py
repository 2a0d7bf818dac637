"""`diptyque import`: turn plain-text blog archives into one Markdown file per article."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from builder.errors import BuildError
from builder.importer import report, tags
from builder.importer.decode import decode
from builder.importer.pipeline import Plan, plan
from builder.importer.write import apply

__all__ = ["run_import"]


def _read(files: list[str], out: TextIO) -> tuple[list[tuple[str, str]], list[BuildError]]:
    """Read and decode each archive, reporting the ones that cannot be read."""
    texts, errors = [], []
    for name in files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            errors.append(BuildError(name, None, f"cannot read the file ({exc.strerror or exc})",
                                     "check the path and permissions", "encoding"))
            continue
        decoded = decode(data, path.name)
        if isinstance(decoded, BuildError):
            errors.append(decoded)
            continue
        for note in decoded.notes:
            print(f"{path.name}: {note}", file=out)
        texts.append((path.name, decoded.text))
    return texts, errors


def run_import(files: list[str], into: str = "content", dry_run: bool = False, force: bool = False,
               explain: bool = False, report_path: str | None = None, out: TextIO | None = None) -> int:
    """Import archives into `into`/posts; return 0 when every file was imported, 1 when any failed."""
    out = out or sys.stdout
    root = Path(into)
    texts, read_errors = _read(list(files), out)
    vocabulary_path = root / "tags.toml"
    vocabulary = set(tags.vocabulary(vocabulary_path)) if vocabulary_path.exists() else set(tags.KEYWORDS)
    result = plan(texts, vocabulary)
    result = Plan(result.articles, result.duplicates, result.archives, tuple(read_errors) + result.errors)
    for error in result.errors:
        print(f"error: {error}", file=out)
    outcomes = apply(result.articles, root / "posts", dry_run, force)
    for outcome in outcomes:
        if dry_run and outcome.action != "unchanged":
            print(f"would be {outcome.action}: {outcome.path}", file=out)
        elif outcome.action == "kept because edited":
            print(f"kept: {outcome.path} ({outcome.reason}); use --force to overwrite", file=out)
    if explain:
        print("\n".join(report.explanation(result)), file=out)
    items = report.review(result, outcomes)
    if items:
        print("To review:", file=out)
        print("\n".join(f"  - {item}" for item in items), file=out)
    print(report.summary(result, outcomes, dry_run), file=out)
    if report_path:
        Path(report_path).write_text(report.markdown(result, outcomes, dry_run), encoding="utf-8")
    return 1 if result.errors else 0
