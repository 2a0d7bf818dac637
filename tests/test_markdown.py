"""The Markdown stage's shortcuts change nothing: its output equals stock Python-Markdown's, byte for byte."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import markdown as stage
from builder.frontmatter import Parsed, split

ROOT = Path(__file__).resolve().parents[1]


def stock(lang: str) -> markdown.Markdown:
    """Python-Markdown with the same extensions and settings, and none of the shortcuts."""
    md = markdown.Markdown(extensions=["footnotes", "tables", "fenced_code", "attr_list", "sane_lists", "toc"],
                           extension_configs={"toc": {"slugify": stage._anchor, "toc_depth": "2-3"},
                                              "footnotes": {"BACKLINK_TITLE": stage.BACKLINK_TITLES[lang]}},
                           output_format="html")
    if lang == "fr":
        md.treeprocessors.register(stage._FrenchSpaces(md), "french_spaces", 1)
    return md


STOCK = {lang: stock(lang) for lang in ("fr", "en")}


def both(text: str, lang: str) -> tuple[tuple[str, list], tuple[str, list]]:
    ours, theirs = stage._converter(lang), STOCK[lang]
    ours.reset()
    theirs.reset()
    return (ours.convert(text), ours.toc_tokens), (theirs.convert(text), theirs.toc_tokens)


def bodies() -> list[tuple[str, str]]:
    files = sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "tests" / "fixtures").rglob("*.md"))
    found = []
    for path in files:
        parsed = split(path.read_text(encoding="utf-8"), str(path))
        if isinstance(parsed, Parsed):
            found.append((path.name, "en" if ".en." in path.name else "fr", parsed.body))
    return found


@pytest.mark.parametrize(("name", "lang", "body"), bodies(), ids=lambda value: value if isinstance(value, str)
                         and value.endswith(".md") else "")
def test_every_article_renders_as_stock_python_markdown(name: str, lang: str, body: str):
    ours, theirs = both(body, lang)
    assert ours == theirs


SAMPLES = [
    "Plain text with no markup at all.",
    "A `code span`, a \\*literal star\\*, *em*, **strong**, ***both***, _under_ and __score__.",
    "Links: [inline](https://example.org \"t\"), [ref][r], [short], ![image](a.png), ![alt][r].\n\n[r]: /x\n[short]: /y",
    "Auto <https://example.org> and <me@example.org>, raw <span class=\"x\">html</span> &amp; &copy; entities.",
    "Hard  \nbreak, footnote[^1] and a [^missing] one.\n\n[^1]: The *note* with a [link](/n).",
    "## Title with `code` and [link](/l)\n\n### Same\n\n### Same\n\n## Title {#custom}\n\n#### Deep",
    "| a | b |\n|---|---|\n| *x* | `y` |\n\n```python\nprint('[not a link]')\n```",
    "« Citation » : oui ; non ! vraiment ? [lien](/a) et `code : ici`.",
    "- item with *em*\n- [link](/b)\n\n1. one\n2. two `code`",
    "Escaped \\[not a link\\](nope) and \\`not code\\` and 2 * 3 * 4 and snake_case_word.",
    "> A quote\n> on two lines\n\n>> nested",
    "Title\n=====\n\nSub title\n---------\n\nText",
    "***\n\n- - -\n\n___\n\nText * * * here",
    "[ref]: https://example.org \"Title\"\n\nSee [ref] and [that][ref].",
    "| single |\n|---|\n| cell |\n\nno | table here",
    "Text[^a].\n\n[^a]: A note\n    on two lines.",
    "# One\n## Two ##\n#not a heading",
]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_inline_pattern_renders_as_stock(text: str, lang: str):
    ours, theirs = both(text, lang)
    assert ours == theirs


PIECES = st.sampled_from(["word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "`", "``", "\\", "[", "]", "(", ")",
                          "![", "[^1]", "<", ">", "&", ";", "#", "## ", "- ", "1. ", "> ", "https://e.org", "@",
                          "«", "»", ":", "!", "?", "{#id}", "|", "---", "\t", "é", "&amp;", "<b>", "</b>"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join), st.sampled_from(["fr", "en"]))
def test_any_markdown_renders_as_stock(text: str, lang: str):
    ours, theirs = both(text, lang)
    assert ours == theirs
