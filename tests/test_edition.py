"""The repository's own content: a complete, English English edition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.frontmatter import body_digest, split
from builder.urls import slug

POSTS = Path(__file__).resolve().parent.parent / "content" / "posts"
FRENCH = {
    "le",
    "la",
    "les",
    "des",
    "et",
    "est",
    "une",
    "du",
    "que",
    "qui",
    "dans",
    "pour",
    "pas",
    "sur",
    "au",
    "avec",
    "ce",
    "il",
    "nous",
    "vous",
    "sont",
    "mais",
    "plus",
    "ou",
    "cette",
    "aux",
    "leur",
    "être",
}
ENGLISH = {
    "the",
    "and",
    "of",
    "to",
    "is",
    "in",
    "that",
    "for",
    "with",
    "it",
    "are",
    "this",
    "on",
    "as",
    "be",
    "by",
    "was",
    "not",
    "they",
    "we",
    "you",
    "but",
    "from",
    "their",
    "have",
    "which",
    "or",
    "an",
}
SAME_BY_NATURE = {"vertigo"}  # a title that is the same word in both languages
KEYS = sorted(p.name.removesuffix(".fr.md") for p in POSTS.glob("*.fr.md"))


def read(key: str, lang: str):
    return split((POSTS / f"{key}.{lang}.md").read_text(encoding="utf-8"), f"{key}.{lang}.md")


def function_words(text: str) -> tuple[int, int]:
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ]+", text.lower())
    return sum(w in FRENCH for w in words), sum(w in ENGLISH for w in words)


def test_the_corpus_is_imported():
    assert len(KEYS) >= 40


@pytest.mark.parametrize("key", KEYS)
def test_every_article_has_an_english_translation_of_its_current_original(key):
    french, english = read(key, "fr"), read(key, "en")
    assert english.meta["translation_of"] == body_digest(french.body)
    assert english.meta["date"] == french.meta["date"] and english.meta["tags"] == french.meta["tags"]
    assert not english.meta.get("draft")


@pytest.mark.parametrize("key", KEYS)
def test_english_bodies_read_as_english(key):
    french_words, english_words = function_words(read(key, "en").body)
    assert english_words > 8 * french_words, (
        f"{key}: {french_words} French vs {english_words} English function words"
    )
    original_french, original_english = function_words(read(key, "fr").body)
    assert original_french > 4 * original_english  # the measure tells the two languages apart


@pytest.mark.parametrize("key", KEYS)
def test_english_titles_and_slugs_are_english(key):
    french, english = read(key, "fr").meta, read(key, "en").meta
    if key not in SAME_BY_NATURE:
        assert english["title"] != french["title"]
    assert english["slug"] == slug(english["title"], max_length=60)
    assert english["summary"] and english["summary"] != french["summary"]


def test_english_lengths_are_close_to_the_originals():
    for key in KEYS:
        fr, en = len(read(key, "fr").body.split()), len(read(key, "en").body.split())
        assert 0.75 * fr <= en <= 1.15 * fr, f"{key}: {fr} French words, {en} English words"


def test_the_about_pages_state_the_years_the_essays_span():
    years = sorted(int(str(read(key, "fr").meta["date"])[:4]) for key in KEYS)
    pages = POSTS.parent / "pages"
    for lang, words in (("fr", "entre {} et {}"), ("en", "between {} and {}")):
        text = (pages / f"about.{lang}.md").read_text(encoding="utf-8")
        assert words.format(years[0], years[-1]) in text, lang


@pytest.mark.parametrize("key", KEYS)
def test_every_date_that_is_not_stated_has_its_evidence(key):
    for lang in ("fr", "en"):
        meta = read(key, lang).meta
        assert meta["date_source"] in ("explicit", "editor"), f"{key}.{lang}: {meta['date_source']}"
        if meta["date_source"] == "editor":
            assert len(meta.get("date_note", "")) > 40, f"{key}.{lang}: no date_note"
        assert meta["date"] == read(key, "fr").meta["date"] and meta["tags"] == read(key, "fr").meta["tags"]
        assert 2 <= len(meta["tags"]) <= 5


@pytest.mark.parametrize("key", KEYS)
def test_no_text_pretends_to_be_a_lost_link(key):
    for lang, word in (("fr", "ICI"), ("en", "HERE")):
        parsed = read(key, lang)
        prose = re.sub(r"\[[^\]]*\]\([^)]*\)", "", parsed.body + str(parsed.meta.get("summary", "")))
        assert not re.search(rf"\b{word}\b", prose), f"{key}.{lang}: a bare {word}"
