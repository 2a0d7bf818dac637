"""The importer's edges: read archives safely (never a FIFO or a folder), check the folders it writes to."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from builder.errors import BuildError

_KINDS = {
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISSOCK: "a socket",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
}


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS.items() if test(mode)), "not a regular file")


def _unreadable(path, exc: OSError) -> BuildError:
    """An archive that cannot be read: the path and the system's reason."""
    return BuildError(
        str(path),
        None,
        f"cannot read the file ({exc.strerror or exc})",
        "check the path and permissions",
        "encoding",
    )


def read_archive(path: Path) -> bytes | BuildError:
    """The bytes of an archive, or an error naming it: missing, unreadable, or not a regular file (checked
    before reading, so a FIFO never blocks the run)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _unreadable(path, exc)
    if not stat.S_ISREG(mode):
        hint = (
            "give the archive files inside it, e.g. " + str(path / "*.txt")
            if stat.S_ISDIR(mode)
            else "give a plain-text archive file (.txt)"
        )
        return BuildError(
            str(path),
            None,
            f"is {_kind(mode)}, not an archive file; nothing was read from it",
            hint,
            "encoding",
        )
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return BuildError(
                    str(path), None, "is no longer a regular file", "give a plain-text archive file"
                )
            return handle.read()
    except OSError as exc:
        return _unreadable(path, exc)


def _nearest(path: Path) -> Path:
    """The path itself or its nearest ancestor that exists."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(".")


def _writable_folder(path: Path, what: str, hint: str) -> BuildError | None:
    """An error when `path` is not a folder that exists or can be created, and written to."""
    nearest = _nearest(path)
    if not nearest.is_dir():
        where = "is" if nearest == path else f"is inside {nearest}, which is"
        return BuildError(
            str(path), None, f"{what} {where} a file, not a folder; nothing was imported", hint, "output"
        )
    if not os.access(nearest, os.W_OK | os.X_OK):
        where = "" if nearest == path else f" ({nearest} does not let it be created)"
        return BuildError(
            str(path),
            None,
            f"{what} cannot be written{where}; nothing was imported",
            "give a folder you can write to, or change its permissions",
            "output",
        )
    return None


REPORT_START = b"# Import review"  # how a report this command wrote begins: it may be written over


def check_targets(into: Path, report: Path | None, force: bool = False) -> list[BuildError]:
    """Before anything is read or written: the content folder, its posts/ and the report file must do. An
    existing report file must be a regular file, and an earlier report unless `force`."""
    errors = []
    hint = "give the content folder (the one holding tags.toml and posts/), e.g. --into content"
    problem = _writable_folder(into, "the --into folder", hint)
    if problem is None:
        problem = _writable_folder(
            into / "posts", "the posts folder", "remove or rename the file, then import again"
        )
    if problem:
        errors.append(problem)
    if report is not None:
        if report.is_dir():
            errors.append(
                BuildError(
                    str(report),
                    None,
                    "--report names a folder, not a file; nothing was imported",
                    f"give a file name, e.g. --report {report / 'review.md'}",
                    "output",
                )
            )
        elif not report.parent.is_dir():
            errors.append(
                BuildError(
                    str(report),
                    None,
                    "--report: its folder does not exist; nothing was imported",
                    "create the folder first, or write the report elsewhere",
                    "output",
                )
            )
        elif os.path.lexists(report) and (report.is_symlink() or not report.is_file()):
            errors.append(
                BuildError(
                    str(report),
                    None,
                    "--report names a link, a device or a FIFO, not a regular file; nothing was imported",
                    "give the name of a new file, or of an earlier report",
                    "output",
                )
            )
        elif report.is_file() and not force and not _starts(report, REPORT_START):
            errors.append(
                BuildError(
                    str(report),
                    None,
                    "--report names a file that is not an import report: it would be replaced; "
                    "nothing was imported",
                    "give the name of a new file, or add --force to replace it",
                    "output",
                )
            )
        elif not os.access(report.parent, os.W_OK | os.X_OK) or (
            report.exists() and not os.access(report, os.W_OK)
        ):
            errors.append(
                BuildError(
                    str(report),
                    None,
                    "--report cannot be written; nothing was imported",
                    "give a file you can write to",
                    "output",
                )
            )
    return errors


def _starts(path: Path, start: bytes) -> bool:
    """Whether a file begins with these bytes (False when it cannot be read)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(start)) == start
    except OSError:
        return False
