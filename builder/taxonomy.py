"""The bilingual tag vocabulary: one id per tag, a label and so a slug per language."""

from __future__ import annotations

import re
import tomllib
from types import MappingProxyType

from builder.config import Config
from builder.errors import BuildError, toml_line
from builder.model import Tag
from builder.sandbox import read_text, word_problem
from builder.urls import slug

TAGS_FILE = "tags.toml"
IGNORED = ("keywords",)  # fields of a tag table the build does not read (the importer's keywords)


def _labels(table: object) -> dict | None:
    """A tag table's labels (language code → label) without the fields the build ignores; None if no table."""
    if not isinstance(table, dict):
        return None
    return {code: label for code, label in table.items() if code not in IGNORED}


def parse_tags(text: str, config: Config, path: str) -> tuple[dict[str, Tag], list[BuildError]]:
    """Read the vocabulary; a missing label falls back to the default language's (status reports it)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, [
            BuildError(
                path,
                toml_line(exc),
                f"invalid TOML: {exc}",
                "fix the syntax at that line",
            )
        ]
    tags, errors, taken = {}, [], {}
    lines = {
        m.group(1): n
        for n, row in enumerate(text.splitlines(), 1)
        if (m := re.match(r"^\[([^\]]+)\]", row.strip()))
    }
    for tag_id, table in data.items():
        line = lines.get(tag_id)
        labels = _labels(table)
        if labels is None or not all(isinstance(v, str) and v.strip() for v in labels.values()):
            errors.append(
                BuildError(
                    path,
                    line,
                    f"tag '{tag_id}' should be a table of labels",
                    f'write [{tag_id}] then fr = "…" and en = "…"',
                )
            )
            continue
        unknown = [code for code in labels if code not in config.codes]
        if unknown:
            errors.append(
                BuildError(
                    path,
                    line,
                    f"tag '{tag_id}' has a label in unknown language '{unknown[0]}'",
                    f"use one of: {', '.join(config.codes)}",
                )
            )
            continue
        fallback = labels.get(config.default_language) or next(iter(labels.values()), tag_id)
        full = {code: labels.get(code, fallback) for code in config.codes}
        slugs = {code: slug(label) or tag_id for code, label in full.items()}
        problem = next((word_problem(s) for s in slugs.values() if word_problem(s)), None)
        if problem:
            errors.append(
                BuildError(
                    path,
                    line,
                    f"tag '{tag_id}' gives a URL word that {problem}",
                    "give it a label with letters or digits, or another tag id",
                )
            )
            continue
        for code, word in slugs.items():
            if (code, word) in taken:
                errors.append(
                    BuildError(
                        path,
                        line,
                        f"tags '{taken[(code, word)]}' and '{tag_id}' have labels "
                        f"that give the same URL in '{code}' (…/{word}/)",
                        "give one of them a label that differs in more than accents and case",
                    )
                )
            taken[(code, word)] = tag_id
        tags[tag_id] = Tag(id=tag_id, labels=MappingProxyType(full), slugs=MappingProxyType(slugs))
    return tags, errors


def untranslated(text: str, config: Config) -> list[tuple[str, str]]:
    """List (tag id, language) pairs that have no label of their own."""
    data = tomllib.loads(text)
    return [
        (tag_id, code)
        for tag_id, table in data.items()
        for code in config.codes
        if (labels := _labels(table)) is not None and not str(labels.get(code, "")).strip()
    ]


def unlisted(tag_ids, tags) -> list[str]:
    """The tag ids articles use that content/tags.toml does not name, in order."""
    return sorted({str(tag) for tag in tag_ids} - set(tags))


def with_unlisted(tags: dict[str, Tag], metas, config: Config) -> dict[str, Tag]:
    """The vocabulary with a tag for each id the articles use without a content/tags.toml entry, labelled
    with its id in every language (each is a warning, and `status` lists it as untranslated)."""
    missing = unlisted((tag for _, meta in metas for tag in meta.tags), tags)
    if not missing:
        return tags
    added = {
        tag_id: Tag(
            id=tag_id,
            labels=MappingProxyType({code: tag_id for code in config.codes}),
            slugs=MappingProxyType({code: slug(tag_id) or tag_id for code in config.codes}),
        )
        for tag_id in missing
    }
    return {**tags, **added}


def load_tags(config: Config) -> tuple[dict[str, Tag], list[BuildError]]:
    """Read content/tags.toml if there is one."""
    path = config.content_dir / TAGS_FILE
    rel = str(path.relative_to(config.root))
    if not path.exists():
        return {}, []
    try:
        text = read_text(path)
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return {}, [
            BuildError(
                rel, line, f"the file is not UTF-8 ({exc.reason})", "save it as UTF-8", kind="encoding"
            )
        ]
    except OSError as exc:
        return {}, [
            BuildError(
                rel, None, f"cannot be read: {exc.strerror or exc}", "make content/tags.toml a readable file"
            )
        ]
    return parse_tags(text, config, rel)
