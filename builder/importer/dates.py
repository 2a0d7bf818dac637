"""Date an article from the evidence its archive holds, with the precision that evidence supports."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

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
_M = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_D = r"(1er|[12]\d|3[01]|0?[1-9])"
FULL_RE = re.compile(rf"\b{_D}\s+{_M}\s+((?:19|20)\d\d)\b", re.IGNORECASE)
MONTH_YEAR_RE = re.compile(rf"\b{_M}\s+((?:19|20)\d\d)\b", re.IGNORECASE)
YEAR_RE = re.compile(
    r"(?<![\d/.,-])((?:19|20)\d\d)"
    r"(?![\d/]|\s*(?:%|€|\$|dollars|euros|millions|abonnés|impressions))"
)
WEEKDAY_RE = re.compile(rf"\b({'|'.join(WEEKDAYS)})\s+{_D}\s+{_M}\b(?!\s+(?:19|20)\d\d)", re.IGNORECASE)
DAY_MONTH_RE = re.compile(rf"\b{_D}\s+{_M}\b(?!\s+(?:19|20)\d\d)", re.IGNORECASE)
FUTURE_RE = re.compile(
    r"(d[’']ici|horizon|jusqu[’']en|pour|prévue?s?\s+en)\s+"
    r"(?:à\s+)?(?:la\s+fin\s+de\s+)?$",
    re.IGNORECASE,
)
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
    """A date stated as such: "Publié en mai 2020", "Article publié sur X, Janvier 2021 <url>",
    "Le 13 mars 2024, …"."""
    for index, note in enumerate(notes):
        match = PUBLISHED_RE.search(note)
        if not match:
            continue
        year, month = int(match.group(3)), MONTHS[match.group(2).lower()]
        if match.group(1) and _valid(year, month, _day(match.group(1))):
            return Dated(
                f"{year:04d}-{month:02d}-{_day(match.group(1)):02d}", "explicit", f"source note: {note[:80]}"
            )
        nearby = " ".join(notes[index : index + 2])
        url = URL_DATE_RE.search(nearby)
        if url and (int(url.group(1)), int(url.group(2))) == (year, month):
            return Dated(
                f"{url.group(1)}-{url.group(2)}-{url.group(3)}",
                "explicit",
                f"source note {note[:60]!r}, day from the original article's address",
            )
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
        if not FUTURE_RE.search(text[max(0, match.start() - 25) : match.start()]):
            years.append(int(match.group(1)))
    months = [(int(m.group(2)), MONTHS[m.group(1).lower()]) for m in MONTH_YEAR_RE.finditer(text)]
    weekdays = [
        (WEEKDAYS[m.group(1).lower()], _day(m.group(2)), MONTHS[m.group(3).lower()])
        for m in WEEKDAY_RE.finditer(text)
    ]
    yearless = [MONTHS[m.group(2).lower()] for m in DAY_MONTH_RE.finditer(text)]
    return Clues(tuple(years), tuple(months), tuple(weekdays), tuple(yearless))


@dataclass(frozen=True)
class _Guess:
    """A date worked out for an article nothing dates: a year, maybe a month, and why."""

    year: int  # the year
    month: int | None  # the month, only when the year is known from elsewhere
    note: str  # the evidence, in a few words
    confident: bool = True  # False when the editor should check it


def _weekday_year(weekdays: tuple[tuple[int, int, int], ...], low: int, high: int) -> tuple[int, int] | None:
    """(year, month) of the only year in [low, high] where "lundi 6 décembre" falls on the stated weekday."""
    fits = {
        (year, month)
        for weekday, day, month in weekdays
        for year in range(low, high + 1)
        if _valid(year, month, day) and datetime.date(year, month, day).weekday() == weekday
    }
    return fits.pop() if len(fits) == 1 else None


def _year(date: str) -> int:
    return int(date[:4])


def _ym(date: str) -> tuple[int, int | None]:
    return int(date[:4]), (int(date[5:7]) if len(date) >= 7 else None)


def _event(found: Clues) -> int | None:
    """The one month the text names without a year ("le 1er août"), if just one and no "mai 2019" either."""
    return found.yearless[0] if len(set(found.yearless)) == 1 and not found.months else None


def _known_year(newer: Dated | None, older: Dated | None, found: Clues) -> _Guess | None:
    """The year when the stated dates just above and below agree on it; a yearless event then gives the month,
    if it falls between them."""
    if not (newer and older) or _year(newer.date) != _year(older.date):
        return None
    year, event = _year(newer.date), _event(found)
    note = f"between two articles dated in {year} ({newer.date} above, {older.date} below)"
    top, bottom = _ym(newer.date)[1] or 12, _ym(older.date)[1] or 1
    if event and bottom <= event <= top:
        return _Guess(year, event, note + f"; the text names month {event:02d} without a year")
    return _Guess(year, None, note)


def _weekday_guess(found: Clues, top: int | None, low: int | None, high: int | None) -> _Guess | None:
    """A weekday named with a day and month ("lundi 6 décembre") that fits one year only, within a year of the
    latest year the text mentions and between the stated dates around the article."""
    lows = [y for y in (low, top - 1 if top else None) if y is not None]
    highs = [y for y in (high, top + 1 if top else None) if y is not None]
    if not found.weekdays or not lows or not highs:
        return None
    fit = _weekday_year(found.weekdays, max(lows), min(highs))
    if fit is None:
        return None
    day = next(d for _, d, m in found.weekdays if m == fit[1])
    return _Guess(fit[0], fit[1], f"a weekday named with the date ({day}/{fit[1]:02d}) fits {fit[0]} only")


def _unused_event(found: Clues) -> str:
    event = _event(found)
    if not event:
        return ""
    return f"; month {event:02d} named without a year is not used: nothing else gives its year"


def _guess(index: int, anchors: list[Dated | None], found: Clues) -> _Guess | None:
    """Date one article nothing states: from the stated dates around it and the dates its text mentions."""
    newer = next((anchors[i] for i in range(index - 1, -1, -1) if anchors[i]), None)
    older = next((anchors[i] for i in range(index + 1, len(anchors)) if anchors[i]), None)
    known = _known_year(newer, older, found)
    if known:
        return known
    high = _year(newer.date) if newer else None
    low = _year(older.date) if older else None
    mentioned = [y for y in found.years if high is None or y <= high]
    top = max(mentioned) if mentioned else None
    weekday = _weekday_guess(found, top, low, high)
    if weekday:
        return weekday
    if top is None:
        return None
    year = max(top, low or top)
    note = (
        f"latest year the text mentions ({top})"
        if year == top
        else f"not older than the dated article after it ({older.date})"
    )
    return _Guess(year, None, note + _unused_event(found), _event(found) is None)  # an unused event: to check


def _from_neighbour(index: int, guesses: list[_Guess | None], found: Clues) -> _Guess | None:
    """No date evidence: the year of the nearest dated article, newer first, for the editor to check."""
    newer = next((i for i in range(index - 1, -1, -1) if guesses[i] is not None), None)
    near = (
        newer
        if newer is not None
        else next((i for i in range(index + 1, len(guesses)) if guesses[i] is not None), None)
    )
    if near is None:
        return None
    label = "newer" if near == newer else "older"
    return _Guess(
        guesses[near].year,
        None,
        f"no date in the text; year of the nearest {label} dated article" + _unused_event(found),
        False,
    )


def infer(order: list[tuple[Dated | None, Clues]]) -> list[Dated]:
    """Date an archive's articles, newest first: stated dates stand; the others from the dates their text
    mentions, bounded by the stated dates around them, then from their neighbours. A day and month without
    a year ("le 1er août") gives a month only when the year is known from elsewhere."""
    anchors = [dated for dated, _ in order]
    guesses: list[_Guess | None] = [
        _Guess(*_ym(dated.date), dated.note) if dated else _guess(index, anchors, found)
        for index, (dated, found) in enumerate(order)
    ]
    for index in range(len(order) - 2, -1, -1):  # newest first: never older than the article below
        here, below = guesses[index], guesses[index + 1]
        if anchors[index] is None and here and below and here.year < below.year:
            guesses[index] = _Guess(below.year, None, "not older than the article after it in the archive")
    result: list[Dated] = []
    for index, (dated, found) in enumerate(order):
        guess = guesses[index] or _from_neighbour(index, guesses, found)
        if dated is not None:
            result.append(dated)
        elif guess is None:
            result.append(Dated("unknown", "unknown", "no date evidence in the text or its archive", False))
        else:
            date = f"{guess.year:04d}" + (f"-{guess.month:02d}" if guess.month else "")
            result.append(Dated(date, "inferred", guess.note, guess.confident))
    fallback = next((d.date[:4] for d in result if d.source != "unknown"), "1970")
    return [
        Dated(fallback, "unknown", d.note + f"; placed in {fallback} to sort with its archive", False)
        if d.source == "unknown"
        else d
        for d in result
    ]
