"""Write the rendered site: atomic writes, identical bytes skipped, stale files removed."""

from __future__ import annotations

import os
import tempfile
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
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_site(folder: Path, contents: dict[str, bytes], expected: set[str]) -> WriteReport:
    """Write `contents` under `folder` and remove every file not in `expected` (the output is ours)."""
    written, unchanged = [], 0
    for rel, data in sorted(contents.items()):
        path = folder / rel
        if _same(path, data):
            unchanged += 1
            continue
        write_atomic(path, data)
        written.append(rel)
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
