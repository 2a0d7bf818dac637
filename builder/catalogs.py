"""Checks of the theme chain's message catalogs: a translation whose placeholders do not match its
message would fail (or show the wrong value) on the page that uses it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from builder.errors import BuildError, ErrorKind


@lru_cache(maxsize=32)
def _problems(path: Path, mtime_ns: int, locale: str, shown: str) -> tuple[BuildError, ...]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, abort_invalid=True)  # a bad one: reported when loaded
    found = []
    for message, errors in catalog.check():
        for error in errors:
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            found.append(
                BuildError(
                    shown,
                    message.lineno,
                    f"the translation of {msgid!r}: {error}",
                    "keep the same %(name)s placeholders as the message",
                    kind=ErrorKind.TEMPLATE,
                )
            )
    return tuple(found)


def catalog_problems(path: Path, locale: str, shown: str) -> list[BuildError]:
    """Placeholder errors of one .po file (python-format entries), each naming the file, line and entry."""
    try:
        return list(_problems(path, path.stat().st_mtime_ns, locale, shown))
    except Exception:  # a catalog that cannot be read at all is reported when it is loaded
        return []
