"""What config.toml may hold: its keys and their types, the defaults, the words of paths and permalinks,
and the `Checker` that holds a table to a schema and collects errors at the line they come from.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Any, Mapping

from builder.errors import BuildError

POLICIES = ("fallback", "home")
PLACEHOLDERS = ("year", "month", "day", "slug", "key")
PATH_WORDS = ("tags", "archives", "page", "search")
DEFAULT_PATHS = {
    "fr": {"tags": "etiquettes", "archives": "archives", "page": "page", "search": "recherche"},
    "en": {"tags": "tags", "archives": "archives", "page": "page", "search": "search"},
}
TOP_KEYS = {
    "base_url": str,
    "default_language": str,
    "posts_per_page": int,
    "permalink": str,
    "theme": str,
    "missing_translation": str,
    "toc_min_headings": int,
    "related_posts": int,
    "feed_entries": int,
    "languages": dict,
    "search": bool,
    "social_cards": bool,
}
LANGUAGE_KEYS = {
    "name": str,
    "locale": str,
    "title": str,
    "description": str,
    "author": str,
    "paths": dict,
    "menu": list,
}
EXAMPLES = {int: "10", dict: "{ … } or a [table]", bool: "true"}
DEFAULTS = {
    "posts_per_page": 10,
    "permalink": "{year}/{slug}/",
    "theme": "default",
    "missing_translation": "fallback",
    "toc_min_headings": 3,
    "related_posts": 3,
    "feed_entries": 20,
    "default_language": "fr",
}


def line_of(text: str, key: str, table: str = "") -> int | None:
    """Find the line where `key` is set (inside `[table]` when given), for error messages."""
    headers, keys = _lines(text)
    found = [n for n in (headers.get(f"{table}.{key}".strip(".")), keys.get((table, key))) if n]
    return min(found) if found else None


@lru_cache(maxsize=4)
def _lines(text: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """The first line of each table header, and of each key in each table: read once per text, however
    many errors it has."""
    headers, keys, current = {}, {}, ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[([^\]]+)\]", stripped)
        if header:
            current = header.group(1).strip()
            headers.setdefault(current, number)
            continue
        assigned = re.match(r"^(.+?)\s*=", stripped)
        if assigned:
            keys.setdefault((current, assigned.group(1)), number)
    return headers, keys


def suggest(key: str, allowed: Mapping[str, Any] | tuple[str, ...]) -> str:
    """Suggest the nearest allowed key for a misspelt one."""
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(allowed))}"


class Checker:
    """Collects errors while reading one table of the config."""

    def __init__(self, path: str, text: str):
        """Check the config file `path` whose text is `text`."""
        self.path, self.text, self.errors = path, text, []

    def error(self, key: str, table: str, message: str, hint: str) -> None:
        """Report a problem at the line where `key` is set in `table`."""
        self.errors.append(
            BuildError(self.path, line_of(self.text, key, table), message, hint, kind="config")
        )

    def table(self, data: dict, schema: Mapping[str, type], table: str) -> dict:
        """Check keys and value types of one table; return the valid entries."""
        valid = {}
        for key, value in data.items():
            where = f"{table}.{key}" if table else key
            if key not in schema:
                self.error(key, table, f"unknown key '{where}'", suggest(key, schema))
            elif not isinstance(value, schema[key]) or (schema[key] is int and isinstance(value, bool)):
                example = EXAMPLES.get(schema[key], '"…"')
                self.error(
                    key,
                    table,
                    f"'{where}' should be a {schema[key].__name__}, not {type(value).__name__}",
                    f"write {key} = {example}",
                )
            else:
                valid[key] = value
        return valid
