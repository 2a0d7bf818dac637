"""Write the rendered site as one transaction: staged files, a journal, renames, a manifest of what is ours.

Pages are staged under `output/.diptyque-staging/` (same file system as their targets, so a rename puts
each in place): in one flat folder when their folder exists in output/, else as a tree under `tree/`, so
that a new folder (every folder of a first build) is put in place whole, by one rename. When every page
has rendered, `commit` writes a journal listing the renames, folder moves and removals before the first
of them; `recover`, run before any build, finishes an interrupted commit from its
journal (or drops the staging folder when no journal was written): a killed build leaves the old site or
the new one, never a mix. Only files listed in the manifest (what earlier builds wrote) are ever removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from builder.sandbox import inside, path_problem

STAGING = ".diptyque-staging"  # under the output folder
TREE = "tree"  # in the staging folder: files whose folder output/ does not have yet, as they will lie
JOURNAL = ".journal.json"  # in the staging folder: present only while a commit is under way
MANIFEST = "manifest.txt"  # in the state folder: every file the last good build wrote, one per line
MANIFEST_HEADER = "# files Diptyque wrote into the output folder (format 1)"


@dataclass(frozen=True)
class WriteReport:
    """What a write changed on disk."""

    written: tuple[str, ...]  # files created or changed
    unchanged: int  # files whose bytes were already there
    removed: tuple[str, ...]  # files no page produces any more (and that a build of ours wrote)
    kept: tuple[str, ...] = ()  # files found in output/ that no build wrote: left alone


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    temp = os.path.join(folder, f".tmp-{os.getpid()}-{os.path.basename(path)}")
    try:
        _write_all(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _same(path: str, data: bytes) -> bool:
    try:
        if os.path.islink(path) or os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def stage(folder: Path, rel: str, data: bytes) -> str | None:
    """Write `data` under the staging folder, unless the target already holds these bytes.

    Returns the staged file's path, put in place by `commit` once every page has rendered (or removed by
    `discard`): workers write in parallel, yet output/ changes only when the whole build succeeds.
    """
    if path_problem(rel):
        raise ValueError(f"refusing to stage {rel!r}: {path_problem(rel)}")
    target = os.path.join(folder, rel)
    if "/" in rel and not os.path.isdir(os.path.dirname(target)):  # a new folder: moved whole at commit
        temp = os.path.join(folder, STAGING, TREE, rel)  # (and no file there to compare with)
        write_staged(temp, data)  # which makes the page's folder
        return temp
    if _same(target, data):
        return None
    temp = os.path.join(folder, STAGING, flat_name(rel))
    write_staged(temp, data)
    return temp


def write_staged(path: str, data: bytes) -> None:
    """Write a staged file, making its folder when it is the first there (a page in a new folder, or the
    first file staged): the staging folder of an unfinished build is dropped whole."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC  # as open(path, "wb"), without its fstat and ioctl
    try:
        handle = os.open(path, flags, 0o666)
    except FileNotFoundError:  # the first file staged
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = os.open(path, flags, 0o666)
    _write_all(handle, data)


def _write_all(handle: int, data: bytes) -> None:
    """Write all of `data` to an open file descriptor, then close it."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def flat_name(rel: str) -> str:
    """A staged file's name: one folder for all of them (no folder per page made, then removed)."""
    return hashlib.blake2b(rel.encode("utf-8"), digest_size=12).hexdigest()


def discard(folder: Path, staged: dict[str, str] | None = None) -> None:
    """Drop everything staged (after a failed or interrupted build): output/ stays as it was."""
    staging = os.path.join(folder, STAGING)
    if os.path.islink(staging) or os.path.isfile(staging):
        os.unlink(staging)
    elif os.path.isdir(staging):
        shutil.rmtree(staging)


def read_manifest(state_dir: Path) -> set[str] | None:
    """The files earlier builds wrote into output/, or None when unknown (first build, lost state)."""
    try:
        text = (state_dir / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.split("\n")
    if lines[0] != MANIFEST_HEADER:
        return None  # damaged, or another version's: as good as lost
    return {line for line in lines[1:] if line and not path_problem(line)}


def _write_manifest(state_dir: Path, files: set[str]) -> None:
    text = MANIFEST_HEADER + "\n" + "".join(f"{rel}\n" for rel in sorted(files))
    write_atomic(state_dir / MANIFEST, text.encode("utf-8"))


def new_folders(folder: Path, rels) -> list[str]:
    """The outermost folders of these paths that output/ lacks: what a commit moves whole from the tree."""
    top, memo = str(folder), {}

    def outermost(path: str) -> str:
        if path not in memo:
            parent = os.path.dirname(path)
            missing = parent and not os.path.isdir(os.path.join(top, parent))
            memo[path] = outermost(parent) if missing else path
        return memo[path]

    return sorted({outermost(os.path.dirname(rel)) for rel in rels})


def _move(source: str, target: str) -> None:
    """Put a staged folder in place: one rename, or file by file into a folder that appeared meanwhile."""
    if not os.path.lexists(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.rename(source, target)
        return
    for base, _, names in os.walk(source):
        place = os.path.join(target, os.path.relpath(base, source))
        os.makedirs(place, exist_ok=True)
        for name in names:
            os.replace(os.path.join(base, name), os.path.join(place, name))


def _apply(folder: Path, state_dir: Path, journal: dict) -> None:
    """Carry out a journal: move the new folders and rename the files still staged, remove what is listed,
    record the new manifest."""
    top = str(folder)
    flat = journal.get("layout") == "flat"  # else a journal of an earlier version, staged as a tree
    for rel in journal.get("moves", ()):
        source = os.path.join(top, STAGING, TREE, rel)
        if not path_problem(rel) and os.path.lexists(source):  # a journal tampered with moves nothing out
            _move(source, os.path.join(top, rel))
    made = set()  # folders known to exist: a new site's thousands of them are made once each, before
    for rel in journal["renames"]:
        temp = os.path.join(top, STAGING, flat_name(rel) if flat else rel)
        target = os.path.join(top, rel)
        if not path_problem(rel) and os.path.lexists(temp):
            place = os.path.dirname(target)
            if place not in made:
                os.makedirs(place, exist_ok=True)
                made.add(place)
            os.replace(temp, target)
    for rel in journal["removals"]:
        target = os.path.join(top, rel)
        if inside(top, os.path.dirname(target)) and os.path.lexists(target) and not os.path.isdir(target):
            os.unlink(target)
            _prune(top, os.path.dirname(target))
    _write_manifest(state_dir, set(journal["manifest"]))


def commit(
    folder: Path, state_dir: Path, staged: dict[str, str], expected: set[str], unchanged: int
) -> WriteReport:
    """Put staged files in place and remove files ours that no page produces any more, as a transaction.

    The journal stays until the caller has saved its build state and calls `discard`: a build killed
    before that is finished by `recover`, which also tells the next build to check every page again.
    """
    previous = read_manifest(state_dir)
    removals = sorted((previous or set()) - expected)
    kept = () if previous is not None else _unknown_files(folder, expected)
    tree = os.path.join(str(folder), STAGING, TREE, "")
    moved = [rel for rel, temp in staged.items() if temp.startswith(tree)]
    renames = sorted(rel for rel, temp in staged.items() if not temp.startswith(tree))
    journal = {"layout": "flat", "renames": renames, "moves": new_folders(folder, moved)}
    journal.update(removals=removals, manifest=sorted(expected))
    staging = Path(folder) / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    write_atomic(staging / JOURNAL, json.dumps(journal).encode("utf-8"))
    _apply(folder, state_dir, journal)
    return WriteReport(written=tuple(sorted(staged)), unchanged=unchanged, removed=tuple(removals), kept=kept)


def recover(folder: Path, state_dir: Path) -> bool:
    """Finish or undo what a killed build left in `folder`; return True when a commit had to be finished.

    With a journal, every staged file was complete before the first rename: the commit is rolled forward.
    Without one, nothing of output/ was changed yet: the staged files are dropped.
    """
    journal_path = os.path.join(folder, STAGING, JOURNAL)
    if not os.path.lexists(os.path.join(folder, STAGING)):
        return False
    finished = False
    try:
        with open(journal_path, encoding="utf-8") as handle:
            journal = json.load(handle)
    except (OSError, ValueError):
        journal = None
    if (
        isinstance(journal, dict)
        and all(isinstance(journal.get(k), list) for k in ("renames", "removals", "manifest"))
        and isinstance(journal.get("moves", []), list)
    ):
        _apply(folder, state_dir, journal)
        finished = True
    discard(folder)
    return finished


def _unknown_files(folder: Path, expected: set[str]) -> tuple[str, ...]:
    """Files in output/ that this build does not write and no manifest vouches for; folders holding only
    such files are named once ("`.git/`")."""
    top, found = str(folder), []
    if not os.path.isdir(top):
        return ()
    expected_dirs = {rel.rsplit("/", 1)[0] for rel in expected if "/" in rel}
    expected_dirs |= {d.rsplit("/", i)[0] for d in list(expected_dirs) for i in range(1, d.count("/") + 1)}
    for base, dirs, names in os.walk(top):
        prefix = os.path.relpath(base, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in list(dirs):
            rel = prefix + name
            if rel == STAGING:
                dirs.remove(name)
            elif rel not in expected_dirs:
                found.append(rel + "/")
                dirs.remove(name)
        found += [prefix + name for name in names if prefix + name not in expected]
    return tuple(sorted(found))


def _prune(top: str, folder: str) -> None:
    """Remove `folder` and its parents up to `top` while they are empty."""
    while folder != top and folder.startswith(top) and os.path.isdir(folder) and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)
