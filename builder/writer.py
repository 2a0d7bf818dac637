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


def write_atomic(path: Path, data: bytes, made: set[str] | None = None) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file.

    `made` remembers the folders already created during one write of the site: one mkdir each.
    """
    folder = os.path.dirname(path)
    if made is None or folder not in made:
        os.makedirs(folder, exist_ok=True)
        if made is not None:
            made.add(folder)
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


def write_site(folder: Path, contents: dict[str, bytes], expected: set[str],
               previous: set[str] | None = None) -> WriteReport:
    """Write `contents` under `folder` and remove every file not in `expected` (the output is ours).

    With `previous`, the files the last build wrote, only those are candidates for removal: no need to
    walk the whole folder after a small change.
    """
    written, unchanged, made = [], 0, set()
    for rel, data in sorted(contents.items()):
        path = folder / rel
        if _same(path, data):
            unchanged += 1
            continue
        write_atomic(path, data, made)
        written.append(rel)
    if previous is not None:
        removed = sorted(previous - expected)
        for rel in removed:
            (folder / rel).unlink(missing_ok=True)
            _prune(folder, (folder / rel).parent)
        return WriteReport(written=tuple(written), unchanged=unchanged, removed=tuple(removed))
    removed = []
    top = str(folder)
    for base, dirs, names in os.walk(top, topdown=False):
        prefix = os.path.relpath(base, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in names:
            if prefix + name not in expected:
                os.unlink(os.path.join(base, name))
                removed.append(prefix + name)
        if prefix and not os.listdir(base):
            os.rmdir(base)
    return WriteReport(written=tuple(written), unchanged=unchanged, removed=tuple(sorted(removed)))


def _prune(top: Path, folder: Path) -> None:
    """Remove `folder` and its parents up to `top` while they are empty."""
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
