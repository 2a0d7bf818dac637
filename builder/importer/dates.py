"""Date an article from the evidence its archive holds, with the precision that evidence supports."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
_M = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_D = r"(1er|[12]\d|3[01]|0?[1-9])"
FULL_RE = re.compile(rf"\b{_D}\s+{_M}\s+((?:19|20)\d\d)\b", re.IGNORECASE)
MONTH_YEAR_RE = re.compile(rf"\b{_M}\s+((?:19|20)\d\d)\b", re.IGNORECASE)
YEAR_RE = re.compile(r"(?<![\d/.,-])((?:19|20)\d\d)(?![\d/]|\s*(?:%|€|\$|dollars|euros|millions|abonnés|impressions))")
WEEKDAY_RE = re.compile(rf"\b({'|'.join(WEEKDAYS)})\s+{_D}\s+{_M}\b(?!\s+(?:19|20)\d\d)", re.IGNORECASE)
DAY_MONTH_RE = re.compile(rf"\b{_D}\s+{_M}\b(?!\s+(?:19|20)\d\d)", re.IGNORECASE)
FUTURE_RE = re.compile(r"(d[’']ici|horizon|jusqu[’']en|pour|prévue?s?\s+en)\s+(?:à\s+)?(?:la\s+fin\s+de\s+)?$", re.IGNORECASE)
URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")
PUBLISHED_RE = re.compile(rf"publié\b.*?\b(?:{_D}\s+)?{_M}\s+((?:19|20)\d\d)", re.IGNORECASE)
OPENING_RE = re.compile(rf"^\s*le\s+{_D}\s+{_M}\s+((?:19|20)\d\d)\b", re.IGNORECASE)
RANK = {"explicit": 0, "navigation": 1, "inferred": 2, "unknown": 3}


@dataclass(frozen=True)
class Dated:
    """An article's date and how it was found."""

    date: str  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    source: str  # explicit | navigation | inferred | unknown
    note: str  # the evidence, in a few words
    confident: bool = True  # False when the editor should check it


def _day(text: str) -> int:
    """Day number from "1er" or digits."""
    return 1 if text.lower() == "1er" else int(text)


def month_of(text: str) -> tuple[int, int] | None:
    """(year, month) from "mars 2019" or "2019-03", else None."""
    match = MONTH_YEAR_RE.search(text)
    if match:
        return int(match.group(2)), MONTHS[match.group(1).lower()]
    match = re.search(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])\b", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def explicit(notes: tuple[str, ...], opening: str) -> Dated | None:
    """A date stated as such: "Publié en mai 2020", "Article publié sur X, Janvier 2021 <url>", "Le 13 mars 2024, …"."""
    for index, note in enumerate(notes):
        match = PUBLISHED_RE.search(note)
        if not match:
            continue
        year, month = int(match.group(3)), MONTHS[match.group(2).lower()]
        if match.group(1) and _valid(year, month, _day(match.group(1))):
            return Dated(f"{year:04d}-{month:02d}-{_day(match.group(1)):02d}", "explicit", f"source note: {note[:80]}")
        nearby = " ".join(notes[index:index + 2])
        url = URL_DATE_RE.search(nearby)
        if url and (int(url.group(1)), int(url.group(2))) == (year, month):
            return Dated(f"{url.group(1)}-{url.group(2)}-{url.group(3)}", "explicit",
                         f"source note {note[:60]!r}, day from the original article's address")
        return Dated(f"{year:04d}-{month:02d}", "explicit", f"source note: {note[:80]}")
    match = OPENING_RE.match(opening)
    if match:
        year, month, day = int(match.group(3)), MONTHS[match.group(2).lower()], _day(match.group(1))
        if _valid(year, month, day):
            return Dated(f"{year:04d}-{month:02d}-{day:02d}", "explicit", "date opening the first paragraph")
    return None


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
        if not FUTURE_RE.search(text[max(0, match.start() - 25):match.start()]):
            years.append(int(match.group(1)))
    months = [(int(m.group(2)), MONTHS[m.group(1).lower()]) for m in MONTH_YEAR_RE.finditer(text)]
    weekdays = [(WEEKDAYS[m.group(1).lower()], _day(m.group(2)), MONTHS[m.group(3).lower()])
                for m in WEEKDAY_RE.finditer(text)]
    yearless = [MONTHS[m.group(2).lower()] for m in DAY_MONTH_RE.finditer(text)]
    return Clues(tuple(years), tuple(months), tuple(weekdays), tuple(yearless))


def _weekday_years(weekdays: tuple[tuple[int, int, int], ...], low: int, high: int) -> list[tuple[int, int]]:
    """(year, month) candidates where "lundi 6 décembre" falls on the stated weekday, latest first."""
    found = []
    for weekday, day, month in weekdays:
        for year in range(high, low - 1, -1):
            if _valid(year, month, day) and datetime.date(year, month, day).weekday() == weekday:
                found.append((year, month))
                break
    return sorted(found, reverse=True)


def _year(date: str) -> int:
    return int(date[:4])


def _ym(date: str) -> tuple[int, int | None]:
    return int(date[:4]), (int(date[5:7]) if len(date) >= 7 else None)


def infer(order: list[tuple[Dated | None, Clues]]) -> list[Dated]:
    """Date an archive's articles, newest first: stated dates stand; the others from the dates their text
    mentions, bounded by the stated dates around them, then from their neighbours."""
    anchors = [dated for dated, _ in order]
    years: list[int | None] = [None] * len(order)
    months: list[int | None] = [None] * len(order)
    notes: list[str] = [""] * len(order)
    for index, (dated, found) in enumerate(order):
        if dated is not None:
            years[index], months[index] = _ym(dated.date)
            continue
        newer = next((anchors[i] for i in range(index - 1, -1, -1) if anchors[i]), None)
        older = next((anchors[i] for i in range(index + 1, len(order)) if anchors[i]), None)
        high = _year(newer.date) if newer else None
        low = _year(older.date) if older else None
        mentioned = [y for y in found.years if high is None or y <= high]
        top = max(mentioned) if mentioned else None
        hits = _weekday_years(found.weekdays, max(1990, low or 1990), high or (top or 2030) + 1)
        if hits:
            years[index], months[index] = hits[0]
            day = next(d for w, d, m in found.weekdays if m == hits[0][1])
            notes[index] = f"a weekday named with the date ({day}/{hits[0][1]:02d}) fits {hits[0][0]}"
        elif top is not None:
            years[index] = max(top, low or top)
            notes[index] = (f"latest year the text mentions ({top})" if years[index] == top
                            else f"not older than the dated article after it ({older.date})")
            event = found.yearless[0] if len(set(found.yearless)) == 1 and not found.months else None
            bound = _ym(newer.date) if newer else None
            if event and bound and bound[1]:
                # a yearless event ("le 1er août") dates the article: its latest occurrence before the newer
                # dated article, if that is not older than the years the text mentions
                year = bound[0] if event <= bound[1] else bound[0] - 1
                if year >= years[index]:
                    years[index], months[index] = year, event
                    notes[index] = (f"an event dated month {event:02d} without a year: its latest occurrence before "
                                    f"the newer dated article ({newer.date}); the text mentions years up to {top}")
            elif event and years[index] == top:
                months[index] = event
                notes[index] += f"; an event dated month {months[index]:02d} without a year"
    for index in range(len(order) - 2, -1, -1):  # newest first: never older than the article below
        below = years[index + 1]
        if anchors[index] is None and years[index] is not None and below is not None and years[index] < below:
            years[index], months[index] = below, None
            notes[index] = "not older than the article after it in the archive"
    result: list[Dated] = []
    for index, (dated, found) in enumerate(order):
        if dated is not None:
            result.append(dated)
            continue
        if years[index] is not None:
            date = f"{years[index]:04d}" + (f"-{months[index]:02d}" if months[index] else "")
            result.append(Dated(date, "inferred", notes[index]))
            continue
        newer = next((i for i in range(index - 1, -1, -1) if years[i] is not None), None)
        near = newer if newer is not None else next((i for i in range(index + 1, len(order)) if years[i] is not None), None)
        if near is None:
            result.append(Dated("unknown", "unknown", "no date evidence in the text or its archive", False))
            continue
        year, month = years[near], months[near]
        label = "newer" if near == newer else "older"
        date, note = f"{year:04d}", f"no date in the text; year of the nearest {label} dated article"
        if near == newer and month and len(set(found.yearless)) == 1 and found.yearless[0] > month:
            date, note = f"{year - 1:04d}-{found.yearless[0]:02d}", (note + f" ({year}-{month:02d}); the text dates an "
                                                                    f"event to month {found.yearless[0]:02d}, so the year before")
        result.append(Dated(date, "inferred", note, False))
    fallback = next((d.date[:4] for d in result if d.source != "unknown"), "1970")
    return [Dated(fallback, "unknown", d.note + f"; placed in {fallback} to sort with its archive", False)
            if d.source == "unknown" else d for d in result]
