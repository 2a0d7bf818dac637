"""Checking the pictures an article shows, with the line of its source that names each: a picture that
is missing, that goes up a folder or leads outside the site is an error; one with no alt text, a warning.

The source file is read again only to find a line for a message, so a build with no problem never
reads it.
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Mapping
from urllib.parse import unquote

from builder.config import Config
from builder.errors import BuildError
from builder.frontmatter import field_line
from builder.images.sources import Use, bare, folders, hero_asset, locate
from builder.sandbox import inside

REFERENCE = re.compile(r'(?:src|href|srcset)="([^"#?]+)')  # files a body's HTML points to


def _source_text(config: Config, path: str) -> str:
    """The text of a content file, or nothing when it cannot be read."""
    try:
        return (config.root / path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def line_of(config: Config, use: Use) -> int | None:
    """The line of the source that names a picture (front matter image: for the hero)."""
    text = _source_text(config, use.doc.path)
    if use.hero:
        return field_line(text, "image")
    for name in written(use):
        for pattern in (f"]({name}", f'"{name}"', f"'{name}'", name):
            for number, line in enumerate(text.split("\n"), start=1):
                if pattern in line:
                    return number
    return None


def written(use: Use) -> list[str]:
    """The ways the source may write a picture's name: as the body has it, then without its folders."""
    parts = use.src.split("/")  # `canonical` put the key's folder before a name written bare
    return [use.src] + ["/".join(parts[i:]) for i in range(1, len(parts))]


def _nearest(use: Use, assets: Mapping[str, str]) -> str:
    """A hint naming the file nearest to a missing picture's name."""
    names = set()
    for folder in folders(use.doc.path, use.doc.key):  # as the article would write them
        names.update(os.path.relpath(path, folder) for path in assets if path.startswith(folder + "/"))
    close = difflib.get_close_matches(use.src, sorted(names), n=1, cutoff=0.4)
    if close:
        return f"did you mean {close[0]}?"
    return (
        f"put the file in {folders(use.doc.path, use.doc.key)[0]}/ or beside the article, "
        "and write its name as the source"
    )


def problem(use: Use, assets: Mapping[str, str], config: Config) -> tuple[str | None, BuildError | None]:
    """The asset a use shows, or the error saying why it cannot be shown."""
    where = "image.src" if use.hero else "picture"
    if ".." in bare(use.src).replace("\\", "/").split("/"):
        return None, BuildError(
            use.doc.path,
            line_of(config, use),
            f"the {where} {use.src} goes up a folder ('..')",
            "put the picture beside the article (or in its key's folder), write its name",
        )
    found = locate(use.doc.path, use.doc.key, use.src, assets)
    if found is None:
        return None, BuildError(
            use.doc.path, line_of(config, use), f"the {where} {use.src} does not exist", _nearest(use, assets)
        )
    if not inside(str(config.root), str(config.root / found)):
        return None, BuildError(
            use.doc.path,
            line_of(config, use),
            f"the {where} {found} is a symbolic link leading outside the site",
            "copy the picture into the site instead of linking to it",
        )
    return found, None


def alt_warning(use: Use, found: dict, config: Config) -> str | None:
    """A warning for a picture with no alt text (alt="" in HTML or front matter marks it decorative)."""
    alt = found.get("alt")
    if alt:
        return None
    line = line_of(config, use)
    if use.hero:
        if alt == "":
            return None
        hint = 'add alt: "…" to image (alt: "" marks a decorative picture)'
    elif alt is None or any(f"![]({name}" in _source_text(config, use.doc.path) for name in written(use)):
        hint = (
            "write what it shows between the brackets, ![Une photo](photo.jpg); "
            '<img alt=""> marks it decorative'
        )
    else:
        return None
    where = f"{use.doc.path}:{line}" if line else use.doc.path
    return f"{where}: the picture {use.src} has no alt text; {hint}"


def stray_files(site, config: Config) -> list[BuildError]:
    """Warnings for the files of content/posts that are neither articles nor used by one (a picture it shows,
    a file it links to): a leftover of an import, or an article under a name that is not read."""
    posts = str((config.content_dir / "posts").relative_to(config.root)) + os.sep
    if not any(path.startswith(posts) for path in site.assets):
        return []  # no file to account for: the documents need not be read
    used = set()
    for versions in site.translations.values():
        for doc in versions.values():
            folder = os.path.dirname(doc.path)
            used.update(
                os.path.normpath(os.path.join(folder, unquote(found)))
                for found in REFERENCE.findall(doc.body.html)
                if "://" not in found
            )
            hero = hero_asset(doc, site.assets)  # beside the article or in its key folder
            if hero:
                used.add(hero)
    return [
        BuildError(
            path,
            None,
            "a file in content/posts that no article shows or links to",
            "name an article <key>.<lang>.md, link to the file from one, or move it elsewhere",
        )
        for path in sorted(site.assets)
        if path.startswith(posts) and path not in used
    ]
