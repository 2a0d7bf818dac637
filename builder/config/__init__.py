"""Read `config.toml` into one frozen, validated `Config`; report every problem at once.

A package because reading the file, the schema it is held to, the checks of its settings and of its
languages, and the frozen result are each a thing of their own. Every name other modules import from
`builder.config` is re-exported here.
"""

from builder.config.languages import MENU_KINDS
from builder.config.read import CONFIG_NAME, load, parse
from builder.config.schema import (
    DEFAULT_PATHS,
    DEFAULTS,
    LANGUAGE_KEYS,
    PATH_WORDS,
    PLACEHOLDERS,
    POLICIES,
    TOP_KEYS,
)
from builder.config.settings import Config, Language

__all__ = [
    "CONFIG_NAME",
    "Config",
    "DEFAULTS",
    "DEFAULT_PATHS",
    "LANGUAGE_KEYS",
    "Language",
    "MENU_KINDS",
    "PATH_WORDS",
    "PLACEHOLDERS",
    "POLICIES",
    "TOP_KEYS",
    "load",
    "parse",
]
