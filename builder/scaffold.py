"""Create new content files: an article, or the stub of a translation for a translator to fill."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from builder.config import Config
from builder.errors import BuildError, BuildFailed
from builder.frontmatter import Parsed, body_digest, dump, split
from builder.sandbox import inside
from builder.urls import slug as make_slug

NOT_IN_KEYS = re.compile(r"[*?\[\]/\\\x00]")  # glob wildcards, path separators: a key names one file
KEY_HINT = "give the file name before .<lang>.md, e.g. le-metavers"


def _shown(config: Config, path: Path) -> str:
    """A path relative to the project when it is inside it."""
    try:
        return str(path.relative_to(config.root))
    except ValueError:
        return str(path)


def _fail(config: Config, path: Path, message: str, hint: str, kind: str = "content") -> BuildFailed:
    return BuildFailed([BuildError(_shown(config, path), None, message, hint, kind)])


def _language(config: Config, lang: str) -> BuildError | None:
    if lang in config.codes:
        return None
    return BuildError("--lang", None, f"unknown language '{lang}'", f"use one of: {', '.join(config.codes)}")


def _folder(config: Config) -> Path:
    """content/posts, refusing a file in its place."""
    folder = config.content_dir / "posts"
    if not inside(str(config.root), str(folder)):
        raise _fail(
            config,
            folder,
            "is a symbolic link leading outside the site: articles are not written there",
            "make content/posts a folder of the site",
        )
    if folder.exists() and not folder.is_dir():
        raise _fail(
            config,
            folder,
            "is a file, not the folder of articles",
            "rename or remove it: articles live in content/posts/",
        )
    return folder


def _write(config: Config, path: Path, text: str) -> None:
    """Write a new file, or fail with an error naming it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise _fail(
            config,
            path,
            f"cannot write the file ({exc.strerror or exc})",
            "check that the folder exists and can be written",
        ) from None


def _taken(config: Config, path: Path, what: str, hint: str) -> BuildError | None:
    """An error when something is already at `path`: the file, or a folder in its place."""
    if path.is_dir():
        return BuildError(
            _shown(config, path), None, "is a folder, not an article file", "remove or rename the folder"
        )
    if path.exists():
        return BuildError(_shown(config, path), None, what, hint)
    return None


def new_article(config: Config, title: str, lang: str, today: date) -> Path:
    """Write content/posts/<slug>.<lang>.md with its front matter filled in, as a draft."""
    problem = _language(config, lang)
    if problem:
        raise BuildFailed([problem])
    if not title.strip():
        raise BuildFailed(
            [BuildError("content/posts", None, "the title is empty", 'give one: diptyque new "My title"')]
        )
    key = make_slug(title) or "article"
    path = _folder(config) / f"{key}.{lang}.md"
    problem = _taken(
        config, path, "this article already exists", "choose another title, or edit the existing file"
    )
    if problem:
        raise BuildFailed([problem])
    meta = {"title": title, "date": today.isoformat(), "slug": key, "tags": [], "summary": "", "draft": True}
    _write(config, path, dump(meta, "Write here.\n"))
    return path


def key_problem(key: str) -> BuildError | None:
    """An error when `key` is not a plain key (a file name before .<lang>.md): no wildcard, no path."""
    if not key.strip() or NOT_IN_KEYS.search(key) or ".." in key or key.startswith("."):
        return BuildError(
            "key",
            None,
            f"{key!r} is not an article key: a key is one file name, without * ? [ ] / or ..",
            KEY_HINT,
        )
    return None


def _read(config: Config, path: Path) -> Parsed:
    """An article's front matter and body, or an error naming the file."""
    if path.is_dir():
        raise _fail(config, path, "is a folder, not an article file", "remove or rename the folder")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(
            config,
            path,
            f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
            "save the file as UTF-8",
            "encoding",
        ) from None
    except OSError as exc:
        raise _fail(
            config, path, f"cannot be read ({exc.strerror or exc})", "make it a readable article file"
        ) from None
    parsed = split(text, _shown(config, path))
    if isinstance(parsed, BuildError):
        raise BuildFailed([parsed])
    return parsed


def translation_stub(config: Config, key: str, lang: str) -> Path:
    """Write <key>.<lang>.md from the original: same date and tags, translation_of set, body to translate."""
    problem = key_problem(key)
    if problem:
        raise BuildFailed([problem])
    folder = _folder(config)
    originals = [
        path for code in config.codes if code != lang and (path := folder / f"{key}.{code}.md").exists()
    ]
    target = folder / f"{key}.{lang}.md"
    problems = [p for p in [_language(config, lang)] if p]
    if not originals:
        problems.append(
            BuildError(_shown(config, folder / f"{key}.*.md"), None, f"no article with key '{key}'", KEY_HINT)
        )
    problems += [
        p
        for p in [_taken(config, target, "the translation already exists", "edit it, or delete it first")]
        if p
    ]
    if problems:
        raise BuildFailed(problems)
    parsed = _read(config, originals[0])
    meta = {
        "title": parsed.meta.get("title", ""),
        "date": str(parsed.meta.get("date", "")),
        "slug": "",
        "tags": parsed.meta.get("tags", []),
        "summary": "",
        "draft": True,
        "translation_of": body_digest(parsed.body),
    }
    _write(config, target, dump(meta, parsed.body))
    return target
