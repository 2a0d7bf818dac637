"""Dates an article's text mentions in passing (years, months, weekdays, days without a year): the clues
used to date an article when nothing states its date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.importer.dates.words import DAY, MONTH, MONTH_YEAR_RE, WEEKDAYS, day_number, month_number

YEAR_RE = re.compile(
    r"(?<![\d/.,-])((?:19|20)\d\d)"
    r"(?![\d/]|\s*(?:%|€|\$|dollars|euros|millions|abonnés|impressions))"
)
WEEKDAY_RE = re.compile(rf"\b({'|'.join(WEEKDAYS)})\s+{DAY}\s+{MONTH}\b(?!\s+(?:19|20)\d\d)", re.IGNORECASE)
DAY_MONTH_RE = re.compile(rf"\b{DAY}\s+{MONTH}\b(?!\s+(?:19|20)\d\d)", re.IGNORECASE)
FUTURE_RE = re.compile(
    r"(d[’']ici|horizon|jusqu[’']en|pour|prévue?s?\s+en)\s+"
    r"(?:à\s+)?(?:la\s+fin\s+de\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Clues:
    """Dates mentioned in an article's text, used when nothing states its date."""

    years: tuple[int, ...]  # years mentioned as past facts (future projections left out)
    months: tuple[tuple[int, int], ...]  # (year, month) pairs mentioned
    weekdays: tuple[tuple[int, int, int], ...]  # (weekday, day, month) mentioned without a year
    yearless: tuple[int, ...]  # months of "le 26 juin"-style mentions without a year


def clues(text: str) -> Clues:
    """Collect the dates an article mentions."""
    years = []
    for match in YEAR_RE.finditer(text):
        if not FUTURE_RE.search(text[max(0, match.start() - 25) : match.start()]):
            years.append(int(match.group(1)))
    months = [(int(m.group(2)), month_number(m.group(1))) for m in MONTH_YEAR_RE.finditer(text)]
    weekdays = [
        (WEEKDAYS[m.group(1).lower()], day_number(m.group(2)), month_number(m.group(3)))
        for m in WEEKDAY_RE.finditer(text)
    ]
    yearless = [month_number(m.group(2)) for m in DAY_MONTH_RE.finditer(text)]
    return Clues(tuple(years), tuple(months), tuple(weekdays), tuple(yearless))
