"""Create new content files: an article, or the stub of a translation for a translator to fill."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from builder.config import Config
from builder.errors import BuildError, BuildFailed
from builder.frontmatter import body_digest, dump, split
from builder.urls import slug as make_slug


def new_article(config: Config, title: str, lang: str, today: date) -> Path:
    """Write content/posts/<slug>.<lang>.md with its front matter filled in, as a draft."""
    if lang not in config.codes:
        raise BuildFailed([BuildError("--lang", None, f"unknown language '{lang}'", f"use one of: {', '.join(config.codes)}")])
    key = make_slug(title) or "article"
    path = config.content_dir / "posts" / f"{key}.{lang}.md"
    if path.exists():
        raise BuildFailed([BuildError(str(path.relative_to(config.root)), None, "this article already exists",
                                      "choose another title, or edit the existing file")])
    meta = {"title": title, "date": today.isoformat(), "slug": key, "tags": [], "summary": "", "draft": True}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(meta, "Write here.\n"), encoding="utf-8")
    return path


def translation_stub(config: Config, key: str, lang: str) -> Path:
    """Write <key>.<lang>.md from the original: same date and tags, `translation_of` set, its structure to fill."""
    folder = config.content_dir / "posts"
    originals = [p for p in sorted(folder.glob(f"{key}.*.md")) if p.name.split(".")[-2] != lang]
    target = folder / f"{key}.{lang}.md"
    problems = []
    if lang not in config.codes:
        problems.append(BuildError("--lang", None, f"unknown language '{lang}'", f"use one of: {', '.join(config.codes)}"))
    if not originals:
        problems.append(BuildError(str(folder / f"{key}.*.md"), None, f"no article with key '{key}'",
                                   "give the file name before .<lang>.md, e.g. le-metavers"))
    if target.exists():
        problems.append(BuildError(str(target.relative_to(config.root)), None, "the translation already exists",
                                   "edit it, or delete it first"))
    if problems:
        raise BuildFailed(problems)
    source = originals[0]
    parsed = split(source.read_text(encoding="utf-8"), str(source))
    if isinstance(parsed, BuildError):
        raise BuildFailed([parsed])
    meta = {"title": parsed.meta.get("title", ""), "date": str(parsed.meta.get("date", "")),
            "slug": "", "tags": parsed.meta.get("tags", []), "summary": "", "draft": True,
            "translation_of": body_digest(parsed.body)}
    target.write_text(dump(meta, parsed.body), encoding="utf-8")
    return target
