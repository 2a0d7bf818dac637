"""Check a content file's front matter and turn it into the fields of a `Document`."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from builder.errors import BuildError
from builder.frontmatter import body_digest, field_line, split
from builder.model import Document, PostDate, Rendered, SourceFile, Tag
from builder.sandbox import path_problem, word_problem
from builder.urls import output_file
from builder.urls import slug as make_slug

FIELDS = (
    "title",
    "date",
    "date_source",
    "date_note",
    "slug",
    "tags",
    "summary",
    "image",
    "source",
    "import_digest",
    "notes",
    "draft",
    "translation_key",
    "translation_of",
    "aliases",
    "updated",
    "search",
    "description",
    "author",
    "authors",
    "extra",
    "lastmod",
    "taxonomies",
)
DATE = re.compile(
    r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?"
    r"(?:[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?[ ]?(Z|[+-]\d{2}:?\d{2})?)?$"
)
FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")  # Jekyll's file names: 2013-05-06-title.md
TEMPLATE_TAG = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}")  # Hugo shortcodes, Liquid tags


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
    image_alt: str | None  # alt text of the article's picture ("" marks it decorative)
    body_digest: str  # digest of the body: what translations record, and the Markdown cache key
    body: str = ""  # Markdown body; empty when the Meta comes from the saved state
    aliases: tuple[str, ...] = ()  # other URLs that redirect to this page, site-relative
    updated: PostDate | None = None  # when the text last changed in substance
    image_src: str | None = None  # the article's picture, a file beside it (image.src)
    image_caption: str | None = None  # the picture's caption (image.caption)
    search: bool = True  # in the search index (front matter search: false leaves it out)
    description: str = ""  # the meta description, when given
    authors: tuple[str, ...] = ()  # author or authors, when given
    extra: dict = field(default_factory=dict, compare=False)  # the extra: mapping, as plain values
    notices: tuple[tuple[int, str, str], ...] = ()  # warnings (line, message, hint): errors with --strict


RECORD_FIELDS = (
    "title",
    "slug",
    "date",
    "tags",
    "summary",
    "draft",
    "key",
    "translation_of",
    "image_alt",
    "body_digest",
    "aliases",
    "updated",
    "image_src",
    "image_caption",
    "search",
    "description",
    "authors",
    "extra",
    "notices",
)


def meta_record(meta: Meta) -> dict:
    """Meta as named plain values for the saved state (the body is not kept: its rendering is)."""
    record = {name: getattr(meta, name) for name in RECORD_FIELDS}
    record.update(
        date=meta.date.iso() if meta.date else None,
        tags=list(meta.tags),
        aliases=list(meta.aliases),
        updated=meta.updated.iso() if meta.updated else None,
        authors=list(meta.authors),
        notices=[list(notice) for notice in meta.notices],
    )
    return record


def meta_from_record(record: dict) -> Meta:
    """Rebuild a Meta saved with `meta_record`."""
    when, updated = record["date"], record.get("updated")  # a record saved before a field existed lacks it
    return Meta(
        **{
            **{name: record.get(name) for name in RECORD_FIELDS},
            "tags": tuple(record["tags"]),
            "date": parse_date(when) if when else None,
            "aliases": tuple(record.get("aliases") or ()),
            "updated": parse_date(updated) if updated else None,
            "search": record.get("search", True),
            "description": record.get("description") or "",
            "authors": tuple(record.get("authors") or ()),
            "extra": record.get("extra") or {},
            "notices": tuple(tuple(notice) for notice in record.get("notices") or ()),
        }
    )


def parse_date(value: Any) -> PostDate | str:
    """Read a YYYY, YYYY-MM or YYYY-MM-DD date, with a time and a time zone after a day
    (2019-03-11T13:00:00-05:00, 2013-05-06 02:12:52 +0200); return an error message when it is not one."""
    match = DATE.match(str(value).strip())
    if not match:
        return f"'{value}' is not a date"
    year, month, day = (int(g) if g else None for g in match.groups()[:3])
    clock, offset = match.group(4) or "", match.group(5) or ""
    if clock and not day:
        return f"'{value}' has a time but no day"
    if len(clock) == 4 or len(clock) == 7:  # 9:30 → 09:30
        clock = "0" + clock
    if offset and offset != "Z" and ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:]}"
    try:
        date(year, month or 1, day or 1)
        made = PostDate(year, month, day, clock, offset)
        made.moment  # noqa: B018 (checks the time and the zone)
    except ValueError as exc:
        return f"'{value}' is not a real date ({exc})"
    return made


def parse_meta(source: SourceFile, tags: Mapping[str, Tag]) -> Meta | list[BuildError]:
    """Validate one file's front matter; return every error it has."""
    parsed = split(source.text, source.path)
    if isinstance(parsed, BuildError):
        return [parsed]
    meta, errors = parsed.meta, []

    notices: list[tuple[int, str, str]] = []

    def error(field: str, message: str, hint: str) -> None:
        errors.append(BuildError(source.path, field_line(source.text, field) or 1, message, hint))

    def notice(field: str, message: str, hint: str) -> None:
        notices.append((field_line(source.text, field) or 1, message, hint))

    for key in meta:
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, n=1)
            notice(
                str(key),
                f"unknown front matter field '{key}' (ignored)",
                f"did you mean '{close[0]}'?"
                if close
                else "remove it, or keep it under extra: for your templates (--strict makes this an error)",
            )
    title = meta.get("title")
    if isinstance(title, (dict, list, bool)):
        error(
            "title", f"the title should be text, not a {_kind(title)}", 'write title: "Your title" (quoted)'
        )
        title = ""
    elif not isinstance(title, (str, int, float)) or not str(title).strip():
        error("title", "missing title", 'add a line: title: "Your title"')
        title = ""
    for name in ("slug", "summary", "translation_key", "translation_of", "date_note"):
        if (
            name in meta
            and meta[name] is not None
            and not isinstance(meta[name], (str, int, float))
            or isinstance(meta.get(name), bool)
        ):
            error(name, f"'{name}' should be text, not a {_kind(meta[name])}", f'write {name}: "…" (quoted)')
            meta = {**meta, name: None}
    if "draft" in meta and not isinstance(meta["draft"], bool):
        error(
            "draft",
            f"'draft' should be true or false, not the {_kind(meta['draft'])} {meta['draft']!r}",
            "write draft: true or draft: false, without quotes",
        )
    if "search" in meta and not isinstance(meta["search"], bool):
        error(
            "search",
            f"'search' should be true or false, not the {_kind(meta['search'])} {meta['search']!r}",
            "write search: false (without quotes) to leave the page out of the search index",
        )
    if "image" in meta and meta["image"] is not None and not isinstance(meta["image"], dict):
        error(
            "image",
            f"'image' should be a mapping, not a {_kind(meta['image'])}",
            'write image: {src: photo.jpg, alt: "…"}',
        )
    title = str(title).strip()
    when = None
    if "date" in meta and meta["date"] is not None:
        when = parse_date(meta["date"])
        if isinstance(when, str):
            error("date", when, "write the date as YYYY-MM-DD, YYYY-MM or YYYY")
            when = None
    elif FILE_DATE.match(source.key):
        when = PostDate(*(int(part) for part in FILE_DATE.match(source.key).groups()))
    elif source.kind == "post":
        error("date", "missing date", "add a line: date: 2024-03-13 (or 2024-03, or 2024)")
    slug = str(meta.get("slug") or make_slug(title) or source.key)
    problem = word_problem(slug) or (".." in slug and "contains '..'")
    if problem:
        error(
            "slug" if meta.get("slug") else "title",
            f"the slug {slug!r} {problem}",
            f"use e.g. slug: {make_slug(slug) or 'my-article'}",
        )
    key = str(meta.get("translation_key") or source.key)
    problem = word_problem(key) or (".." in key and "contains '..'")
    if problem:
        error(
            "translation_key",
            f"the translation key {key!r} {problem}",
            "use letters, digits and '-', e.g. translation_key: my-article",
        )
    raw_tags = meta.get("tags") or _taxonomy_tags(meta.get("taxonomies"))
    raw_tags = [raw_tags] if isinstance(raw_tags, str) else raw_tags
    if not isinstance(raw_tags, list):
        error("tags", "tags should be a list of tag ids", "write tags: [ai, data]")
        raw_tags = []
    for tag in raw_tags:
        if isinstance(tag, (dict, list)):
            error("tags", f"a tag should be a tag id, not a {_kind(tag)}", "write tags: [ai, data]")
        elif str(tag) not in tags:
            close = difflib.get_close_matches(str(tag), list(tags), n=1)
            notice(
                "tags" if "tags" in meta else "taxonomies",
                f"tag id '{tag}' is not in content/tags.toml: published with '{tag}' as its label",
                f"did you mean '{close[0]}'?"
                if close
                else f"add [{tag}] to content/tags.toml with a label per language",
            )
    image_src, image_alt, image_caption = _image(meta.get("image"), lambda m, h: error("image", m, h))
    aliases = _aliases(meta.get("aliases"), source.lang, lambda m, h: error("aliases", m, h))
    updated_key = "updated" if meta.get("updated") is not None else "lastmod"
    updated = _updated(meta.get(updated_key), when, lambda m, h: error(updated_key, m, h))
    description = _text(meta.get("description"), lambda m, h: error("description", m, h), "description")
    authors = _authors(
        meta.get("author", meta.get("authors")),
        lambda m, h: error("author" if "author" in meta else "authors", m, h),
    )
    extra = meta.get("extra") or {}
    if not isinstance(extra, dict):
        error(
            "extra",
            f"'extra' should be a mapping, not a {_kind(extra)}",
            "write extra: then indented key: value lines",
        )
        extra = {}
    notices += _template_tags(parsed.body, parsed.body_line)
    if errors:
        return errors
    return Meta(
        title=title,
        slug=slug,
        date=when,
        tags=tuple(dict.fromkeys(str(t) for t in raw_tags)),
        summary=str(meta.get("summary") or "").strip(),
        draft=bool(meta.get("draft", False)),
        key=key,
        translation_of=str(meta["translation_of"]) if meta.get("translation_of") else None,
        image_alt=image_alt,
        body_digest=body_digest(parsed.body),
        body=parsed.body,
        aliases=aliases,
        updated=updated,
        image_src=image_src,
        image_caption=image_caption,
        search=meta.get("search", True) is not False,
        description=description,
        authors=authors,
        extra=_plain(extra),
        notices=tuple(notices),
    )


def alias_url(alias: str, lang: str) -> str:
    """An alias as a site-relative URL: a relative path gets the language prefix, a folder its final /."""
    url = alias if alias.startswith("/") else f"/{lang}/{alias}"
    last = url.rsplit("/", 1)[1]
    return url if not last or "." in last else url + "/"


def _aliases(raw: Any, lang: str, error) -> tuple[str, ...]:
    """The aliases of a file as site-relative URLs; each one that cannot be is reported through `error`."""
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        error("aliases should be a list of paths", "write aliases: [ancien-chemin/] (or /fr/2019/ancien/)")
        return ()
    found = []
    for item in (item.strip() for item in items):
        url = alias_url(item, lang)
        problem = (
            "leaves the site (a scheme or a host)"
            if "://" in item or item.startswith("//")
            else "holds '..'"
            if ".." in item.split("/")
            else "holds '?' or '#'"
            if "?" in item or "#" in item
            else path_problem(output_file(url))
        )
        if problem:
            error(
                f"the alias {item!r} {problem}",
                "write a path of this site, e.g. aliases: [2019/ancien-titre/]",
            )
        else:
            found.append(url)
    return tuple(dict.fromkeys(found))


def _updated(raw: Any, when: PostDate | None, error) -> PostDate | None:
    """The `updated` date, not before the publication date."""
    if raw is None:
        return None
    updated = parse_date(raw)
    if isinstance(updated, str):
        error(updated, "write the date as YYYY-MM-DD, YYYY-MM or YYYY")
        return None
    if when and updated.start < when.start:
        error(f"updated ({updated.iso()}) is before the date ({when.iso()})", "fix one of the two dates")
        return None
    return updated


IMAGE_KEYS = ("src", "alt", "caption")


def _image(raw: Any, error) -> tuple[str | None, str | None, str | None]:
    """The picture's file, alt text and caption; a key or value that cannot be is reported through `error`."""
    if not isinstance(raw, dict):
        return None, None, None
    for key in raw:
        if key not in IMAGE_KEYS:
            close = difflib.get_close_matches(str(key), IMAGE_KEYS, n=1)
            error(
                f"unknown key 'image.{key}'",
                f"did you mean '{close[0]}'?"
                if close
                else 'write image: {src: photo.jpg, alt: "…", caption: "…"}',
            )
    values = {}
    for key in IMAGE_KEYS:
        value = raw.get(key)
        if isinstance(value, (dict, list, bool)):
            error(f"'image.{key}' should be text, not a {_kind(value)}", f'write {key}: "…" (quoted)')
            value = None
        values[key] = None if value is None else str(value).strip()
    src = values["src"] or None
    if src and ("://" in src or src.startswith(("/", "//")) or ".." in src.replace("\\", "/").split("/")):
        error(
            f"image.src {src!r} is not a file beside the article (a URL, an absolute path or '..')",
            "put the picture beside the article, in content/posts/<key>/ or content/posts/, "
            "and write its name",
        )
        src = None
    return src, values["alt"], values["caption"] or None


def _taxonomy_tags(taxonomies: Any) -> Any:
    """The tags of a Zola-style `taxonomies` table (taxonomies: {tags: [...]}), else none."""
    return taxonomies.get("tags") or [] if isinstance(taxonomies, dict) else []


def _text(raw: Any, error, name: str) -> str:
    """A text field's value, stripped ("" when absent); a value not text is reported through `error`."""
    if raw is None:
        return ""
    if isinstance(raw, (dict, list, bool)):
        error(f"'{name}' should be text, not a {_kind(raw)}", f'write {name}: "…" (quoted)')
        return ""
    return str(raw).strip()


def _authors(raw: Any, error) -> tuple[str, ...]:
    """The author (a name) or authors (a list of names) of a file."""
    if raw is None:
        return ()
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        error("author should be a name or a list of names", 'write author: "Jeanne Dupont"')
        return ()
    return tuple(dict.fromkeys(str(name).strip() for name in names))


def _plain(value: Any) -> Any:
    """A front matter value as plain JSON-like data (TOML dates and times as ISO text)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _template_tags(body: str, first_line: int) -> list[tuple[int, str, str]]:
    """Hugo shortcodes and Liquid tags of a body outside code, which Diptyque leaves as text."""
    found, fence = [], None
    for number, line in enumerate(body.split("\n"), first_line):
        opened = re.match(r"\s*(`{3,}|~{3,})", line)
        if opened and (fence is None or opened.group(1).startswith(fence)):
            fence = None if fence else opened.group(1)
            continue
        if fence or ("{{" not in line and "{%" not in line):
            continue
        for tag in TEMPLATE_TAG.findall(re.sub(r"`[^`]*`", "", line)):
            kind = "a Hugo shortcode" if tag.startswith("{{") else "a Liquid tag"
            found.append(
                (
                    number,
                    f"{kind} {tag[:60]} is left as text",
                    "write what it stands for in Markdown (a link, an image, code) or remove it",
                )
            )
    return found


def notices(metas) -> list[BuildError]:
    """The warnings of every file's front matter and body, as errors to show (or raise with --strict)."""
    return [
        BuildError(source.path, line, message, hint)
        for source, meta in metas
        for line, message, hint in meta.notices
    ]


def _kind(value: Any) -> str:
    """The YAML word for a value's type, for messages."""
    return {
        dict: "mapping",
        list: "list",
        bool: "boolean",
        str: "string",
        int: "number",
        float: "number",
    }.get(type(value), type(value).__name__)


def make_document(source: SourceFile, meta: Meta, rendered: Rendered) -> Document:
    """Join a file's validated front matter with its rendered body."""
    return Document(
        kind=source.kind,
        key=meta.key,
        lang=source.lang,
        path=source.path,
        title=meta.title,
        slug=meta.slug,
        date=meta.date,
        tags=meta.tags,
        summary=meta.summary or rendered.summary,
        draft=meta.draft,
        body=rendered,
        body_digest=meta.body_digest,
        translation_of=meta.translation_of,
        image_alt=meta.image_alt,
        digest=source.digest,
        aliases=meta.aliases,
        updated=meta.updated,
        image_src=meta.image_src,
        image_caption=meta.image_caption,
        search=meta.search,
        description=meta.description,
        authors=meta.authors,
        extra=meta.extra,
    )
