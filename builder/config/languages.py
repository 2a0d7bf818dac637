"""The `[languages.xx]` tables of config.toml: each language's locale, localized path words and menu."""

from __future__ import annotations

import re
from types import MappingProxyType

from babel import Locale, UnknownLocaleError

from builder.config.schema import DEFAULT_PATHS, LANGUAGE_KEYS, PATH_WORDS, Checker, suggest
from builder.config.settings import Language

MENU_KINDS = ("home", "tags", "archives")


def read_languages(check: Checker, tables: dict) -> list[Language]:
    """Validate each [languages.xx] table."""
    if not tables:
        check.error(
            "languages", "", "no [languages.xx] table", "add [languages.fr] and [languages.en] tables"
        )
    result = []
    for code, table in tables.items():
        where = f"languages.{code}"
        if not isinstance(table, dict):
            check.error(code, "languages", f"'{where}' should be a table", f"write [{where}]")
            continue
        values = check.table(table, LANGUAGE_KEYS, where)
        locale = values.get("locale", code)
        try:
            Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            check.error(
                "locale", where, f"unknown locale '{locale}'", "use a CLDR locale such as fr_FR or en_US"
            )
        paths = _paths(check, code, values.get("paths", {}), where)
        if not re.fullmatch(r"[a-z]{2,3}", code):
            check.error(
                code, "languages", f"language code '{code}' is not a two-letter code", "use e.g. fr or en"
            )
        menu = _menu(check, values.get("menu"), where)
        result.append(
            Language(
                code=code,
                name=values.get("name", code),
                locale=locale,
                menu=menu,
                title=values.get("title", "Diptyque"),
                description=values.get("description", ""),
                author=values.get("author", ""),
                paths=MappingProxyType(paths),
            )
        )
    return result


def _paths(check: Checker, code: str, given: dict, where: str) -> dict[str, str]:
    """The path words of a language: its defaults, with each valid word of its `paths` table."""
    paths = dict(DEFAULT_PATHS.get(code, DEFAULT_PATHS["en"]))
    for word, value in given.items():
        if word not in PATH_WORDS:
            check.error(word, f"{where}.paths", f"unknown path word '{word}'", suggest(word, PATH_WORDS))
        elif not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            check.error(
                word,
                f"{where}.paths",
                f"path word '{value}' must be lowercase letters, digits and '-'",
                f'write {word} = "{DEFAULT_PATHS["en"].get(word, word)}"',
            )
        else:
            paths[word] = value
    named: dict[str, str] = {}
    for word, value in paths.items():
        if value in named and word in given:  # two kinds of page on one URL
            check.error(
                word,
                f"{where}.paths",
                f"{named[value]} and {word} have the same path word, '{value}': their pages would share URLs",
                "give each kind of page a path word of its own",
            )
        named.setdefault(value, word)
    return paths


def _menu(check: Checker, items: list | None, where: str) -> tuple:
    """The navigation of a language: page kinds, pages by key, external links ({title, url} tables)."""
    if items is None:
        return ()
    menu = []
    for item in items:
        if isinstance(item, str) and (item in MENU_KINDS or re.fullmatch(r"page:[^/\s]+", item)):
            menu.append(item)
        elif (
            isinstance(item, dict)
            and set(item) == {"title", "url"}
            and all(isinstance(v, str) for v in item.values())
        ):
            menu.append((item["title"], item["url"]))
        else:
            check.error(
                "menu",
                where,
                f"menu item {item!r} is not one of {', '.join(MENU_KINDS)}, 'page:<key>' or "
                '{ title = "…", url = "…" }',
                'write menu = ["home", "tags", "archives", "page:about"]',
            )
    return tuple(menu)
