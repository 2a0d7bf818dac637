"""`translate export`: one PO or XLIFF file per article, a segment per block and translated field."""

from __future__ import annotations

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


def export(config: Config, keys: list[str], lang: str, fmt: str, out: Path) -> list[tuple[Path, int, int]]:
    """Write `<key>.<lang>.po|xlf` into `out` for each key; (file, segments, fuzzy) for each.

    Every key is checked before anything is written.
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
    written = []
    for article in articles:
        data, found = exchange_file(config, article, fmt)
        path = out / f"{article.key}.{lang}{EXTENSIONS[fmt]}"
        write_atomic(path, data)
        written.append((path, len(found), sum(1 for s in found if s.fuzzy)))
    return written
