"""`parse_meta`: one content file's front matter checked field by field into a `Meta`.

Every problem of a file is reported at once. Errors keep the file out of the build; notices (an unknown
field, a tag missing from content/tags.toml, a template tag left in the body) are warnings, errors with
--strict. The checks are pure: the file's text comes in, a `Meta` or a list of errors goes out.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from builder.errors import BuildError
from builder.frontmatter import body_digest, field_line, split
from builder.model import SourceFile, Tag
from builder.parse.dates import publication_date, updated_date
from builder.parse.fields import (
    did_you_mean,
    kind_word,
    not_text,
    plain,
    read_aliases,
    read_authors,
    read_extra,
    read_image,
    read_slug,
    read_text,
    read_title,
    read_translation_key,
    taxonomy_tags,
)
from builder.parse.meta import Meta

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
TEXT_FIELDS = ("slug", "summary", "translation_key", "translation_of", "date_note")
FLAG_HINTS = {
    "draft": "write draft: true or draft: false, without quotes",
    "search": "write search: false (without quotes) to leave the page out of the search index",
}
TEMPLATE_TAG = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}")  # Hugo shortcodes, Liquid tags

Report = Callable[[str, str, str], None]  # (field, message, hint)


def parse_meta(source: SourceFile, tags: Mapping[str, Tag]) -> Meta | list[BuildError]:
    """Validate one file's front matter; return every error it has."""
    parsed = split(source.text, source.path)
    if isinstance(parsed, BuildError):
        return [parsed]
    errors: list[BuildError] = []
    notices: list[tuple[int, str, str]] = []

    def error(field: str, message: str, hint: str) -> None:
        """Report an error at the line of `field`."""
        errors.append(BuildError(source.path, field_line(source.text, field) or 1, message, hint))

    def notice(field: str, message: str, hint: str) -> None:
        """Record a warning at the line of `field`."""
        notices.append((field_line(source.text, field) or 1, message, hint))

    def at(field: str) -> Callable[[str, str], None]:
        """An `error(message, hint)` that reports at the line of `field`."""
        return lambda message, hint: error(field, message, hint)

    meta = parsed.meta
    _unknown_fields(meta, notice)
    title = read_title(meta.get("title"), at("title"))
    meta = _text_fields(meta, error)
    _flags_and_image(meta, error)
    when = publication_date(meta, source, at("date"))
    slug = read_slug(meta.get("slug"), title, source.key, at("slug" if meta.get("slug") else "title"))
    key = read_translation_key(meta.get("translation_key"), source.key, at("translation_key"))
    tag_ids = _tags(meta, tags, at("tags"), notice)
    image_src, image_alt, image_caption = read_image(meta.get("image"), at("image"))
    aliases = read_aliases(meta.get("aliases"), source.lang, at("aliases"))
    updated_key = "updated" if meta.get("updated") is not None else "lastmod"
    updated = updated_date(meta.get(updated_key), when, at(updated_key))
    description = read_text(meta.get("description"), at("description"), "description")
    authors = read_authors(
        meta.get("author", meta.get("authors")), at("author" if "author" in meta else "authors")
    )
    extra = read_extra(meta.get("extra"), at("extra"))
    notices += template_tags(parsed.body, parsed.body_line)
    if errors:
        return errors
    return Meta(
        title=title,
        slug=slug,
        date=when,
        tags=tuple(dict.fromkeys(str(t) for t in tag_ids)),
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
        extra=plain(extra),
        notices=tuple(notices),
    )


def _unknown_fields(meta: Mapping, notice: Report) -> None:
    """A notice for each field Diptyque does not know, with the nearest known one."""
    for key in meta:
        if key not in FIELDS:
            notice(
                str(key),
                f"unknown front matter field '{key}' (ignored)",
                did_you_mean(
                    key,
                    FIELDS,
                    "remove it, or keep it under extra: for your templates (--strict makes this an error)",
                ),
            )


def _text_fields(meta: Mapping, error: Report) -> Mapping:
    """The front matter with each text field that is not text reported and set to None."""
    for name in TEXT_FIELDS:
        if (
            name in meta
            and meta[name] is not None
            and not isinstance(meta[name], (str, int, float))
            or isinstance(meta.get(name), bool)
        ):
            error(name, *not_text(name, meta[name]))
            meta = {**meta, name: None}
    return meta


def _flags_and_image(meta: Mapping, error: Report) -> None:
    """Report `draft` or `search` not true or false, and an `image` that is not a mapping."""
    for name, hint in FLAG_HINTS.items():
        if name in meta and not isinstance(meta[name], bool):
            error(
                name,
                f"'{name}' should be true or false, not the {kind_word(meta[name])} {meta[name]!r}",
                hint,
            )
    if "image" in meta and meta["image"] is not None and not isinstance(meta["image"], dict):
        error(
            "image",
            f"'image' should be a mapping, not a {kind_word(meta['image'])}",
            'write image: {src: photo.jpg, alt: "…"}',
        )


UNLISTED_TAG = "tag id "  # how the notice of a tag missing from content/tags.toml begins


def _tags(meta: Mapping, known: Mapping[str, Tag], error: Callable, notice: Report) -> list:
    """The tag ids as given (`tags`, or Zola's `taxonomies`); a tag not in content/tags.toml is a notice."""
    raw_tags = meta.get("tags") or taxonomy_tags(meta.get("taxonomies"))
    raw_tags = [raw_tags] if isinstance(raw_tags, str) else raw_tags
    if not isinstance(raw_tags, list):
        error("tags should be a list of tag ids", "write tags: [ai, data]")
        raw_tags = []
    for tag in raw_tags:
        if isinstance(tag, (dict, list)):
            error(f"a tag should be a tag id, not a {kind_word(tag)}", "write tags: [ai, data]")
        elif str(tag) not in known:
            notice(
                "tags" if "tags" in meta else "taxonomies",
                f"{UNLISTED_TAG}'{tag}' is not in content/tags.toml: published with '{tag}' as its label",
                did_you_mean(tag, known, f"add [{tag}] to content/tags.toml with a label per language"),
            )
    return raw_tags


def template_tags(body: str, first_line: int) -> list[tuple[int, str, str]]:
    """Hugo shortcodes and Liquid tags of a body outside code, which Diptyque leaves as text."""
    if "{{" not in body and "{%" not in body:  # most bodies: no line to look at
        return []
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
