"""`translate export`: one PO or XLIFF file per article, a segment per block and translated field."""

from __future__ import annotations

import os
from pathlib import Path

from builder.config import Config
from builder.errors import BuildError, BuildFailed
from builder.translate.articles import Article, find_article
from builder.translate.files import fingerprint, write_atomic
from builder.translate.formats import EXTENSIONS, write_po, write_xliff
from builder.translate.segments import Segment, compare, segments

WRITERS = {"po": write_po, "xliff": write_xliff}


def exchange_meta(article: Article) -> dict[str, str]:
    """What an exchange file records about its article, to check it on import."""
    translation = article.translation
    return {
        "key": article.key,
        "kind": article.kind,
        "lang": article.lang,
        "original": article.original.path,
        "original-digest": article.original.digest,
        "translation-digest": fingerprint(translation.text if translation else None),
    }


def exchange_file(config: Config, article: Article, fmt: str) -> tuple[bytes, list[Segment]]:
    """The PO or XLIFF file for one article, and the segments it holds."""
    found = segments(compare(config, article))
    return WRITERS[fmt](exchange_meta(article), article.original.lang, found), found


def export(
    config: Config, keys: list[str], lang: str, fmt: str, out: Path, force: bool = False
) -> list[tuple[Path, int, int]]:
    """Write `<key>.<lang>.po|xlf` into `out` for each key; (file, segments, fuzzy) for each.

    Every key is checked before anything is written, and so is every file already there: one that differs
    from the new export may hold a translator's work, and is replaced only with `force`.
    """
    if fmt not in WRITERS:
        raise BuildFailed([BuildError("--format", None, f"unknown format '{fmt}'", "use po or xliff")])
    articles, problems = [], []
    for key in keys:
        try:
            articles.append(find_article(config, key, lang))
        except BuildFailed as failure:
            problems += failure.errors
    if out.exists() and not out.is_dir():
        problems.append(BuildError(str(out), None, "is a file, not a folder", "give --out a folder"))
    if problems:
        raise BuildFailed(problems)
    made = [(out / f"{a.key}.{lang}{EXTENSIONS[fmt]}", *exchange_file(config, a, fmt)) for a in articles]
    for path, data, _ in made:
        if not force and _differs(path, data):
            problems.append(
                BuildError(
                    str(path),
                    None,
                    "is already there and differs from this export: it may hold a translator's work",
                    "import it first (diptyque translate import FILE), or export again with --force",
                )
            )
    if problems:
        raise BuildFailed(problems)
    for path, data, _ in made:
        write_atomic(path, data)
    return [(path, len(found), sum(1 for s in found if s.fuzzy)) for path, _, found in made]


def _differs(path: Path, data: bytes) -> bool:
    """Whether something other than `data` is at `path` (a file of other bytes, a folder, a link)."""
    if not os.path.lexists(path):
        return False
    try:
        return path.is_symlink() or not path.is_file() or path.read_bytes() != data
    except OSError:
        return True
