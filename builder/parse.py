"""Check a content file's front matter and turn it into the fields of a `Document`."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from builder.errors import BuildError
from builder.frontmatter import body_digest, field_line, split
from builder.model import Document, PostDate, Rendered, SourceFile, Tag
from builder.sandbox import word_problem
from builder.urls import slug as make_slug

FIELDS = ("title", "date", "date_source", "date_note", "slug", "tags", "summary", "image", "source",
          "import_digest", "notes", "draft", "translation_key", "translation_of")
DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:[T ][\d:.+Z-]*)?$")


@dataclass(frozen=True)
class Meta:
    """Validated front matter of one file, with its Markdown body."""

    title: str  # the title
    slug: str  # URL slug
    date: PostDate | None  # publication date
    tags: tuple[str, ...]  # tag ids
    summary: str  # summary given in front matter, or ""
    draft: bool  # draft flag
    key: str  # translation key
    translation_of: str | None  # digest of the original body this translates
    image_alt: str | None  # alt text of the article's picture
    body_digest: str  # digest of the body: what translations record, and the Markdown cache key
    body: str = ""  # Markdown body; empty when the Meta comes from the saved state


RECORD_FIELDS = ("title", "slug", "date", "tags", "summary", "draft", "key", "translation_of", "image_alt",
                 "body_digest")


def meta_record(meta: Meta) -> dict:
    """Meta as named plain values for the saved state (the body is not kept: its rendering is)."""
    record = {name: getattr(meta, name) for name in RECORD_FIELDS}
    record.update(date=meta.date.iso() if meta.date else None, tags=list(meta.tags))
    return record


def meta_from_record(record: dict) -> Meta:
    """Rebuild a Meta saved with `meta_record`."""
    when = record["date"]
    return Meta(**{**{name: record[name] for name in RECORD_FIELDS}, "tags": tuple(record["tags"]),
                   "date": parse_date(when) if when else None})


def parse_date(value: Any) -> PostDate | str:
    """Read a YYYY, YYYY-MM or YYYY-MM-DD date; return an error message when it is not one."""
    match = DATE.match(str(value).strip())
    if not match:
        return f"'{value}' is not a date"
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        return f"'{value}' is not a real date ({exc})"
    return PostDate(year, month, day)


def parse_meta(source: SourceFile, tags: Mapping[str, Tag]) -> Meta | list[BuildError]:
    """Validate one file's front matter; return every error it has."""
    parsed = split(source.text, source.path)
    if isinstance(parsed, BuildError):
        return [parsed]
    meta, errors = parsed.meta, []

    def error(field: str, message: str, hint: str) -> None:
        errors.append(BuildError(source.path, field_line(source.text, field) or 1, message, hint))

    for key in meta:
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, n=1)
            error(str(key), f"unknown front matter field '{key}'",
                  f"did you mean '{close[0]}'?" if close else f"allowed fields: {', '.join(FIELDS)}")
    title = meta.get("title")
    if isinstance(title, (dict, list, bool)):
        error("title", f"the title should be text, not a {_kind(title)}", 'write title: "Your title" (quoted)')
        title = ""
    elif not isinstance(title, (str, int, float)) or not str(title).strip():
        error("title", "missing title", 'add a line: title: "Your title"')
        title = ""
    for name in ("slug", "summary", "translation_key", "translation_of", "date_note"):
        if name in meta and meta[name] is not None and not isinstance(meta[name], (str, int, float)) or \
                isinstance(meta.get(name), bool):
            error(name, f"'{name}' should be text, not a {_kind(meta[name])}", f'write {name}: "…" (quoted)')
            meta = {**meta, name: None}
    if "draft" in meta and not isinstance(meta["draft"], bool):
        error("draft", f"'draft' should be true or false, not the {_kind(meta['draft'])} {meta['draft']!r}",
              "write draft: true or draft: false, without quotes")
    if "image" in meta and meta["image"] is not None and not isinstance(meta["image"], dict):
        error("image", f"'image' should be a mapping, not a {_kind(meta['image'])}",
              'write image: {src: photo.jpg, alt: "…"}')
    title = str(title).strip()
    when = None
    if "date" in meta and meta["date"] is not None:
        when = parse_date(meta["date"])
        if isinstance(when, str):
            error("date", when, "write the date as YYYY-MM-DD, YYYY-MM or YYYY")
            when = None
    elif source.kind == "post":
        error("date", "missing date", "add a line: date: 2024-03-13 (or 2024-03, or 2024)")
    slug = str(meta.get("slug") or make_slug(title) or source.key)
    problem = word_problem(slug) or (".." in slug and "contains '..'")
    if problem:
        error("slug" if meta.get("slug") else "title", f"the slug {slug!r} {problem}",
              f"use e.g. slug: {make_slug(slug) or 'my-article'}")
    key = str(meta.get("translation_key") or source.key)
    problem = word_problem(key) or (".." in key and "contains '..'")
    if problem:
        error("translation_key", f"the translation key {key!r} {problem}",
              "use letters, digits and '-', e.g. translation_key: my-article")
    raw_tags = meta.get("tags") or []
    raw_tags = [raw_tags] if isinstance(raw_tags, str) else raw_tags
    if not isinstance(raw_tags, list):
        error("tags", "tags should be a list of tag ids", "write tags: [ai, data]")
        raw_tags = []
    for tag in raw_tags:
        if isinstance(tag, (dict, list)):
            error("tags", f"a tag should be a tag id, not a {_kind(tag)}", "write tags: [ai, data]")
        elif str(tag) not in tags:
            close = difflib.get_close_matches(str(tag), list(tags), n=1)
            error("tags", f"unknown tag id '{tag}'",
                  f"did you mean '{close[0]}'?" if close else "add it to content/tags.toml with a label per language")
    image = meta.get("image")
    image_alt = str(image.get("alt")) if isinstance(image, dict) and image.get("alt") else None
    if errors:
        return errors
    return Meta(title=title, slug=slug, date=when, tags=tuple(dict.fromkeys(str(t) for t in raw_tags)),
                summary=str(meta.get("summary") or "").strip(), draft=bool(meta.get("draft", False)),
                key=key,
                translation_of=str(meta["translation_of"]) if meta.get("translation_of") else None,
                image_alt=image_alt, body_digest=body_digest(parsed.body), body=parsed.body)


def _kind(value: Any) -> str:
    """The YAML word for a value's type, for messages."""
    return {dict: "mapping", list: "list", bool: "boolean", str: "string", int: "number",
            float: "number"}.get(type(value), type(value).__name__)


def make_document(source: SourceFile, meta: Meta, rendered: Rendered) -> Document:
    """Join a file's validated front matter with its rendered body."""
    return Document(kind=source.kind, key=meta.key, lang=source.lang, path=source.path, title=meta.title,
                    slug=meta.slug, date=meta.date, tags=meta.tags, summary=meta.summary or rendered.summary,
                    draft=meta.draft, body=rendered, body_digest=meta.body_digest,
                    translation_of=meta.translation_of, image_alt=meta.image_alt, digest=source.digest)
