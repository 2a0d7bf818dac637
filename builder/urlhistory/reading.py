"""Reading content/urls.toml: its URLs and ids, or the errors that make it unreadable, each with its line
(a merge conflict left in the file, invalid TOML, an unknown table, a line that is not a URL and its page,
an id that is not a tag: URI).

The file as the build writes it is read as JSON once its lines are joined, a tenth of tomllib's time;
any other form goes through tomllib, which reports what is wrong.
"""

from __future__ import annotations

import json
import re
import tomllib
from types import MappingProxyType
from typing import Iterable

from builder.config import Config
from builder.errors import BuildError, toml_line
from builder.model import Document
from builder.sandbox import read_text
from builder.urlhistory.record import History, Ref, domain, error, id_key, location, tag_id

CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(\s|$)")
KEY_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*=')


def _line_of(text: str, needle: str) -> int | None:
    """The first line of `text` that holds `needle`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return None


def _key_lines(text: str) -> dict[str, int]:
    """The line of each quoted key, for messages."""
    found = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = KEY_LINE.match(line)
        if match:
            try:
                found.setdefault(json.loads(match.group(1)), number)
            except ValueError:
                continue
    return found


def _fast(text: str) -> dict | None:
    """The file as the build writes it, read as JSON once its lines are joined; None in any other form."""
    if "\\U" in text:  # an escape TOML has and JSON lacks
        return None
    tables, rows = {}, None
    for line in text.split("\n"):
        if not line or line[0] == "#":
            continue
        if line in ("[urls]", "[ids]"):
            rows = tables.setdefault(line[1:-1], [])
            continue
        key, equals, value = line.partition(" = ")
        if rows is None or not equals or key[:1] != '"':
            return None
        rows.append(f"[{key},{value}]")
    try:
        pairs = {name: json.loads(f"[{','.join(found)}]") for name, found in tables.items()}
    except ValueError:
        return None
    data = {name: dict(found) for name, found in pairs.items()}
    if any(len(data[name]) != len(found) for name, found in pairs.items()):  # a key given twice
        return None
    return data


class _Lines:
    """The line of each quoted key, found only when a message needs one."""

    def __init__(self, text: str):
        """Keep the text; its lines are found on the first question."""
        self.text, self.found = text, None

    def get(self, key: str) -> int | None:
        """The line that sets `key`."""
        if self.found is None:
            self.found = _key_lines(self.text)
        return self.found.get(key)


def _conflict(text: str) -> BuildError | None:
    """The error for a merge conflict left in the file, at the line of its first marker."""
    marked = "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text
    for number, line in enumerate(text.split("\n") if marked else (), start=1):
        if CONFLICT.match(line):
            return error(
                number,
                "a merge conflict is left in the file (<<<<<<<, ======= or >>>>>>> lines)",
                "keep the lines of both sides (one line per URL) and "
                "remove the markers; the next build sorts the file again",
            )
    return None


def parse(text: str, codes: Iterable[str]) -> tuple[dict[str, Ref], dict[str, str], list[BuildError]]:
    """The URLs and ids of a urls.toml text, or the errors that make it unreadable (with their lines)."""
    conflict = _conflict(text)
    if conflict:
        return {}, {}, [conflict]
    data = _fast(text)
    try:
        data = data if data is not None else tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        hint = 'fix that line: each is "URL" = ["kind", "key", "language"]'
        return {}, {}, [error(toml_line(exc), f"invalid TOML: {exc}", hint)]
    errors, lines = [], _Lines(text)
    unknown = sorted(set(data) - {"urls", "ids"})
    if unknown:
        where = _line_of(text, f"[{unknown[0]}]")
        errors.append(
            error(where, f"unknown table [{unknown[0]}]", "the file has two tables: [urls] and [ids]")
        )
    for name in ("urls", "ids"):
        if name in data and not isinstance(data[name], dict):
            where = next((n for n, row in enumerate(text.split("\n"), 1) if row.startswith(name)), None)
            errors.append(error(where, f"'{name}' should be a table", f"write [{name}], then its lines"))
    table = {name: data[name] if isinstance(data.get(name), dict) else {} for name in ("urls", "ids")}
    urls, url_errors = _urls(table["urls"], set(codes), lines)
    ids, id_errors = _ids(table["ids"], lines)
    return urls, ids, errors + url_errors + id_errors


def _urls(table: dict, codes: set[str], lines: _Lines) -> tuple[dict[str, Ref], list[BuildError]]:
    """The [urls] table's pages, and an error for each line that is not a site URL and its page."""
    urls, errors = {}, []
    for url, value in table.items():
        ref = _ref(value, codes)
        if not url.startswith("/") or ref is None:
            errors.append(
                error(
                    lines.get(url),
                    f"the line for {url!r} is not a site URL and its page",
                    'write "/fr/…/" = ["post", "key", "fr"] (a page number may follow), or remove the line',
                )
            )
        else:
            urls[url] = ref
    return urls, errors


def _ids(table: dict, lines: _Lines) -> tuple[dict[str, str], list[BuildError]]:
    """The [ids] table's entry ids, and an error for each that is not a tag: URI."""
    ids, errors = {}, []
    for key, value in table.items():
        if not isinstance(value, str) or not value.startswith("tag:"):
            errors.append(
                error(
                    lines.get(key),
                    f"the id of {key!r} is not a tag: URI",
                    "restore it from git (an entry id must never change), or remove the line",
                )
            )
        else:
            ids[key] = value
    return ids, errors


def _ref(value, codes: set[str]) -> Ref | None:
    """A page from its [kind, key, language, number?] array; None when it is not one."""
    if not isinstance(value, list) or len(value) not in (3, 4):
        return None
    if not all(isinstance(v, str) for v in value[:3]) or value[2] not in codes:
        return None
    number = value[3] if len(value) == 4 else 1
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        return None
    return Ref(value[0], value[1], value[2], number)


def read_history(config: Config) -> tuple[str | None, list[BuildError]]:
    """The text of content/urls.toml (None when there is none yet), or why it cannot be read."""
    try:
        return read_text(location(config)), []
    except FileNotFoundError:
        return None, []
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        hint = "save it as UTF-8 (it is the URL history: removing it would lose the redirects)"
        return None, [error(line, f"the file is not UTF-8 ({exc.reason})", hint)]
    except OSError as exc:
        return None, [error(None, f"cannot be read: {exc.strerror or exc}", "make it a readable file")]


def problems(config: Config) -> list[BuildError]:
    """What makes content/urls.toml unusable (unreadable, or an entry that cannot be), for `diptyque status`,
    which tells it as `build` would."""
    text, unreadable = read_history(config)
    return unreadable or (parse(text, config.codes)[2] if text is not None else [])


def load(config: Config, docs: Iterable[Document], report: list) -> tuple[History, list[BuildError]]:
    """Read content/urls.toml, and give each published article not yet recorded its entry id."""
    text, unreadable = read_history(config)
    if unreadable:
        return History(report=report), unreadable
    urls, ids, errors = parse(text, config.codes) if text is not None else ({}, {}, [])
    host = domain(config)
    fresh = {
        id_key(d.key, d.lang): tag_id(host, d.key, d.lang, d.date.year)
        for d in docs
        if d.kind == "post" and d.date and id_key(d.key, d.lang) not in ids
    }
    every = {**fresh, **ids}
    return History(
        MappingProxyType(urls), MappingProxyType(every), MappingProxyType(ids), text is not None, report
    ), errors
