"""Languages at work: Babel dates, gettext catalogs and plural forms."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from builder.errors import BuildError, ErrorKind, not_utf8
from builder.markdown import french_slots, french_typography
from builder.model import PostDate


def load_locales(locales) -> None:
    """Read the CLDR data of these locales now (Babel keeps it for the process): forked workers then share
    it instead of each reading it again, at 0.1 s a worker."""
    for locale in locales:
        Locale.parse(locale).date_formats  # noqa: B018 — the access is what loads the data


@lru_cache(maxsize=65536)
def display_date(value: PostDate, locale: str) -> str:
    """Show a date with its own precision: "21 novembre 2026", "mars 2022", "2021"."""
    if value.precision == "day":
        return format_date(value.start, format="long", locale=locale)
    if value.precision == "month":
        return format_skeleton("yMMMM", value.start, locale=locale)
    return str(value.year)


@lru_cache(maxsize=4096)
def month_name(year: int, month: int, locale: str) -> str:
    """Name a month of a year for archive titles: "mars 2022", "March 2022"."""
    return format_skeleton("yMMMM", date(year, month, 1), locale=locale)


def rfc3339(value: PostDate | date | None) -> str:
    """Write a date as the timestamp feeds and sitemaps expect (with its time of day, when it has one)."""
    if isinstance(value, PostDate) and value.time:
        return value.moment.isoformat()
    day = value.start if isinstance(value, PostDate) else value or date(1970, 1, 1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).isoformat()


def typography(text: str, lang: str) -> str:
    """Apply the language's typography to a plain string, or to the text between the tags of markup."""
    if lang != "fr":
        return text
    if type(text) is str:
        return _french(text)
    if hasattr(text, "__html__"):  # Markup: the tags and entities stay as they are
        return type(text)(_french_markup(str(text)))
    return french_typography(text)


MARKUP_TAGS = re.compile(r"(<[^>]*>)")
_french = lru_cache(maxsize=16384)(french_typography)  # titles and descriptions come back on many pages


@lru_cache(maxsize=16384)
def _french_markup(html: str) -> str:
    """French typography on the text between the tags of markup (a translated label, a description),
    kept: the same few come back on every page."""
    pieces = MARKUP_TAGS.split(html)
    done = french_slots([None if number % 2 else piece for number, piece in enumerate(pieces)])
    return "".join(piece if new is None else new for piece, new in zip(pieces, done, strict=True))


def catalog_path(theme_dir: Path, lang: str) -> Path:
    """Where the theme keeps one language's catalog."""
    return theme_dir / "locales" / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=32)
def _compiled(path: Path, mtime_ns: int, locale: str) -> Translations:
    """Compile a .po catalog in memory (cached while the file is unchanged)."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, abort_invalid=True)  # an error, not a printed warning
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def translations(
    theme_dir: Path, lang: str, locale: str, shown: str | None = None
) -> Translations | BuildError:
    """Load the gettext translations of a language from the theme's catalog (named `shown` in errors)."""
    path = catalog_path(theme_dir, lang)
    shown = shown or str(path)
    if not path.exists():
        return BuildError(
            shown,
            None,
            f"no message catalog for '{lang}'",
            f"create it with: pybabel init -i messages.pot -d {theme_dir / 'locales'} -l {lang}",
        )
    try:
        return _compiled(path, path.stat().st_mtime_ns, locale)
    except UnicodeDecodeError:
        return not_utf8(path.read_bytes(), shown)
    except Exception as exc:  # babel raises several kinds on a malformed catalog
        line = exc.lineno + 1 if isinstance(getattr(exc, "lineno", None), int) else None  # babel's from 0
        said = str(exc).rsplit(" on ", 1)[0] if isinstance(exc, PoFileError) else str(exc)  # its line, known
        return BuildError(
            shown,
            line,
            f"cannot read the catalog: {said}",
            "fix the .po syntax at that line",
            kind=ErrorKind.TEMPLATE,
        )
