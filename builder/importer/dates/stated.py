"""Dates an archive states: a source note ("Publié en mai 2020", "Article publié sur X, Janvier 2021 <url>")
or a first paragraph that opens with one ("Le 13 mars 2024, …"). Also `Dated`, the date every rule gives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.importer.dates.words import DAY, MONTH, day_number, iso, month_number, valid

URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")
PUBLISHED_RE = re.compile(rf"publié\b.*?\b(?:{DAY}\s+)?{MONTH}\s+((?:19|20)\d\d)", re.IGNORECASE)
OPENING_RE = re.compile(rf"^\s*le\s+{DAY}\s+{MONTH}\s+((?:19|20)\d\d)\b", re.IGNORECASE)
RANK = {"explicit": 0, "navigation": 1, "inferred": 2, "unknown": 3}


@dataclass(frozen=True)
class Dated:
    """An article's date and how it was found."""

    date: str  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    source: str  # explicit | navigation | inferred | unknown
    note: str  # the evidence, in a few words
    confident: bool = True  # False when the editor should check it


def _from_note(notes: tuple[str, ...], index: int, match: re.Match) -> Dated:
    """The date a "publié" note states: its day if it gives one, else the day in the original's address."""
    note = notes[index]
    year, month = int(match.group(3)), month_number(match.group(2))
    if match.group(1) and valid(year, month, day_number(match.group(1))):
        return Dated(iso(year, month, day_number(match.group(1))), "explicit", f"source note: {note[:80]}")
    url = URL_DATE_RE.search(" ".join(notes[index : index + 2]))
    if url and (int(url.group(1)), int(url.group(2))) == (year, month):
        return Dated(
            f"{url.group(1)}-{url.group(2)}-{url.group(3)}",
            "explicit",
            f"source note {note[:60]!r}, day from the original article's address",
        )
    return Dated(iso(year, month), "explicit", f"source note: {note[:80]}")


def explicit(notes: tuple[str, ...], opening: str) -> Dated | None:
    """A date stated as such: a "publié" source note, or "Le 13 mars 2024, …" opening the first paragraph."""
    for index, note in enumerate(notes):
        match = PUBLISHED_RE.search(note)
        if match:
            return _from_note(notes, index, match)
    match = OPENING_RE.match(opening)
    if match:
        year, month, day = int(match.group(3)), month_number(match.group(2)), day_number(match.group(1))
        if valid(year, month, day):
            return Dated(iso(year, month, day), "explicit", "date opening the first paragraph")
    return None
