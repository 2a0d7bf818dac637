"""Apply exchange files: read each one, check it against its article, build the translation's new text,
then write every translation, or none when any file has a problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.config import Config
from builder.errors import BuildError, BuildFailed
from builder.frontmatter import dump
from builder.sandbox import read_regular
from builder.translate.articles import Article, find_article
from builder.translate.fields import update
from builder.translate.files import write_atomic
from builder.translate.formats import Exchange, read_exchange
from builder.translate.writeback.body import rebuilt
from builder.translate.writeback.checks import original_changed, structure, targets, translation_edited
from builder.translate.writeback.meta import meta_changes, new_meta


@dataclass(frozen=True)
class Imported:
    """A translation ready to be written."""

    path: Path
    text: str
    review: list[str]  # ids of the fuzzy or untranslated segments let through by --allow-fuzzy


def _article(config: Config, meta: dict[str, str], path: str) -> Article:
    """The article an exchange file is for, or errors naming the file and the article."""
    try:
        return find_article(config, meta["key"], meta["lang"])
    except BuildFailed as failure:
        raise BuildFailed(
            [
                BuildError(
                    path,
                    None,
                    f"is for article '{meta['key']}' in '{meta['lang']}': {e.path}: {e.message}",
                    e.hint,
                )
                for e in failure.errors
            ]
        ) from None


def prepare(config: Config, exchange: Exchange, path: str, allow_fuzzy: bool, force: bool) -> Imported:
    """Check one exchange file against its article and build the translation's new text."""
    meta = exchange.meta
    article = _article(config, meta, path)
    errors = structure(path, article, exchange.units) or original_changed(path, article, meta)
    errors += translation_edited(config, path, article, meta, force)
    texts, review, refused = targets(path, exchange.units, allow_fuzzy)
    errors += refused
    if errors:
        raise BuildFailed(errors)
    body, errors = rebuilt(path, article, texts, {unit.id: unit.line for unit in exchange.units})
    if errors:
        raise BuildFailed(errors)
    changes = meta_changes(article, texts, review, path)
    if article.translation:
        text = update(article.translation.text, article.translation.parsed, changes, body)
    else:
        text = dump(new_meta(article, changes), body)
    return Imported(article.target, text, review)


def _read(path: Path) -> Exchange:
    """An exchange file read and parsed, or an error naming it."""
    try:
        data = read_regular(path)  # a FIFO is refused, not waited on
    except OSError as exc:
        raise BuildFailed(
            [
                BuildError(
                    str(path),
                    None,
                    f"cannot be read ({exc.strerror or exc})",
                    "give the path of a .po or .xlf file",
                )
            ]
        ) from None
    exchange = read_exchange(data, str(path))
    if isinstance(exchange, BuildError):
        raise BuildFailed([exchange])
    return exchange


def import_files(
    config: Config, paths: list[Path], allow_fuzzy: bool = False, force: bool = False
) -> list[Imported]:
    """Check every file, then write every translation (nothing is written if any file has a problem)."""
    ready, errors = [], []
    for path in paths:
        try:
            ready.append(prepare(config, _read(path), str(path), allow_fuzzy, force))
        except BuildFailed as failure:
            errors += failure.errors
    destinations = [item.path for item in ready]
    errors += [
        BuildError(str(p), None, "two of the files given are for this translation", "import one of them")
        for p in sorted(set(destinations))
        if destinations.count(p) > 1
    ]
    if errors:
        raise BuildFailed(errors)
    for item in ready:
        if not item.path.is_file() or item.path.read_text(encoding="utf-8") != item.text:
            write_atomic(item.path, item.text.encode("utf-8"))
    return ready
