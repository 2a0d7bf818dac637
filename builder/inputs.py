"""A cheap signature of everything a build reads, so a build with nothing changed can stop at once."""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
from pathlib import Path

from builder.config import Config
from builder.sandbox import read_regular
from builder.versions import versions

PACKAGE = Path(__file__).resolve().parent
RECORD = "last-build.bin"


HISTORY = (
    "urls.toml"  # content/urls.toml: written by the build itself, so counted by its bytes, after the build
)


def _walk(digest, folder: Path, stats: dict[str, tuple[int, int]], skip: str = "") -> None:
    top = str(folder)
    for base, dirs, names in os.walk(top):
        dirs.sort()
        for name in sorted(names):
            if name.startswith(".") or name.endswith(".pyc"):
                continue
            path = os.path.join(base, name)
            if path == skip:
                continue
            try:
                info = os.stat(path)
            except OSError:  # a dangling link: discovery reports it
                digest.update(f"{path[len(top) :]}\0unreadable\n".encode())
                continue
            if not stat.S_ISREG(info.st_mode):
                digest.update(f"{path[len(top) :]}\0special\n".encode())
                continue  # discovery warns about it
            stats[path] = (info.st_size, info.st_mtime_ns)
            digest.update(f"{path[len(top) :]}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())


def signature(config: Config) -> tuple[str, dict[str, tuple[int, int]]]:
    """Hash the size and modification time of every input file, the settings and the code itself.

    Also returns the size and modification time of each file (by path), which discovery reuses.
    """
    digest, stats = hashlib.sha256(repr(config).encode()), {}
    site = [config.root / part for part in ("templates", "static", "locales")]
    themes = [layer.folder for layer in config.layers[1:] if not layer.folder.is_relative_to(PACKAGE)]
    history = str(config.content_dir / HISTORY)
    for folder in (config.content_dir, *site, *themes, PACKAGE):
        digest.update(f"[{folder}]".encode())
        if folder.is_dir():
            _walk(digest, folder, stats, history)
    digest.update(versions().encode())
    return digest.hexdigest(), stats


def with_history(config: Config, mark: str) -> str:
    """The signature with the URL history's bytes: read again after a build that rewrote the file, so the
    next build still finds nothing changed (an edit to any other file during the build is not missed)."""
    try:
        data = read_regular(config.content_dir / HISTORY)
    except OSError:
        data = b"-"
    return hashlib.sha256(mark.encode() + b"\0" + data).hexdigest()


def unchanged(config: Config, mark: str) -> dict | None:
    """The record of the last build if it had the same signature and all its files are still there."""
    try:
        record = marshal.loads(read_regular(config.state_dir / RECORD))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(record, dict) or record.get("signature") != mark:
        return None
    output = str(config.output_dir)
    if not all(os.path.isfile(os.path.join(output, rel)) for rel in record["files"]):
        return None
    return record


def remember(config: Config, mark: str, files: list[str], pages: int, warnings: list[str]) -> None:
    """Record a successful build's signature and files."""
    from builder.writer import write_atomic

    record = {"signature": mark, "files": files, "pages": pages, "warnings": warnings}
    write_atomic(config.state_dir / RECORD, marshal.dumps(record))


def forget(config: Config) -> None:
    """Drop the record, so the next build runs in full (after a failed build)."""
    (config.state_dir / RECORD).unlink(missing_ok=True)
