"""Readers of single front matter values: title, slug, translation key, text, authors, aliases, picture…

Each takes the raw value and an `error(message, hint)` callback and returns the value to keep, so that one
file's check can report every problem at once; none of them reads a file.
"""

from __future__ import annotations

import difflib
from typing import Any, Callable

from builder.sandbox import path_problem, word_problem
from builder.urls import output_file
from builder.urls import slug as make_slug

IMAGE_KEYS = ("src", "alt", "caption")


def kind_word(value: Any) -> str:
    """The YAML word for a value's type, for messages."""
    return {
        dict: "mapping",
        list: "list",
        bool: "boolean",
        str: "string",
        int: "number",
        float: "number",
    }.get(type(value), type(value).__name__)


def did_you_mean(word: Any, choices, otherwise: str) -> str:
    """Suggest the nearest of `choices` to a misspelt word, else say `otherwise`."""
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else otherwise


def not_text(where: str, value: Any, key: str | None = None) -> tuple[str, str]:
    """The message and hint for a value of `where` that should be text (`key` is the name to write)."""
    return f"'{where}' should be text, not a {kind_word(value)}", f'write {key or where}: "…" (quoted)'


def read_text(raw: Any, error: Callable, name: str) -> str:
    """A text field's value, stripped ("" when absent); a value not text is reported through `error`."""
    if raw is None:
        return ""
    if isinstance(raw, (dict, list, bool)):
        error(*not_text(name, raw))
        return ""
    return str(raw).strip()


def read_title(raw: Any, error: Callable) -> str:
    """The title, stripped; a missing title or one not text is reported ("" then)."""
    if isinstance(raw, (dict, list, bool)):
        error(f"the title should be text, not a {kind_word(raw)}", 'write title: "Your title" (quoted)')
        return ""
    if not isinstance(raw, (str, int, float)) or not str(raw).strip():
        error("missing title", 'add a line: title: "Your title"')
        return ""
    return str(raw).strip()


def path_word_problem(word: str) -> str | bool:
    """What makes a slug or translation key unfit for a path, or a false value."""
    return word_problem(word) or (".." in word and "contains '..'")


def read_slug(raw: Any, title: str, file_key: str, error: Callable) -> str:
    """The slug: the `slug` field, else made from the title, else the file's key."""
    slug = str(raw or make_slug(title) or file_key)
    problem = path_word_problem(slug)
    if problem:
        error(f"the slug {slug!r} {problem}", f"use e.g. slug: {make_slug(slug) or 'my-article'}")
    return slug


def read_translation_key(raw: Any, file_key: str, error: Callable) -> str:
    """The key joining translations: the `translation_key` field, else the file's key."""
    key = str(raw or file_key)
    problem = path_word_problem(key)
    if problem:
        error(
            f"the translation key {key!r} {problem}",
            "use letters, digits and '-', e.g. translation_key: my-article",
        )
    return key


def read_authors(raw: Any, error: Callable) -> tuple[str, ...]:
    """The author (a name) or authors (a list of names) of a file."""
    if raw is None:
        return ()
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        error("author should be a name or a list of names", 'write author: "Jeanne Dupont"')
        return ()
    return tuple(dict.fromkeys(str(name).strip() for name in names))


def alias_url(alias: str, lang: str) -> str:
    """An alias as a site-relative URL: a relative path gets the language prefix, a folder its final /."""
    url = alias if alias.startswith("/") else f"/{lang}/{alias}"
    last = url.rsplit("/", 1)[1]
    return url if not last or "." in last else url + "/"


def read_aliases(raw: Any, lang: str, error: Callable) -> tuple[str, ...]:
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


def read_image(raw: Any, error: Callable) -> tuple[str | None, str | None, str | None]:
    """The picture's file, alt text and caption; a key or value that cannot be is reported through `error`."""
    if not isinstance(raw, dict):
        return None, None, None
    for key in raw:
        if key not in IMAGE_KEYS:
            error(
                f"unknown key 'image.{key}'",
                did_you_mean(key, IMAGE_KEYS, 'write image: {src: photo.jpg, alt: "…", caption: "…"}'),
            )
    values = {}
    for key in IMAGE_KEYS:
        value = raw.get(key)
        if isinstance(value, (dict, list, bool)):
            error(*not_text(f"image.{key}", value, key))
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


def taxonomy_tags(taxonomies: Any) -> Any:
    """The tags of a Zola-style `taxonomies` table (taxonomies: {tags: [...]}), else none."""
    return taxonomies.get("tags") or [] if isinstance(taxonomies, dict) else []


def read_extra(raw: Any, error: Callable) -> dict:
    """The `extra:` mapping ({} when absent); a value not a mapping is reported through `error`."""
    extra = raw or {}
    if not isinstance(extra, dict):
        error(
            f"'extra' should be a mapping, not a {kind_word(extra)}",
            "write extra: then indented key: value lines",
        )
        return {}
    return extra


def plain(value: Any) -> Any:
    """A front matter value as plain JSON-like data (TOML dates and times as ISO text)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
