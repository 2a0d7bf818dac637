"""The dates of front matter: the one date syntax of `date` and `updated`, and where a date comes from.

Apart from the other checks because the saved state reads dates back with the same `parse_date`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable, Mapping

from builder.model import PostDate, SourceFile

DATE = re.compile(  # 2019-03, 2019-03-11T13:00:00-05:00, 2013-05-06 02:12:52 +0200
    r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?"
    r"(?:[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?[ ]?(Z|[+-]\d{2}:?\d{2})?)?$"
)
FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")  # Jekyll's file names: 2013-05-06-title.md
DATE_HINT = "write the date as YYYY-MM-DD, YYYY-MM or YYYY"


def parse_date(value: Any) -> PostDate | str:
    """Read a YYYY, YYYY-MM or YYYY-MM-DD date, a time and zone after a day; else return an error message."""
    match = DATE.match(str(value).strip())
    if not match:
        return f"'{value}' is not a date"
    year, month, day = (int(g) if g else None for g in match.groups()[:3])
    clock, offset = match.group(4) or "", match.group(5) or ""
    if clock and not day:
        return f"'{value}' has a time but no day"
    if len(clock) == 4 or len(clock) == 7:  # 9:30 → 09:30
        clock = "0" + clock
    if offset and offset != "Z" and ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:]}"
    try:
        date(year, month or 1, day or 1)
        made = PostDate(year, month, day, clock, offset)
        made.moment  # noqa: B018 (checks the time and the zone)
    except ValueError as exc:
        return f"'{value}' is not a real date ({exc})"
    return made


def publication_date(meta: Mapping, source: SourceFile, error: Callable) -> PostDate | None:
    """The `date` field, else the date of a Jekyll file name; a post without either is reported."""
    if "date" in meta and meta["date"] is not None:
        when = parse_date(meta["date"])
        if isinstance(when, str):
            error(when, DATE_HINT)
            return None
        return when
    if FILE_DATE.match(source.key):
        return PostDate(*(int(part) for part in FILE_DATE.match(source.key).groups()))
    if source.kind == "post":
        error("missing date", "add a line: date: 2024-03-13 (or 2024-03, or 2024)")
    return None


def updated_date(raw: Any, when: PostDate | None, error: Callable) -> PostDate | None:
    """The `updated` date, not before the publication date."""
    if raw is None:
        return None
    updated = parse_date(raw)
    if isinstance(updated, str):
        error(updated, DATE_HINT)
        return None
    if when and updated.start < when.start:
        error(f"updated ({updated.iso()}) is before the date ({when.iso()})", "fix one of the two dates")
        return None
    return updated
