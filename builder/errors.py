"""User-facing errors: each names the file, the line, what went wrong and how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ErrorKind(StrEnum):
    """What part of the input an error is about (shown in the dev server's overlay)."""

    CONTENT = "content"  # an article, a page, tags.toml
    CONFIG = "config"  # config.toml
    TEMPLATE = "template"  # a template or a message catalog
    URL = "url"  # two pages on one URL, a path that cannot be written
    ENCODING = "encoding"  # a file that is not UTF-8
    OUTPUT = "output"  # the output or state folder: a link outside, a file in place of a folder, a full disk
    INTERNAL = "internal"  # a bug


@dataclass(frozen=True)
class BuildError:
    """One problem found in the user's input."""

    path: str  # file the problem is in, relative to the project when possible
    line: int | None  # 1-based line number, None when the whole file is concerned
    message: str  # what is wrong
    hint: str = ""  # what to do about it
    kind: ErrorKind = ErrorKind.CONTENT  # which part of the input (a plain string is converted)

    def __post_init__(self):
        object.__setattr__(self, "kind", ErrorKind(self.kind))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class BuildFailed(Exception):
    """Raised with every error found, so the user sees them all at once."""

    def __init__(self, errors: list[BuildError] | tuple[BuildError, ...]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def toml_line(exc: Exception) -> int | None:
    """The 1-based line a tomllib error names (its message ends "(at line N, column M)")."""
    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else None


def not_utf8(data: bytes, shown: str) -> BuildError | None:
    """The error for a text file that is not UTF-8, at the line of its first bad byte; None if it is."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BuildError(
            shown,
            data[: exc.start].count(b"\n") + 1,
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
            "save it as UTF-8",
            kind=ErrorKind.ENCODING,
        )
    return None
