"""`diptyque import`: turn plain-text blog archives into one Markdown file per article."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from builder.errors import BuildError
from builder.importer import report, tags
from builder.importer.decode import decode
from builder.importer.files import check_targets, read_archive
from builder.importer.pipeline import Plan, plan
from builder.importer.write import FAILED, KEPT, UNCHANGED, Outcome, apply, write_text
from builder.sandbox import inside

__all__ = ["run_import"]


def _read(files: list[str | Path], out: TextIO) -> tuple[list[tuple[str, str]], list[BuildError]]:
    """Read and decode each archive, reporting the ones that cannot be read."""
    texts, errors = [], []
    for name in files:
        path = Path(name)
        data = read_archive(path)
        if isinstance(data, BuildError):
            errors.append(data)
            continue
        decoded = decode(data, path.name)
        if isinstance(decoded, BuildError):
            errors.append(decoded)
            continue
        for note in decoded.notes:
            print(f"{path.name}: {note}", file=out)
        texts.append((path.name, decoded.text))
    return texts, errors


def _vocabulary(root: Path, out: TextIO) -> tuple[tags.Vocabulary, list[BuildError]]:
    """The tags and keywords of root/tags.toml; without that file the articles get no tags (it says so)."""
    path = root / "tags.toml"
    if not path.exists():
        print(
            f"note: {path} not found: the articles get no tags (tags and their keywords live there)", file=out
        )
        return {}, []
    return tags.load(path)


def _fail(errors: list[BuildError], out: TextIO) -> int:
    for error in errors:
        print(f"error: {error}", file=out)
    return 1


def _announce(outcomes: list[Outcome], dry_run: bool, out: TextIO) -> None:
    for outcome in outcomes:
        if outcome.action == FAILED:
            print(f"error: {outcome.error}", file=out)
        elif dry_run and outcome.action != UNCHANGED:
            print(f"would be {outcome.action}: {outcome.path}", file=out)
        elif outcome.action == KEPT:
            print(f"kept: {outcome.path} ({outcome.reason}); use --force to overwrite", file=out)


def run_import(
    files: list[str | Path],
    into: str | Path = "content",
    dry_run: bool = False,
    force: bool = False,
    explain: bool = False,
    report_path: str | Path | None = None,
    out: TextIO | None = None,
    project: Path | None = None,
) -> int:
    """Import archives into `into`/posts; return 0 when every file was imported, 1 when any failed. With
    `project`, the posts folder must lead inside that folder (no link or `..` elsewhere)."""
    out = out or sys.stdout
    root = Path(into)
    problems = check_targets(root, Path(report_path) if report_path else None, force)
    if project is not None and not inside(str(project), str(root / "posts")):
        problems.append(
            BuildError(
                str(root / "posts"),
                None,
                "leads outside the project folder (a symbolic link or '..'): nothing was imported",
                "import into the site's own content folder, e.g. --into content",
                "output",
            )
        )
    vocabulary, vocabulary_errors = _vocabulary(root, out) if not problems else ({}, [])
    if problems or vocabulary_errors:
        return _fail(problems + vocabulary_errors, out)
    texts, read_errors = _read(list(files), out)
    result = plan(texts, vocabulary)
    result = Plan(result.articles, result.duplicates, result.archives, tuple(read_errors) + result.errors)
    for error in result.errors:
        print(f"error: {error}", file=out)
    outcomes = apply(result.articles, root / "posts", dry_run, force)
    _announce(outcomes, dry_run, out)
    if explain:
        print("\n".join(report.explanation(result, outcomes)), file=out)
    items = report.review(result, outcomes)
    if items:
        print("To review:", file=out)
        print("\n".join(f"  - {item}" for item in items), file=out)
    print(report.summary(result, outcomes, dry_run), file=out)
    failed = bool(result.errors) or any(outcome.action == FAILED for outcome in outcomes)
    if report_path:
        try:
            write_text(Path(report_path), report.markdown(result, outcomes, dry_run))
        except OSError as exc:
            problem = BuildError(
                str(report_path),
                None,
                f"cannot write the report ({exc.strerror or exc})",
                "give a file you can write to; the articles were imported",
                "output",
            )
            return _fail([problem], out)
    return 1 if failed else 0
