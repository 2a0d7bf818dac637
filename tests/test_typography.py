"""French typography: no-break spaces, apostrophes, guillemets and ellipses, outside code, URLs and times."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup, escape

from builder.i18n import typography
from builder.markdown import to_html

NB, NNB = "\u00a0", "\u202f"

ADDED = {  # the author wrote no space, or the straight signs
    "Esprit, es-tu là?": f"Esprit, es-tu là{NNB}?",
    "Oui; non! Note: voici.": f"Oui{NNB}; non{NNB}! Note{NB}: voici.",
    "Quoi?! Non!!! Vraiment??": f"Quoi{NNB}?! Non{NNB}!!! Vraiment{NNB}??",
    "(vraiment?) et fin:": f"(vraiment{NNB}?) et fin{NB}:",
    "l'industrie d'aujourd'hui": "l’industrie d’aujourd’hui",
    '"industrie 4.0"': f"«{NB}industrie 4.0{NB}»",
    '" Industrie 4.0 - le futur "': f"«{NB}Industrie 4.0 - le futur{NB}»",
    'Il dit "oui" puis "non".': f"Il dit «{NB}oui{NB}» puis «{NB}non{NB}».",
    "Et après...": "Et après…",
    "«Citation»": f"«{NB}Citation{NB}»",
}

CONVERTED = {  # the author's spaces become the right ones
    "Quoi ? Oui ; « non » : fin !": f"Quoi{NNB}? Oui{NNB}; «{NB}non{NB}»{NB}: fin{NNB}!",
    f"Quoi{NB}?": f"Quoi{NNB}?",
}

UNCHANGED = [  # where the signs are not punctuation
    "https://example.org/page?id=3;x=4",
    "Voir https://exemple.fr/l'article?a=1: ou www.exemple.fr/a...b",
    "mailto:moi@exemple.fr",
    "Rendez-vous à 10:30, ratio 1:1, score 2:0.",
    "Super :) et ;) puis :-) ou :D",
    "std::vector, a;b, mot:suite",
    "&amp; &#39; &#x27;",
    'Un guillemet " seul',
    "etc....",
    "Déjà bien\u202f? Oui\u00a0: «\u00a0ok\u00a0» l’été…",
]


@pytest.mark.parametrize("text", ADDED)
def test_missing_spaces_and_straight_signs_are_fixed(text: str):
    assert typography(text, "fr") == ADDED[text]


@pytest.mark.parametrize("text", CONVERTED)
def test_existing_spaces_become_no_break_ones(text: str):
    assert typography(text, "fr") == CONVERTED[text]


@pytest.mark.parametrize("text", UNCHANGED)
def test_what_is_not_punctuation_is_left_alone(text: str):
    assert typography(text, "fr") == text


@pytest.mark.parametrize("text", [*ADDED, *CONVERTED, *UNCHANGED])
def test_typography_is_idempotent(text: str):
    once = typography(text, "fr")
    assert typography(once, "fr") == once


def test_english_is_untouched():
    for text in [*ADDED, *CONVERTED]:
        assert typography(text, "en") == text
    html = to_html('Why? It\'s "fine"... Note: yes!', "en").html
    assert html == '<p>Why? It\'s "fine"... Note: yes!</p>'


def test_a_plain_string_stays_safe_once_escaped():
    escaped = str(escape(typography('Tom & "Jerry" <b> l\'un? &amp;', "fr")))
    parsed = BeautifulSoup(f"<p>{escaped}</p>", "lxml").p
    assert parsed.get_text() == f"Tom & «{NB}Jerry{NB}» <b> l’un{NNB}? &amp;" and parsed.find("b") is None


def test_markup_keeps_its_tags_attributes_and_entities():
    markup = Markup('<a href="/x?y=1;z" title="l\'a : b">l\'un</a>? &amp; fin:')
    done = typography(markup, "fr")
    assert isinstance(done, Markup)
    link = BeautifulSoup(str(done), "lxml").a
    assert link["href"] == "/x?y=1;z" and link["title"] == "l'a : b" and link.get_text() == "l’un"
    assert str(done).endswith(f"</a>{NNB}? &amp; fin{NB}:")


def body(text: str) -> BeautifulSoup:
    return BeautifulSoup(to_html(text, "fr").html, "lxml")


def test_bodies_get_the_spaces_across_inline_elements():
    soup = body('Esprit, es-tu là? *Quoi*? `code`! "une *belle* idée" et l\'**industrie**...')
    text = soup.p.get_text()
    assert text == (f"Esprit, es-tu là{NNB}? Quoi{NNB}? code{NNB}! «{NB}une belle idée{NB}» et l’industrie…")
    assert soup.em.get_text() == "Quoi" and soup.code.get_text() == "code"  # the spaces stay outside


def test_code_urls_and_attributes_in_bodies_are_left_alone():
    soup = body(
        '`a:b; "c" l\'d?` [l\'a](https://x.fr/l\'a?b=1 "Titre ?") <https://x.fr/?q=1>\n\n'
        "<span title=\"l'a : b\">x</span>? ![l'image](i.png)\n\n"
        '```\nheure 10:30 ; "x" l\'y...\n```\n'
    )
    code, link, auto = soup.select("p code")[0], *soup.select("p a")
    assert code.get_text() == 'a:b; "c" l\'d?'
    assert link["href"] == "https://x.fr/l'a?b=1" and link["title"] == "Titre ?" and link.get_text() == "l’a"
    assert auto["href"] == auto.get_text() == "https://x.fr/?q=1"
    assert soup.span["title"] == "l'a : b" and soup.img["alt"] == "l'image"
    assert soup.pre.get_text() == 'heure 10:30 ; "x" l\'y...\n'


def test_headings_summaries_and_lists():
    rendered = to_html('## Pourquoi? L\'IA\n\nPremière phrase: oui! Seconde "citée".\n\n- un; deux\n', "fr")
    soup = BeautifulSoup(rendered.html, "lxml")
    assert soup.h2.get_text() == f"Pourquoi{NNB}? L’IA" and soup.h2["id"] == "pourquoi-l-ia"
    assert rendered.toc[0].title == f"Pourquoi{NNB}? L’IA"
    assert rendered.summary == f"Première phrase{NB}: oui{NNB}! Seconde «{NB}citée{NB}»."
    assert soup.li.get_text() == f"un{NNB}; deux"


def test_quotes_pair_within_a_block_only():
    soup = body('Un "premier\n\nsecond" paragraphe.')
    assert [p.get_text() for p in soup.find_all("p")] == ['Un "premier', 'second" paragraphe.']
