"""Dates without a year ("le 1er août"): a month only when the year is known from elsewhere, never a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.importer import dates, tags
from builder.importer.pipeline import plan

ROOT = Path(__file__).parent.parent
EXPLICIT = dates.Dated("2020-09", "explicit", "source note: Publié en septembre 2020")


def stated(date: str) -> dates.Dated:
    return dates.Dated(date, "explicit", "source note")


def infer(*articles) -> list[dates.Dated]:
    """Date articles given as (stated date or None, text), newest first."""
    return dates.infer([(date, dates.clues(text)) for date, text in articles])


@pytest.fixture(scope="module")
def vocabulary():
    return tags.load(ROOT / "content" / "tags.toml")[0]


def test_bounded_by_two_articles_of_the_same_year_the_event_gives_the_month():
    result = infer(
        (stated("2020-09"), ""), (None, "Les Echos du 1er juin en parlaient."), (stated("2020-03"), "")
    )
    assert (result[1].date, result[1].source) == ("2020-06", "inferred")
    assert "between two articles dated in 2020" in result[1].note


def test_an_event_outside_the_bounds_gives_the_year_only():
    result = infer((stated("2020-09"), ""), (None, "Le 1er novembre, une annonce."), (stated("2020-03"), ""))
    assert result[1].date == "2020"


def test_neighbours_of_different_years_give_no_month():
    result = infer((stated("2021-02"), ""), (None, "Les Echos du 1er août."), (stated("2019-03"), ""))
    assert len(result[1].date) == 4 and result[1].date in {"2019", "2020", "2021"}
    assert "08" not in result[1].date


def test_the_newest_possible_year_is_never_picked():
    # the old rule: "1er août" below a 2019-04 article gave 2018-08 although nothing says 2018
    result = infer((stated("2019-04"), ""), (None, "Les Echos du 1er août. Un livre de 2012."))
    assert result[1].date == "2012"
    result = infer((stated("2019-04"), ""), (None, "Les Echos du 1er août."))
    assert (result[1].date, result[1].confident) == ("2019", False)


def test_alone_in_its_archive_a_yearless_event_dates_nothing():
    result = infer((None, "Rendez-vous le 1er août, lundi 6 décembre."))
    assert result[0].source == "unknown"


def test_a_years_mention_does_not_lend_its_year_to_the_event():
    result = infer((None, "En 2015, déjà. Les Echos du 26 juin."))
    assert result[0].date == "2015" and "month 06 named without a year is not used" in result[0].note


def test_a_weekday_fits_one_year_only_near_the_years_mentioned():
    assert infer((None, "Un article de 2022, le lundi 6 décembre."))[0].date == "2021-12"
    assert infer((None, "Le lundi 6 décembre."))[0].source == "unknown"  # fits 2021, 2027…: no year


def test_source_note_and_navigation_stand(vocabulary):
    noted = (
        "Un titre\n\nPublié en mai 2020\n\nUn paragraphe assez long, qui cite Les Echos du 1er août, voilà.\n"
    )
    navigation = (
        "Previous month: mars 2019\nNext month: mai 2019\n\n\nUn autre titre\n\n"
        "Un paragraphe assez long, qui cite Les Echos du 1er août, rien de plus.\n"
    )
    result = plan([("a.txt", noted), ("b.txt", navigation)], vocabulary)
    found = {article.found.source: article.dated for article in result.articles}
    assert (found["a.txt"].date, found["a.txt"].source) == ("2020-05", "explicit")
    assert (found["b.txt"].date, found["b.txt"].source) == ("2019-04", "navigation")


def test_a_day_is_never_invented():
    result = infer((stated("2020-09"), ""), (None, "Le 1er juin."), (stated("2020-03"), ""))
    assert all(len(dated.date) < 10 for dated in result)
