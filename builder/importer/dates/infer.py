"""Date the articles of an archive that nothing dates, newest first: from the dates their text mentions,
bounded by the stated dates around them, then from their neighbours, with only the precision the evidence
supports. A day and month without a year ("le 1er août") gives a month only when the year is known from
elsewhere; a weekday with a date ("lundi 6 décembre") counts only when one year near the text's fits it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypeVar

from builder.importer.dates.mentions import Clues
from builder.importer.dates.stated import Dated
from builder.importer.dates.words import iso, valid

T = TypeVar("T")


@dataclass(frozen=True)
class _Guess:
    """A date worked out for an article nothing dates: a year, maybe a month, and why."""

    year: int  # the year
    month: int | None  # the month, only when the year is known from elsewhere
    note: str  # the evidence, in a few words
    confident: bool = True  # False when the editor should check it


def _nearest(values: list[T | None], index: int, step: int) -> T | None:
    """The nearest value that is not None before `index` (step -1: newer articles) or after it (step 1)."""
    stop = -1 if step < 0 else len(values)
    return next((values[i] for i in range(index + step, stop, step) if values[i] is not None), None)


def _weekday_year(weekdays: tuple[tuple[int, int, int], ...], low: int, high: int) -> tuple[int, int] | None:
    """(year, month) of the only year in [low, high] where "lundi 6 décembre" falls on the stated weekday."""
    fits = {
        (year, month)
        for weekday, day, month in weekdays
        for year in range(low, high + 1)
        if valid(year, month, day) and datetime.date(year, month, day).weekday() == weekday
    }
    return fits.pop() if len(fits) == 1 else None


def _year(date: str) -> int:
    """The year of a "YYYY…" date."""
    return int(date[:4])


def _ym(date: str) -> tuple[int, int | None]:
    """(year, month) of a "YYYY-MM…" date; the month is None for a bare year."""
    return int(date[:4]), (int(date[5:7]) if len(date) >= 7 else None)


def _event(found: Clues) -> int | None:
    """The one month the text names without a year ("le 1er août"), if just one and no "mai 2019" either."""
    return found.yearless[0] if len(set(found.yearless)) == 1 and not found.months else None


def _unused_event(found: Clues) -> str:
    """The note's ending when the text names a month without a year that could not be used."""
    event = _event(found)
    if not event:
        return ""
    return f"; month {event:02d} named without a year is not used: nothing else gives its year"


def _known_year(newer: Dated | None, older: Dated | None, found: Clues) -> _Guess | None:
    """The year the stated dates just above and below share; then a yearless month between them too."""
    if not (newer and older) or _year(newer.date) != _year(older.date):
        return None
    year, event = _year(newer.date), _event(found)
    note = f"between two articles dated in {year} ({newer.date} above, {older.date} below)"
    top, bottom = _ym(newer.date)[1] or 12, _ym(older.date)[1] or 1
    if event and bottom <= event <= top:
        return _Guess(year, event, note + f"; the text names month {event:02d} without a year")
    return _Guess(year, None, note)


def _weekday_guess(found: Clues, top: int | None, low: int | None, high: int | None) -> _Guess | None:
    """The one year a "lundi 6 décembre" fits, near the latest year mentioned, within the stated dates."""
    lows = [y for y in (low, top - 1 if top else None) if y is not None]
    highs = [y for y in (high, top + 1 if top else None) if y is not None]
    if not found.weekdays or not lows or not highs:
        return None
    fit = _weekday_year(found.weekdays, max(lows), min(highs))
    if fit is None:
        return None
    day = next(d for _, d, m in found.weekdays if m == fit[1])
    return _Guess(fit[0], fit[1], f"a weekday named with the date ({day}/{fit[1]:02d}) fits {fit[0]} only")


def _guess(index: int, anchors: list[Dated | None], found: Clues) -> _Guess | None:
    """Date one article nothing states: from the stated dates around it and the dates its text mentions."""
    newer, older = _nearest(anchors, index, -1), _nearest(anchors, index, 1)
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
    newer = _nearest(guesses, index, -1)
    near = newer if newer is not None else _nearest(guesses, index, 1)
    if near is None:
        return None
    label = "newer" if newer is not None else "older"
    return _Guess(
        near.year,
        None,
        f"no date in the text; year of the nearest {label} dated article" + _unused_event(found),
        False,
    )


def _guesses(order: list[tuple[Dated | None, Clues]]) -> list[_Guess | None]:
    """A guess for every article, stated or not, none older than the article below it in the archive."""
    anchors = [dated for dated, _ in order]
    guesses: list[_Guess | None] = [
        _Guess(*_ym(dated.date), dated.note) if dated else _guess(index, anchors, found)
        for index, (dated, found) in enumerate(order)
    ]
    for index in range(len(order) - 2, -1, -1):  # newest first: never older than the article below
        here, below = guesses[index], guesses[index + 1]
        if anchors[index] is None and here and below and here.year < below.year:
            guesses[index] = _Guess(below.year, None, "not older than the article after it in the archive")
    return guesses


def _placed(result: list[Dated]) -> list[Dated]:
    """Undatable articles given the year of the first dated one, so that they sort with their archive."""
    fallback = next((d.date[:4] for d in result if d.source != "unknown"), "1970")
    return [
        Dated(fallback, "unknown", d.note + f"; placed in {fallback} to sort with its archive", False)
        if d.source == "unknown"
        else d
        for d in result
    ]


def infer(order: list[tuple[Dated | None, Clues]]) -> list[Dated]:
    """Date an archive's articles, newest first: stated dates stand, the others are worked out around them."""
    guesses = _guesses(order)
    result: list[Dated] = []
    for index, (dated, found) in enumerate(order):
        guess = guesses[index] or _from_neighbour(index, guesses, found)
        if dated is not None:
            result.append(dated)
        elif guess is None:
            result.append(Dated("unknown", "unknown", "no date evidence in the text or its archive", False))
        else:
            result.append(Dated(iso(guess.year, guess.month), "inferred", guess.note, guess.confident))
    return _placed(result)
