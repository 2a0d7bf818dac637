"""Write the rendered site: atomic writes, identical bytes skipped, stale files removed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WriteReport:
    """What a write changed on disk."""

    written: tuple[str, ...]  # files created or changed
    unchanged: int  # files whose bytes were already there
    removed: tuple[str, ...]  # files no page produces any more


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    temp = os.path.join(folder, f".tmp-{os.getpid()}-{os.path.basename(path)}")
    try:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(handle, data)
        finally:
            os.close(handle)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def stage(folder: Path, rel: str, data: bytes) -> str | None:
    """Write `data` beside its target as a hidden file, unless the target already holds these bytes.

    Returns the staged file's path, to be put in place by `commit` once every page has rendered (or
    removed by `discard`): workers write in parallel, yet output/ changes only when the build succeeds.
    """
    target = os.path.join(folder, rel)
    if _same(Path(target), data):
        return None
    directory = os.path.dirname(target)
    os.makedirs(directory, exist_ok=True)
    temp = os.path.join(directory, f".{os.path.basename(target)}.{os.getpid()}.staged")
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(handle, data)
    finally:
        os.close(handle)
    return temp


def discard(folder: Path, staged: dict[str, str]) -> None:
    """Remove staged files after a failed build, and the folders staging created."""
    for temp in staged.values():
        Path(temp).unlink(missing_ok=True)
        _prune(folder, Path(temp).parent)


def commit(folder: Path, staged: dict[str, str], unchanged: int, expected: set[str],
           previous: set[str] | None = None) -> WriteReport:
    """Put staged files in place (a rename each) and remove every file not in `expected`.

    With `previous`, the files the last build wrote, only those are candidates for removal: no need to
    walk the whole folder after a small change.
    """
    for rel, temp in sorted(staged.items()):
        os.replace(temp, os.path.join(folder, rel))
    written = tuple(sorted(staged))
    if previous is not None:
        removed = sorted(previous - expected)
        for rel in removed:
            (folder / rel).unlink(missing_ok=True)
            _prune(folder, (folder / rel).parent)
        return WriteReport(written=written, unchanged=unchanged, removed=tuple(removed))
    removed = []
    top = str(folder)
    for base, _, names in os.walk(top, topdown=False):
        prefix = os.path.relpath(base, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in names:
            if prefix + name not in expected:
                os.unlink(os.path.join(base, name))
                removed.append(prefix + name)
        if prefix and not os.listdir(base):
            os.rmdir(base)
    return WriteReport(written=written, unchanged=unchanged, removed=tuple(sorted(removed)))


def _prune(top: Path, folder: Path) -> None:
    """Remove `folder` and its parents up to `top` while they are empty."""
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
