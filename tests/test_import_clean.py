"""Markdown made from the real archives: headings, lists, captions, notes, footnotes, links and escapes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest

from builder.importer.clean import clean
from builder.importer.escape import inline
from builder.importer.segment import segment

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def render(body: str) -> str:
    return markdown.markdown(body, extensions=["extra", "toc", "sane_lists"])


@pytest.fixture(scope="module")
def articles():
    found = {}
    for path in sorted(CORPUS.glob("*.txt")):
        for article in segment(path.read_text(encoding="utf-8"), path.name).articles:
            found[(path.name[:3], article.first_line)] = (article, clean(article))
    return found


def test_table_of_contents_becomes_headings_not_a_duplicate_list(articles):
    _, cleaned = articles[("003", 1)]
    page = render(cleaned.body)
    assert page.count("<h2") == 15
    assert '<h2 id="un-rapport-equilibre-et-pedagogique">Un rapport équilibré et pédagogique</h2>' in page
    assert "<ol>" not in page.split("<h2")[0]  # the hand-written list is gone
    assert cleaned.body.count("Un rapport équilibré et pédagogique") == 1


def test_nested_table_of_contents_gives_two_heading_levels(articles):
    _, cleaned = articles[("003", 391)]
    assert "## Ce que j’ai aimé" in cleaned.body
    assert "### Un livre bien structuré, facile à lire" in cleaned.body


def test_bullets_and_numbered_items_become_lists(articles):
    page = render(articles[("000", 101)][1].body)
    assert page.count("<ul>") == 2 and page.count("<li>") == 8
    page = render(articles[("000", 146)][1].body)
    assert "<ol>" in page and page.count("<li>") == 11  # six advices, and three numbered section lines
    assert '<ol start="2">\n<li>Les technologies</li>' in page  # numbering kept across paragraphs
    dashes = render(articles[("002", 220)][1].body)  # "- item" lines separated by blank lines: one list
    assert dashes.count("<ul>") == 1 and dashes.count("<li>") == 4


def test_nested_bullets_follow_indentation(articles):
    body = articles[("003", 175)][1].body
    assert "\n    - Sélectionner «\xa0Les 365 derniers jours\xa0»" in body


def test_captions_credits_and_source_notes_are_emphasised(articles):
    body = articles[("003", 1)][1].body
    assert "*Risques liés aux systèmes d’IA générative*\n\n*Source : Commission de l’IA*" in body
    notes = articles[("001", 324)][1]
    assert "*Publié en mai 2020*" in notes.body and notes.notes[-1] == "Publié en mai 2020"
    assert (
        "*Un volume d’impression modeste sur la page entreprise naissante*" in articles[("003", 175)][1].body
    )


def test_bare_urls_become_links(articles):
    page = render(articles[("001", 1)][1].body)
    assert (
        '<a href="https://podcast.ausha.co/trench-tech/laurence-devillers-ia-robots-il-faut-voir-comme-ils-nous-parlent">'
        in page
    )


def test_footnotes_are_matched_with_their_marks(articles):
    body = articles[("003", 1194)][1].body
    for number in range(1, 5):
        assert body.count(f"[^{number}]") == 2  # one reference, one definition
    assert "récemment[^2] de savoir" in body and "↩" not in body
    page = render(body)
    assert 'class="footnote"' in page and page.count('class="footnote-ref"') == 4


def test_headings_without_a_toc_and_questions_left_as_paragraphs(articles):
    body = articles[("001", 236)][1].body
    assert "## Défiance certes, mais record de consommation online" in body
    assert "## Un retard de régulation ?" not in body
    assert "Un retard de régulation" in body
    assert "##" not in articles[("000", 1)][1].body  # short rhetorical lines are not headings


def test_no_break_spaces_and_quotes_are_kept(articles):
    body = articles[("000", 1)][1].body
    assert "«\xa0 Quand un vicomte" in body


def test_summary_is_plain_text_cut_at_a_sentence(articles):
    for article, cleaned in articles.values():
        assert cleaned.summary, article.title
        assert len(cleaned.summary) <= 300
        assert cleaned.summary[-1] in '.!?…»)"' or cleaned.summary.endswith("…"), cleaned.summary


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page))).strip()


@pytest.mark.parametrize(
    "text",
    [
        "1. Les capacités",
        "2) deux",
        "- un tiret",
        "+ plus",
        "* étoile et *gras* et _souligné_ a_b",
        "# pas un titre",
        "> pas une citation",
        "<b>balise</b> & &amp;",
        "[TOC] et [^1] et ![img](u)",
        "---",
        "***",
        "===",
        "~~~",
        ": pas une définition",
        "a | b | c",
        "{: #id .cls}",
        "`code`",
        "\\ antislash",
        "C# et F#",
        "*[HTML]: Hyper",
        "Voir https://ex.com/a_b_(c). Fin",
    ],
)
def test_text_markdown_would_misread_renders_as_written(text):
    assert _text(render(inline(text))) == re.sub(r"\s+", " ", text).strip()


def test_a_url_becomes_a_link_without_its_final_punctuation():
    page = render(inline("Voir https://ex.com/a_b. Puis (https://x.org/y)."))
    assert '<a href="https://ex.com/a_b">' in page and '<a href="https://x.org/y">' in page
