"""The frozen settings a build reads: `Config` and the `Language` entries it holds.

Plain data with a few derived paths: what every stage is handed. The checks that produce it are in the
sibling modules; nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping


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
    site_url: str | None = None  # config.toml's base_url when a build option overrides it (a preview)

    @cached_property
    def content_dir(self) -> Path:
        """The content folder: articles, pages, tags.toml."""
        return self.root / "content"

    @cached_property
    def output_dir(self) -> Path:
        """Where the site is written."""
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
        """The language codes, in the order they are listed."""
        return tuple(lang.code for lang in self.languages)

    @cached_property
    def _by_code(self) -> dict[str, Language]:
        """Each language by its code."""
        return {lang.code: lang for lang in self.languages}

    def language(self, code: str) -> Language:
        """Return the settings of one language."""
        return self._by_code[code]

    def with_options(self, **options: Any) -> "Config":
        """Return a copy with build options (drafts, base_url…) applied."""
        if options.get("base_url"):
            options["base_url"] = options["base_url"].rstrip("/") + "/"
            options.setdefault("site_url", self.site_url or self.base_url)
        return replace(self, **{k: v for k, v in options.items() if v is not None})

    @property
    def previewed(self) -> bool:
        """Whether this build is for another address than the site's own (`--base-url`)."""
        return self.site_url is not None and self.site_url != self.base_url
