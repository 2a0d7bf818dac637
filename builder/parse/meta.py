"""`Meta`, one file's validated front matter, and what is made of it: its record in the saved state, the
warnings it carries, and the `Document` it becomes once its body is rendered.

Apart from the checks because an incremental build rebuilds a `Meta` from its record without checking again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from builder.errors import BuildError
from builder.model import Document, PostDate, Rendered, SourceFile
from builder.parse.dates import parse_date

_saved_date = lru_cache(maxsize=8192)(parse_date)  # a saved date, valid and written as `iso` wrote it


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
            "date": _saved_date(when) if when else None,
            "aliases": tuple(record.get("aliases") or ()),
            "updated": _saved_date(updated) if updated else None,
            "search": record.get("search", True),
            "description": record.get("description") or "",
            "authors": tuple(record.get("authors") or ()),
            "extra": record.get("extra") or {},
            "notices": tuple(tuple(notice) for notice in record.get("notices") or ()),
        }
    )


def notices(metas) -> list[BuildError]:
    """The warnings of every file's front matter and body, as errors to show (or raise with --strict)."""
    return [
        BuildError(source.path, line, message, hint)
        for source, meta in metas
        for line, message, hint in meta.notices
    ]


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
