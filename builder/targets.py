"""Where a build may write, checked before it writes anything: the output and state folders, and each target.

A folder in output/ that is a link leading elsewhere, a folder where a file goes or a file where a folder
goes, an output or state folder that is a file or a link to nothing: each is an error naming the path,
and nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from builder.errors import BuildError, ErrorKind


def check_targets(folder: Path, rels) -> list[BuildError]:
    """Errors for targets that would land outside the real output folder or on a folder, before any write."""
    errors, top, seen, blocked = [], str(folder), set(), {}
    leads_inside = _leads_inside(top)
    for rel in rels:
        target = os.path.join(top, rel)
        parent = os.path.dirname(target)
        if parent not in seen:
            seen.add(parent)
            stands = _file_in_the_way(top, parent, blocked)
            if stands:
                errors.append(
                    BuildError(
                        f"output/{os.path.relpath(stands, top)}",
                        None,
                        f"a file stands where the build needs a folder (for output/{rel})",
                        "remove or rename that file",
                        kind=ErrorKind.OUTPUT,
                    )
                )
                continue
            if not leads_inside(parent):
                errors.append(
                    BuildError(
                        f"output/{os.path.dirname(rel)}",
                        None,
                        "this folder is a symbolic link leading outside the output folder",
                        "remove the link: the build writes only inside output/",
                        kind=ErrorKind.OUTPUT,
                    )
                )
                continue
        if os.path.isdir(target) and not os.path.islink(target):
            errors.append(
                BuildError(
                    f"output/{rel}",
                    None,
                    "a folder stands where the build writes a file",
                    "remove or rename that folder",
                    kind=ErrorKind.OUTPUT,
                )
            )
    return errors


def _leads_inside(top: str):
    """`sandbox.inside(top, path)` for many paths under `top`, each existing folder resolved once: a path
    that does not exist yet leads where its nearest existing folder does (a thousand pages, one lookup)."""
    real_top, known = os.path.realpath(top), {}

    def leads_inside(path: str) -> bool:
        chain = []
        while path not in known and not os.path.lexists(path) and os.path.dirname(path) != path:
            chain.append(path)
            path = os.path.dirname(path)
        if path not in known:
            real = os.path.realpath(path)
            known[path] = real == real_top or real.startswith(real_top + os.sep)
        for inner in chain:
            known[inner] = known[path]
        return known[path]

    return leads_inside


def _file_in_the_way(top: str, folder: str, known: dict[str, str | None]) -> str | None:
    """The first existing path on the way from `top` to `folder` that is not a folder, once per path (a
    later folder under it gets None: one error for the file)."""
    chain, path = [], folder
    while path != top and len(path) > len(top) and path not in known:
        if os.path.lexists(path):
            known[path] = None if os.path.isdir(path) else path
            break
        chain.append(path)
        path = os.path.dirname(path)
    found = known.get(path)
    for inner in chain:
        known[inner] = None  # reported with `found`, or free
    if found:
        known[path] = None  # reported once
    return found


def check_folders(output: Path, state: Path, root: Path) -> list[BuildError]:
    """Errors for an output or state folder the build cannot use: a file, or a link to no folder."""
    errors = []
    for folder, what in ((output, "the output folder"), (state, "the build state folder")):
        rel = os.path.relpath(folder, root)
        if os.path.islink(folder) and not os.path.isdir(folder):
            errors.append(
                BuildError(
                    rel,
                    None,
                    f"{what} is a symbolic link to {os.readlink(folder)}, which is not a folder",
                    "point the link at a folder, or remove it",
                    kind=ErrorKind.OUTPUT,
                )
            )
        elif os.path.lexists(folder) and not os.path.isdir(folder):
            errors.append(
                BuildError(
                    rel,
                    None,
                    f"{what} is a file, not a folder",
                    "move the file away: Diptyque needs this name for a folder",
                    kind=ErrorKind.OUTPUT,
                )
            )
    return errors
