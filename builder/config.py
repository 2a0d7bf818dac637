"""Read `config.toml` into one frozen, validated `Config`; report every problem at once."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from babel import Locale, UnknownLocaleError

from builder.errors import BuildError, BuildFailed, toml_line
from builder.layers import resolve as resolve_layers

CONFIG_NAME = "config.toml"
POLICIES = ("fallback", "home")
PLACEHOLDERS = ("year", "month", "day", "slug", "key")
PATH_WORDS = ("tags", "archives", "page", "search")
DEFAULT_PATHS = {
    "fr": {"tags": "etiquettes", "archives": "archives", "page": "page", "search": "recherche"},
    "en": {"tags": "tags", "archives": "archives", "page": "page", "search": "search"},
}


@dataclass(frozen=True)
class Language:
    """One language of the site and its localized settings."""

    code: str  # ISO 639-1 code, also the URL prefix: "fr"
    name: str  # name shown in the language switcher: "Français"
    locale: str  # Babel locale for dates and plural rules: "fr_FR"
    title: str  # site title in this language
    description: str  # site description in this language
    author: str  # author name for feeds and structured data
    paths: Mapping[str, str]  # localized path words: tags, archives, page, search
    menu: tuple = ()  # navigation, in order: "home", "tags", "archives", "page:<key>", or (title, url) pairs


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know, validated once and passed explicitly."""

    root: Path  # project folder holding config.toml
    base_url: str  # absolute URL the site is deployed at, ending with "/"
    default_language: str  # language of the root redirect and x-default
    languages: tuple[Language, ...]  # in the order they are listed
    posts_per_page: int  # posts on each page of the home, tag and archive lists
    permalink: str  # article path pattern under the language prefix, e.g. "{year}/{slug}/"
    theme: str  # theme name: a folder under themes/, or a packaged theme
    missing_translation: str  # "fallback" (original shown with a notice) or "home"
    toc_min_headings: int  # an article with at least this many sections gets a table of contents
    related_posts: int  # how many related articles to show
    feed_entries: int  # entries per Atom feed
    search: bool = True  # a Pagefind index per language under pagefind/, a search page, a header entry
    social_cards: bool = True  # draw a preview picture for each article that has none (builder/cards.py)
    drafts: bool = False  # include drafts and future-dated posts (build option)
    strict: bool = False  # fail on stale translations (build option)
    today: date = field(default_factory=date.today)  # posts dated after this are held back
    output: Path | None = (
        None  # where to write the site; None means <root>/output (the dev server uses its own)
    )
    layers: tuple = ()  # the theme chain, child first (layers.Layer): the site, its theme, …, the default

    @cached_property
    def content_dir(self) -> Path:
        return self.root / "content"

    @cached_property
    def output_dir(self) -> Path:
        return self.output or self.root / "output"

    @cached_property
    def theme_dir(self) -> Path:
        """The folder of the site's theme (the first layer after the site's own)."""
        return self.layers[1].folder if len(self.layers) > 1 else self.root / "themes" / self.theme

    @cached_property
    def state_dir(self) -> Path:
        """Saved build state; one per output folder, so the dev server's never mixes with the build's."""
        return (
            self.root / ".diptyque"
            if self.output is None
            else self.output.parent / f".{self.output.name}-state"
        )

    @cached_property
    def base_path(self) -> str:
        """The path part of base_url, ending with "/": what every site-relative link starts with."""
        return (
            "/" + self.base_url.split("://", 1)[1].split("/", 1)[1] if self.base_url.count("/") > 2 else "/"
        )

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @cached_property
    def _by_code(self) -> dict[str, Language]:
        return {lang.code: lang for lang in self.languages}

    def language(self, code: str) -> Language:
        """Return the settings of one language."""
        return self._by_code[code]

    def with_options(self, **options: Any) -> "Config":
        """Return a copy with build options (drafts, base_url…) applied."""
        if options.get("base_url"):
            options["base_url"] = options["base_url"].rstrip("/") + "/"
        return replace(self, **{k: v for k, v in options.items() if v is not None})


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
MENU_KINDS = ("home", "tags", "archives")
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


def _line_of(text: str, key: str, table: str = "") -> int | None:
    """Find the line where `key` is set (inside `[table]` when given), for error messages."""
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[([^\]]+)\]", stripped)
        if header:
            current = header.group(1).strip()
            if current == f"{table}.{key}".strip("."):
                return number
            continue
        if current == table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return None


def _suggest(key: str, allowed: Mapping[str, Any] | tuple[str, ...]) -> str:
    """Suggest the nearest allowed key for a misspelt one."""
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(allowed))}"


class _Checker:
    """Collects errors while reading one table of the config."""

    def __init__(self, path: str, text: str):
        self.path, self.text, self.errors = path, text, []

    def error(self, key: str, table: str, message: str, hint: str) -> None:
        self.errors.append(
            BuildError(self.path, _line_of(self.text, key, table), message, hint, kind="config")
        )

    def table(self, data: dict, schema: Mapping[str, type], table: str) -> dict:
        """Check keys and value types of one table; return the valid entries."""
        valid = {}
        for key, value in data.items():
            where = f"{table}.{key}" if table else key
            if key not in schema:
                self.error(key, table, f"unknown key '{where}'", _suggest(key, schema))
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


def parse(text: str, root: Path, path: str = CONFIG_NAME) -> Config:
    """Validate the text of config.toml; raise BuildFailed listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BuildFailed(
            [
                BuildError(
                    path,
                    toml_line(exc),
                    f"invalid TOML: {exc}",
                    "fix the syntax at that line (quotes, brackets, '=')",
                    kind="config",
                )
            ]
        ) from exc
    check = _Checker(path, text)
    top = {**DEFAULTS, **check.table(data, TOP_KEYS, "")}
    languages = _languages(check, top.get("languages", {}))
    codes = [lang.code for lang in languages]
    if top.get("base_url") is None:
        check.error("base_url", "", "missing 'base_url'", 'add base_url = "https://example.org/"')
    elif not _absolute_url(top["base_url"]):
        check.error(
            "base_url",
            "",
            f"base_url '{top['base_url']}' is not an absolute http(s) URL with a host (and no spaces)",
            'write base_url = "https://example.org/"',
        )
    if codes and top["default_language"] not in codes:
        check.error(
            "default_language",
            "",
            f"default_language '{top['default_language']}' is not among the languages",
            f"use one of: {', '.join(codes)}",
        )
    if top["missing_translation"] not in POLICIES:
        check.error(
            "missing_translation",
            "",
            f"missing_translation must be one of {', '.join(POLICIES)}",
            'write missing_translation = "fallback"',
        )
    names = _placeholders(check, top["permalink"])
    if "slug" not in names and "key" not in names:
        check.error(
            "permalink", "", "permalink must contain {slug} or {key}", 'write permalink = "{year}/{slug}/"'
        )
    for name in names:
        if name not in PLACEHOLDERS:
            check.error(
                "permalink", "", f"unknown placeholder {{{name}}} in permalink", _suggest(name, PLACEHOLDERS)
            )
    for key in ("posts_per_page", "toc_min_headings", "related_posts", "feed_entries"):
        if top[key] < (1 if key == "posts_per_page" else 0):
            check.error(key, "", f"{key} must be positive", f"write {key} = {DEFAULTS[key]}")
    layers, problems = (), []
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", top["theme"]) or ".." in top["theme"]:
        check.error(
            "theme",
            "",
            f"theme '{top['theme']}' should be a theme's name, not a path",
            'write theme = "default", or the name of a folder under themes/',
        )
    else:
        layers, problems = resolve_layers(root, top["theme"])
    for problem in problems:
        check.error("theme", "", problem, 'use a folder name under themes/, or theme = "default"')
    if check.errors:
        raise BuildFailed(check.errors)
    base = top["base_url"].rstrip("/") + "/"
    return Config(
        root=root,
        base_url=base,
        default_language=top["default_language"],
        languages=tuple(languages),
        posts_per_page=top["posts_per_page"],
        permalink=top["permalink"],
        theme=top["theme"],
        missing_translation=top["missing_translation"],
        toc_min_headings=top["toc_min_headings"],
        related_posts=top["related_posts"],
        feed_entries=top["feed_entries"],
        layers=layers,
        search=top.get("search", True),
        social_cards=top.get("social_cards", True),
    )


def _absolute_url(url: str) -> bool:
    """An http(s) URL with a host and no whitespace."""
    from urllib.parse import urlsplit

    if any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:  # a malformed port or IPv6 address
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _placeholders(check: _Checker, permalink: str) -> list[str]:
    """The placeholder names of the permalink pattern; a pattern that cannot be formatted, or whose fixed
    parts leave the output folder, is an error."""
    import string

    try:
        names = [name for _, name, _, _ in string.Formatter().parse(permalink) if name is not None]
    except ValueError as exc:
        check.error(
            "permalink",
            "",
            f"permalink '{permalink}' is not a valid pattern ({exc})",
            "write placeholders as {year}, {slug}…; a lone { or } cannot be used",
        )
        return ["slug"]
    from builder.sandbox import path_problem

    sample = "/".join(part for part in re.sub(r"{\w*}", "x", permalink).split("/") if part)
    problem = path_problem(sample) if sample else "is empty"
    if problem:
        check.error(
            "permalink",
            "",
            f"permalink '{permalink}' {problem}",
            'write a pattern of plain words and placeholders, e.g. "{year}/{slug}/"',
        )
    return names


def _languages(check: _Checker, tables: dict) -> list[Language]:
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
        paths = dict(DEFAULT_PATHS.get(code, DEFAULT_PATHS["en"]))
        for word, value in values.get("paths", {}).items():
            if word not in PATH_WORDS:
                check.error(word, f"{where}.paths", f"unknown path word '{word}'", _suggest(word, PATH_WORDS))
            elif not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
                check.error(
                    word,
                    f"{where}.paths",
                    f"path word '{value}' must be lowercase letters, digits and '-'",
                    f'write {word} = "{DEFAULT_PATHS["en"].get(word, word)}"',
                )
            else:
                paths[word] = value
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


def _menu(check: _Checker, items: list | None, where: str) -> tuple:
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


def load(root: Path) -> Config:
    """Read and validate `<root>/config.toml`."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BuildFailed(
            [
                BuildError(
                    CONFIG_NAME,
                    None,
                    "no config.toml in this folder",
                    "run the command from the project folder, or pass --root",
                    kind="config",
                )
            ]
        ) from None
    except UnicodeDecodeError as exc:
        raise BuildFailed(
            [
                BuildError(
                    CONFIG_NAME,
                    None,
                    f"config.toml is not UTF-8 ({exc.reason})",
                    "save the file as UTF-8",
                    kind="encoding",
                )
            ]
        ) from exc
    except OSError as exc:  # a folder named config.toml, no permission, a dangling link
        raise BuildFailed(
            [
                BuildError(
                    CONFIG_NAME,
                    None,
                    f"config.toml cannot be read: {exc.strerror or exc}",
                    "make config.toml a readable file",
                    kind="config",
                )
            ]
        ) from exc
    return parse(text, root)
