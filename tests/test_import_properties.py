"""Properties: arbitrary text never crashes the importer, and what it writes always parses back."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.errors import BuildError
from builder.frontmatter import split
from builder.importer import tags
from builder.importer.decode import decode
from builder.importer.digest import text_digest
from builder.importer.escape import inline
from builder.importer.pipeline import plan
from builder.importer.write import render

# Text made of the pieces archives are made of, plus Markdown syntax and odd characters.
PIECES = st.sampled_from(
    [
        "Un titre",
        "Publié en mai 2020",
        "Previous month:",
        "mars 2019",
        "  • un point",
        "1. Premier",
        "- tiret",
        "Le 13 mars 2024, la Commission",
        "https://ex.com/a_b",
        "*",
        "_",
        "#",
        "<b>",
        "[^1]",
        "---",
        "↩︎",
        "\xa0",
        "MarsJ’avais",
        "Source : X",
        "Note :",
        ": def",
        "«",
        "»",
        "lundi 6 décembre",
        "\t",
        "\r",
        "|",
        "{#id}",
        " ",
        "\n",
        "\n\n",
        "\n\n\n",
        "Une phrase assez longue pour passer pour un vrai paragraphe de texte courant.",
    ]
)
VOCABULARY = tags.load(Path(__file__).parent.parent / "content" / "tags.toml")[0]
ARCHIVE = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARCHIVE)
def test_arbitrary_text_never_crashes_and_always_writes_parseable_files(text):
    result = plan([("a.txt", text)], VOCABULARY)
    for error in result.errors:
        assert isinstance(error, BuildError) and error.path == "a.txt"
    for article in result.articles:
        written = render(article)
        parsed = split(written, "x.fr.md")
        assert not isinstance(parsed, BuildError), (written, parsed)
        assert parsed.meta["title"] == article.meta["title"]
        assert parsed.meta["import_digest"] == text_digest(written)
        assert 2 <= len(parsed.meta["tags"]) <= 5
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", parsed.meta["date"])


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_or_fail_with_a_message(data):
    result = decode(data, "b.txt")
    if isinstance(result, BuildError):
        assert result.path == "b.txt" and result.message and result.hint
    else:
        assert "\r" not in result.text and not result.text.startswith("\ufeff")


LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60).map(str.strip)


@settings(max_examples=300, deadline=None)
@given(LINE)
def test_escaped_text_renders_as_written(text):
    page = markdown.markdown(inline(text), extensions=["extra", "toc", "sane_lists"])
    shown = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page))).strip()
    assert shown == re.sub(r"\s+", " ", text).strip()
