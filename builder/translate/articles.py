"""Find the original and the translation of an article key, read and checked."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from builder.assemble import original_language
from builder.config import Config
from builder.errors import BuildError, BuildFailed
from builder.frontmatter import Parsed, body_digest, split
from builder.sandbox import read_text
from builder.scaffold import KEY_HINT, key_problem
from builder.translate.blocks import Body, parse_body

FOLDERS = {"posts": "post", "pages": "page"}


@dataclass(frozen=True)
class Version:
    """One language version of an article, as read from disk."""

    path: str  # relative to the project
    lang: str
    text: str  # the whole file
    parsed: Parsed

    @property
    def body(self) -> Body:
        return parse_body(self.parsed.body)

    @property
    def digest(self) -> str:
        return body_digest(self.parsed.body)

    @property
    def translation_of(self) -> str | None:
        made_from = self.parsed.meta.get("translation_of")
        return str(made_from) if made_from else None


@dataclass(frozen=True)
class Article:
    """An original and, when it exists, its translation into one language."""

    key: str
    kind: str  # post or page
    lang: str  # the translation's language
    original: Version
    translation: Version | None
    target: Path  # where the translation is (or would be) written


def read_version(config: Config, path: Path, lang: str) -> Version:
    """A file read and split into front matter and body, or an error naming it."""
    shown = str(path.relative_to(config.root))
    try:
        text = read_text(path)  # a FIFO is not waited on, a folder is an error
    except UnicodeDecodeError as exc:
        raise BuildFailed(
            [
                BuildError(
                    shown,
                    None,
                    f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
                    "save the file as UTF-8",
                    "encoding",
                )
            ]
        ) from None
    except OSError as exc:
        raise BuildFailed(
            [
                BuildError(
                    shown, None, f"cannot be read ({exc.strerror or exc})", "make it a readable article file"
                )
            ]
        ) from None
    parsed = split(text, shown)
    if isinstance(parsed, BuildError):
        raise BuildFailed([parsed])
    return Version(shown, lang, text, parsed)


def _versions(config: Config, key: str) -> tuple[str, dict[str, Path]]:
    """The kind of article `key` names and its file per language."""
    for folder, kind in FOLDERS.items():
        found = {
            code: path
            for code in config.codes
            # any entry of that name: one that is not a readable file is told as such by `read_version`
            if os.path.lexists(path := config.content_dir / folder / f"{key}.{code}.md")
        }
        if found:
            return kind, found
    return "post", {}


def _original(config: Config, key: str) -> tuple[str, dict[str, Version], str]:
    """The kind of article `key` is, its versions, and the language of its original."""
    problem = key_problem(key)
    if problem:
        raise BuildFailed([problem])
    kind, paths = _versions(config, key)
    if not paths:
        raise BuildFailed(
            [BuildError(f"content/posts/{key}.*.md", None, f"no article with key '{key}'", KEY_HINT)]
        )
    versions = {code: read_version(config, path, code) for code, path in paths.items()}
    made_from = {code: version.translation_of for code, version in versions.items()}
    source = original_language(made_from, config.default_language)
    if source is None:
        raise BuildFailed(
            [
                BuildError(
                    versions[next(iter(versions))].path,
                    None,
                    f"every version of '{key}' has translation_of: none is the original",
                    "remove translation_of from the original",
                )
            ]
        )
    return kind, versions, source


def translation_languages(config: Config, key: str) -> list[str]:
    """The languages `key` is translated into: every language but its original's."""
    _, _, source = _original(config, key)
    return [code for code in config.codes if code != source]


def find_article(config: Config, key: str, lang: str) -> Article:
    """The original of `key` and its translation into `lang`, or errors saying what is wrong."""
    if lang not in config.codes:
        raise BuildFailed(
            [
                BuildError(
                    "--lang", None, f"unknown language '{lang}'", f"use one of: {', '.join(config.codes)}"
                )
            ]
        )
    kind, versions, source = _original(config, key)
    if source == lang:
        raise BuildFailed(
            [
                BuildError(
                    versions[lang].path,
                    None,
                    f"is the original of '{key}', not a translation",
                    f"give the language to translate into with --lang (not {lang})",
                )
            ]
        )
    folder = next(folder for folder, k in FOLDERS.items() if k == kind)
    return Article(
        key,
        kind,
        lang,
        versions[source],
        versions.get(lang),
        config.content_dir / folder / f"{key}.{lang}.md",
    )


def all_keys(config: Config) -> list[str]:
    """The key of every article and page that has a file in the default language or another."""
    keys = set()
    for folder in FOLDERS:
        for path in (config.content_dir / folder).glob("*.md"):
            parts = path.name.split(".")
            if len(parts) == 3 and parts[1] in config.codes:
                keys.add(parts[0])
    return sorted(keys)


def keys_to_translate(config: Config) -> list[str]:
    """Keys of every article and page whose original is not a draft (as `status` counts them)."""
    keys = []
    for key in all_keys(config):
        _, versions, source = _original(config, key)
        if versions[source].parsed.meta.get("draft") is not True:
            keys.append(key)
    return keys
