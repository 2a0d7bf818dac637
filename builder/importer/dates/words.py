"""How archives write dates: French and English month and weekday names, the patterns built from them, and
the small readers every date rule shares (a day number, a month's number, a real calendar date)."""

from __future__ import annotations

import datetime
import re

MONTHS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"  # a month name, captured
DAY = r"(1er|[12]\d|3[01]|0?[1-9])"  # a day of the month, captured
MONTH_YEAR_RE = re.compile(rf"\b{MONTH}\s+((?:19|20)\d\d)\b", re.IGNORECASE)
NUMERIC_MONTH_RE = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])\b")


def day_number(text: str) -> int:
    """Day number from "1er" or digits."""
    return 1 if text.lower() == "1er" else int(text)


def month_number(name: str) -> int:
    """Month number from a month name in any case ("Mars", "août")."""
    return MONTHS[name.lower()]


def valid(year: int, month: int, day: int) -> bool:
    """Whether the year, month and day make a real calendar date."""
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    """The date as "YYYY", "YYYY-MM" or "YYYY-MM-DD": only the parts known."""
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")


def month_of(text: str) -> tuple[int, int] | None:
    """(year, month) from "mars 2019" or "2019-03", else None."""
    match = MONTH_YEAR_RE.search(text)
    if match:
        return int(match.group(2)), month_number(match.group(1))
    match = NUMERIC_MONTH_RE.search(text)
    return (int(match.group(1)), int(match.group(2))) if match else None
