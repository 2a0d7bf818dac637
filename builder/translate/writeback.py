"""`translate import`: write `<key>.<lang>.md` back from a PO or XLIFF file: the structure from the
original, the text from the file, the rest of the front matter as it was."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.config import Config
from builder.errors import BuildError, BuildFailed
from builder.frontmatter import dump
from builder.translate.articles import Article, find_article
from builder.translate.blocks import Block, parse_body, rebuild
from builder.translate.fields import DELETE, update
from builder.translate.files import fingerprint, write_atomic
from builder.translate.formats import Exchange, Unit, read_exchange
from builder.translate.segments import FIELDS, field
from builder.urls import slug as make_slug

REVIEW_NOTE = "Imported with segments to review"  # how the note left by --allow-fuzzy begins
EXPORT_AGAIN = "export the article again (diptyque translate export) and carry your translations over"


@dataclass(frozen=True)
class Imported:
    """A translation ready to be written."""

    path: Path
    text: str
    review: list[str]  # ids of the fuzzy or untranslated segments let through by --allow-fuzzy


def _expected(article: Article) -> list[tuple[str, str, int | None]]:
    """(id, source, original line) of every segment the original has now."""
    original = article.original
    found = [
        (name, field(original.parsed.meta, name), None)
        for name in FIELDS
        if field(original.parsed.meta, name).strip()
    ]
    body = original.parsed.body_line - 1
    return found + [
        (f"body.{n}", block.text, body + block.line)
        for n, block in enumerate(original.body.segments, start=1)
    ]


def _structure(path: str, article: Article, units: list[Unit]) -> list[BuildError]:
    """Errors when the file's segments are not the original's segments now."""
    expected = _expected(article)
    have = {unit.id: unit for unit in units}
    wanted = {sid for sid, _, _ in expected}
    errors = [
        BuildError(
            path,
            have[sid].line,
            f"segment {sid} is not in the original "
            f"{article.original.path} (a block was removed since the export?)",
            EXPORT_AGAIN,
        )
        for sid in have
        if sid not in wanted
    ]
    ids = [unit.id for unit in units]
    errors += [
        BuildError(
            path, have[sid].line, f"segment {sid} appears more than once", "keep one entry per segment"
        )
        for sid in sorted(set(ids))
        if ids.count(sid) > 1
    ]
    for sid, source, line in expected:
        unit = have.get(sid)
        where = f"{article.original.path}:{line}" if line else article.original.path
        if unit is None:
            errors.append(
                BuildError(
                    path,
                    None,
                    f"segment {sid} of {where} is missing from the file "
                    "(a block was added since the export?)",
                    EXPORT_AGAIN,
                )
            )
        elif unit.source != source:
            errors.append(
                BuildError(
                    path,
                    unit.line,
                    f"segment {sid}: its source is no longer the text of "
                    f"{where} (the original changed since the export)",
                    EXPORT_AGAIN,
                )
            )
    return errors


def _targets(
    path: str, units: list[Unit], allow_fuzzy: bool
) -> tuple[dict[str, str], list[str], list[BuildError]]:
    """The text of each segment, the ids let through for review, and the refused ones."""
    texts, review, errors = {}, [], []
    for unit in units:
        text = unit.target
        if not text.strip() or unit.fuzzy:
            state = "is not translated" if not text.strip() else "is fuzzy (marked for review)"
            if not allow_fuzzy:
                errors.append(
                    BuildError(
                        path,
                        unit.line,
                        f"segment {unit.id} {state}",
                        "translate it and clear the fuzzy mark, or import with "
                        "--allow-fuzzy (the article is then marked draft)",
                    )
                )
            review.append(unit.id)
            text = text.strip() or unit.source
        texts[unit.id] = text.strip("\n")
    return texts, review, errors


def _meta_changes(
    article: Article, texts: dict[str, str], review: list[str], exchange_path: str
) -> dict[str, Any]:
    """The front matter fields an import sets: translated fields, translation_of, draft and its note."""
    meta = article.translation.parsed.meta if article.translation else {}
    changes: dict[str, Any] = {name: texts[name] for name in ("title", "summary") if name in texts}
    if "image.alt" in texts:
        image = meta.get("image")
        image = image if isinstance(image, dict) else article.original.parsed.meta["image"]
        changes["image"] = {**image, "alt": texts["image.alt"]}
    changes["translation_of"] = article.original.digest
    notes = [n for n in meta.get("notes") or [] if not str(n).startswith(REVIEW_NOTE)]
    if review:
        notes.append(
            f"{REVIEW_NOTE} ({', '.join(review)}) from {Path(exchange_path).name}: check them "
            "against the original, then remove this note and draft: true."
        )
        changes["draft"] = True
    elif len(notes) != len(meta.get("notes") or []):
        changes["draft"] = DELETE
    if notes != (meta.get("notes") or []):
        changes["notes"] = notes or DELETE
    return changes


def _new_meta(article: Article, changes: dict[str, Any]) -> dict[str, Any]:
    """Front matter of a translation that did not exist: the original's date and tags, translated fields."""
    meta = article.original.parsed.meta
    new = {
        "title": changes["title"],
        "date": meta.get("date"),
        "slug": make_slug(changes["title"]),
        "tags": meta.get("tags", []),
    }
    new.update({name: changes[name] for name in ("summary", "image") if name in changes})
    new.update({name: value for name, value in changes.items() if name not in new and value is not DELETE})
    return {name: value for name, value in new.items() if value is not None}


def _misfit(block: Block, text: str) -> bool:
    """Whether `text` in `block` would read as something else (a blank line, a heading marker…)."""
    return parse_body("\n".join(block.with_text(text).source_lines())).shape != (block.shape,)


def _rebuilt(
    path: str, article: Article, texts: dict[str, str], lines: dict[str, int | None]
) -> tuple[str, list[BuildError]]:
    """The translated body, or errors naming each segment whose text would change the structure."""
    original = article.original.body
    ordered = [texts[f"body.{n}"] for n in range(1, len(original.segments) + 1)]
    errors = [
        BuildError(
            path,
            lines.get(f"body.{n}"),
            f"segment body.{n}: its translation would change "
            f"the article's structure (it must stay one {block.label})",
            "remove blank lines and the Markdown that starts a heading, list item, quote or "
            "table row, or escape it with a backslash",
        )
        for n, (block, text) in enumerate(zip(original.segments, ordered, strict=True), start=1)
        if _misfit(block, text)
    ]
    text = rebuild(original, ordered).text()
    if not errors and parse_body(text).shape != original.shape:
        errors.append(
            BuildError(
                path,
                None,
                "the translated blocks do not keep the original's structure",
                "check the segments for Markdown that joins or splits blocks",
            )
        )
    return text, errors


def prepare(config: Config, exchange: Exchange, path: str, allow_fuzzy: bool, force: bool) -> Imported:
    """Check one exchange file against its article and build the translation's new text."""
    meta = exchange.meta
    try:
        article = find_article(config, meta["key"], meta["lang"])
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
    errors = _structure(path, article, exchange.units)
    if not errors and meta["original-digest"] != article.original.digest:
        errors.append(
            BuildError(path, None, f"{article.original.path} changed since the export", EXPORT_AGAIN)
        )
    current = fingerprint(article.translation.text if article.translation else None)
    if current != meta["translation-digest"] and not force:
        errors.append(
            BuildError(
                path,
                None,
                f"{article.target.relative_to(config.root)} was edited since "
                "the export: importing would overwrite those edits",
                "export again and carry the edits over, or import with --force",
            )
        )
    texts, review, refused = _targets(path, exchange.units, allow_fuzzy)
    errors += refused
    if errors:
        raise BuildFailed(errors)
    body, errors = _rebuilt(path, article, texts, {unit.id: unit.line for unit in exchange.units})
    if errors:
        raise BuildFailed(errors)
    changes = _meta_changes(article, texts, review, path)
    if article.translation:
        text = update(article.translation.text, article.translation.parsed, changes, body)
    else:
        text = dump(_new_meta(article, changes), body)
    return Imported(article.target, text, review)


def _read(path: Path) -> Exchange:
    """An exchange file read and parsed, or an error naming it."""
    try:
        data = path.read_bytes()
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
    targets = [item.path for item in ready]
    errors += [
        BuildError(str(p), None, "two of the files given are for this translation", "import one of them")
        for p in sorted(set(targets))
        if targets.count(p) > 1
    ]
    if errors:
        raise BuildFailed(errors)
    for item in ready:
        if not item.path.is_file() or item.path.read_text(encoding="utf-8") != item.text:
            write_atomic(item.path, item.text.encode("utf-8"))
    return ready
