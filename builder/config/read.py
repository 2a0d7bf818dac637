"""The edges of the config: `load` reads `<root>/config.toml`, `parse` turns its text into a `Config`
after every check, and either raises one `BuildFailed` listing all the problems found.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from builder.config.checks import check_settings, theme_layers
from builder.config.languages import read_languages
from builder.config.schema import DEFAULTS, TOP_KEYS, Checker
from builder.config.settings import Config
from builder.errors import BuildError, BuildFailed, toml_line
from builder.sandbox import read_text

CONFIG_NAME = "config.toml"


def parse(text: str, root: Path, path: str = CONFIG_NAME) -> Config:
    """Validate the text of config.toml; raise BuildFailed listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _failure(
            f"invalid TOML: {exc}",
            "fix the syntax at that line (quotes, brackets, '=')",
            path=path,
            line=toml_line(exc),
        ) from exc
    check = Checker(path, text)
    top = {**DEFAULTS, **check.table(data, TOP_KEYS, "")}
    languages = read_languages(check, top.get("languages", {}))
    check_settings(check, top, [lang.code for lang in languages])
    layers = theme_layers(check, root, top["theme"])
    if check.errors:
        raise BuildFailed(check.errors)
    return Config(
        root=root,
        base_url=top["base_url"].rstrip("/") + "/",
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


def load(root: Path) -> Config:
    """Read and validate `<root>/config.toml`."""
    try:
        text = read_text(root / CONFIG_NAME)
    except FileNotFoundError:
        raise _failure(
            "no config.toml in this folder", "run the command from the project folder, or pass --root"
        ) from None
    except UnicodeDecodeError as exc:
        raise _failure(
            f"config.toml is not UTF-8 ({exc.reason})", "save the file as UTF-8", kind="encoding"
        ) from exc
    except OSError as exc:  # a folder named config.toml, no permission, a dangling link
        raise _failure(
            f"config.toml cannot be read: {exc.strerror or exc}", "make config.toml a readable file"
        ) from exc
    return parse(text, root)


def _failure(
    message: str, hint: str, kind: str = "config", path: str = CONFIG_NAME, line: int | None = None
) -> BuildFailed:
    """A BuildFailed holding one problem of the config file."""
    return BuildFailed([BuildError(path, line, message, hint, kind=kind)])
