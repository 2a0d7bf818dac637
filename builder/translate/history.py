"""Find, in the git history, the version of an original a translation was made from."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from builder.frontmatter import Parsed, body_digest, split

GIT_TIMEOUT = 60  # seconds for one git command: a local repository answers in milliseconds


@dataclass(frozen=True)
class Found:
    """The original as it was when translated, or why it could not be found."""

    parsed: Parsed | None  # the original the translation was made from, None when not found
    revision: str = ""  # the commit it was found in
    reason: str = ""  # why it was not found


def _git(root: Path, *args: str) -> subprocess.CompletedProcess | None:
    """Run git in `root`; None when git is missing or does not answer."""
    try:
        return subprocess.run(["git", *args], check=False, cwd=root, capture_output=True, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None


def _revisions(root: Path, path: str) -> list[str] | str:
    """Commits that touched `path`, newest first, or why there are none."""
    listed = _git(root, "log", "--format=%H", "--", path)
    if listed is None:
        return "git is not installed or did not answer"
    if listed.returncode != 0:
        return "the site is not in a git repository"
    revisions = listed.stdout.decode().split()
    return revisions or f"{path} has no commits in the git history"


def _body_at(root: Path, revision: str, path: str) -> Parsed | None:
    """The file's front matter and body at a revision, None when unreadable."""
    shown = _git(root, "show", f"{revision}:./{path}")
    if shown is None or shown.returncode != 0:
        return None
    try:
        parsed = split(shown.stdout.decode("utf-8"), path)
    except UnicodeDecodeError:
        return None
    return parsed if isinstance(parsed, Parsed) else None


def made_from(root: Path, path: str, digest: str | None) -> Found:
    """The body of `path` (relative to `root`) whose digest is `digest`, searched in its git history."""
    if not digest:
        return Found(
            None, reason="the translation has no translation_of: which version it was made from is unknown"
        )
    revisions = _revisions(root, path)
    if isinstance(revisions, str):
        return Found(None, reason=revisions)
    for revision in revisions:
        parsed = _body_at(root, revision, path)
        if parsed is not None and body_digest(parsed.body) == digest:
            return Found(parsed, revision=revision)
    return Found(None, reason=f"no commit of {path} has the body digest {digest} (translation_of)")
