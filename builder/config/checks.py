"""Checks of config.toml's top-level settings: base_url, default_language, missing_translation, the
permalink pattern, the counts, and the theme, whose chain of layers is resolved here.

Each check reports through the `Checker`, so that one run lists every problem of the file.
"""

from __future__ import annotations

import re
import string
from urllib.parse import urlsplit

from builder.config.schema import DEFAULTS, PLACEHOLDERS, POLICIES, Checker, suggest
from builder.errors import BuildError
from builder.layers import resolve as resolve_layers
from builder.sandbox import path_problem

COUNTS = ("posts_per_page", "toc_min_headings", "related_posts", "feed_entries")


def check_settings(check: Checker, top: dict, codes: list[str]) -> None:
    """Check base_url, default_language, missing_translation, the permalink and the counts."""
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
    _check_permalink(check, top["permalink"])
    for key in COUNTS:
        if top[key] < (1 if key == "posts_per_page" else 0):
            check.error(key, "", f"{key} must be positive", f"write {key} = {DEFAULTS[key]}")


def theme_layers(check: Checker, root, theme: str) -> tuple:
    """The theme chain of the site (layers.Layer, child first); a theme that cannot be is reported."""
    layers, problems = (), []
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", theme) or ".." in theme:
        check.error(
            "theme",
            "",
            f"theme '{theme}' should be a theme's name, not a path",
            'write theme = "default", or the name of a folder under themes/',
        )
    else:
        layers, problems = resolve_layers(root, theme)
    for problem in problems:
        if isinstance(problem, BuildError):  # in a theme's theme.toml, at its line
            check.errors.append(problem)
        else:
            check.error("theme", "", problem, 'use a folder name under themes/, or theme = "default"')
    return layers


def _absolute_url(url: str) -> bool:
    """An http(s) URL with a host and no whitespace."""
    if any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:  # a malformed port or IPv6 address
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _check_permalink(check: Checker, permalink: str) -> None:
    """The permalink must hold {slug} or {key}, and only known placeholders."""
    names = _placeholders(check, permalink)
    if "slug" not in names and "key" not in names:
        check.error(
            "permalink", "", "permalink must contain {slug} or {key}", 'write permalink = "{year}/{slug}/"'
        )
    for name in names:
        if name not in PLACEHOLDERS:
            check.error(
                "permalink", "", f"unknown placeholder {{{name}}} in permalink", suggest(name, PLACEHOLDERS)
            )


def _placeholders(check: Checker, permalink: str) -> list[str]:
    """The permalink's placeholders; a pattern that cannot be formatted, or leaves output/, is an error."""
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
