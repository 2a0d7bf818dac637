"""The Markdown stage's shortcuts change nothing: its output equals stock Python-Markdown's, byte for byte.

French bodies get the same typography tree processor on both sides (it is tested on its own in
test_typography.py), so what is compared is what the shortcuts could change. Nesting past the limits is
refused with MarkdownTooDeep, in bounded time, where stock Python-Markdown recurses past Python's limit or
runs for minutes."""

from __future__ import annotations

import pickle
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.frontmatter import Parsed, split
from builder.markdown import MAX_NESTING, MarkdownTooDeep, extensions, to_html
from builder.markdown.render import converter
from builder.markdown.shortcuts import LATER_NEEDLES, PREPROCESSOR_NEEDLES, Needles
from builder.markdown.typography import FrenchSpaces

ROOT = Path(__file__).resolve().parents[1]


def stock(lang: str) -> markdown.Markdown:
    """Python-Markdown with the same extensions and settings, and none of the shortcuts."""
    md = markdown.Markdown(extensions=extensions(lang), output_format="html")
    if lang == "fr":
        md.treeprocessors.register(FrenchSpaces(md), "french_spaces", 1)
    return md


STOCK = {lang: stock(lang) for lang in ("fr", "en")}


def both(text: str, lang: str) -> tuple[tuple[str, list], tuple[str, list]]:
    ours, theirs = converter(lang), STOCK[lang]
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


@pytest.mark.parametrize(
    ("name", "lang", "body"),
    bodies(),
    ids=lambda value: value if isinstance(value, str) and value.endswith(".md") else "",
)
def test_every_article_renders_as_stock_python_markdown(name: str, lang: str, body: str):
    ours, theirs = both(body, lang)
    assert ours == theirs


SAMPLES = [
    "Plain text with no markup at all.",
    "A `code span`, a \\*literal star\\*, *em*, **strong**, ***both***, _under_ and __score__.",
    'Links: [inline](https://example.org "t"), [ref][r], [short], ![image](a.png), ![alt][r].'
    "\n\n[r]: /x\n[short]: /y",
    'Auto <https://example.org> and <me@example.org>, raw <span class="x">html</span> &amp; &copy; entities.',
    "Hard  \nbreak, footnote[^1] and a [^missing] one.\n\n[^1]: The *note* with a [link](/n).",
    "## Title with `code` and [link](/l)\n\n### Same\n\n### Same\n\n## Title {#custom}\n\n#### Deep",
    "| a | b |\n|---|---|\n| *x* | `y` |\n\n```python\nprint('[not a link]')\n```",
    "« Citation » : oui ; non ! vraiment ? [lien](/a) et `code : ici`.",
    "- item with *em*\n- [link](/b)\n\n1. one\n2. two `code`",
    "Escaped \\[not a link\\](nope) and \\`not code\\` and 2 * 3 * 4 and snake_case_word.",
    "> A quote\n> on two lines\n\n>> nested",
    "Title\n=====\n\nSub title\n---------\n\nText",
    "***\n\n- - -\n\n___\n\nText * * * here",
    '[ref]: https://example.org "Title"\n\nSee [ref] and [that][ref].',
    "| single |\n|---|\n| cell |\n\nno | table here",
    "Text[^a].\n\n[^a]: A note\n    on two lines.",
    "# One\n## Two ##\n#not a heading",
    "The HTML spec, in HTML.\n\n*[HTML]: HyperText Markup Language",
    '!!! note "Titre : oui"\n    Texte *important* !\n\nTerm\n:   Definition: yes',
    "**Pros**:\n- one\n  - two, nested by two\n- [x] done\n\n~~~python\nx = 1\n~~~\n\n~~struck~~ text",
    "1. Step:\n\n   ```yaml\n   on: push\n   ```\n2. Next\n\n```\ncode\n`````",
    "Windows\r\nline ends\rand old Mac ones\r\n\r\nnext paragraph",
    "Tabs\tinside\n\n\t- an item\n\tcode\n- last\t",
    "A paragraph\n   \nafter a line of spaces, and trailing spaces   ",
    "AT&T, &copy without a semicolon, & alone, &#38; and &#x26;, &#1 and &#xbAT unclosed",
    "\x02stash\x03 markers and \x02klzzwxh:0001\x03 in the text",
]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_inline_pattern_renders_as_stock(text: str, lang: str):
    ours, theirs = both(text, lang)
    assert ours == theirs


PIECES = st.sampled_from(
    [
        "word",
        " ",
        "  \n",
        "\n",
        "\n\n",
        "*",
        "**",
        "_",
        "`",
        "``",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "![",
        "[^1]",
        "<",
        ">",
        "&",
        ";",
        "#",
        "## ",
        "- ",
        "1. ",
        "> ",
        "https://e.org",
        "@",
        "«",
        "»",
        ":",
        "!",
        "?",
        "{#id}",
        "|",
        "---",
        "\t",
        "é",
        "&amp;",
        "<b>",
        "</b>",
        "'",
        '"',
        "...",
        "10:30",
        ":)",
        "?!",
        "!!! note\n",
        "!!! tip \"Titre\"\n",
        "    ",
        "*[",
        "]: ",
        ":   ",
        "Term\n:   ",
        "\r",
        "\r\n",
        "\x02",
        "\x03",
        "   \n",
        "AT&T",
        "&#1",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join), st.sampled_from(["fr", "en"]))
def test_any_markdown_renders_as_stock(text: str, lang: str):
    ours, theirs = both(text, lang)
    assert ours == theirs


def test_every_inline_pattern_is_guarded():
    md = converter("fr")
    assert all(isinstance(pattern.getCompiledRegExp(), Needles) for pattern in md.inlinePatterns)
    assert md.treeprocessors["before_inline"].needles  # plain texts skip the inline stage


def test_the_stock_preprocessors_and_later_tree_processors_are_guarded():
    md = converter("en")
    for name in PREPROCESSOR_NEEDLES:
        assert md.preprocessors[name].run.__name__ == "guarded"  # texts they cannot change pass at once
    for name in LATER_NEEDLES:
        assert md.treeprocessors[name].run.__name__ == "guarded"  # so are trees they cannot change


def nested_list(levels: int, marker: str = "- ") -> str:
    return "\n".join("    " * level + marker + "x" for level in range(levels))


TOO_DEEP = {  # what stock Python-Markdown 3.11 does with each, measured: see the report in the README
    "list 1000 levels": (nested_list(1000), MAX_NESTING + 1),  # 18 s, then RecursionError
    "list 3000 levels": (nested_list(3000), MAX_NESTING + 1),  # over a minute
    "ordered list 2000 levels": (nested_list(2000, "1. "), MAX_NESTING + 1),  # over a minute
    "markers on one line": ("- " * 3000 + "x", 1),  # RecursionError
    "quote 5000 levels": (">" * 5000 + " x", 1),  # stops nesting near the recursion limit
    "quote and list": ("Intro\n\n" + "> - " * 2000 + "x", 3),
    "footnote of quotes": ("x[^1]\n\n[^1]: " + "> " * 2000 + "x", 3),
    "50000 stars around a word": ("*" * 25000 + "x" + "*" * 25000, 1),  # RecursionError
    "50000 underscores around a word": ("Texte\n\n" + "_" * 25000 + "x" + "_" * 25000, 3),
    "emphasis 50000 deep": ("*a " * 50000 + "b" + " a*" * 50000, 1),  # 6 s, then RecursionError
    "200000 mixed delimiters": ("*_" * 50000 + "x" + "_*" * 50000, 1),  # 18 s
    "brackets 10000 deep": ("[" * 10000 + "x" + "]" * 10000, 1),  # 21 s
    "10000 unclosed brackets": ("Un\n\n" + "[a " * 10000, 3),  # 41 s
    "5000 unclosed link targets": ("[x](" * 5000, 1),  # 6 s
}


@pytest.mark.parametrize("name", TOO_DEEP)
def test_deep_nesting_is_refused_with_its_line(name: str):
    text, line = TOO_DEEP[name]
    with pytest.raises(MarkdownTooDeep) as raised:
        to_html(text, "fr")
    assert raised.value.line == line and str(raised.value).startswith(f"line {line}: ")
    assert raised.value.hint in str(raised.value)


WITHIN = {
    "list 30 levels": nested_list(30),
    "quote 30 levels": ">" * 30 + " x",
    "emphasis 40 deep": "*a " * 40 + "b" + " a*" * 40,
    "brackets 300 deep": "[" * 300 + "x" + "]" * 300,
    "2000 emphasised words": "*a* " * 1000,
    "a long rule": "* " * 500,
    "deep code": "    " + "    " * 60 + "- not a list, code",
    "fenced deep list": "```\n" + nested_list(100) + "\n```",
}


@pytest.mark.parametrize("name", WITHIN)
def test_nesting_within_the_limits_renders_as_stock(name: str):
    ours, theirs = both(WITHIN[name], "en")
    assert ours == theirs
    assert to_html(WITHIN[name], "fr").html


def test_emphasis_nested_past_the_depth_limit_is_refused():
    text = "*a " * 900 + "b" + " a*" * 900  # fine for the inline stage, deeper than later stages can recurse
    if not hasattr(markdown.inlinepatterns, "DelimiterProcessor"):  # before 3.11: not nested, rendered flat
        assert to_html(text, "en").html.startswith("<p>")
        return
    with pytest.raises(MarkdownTooDeep) as raised:
        to_html(text, "en")
    assert raised.value.line == 1 and "nested more than 100 deep" in str(raised.value)


def test_the_refusal_crosses_process_boundaries_and_the_converter_still_works():
    with pytest.raises(MarkdownTooDeep) as raised:
        to_html("Un\n\n" + "[" * 10000, "en")
    copy = pickle.loads(pickle.dumps(raised.value))
    assert (copy.message, copy.line) == (raised.value.message, 3) and str(copy) == str(raised.value)
    assert both("Some *em* and `code`.", "en")[0] == both("Some *em* and `code`.", "en")[1]
