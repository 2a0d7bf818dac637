"""Find content files and read them (or leave the reading to the parse stage, which does it in its workers on
a cold build): the only code of the build that reads content from disk."""

from __future__ import annotations

import hashlib
import os
import re
import stat as stat_kind
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Mapping

from builder.config import Config
from builder.errors import BuildError
from builder.model import SourceFile
from builder.sandbox import inside

NAME = re.compile(r"^(?P<key>[^.]+)\.(?P<lang>[A-Za-z-]+)\.(?:md|markdown)$")
ARTICLE_SUFFIXES = (".md", ".markdown")  # Markdown files: articles and pages
KINDS = {"posts": "post", "pages": "page"}


def content_errors(config: Config) -> list[BuildError]:
    """A missing or unusable content/ folder is an error, not an empty site."""
    folder = config.content_dir
    if not folder.is_dir():
        what = "is not a folder" if os.path.lexists(folder) else "does not exist"
        return [
            BuildError(
                "content",
                None,
                f"the content folder {what} in {config.root}",
                "create content/posts/ and content/pages/ (or run the command from the site's folder, "
                "or pass --root)",
            )
        ]
    return []


def discover(
    config: Config,
    known: Mapping[str, tuple[int, int, str]] | None = None,
    stats: Mapping[str, tuple[int, int]] | None = None,
    warnings: list[str] | None = None,
    read: bool = True,
) -> tuple[list[SourceFile], list[BuildError]]:
    """Read every Markdown file under content/posts and content/pages.

    A file whose size and modification time match `known` (path -> size, mtime_ns, digest) is not
    read again: its SourceFile has no text and the digest recorded last time. Without `read`, the other
    files are not read either: their SourceFile has no text and no digest, for `read_again` to fill in.
    `stats` (path -> size, mtime_ns), when the caller has just taken them, spares a second stat of each
    file. Special files (FIFOs, devices, sockets) are never opened: each gets a line in `warnings`.
    """
    files, errors, known = [], content_errors(config), known or {}
    if errors:
        return files, errors
    root, tops = len(str(config.root)) + 1, (config.root, config.content_dir)  # content/ may be a link
    for folder, kind in KINDS.items():
        for path in sorted(_markdown_files(str(config.content_dir / folder))):
            rel = path[root:]
            stat = (stats or {}).get(path)
            if stat is None:
                try:
                    info = os.stat(path)
                except OSError as exc:
                    errors.append(unreadable(rel, exc))
                    continue
                if not stat_kind.S_ISREG(info.st_mode):
                    if warnings is not None and not stat_kind.S_ISDIR(info.st_mode):
                        warnings.append(f"{rel}: not a regular file (a FIFO, device or socket): skipped")
                    elif stat_kind.S_ISDIR(info.st_mode):
                        errors.append(
                            BuildError(
                                rel,
                                None,
                                "a folder is named like an article file",
                                "rename the folder: names ending in .<lang>.md are articles",
                            )
                        )
                    continue
                stat = (info.st_size, info.st_mtime_ns)
            if os.path.islink(path) and not any(inside(str(top), path) for top in tops):
                errors.append(
                    BuildError(
                        rel,
                        None,
                        "this file is a symbolic link leading outside the site: it is not read",
                        "copy the file into content/, or point the link at a file inside the site",
                    )
                )
                continue
            match = NAME.match(nfc(os.path.basename(path)))
            seen = known.get(rel)
            if seen and seen[:2] == stat and match and match["lang"] in config.codes:
                files.append(SourceFile(rel, kind, match["key"], match["lang"], None, seen[2], stat))
                continue
            if not read:
                problem = name_problem(match, rel, config.codes)
                if problem is None:
                    files.append(SourceFile(rel, kind, match["key"], match["lang"], None, "", stat))
                else:
                    errors.append(problem)
                continue
            try:
                found = read_source(Path(path), rel, kind, config.codes)
            except OSError as exc:
                errors.append(unreadable(rel, exc))
                continue
            if isinstance(found, BuildError):
                errors.append(found)
            else:
                files.append(replace(found, stat=stat))
    return files, errors


def discover_assets(
    config: Config,
    known: Mapping[str, tuple[int, int, str]] | None = None,
    stats: Mapping[str, tuple[int, int]] | None = None,
) -> dict[str, tuple[int, int, str]]:
    """Every other regular file under content/posts and content/pages (pictures beside their articles),
    by path, with its size, modification time and digest (read only when size or time changed)."""
    found, known, stats = {}, known or {}, stats or {}
    root = len(str(config.root)) + 1
    for folder in KINDS:
        for base, dirs, names in os.walk(config.content_dir / folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = os.path.join(base, name)
                if name.startswith(".") or name.endswith(ARTICLE_SUFFIXES):
                    continue
                stat = stats.get(path)
                if stat is None:
                    try:
                        info = os.stat(path)
                    except OSError:
                        continue
                    if not stat_kind.S_ISREG(info.st_mode):
                        continue
                    stat = (info.st_size, info.st_mtime_ns)
                rel = path[root:]
                seen = known.get(rel)
                if seen and seen[:2] == stat:
                    found[rel] = seen
                    continue
                try:
                    with open(path, "rb", opener=_no_block) as handle:
                        found[rel] = (*stat, hashlib.sha256(handle.read()).hexdigest()[:16])
                except OSError:
                    continue
    return found


def unreadable(rel: str, exc: OSError) -> BuildError:
    """An error for a content file that cannot be read: a dangling link, a loop, a file removed since it
    was listed, no permission."""
    if os.path.islink(exc.filename or ""):
        message = "a symbolic link that leads nowhere (or to itself)"
    elif isinstance(exc, FileNotFoundError):
        return BuildError(rel, None, "the file was removed while the build read the site", "build again")
    else:
        message = f"cannot be read: {exc.strerror or exc}"
    return BuildError(rel, None, message, "fix or remove the file (or the link)")


def _markdown_files(folder: str) -> list[str]:
    """Every .md file below a folder (plain strings: pathlib is slow on thousands of files)."""
    found = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [
            os.path.join(base, n) for n in names if n.endswith(ARTICLE_SUFFIXES) and not n.startswith(".")
        ]
    return found


def nfc(name: str) -> str:
    """File names in Unicode normal form C: macOS writes é as e + a combining accent (NFD)."""
    return name if name.isascii() else unicodedata.normalize("NFC", name)


def _no_block(path: str, flags: int) -> int:
    """Open without blocking on a FIFO (a FIFO that appeared since the stat is then read as empty)."""
    return os.open(path, flags | os.O_NONBLOCK)


def name_problem(match: re.Match | None, rel: str, codes: tuple[str, ...]) -> BuildError | None:
    """What is wrong with a content file's name (its match of NAME), if anything."""
    if not match:
        return BuildError(
            rel,
            None,
            "the file name has no language suffix",
            f"rename it to <key>.<lang>.md (or .markdown) with lang one of: {', '.join(codes)}",
        )
    if match["lang"] not in codes:
        return BuildError(
            rel,
            None,
            f"unknown language '{match['lang']}' in the file name",
            f"use one of: {', '.join(codes)}, or add [languages.{match['lang']}] to config.toml",
        )
    return None


def read_again(source: SourceFile, root: Path, codes: tuple[str, ...]) -> SourceFile | BuildError:
    """A file `discover` found but did not read (no text), read now; it keeps the size and time taken then
    (should the file change meanwhile, the next build reads it again)."""
    try:
        found = read_source(root / source.path, source.path, source.kind, codes)
    except OSError as exc:
        return unreadable(source.path, exc)
    return found if isinstance(found, BuildError) else replace(found, stat=source.stat)


def read_source(path: Path, rel: str, kind: str, codes: tuple[str, ...]) -> SourceFile | BuildError:
    """Read one content file, checking its name and encoding."""
    match = NAME.match(nfc(path.name))
    problem = name_problem(match, rel, codes)
    if problem is not None:
        return problem
    with open(path, "rb", opener=_no_block) as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return BuildError(
            rel,
            line,
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
            "save it as UTF-8 (in most editors: Save with encoding → UTF-8)",
            kind="encoding",
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return SourceFile(
        path=rel,
        kind=kind,
        key=match["key"],
        lang=match["lang"],
        text=text,
        digest=hashlib.sha256(data).hexdigest()[:16],
    )
