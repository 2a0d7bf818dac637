"""Markdown as authors expect it: the structure CommonMark and GitHub give, highlighted code, heading
anchors, a numbered table of contents, and the extensions (tables, footnotes, admonitions…) styled.

Each case's expected tree is written here, and checked against markdown-it-py's CommonMark rendering too
(a reference for the tests only). Trees keep tags and texts; attributes, Pygments' spans and the heading
permalinks are left out, as a reader sees the structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString
from markdown_it import MarkdownIt

from builder.kinds.document import toc_tree
from builder.markdown import to_html
from builder.model import Heading

ROOT = Path(__file__).resolve().parents[1]
STYLE = ROOT / "builder" / "themes" / "default" / "static" / "style.css"
COMMONMARK = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _node(node) -> list:
    """One node as trees write it: a text, or (tag, *children)."""
    if isinstance(node, NavigableString):
        text = re.sub(r"\s+", " ", str(node)).strip()
        return [text] if text else []
    classes = node.get("class") or []
    if node.name == "div" and "highlight" in classes:  # Pygments' wrapper: the <pre> is what counts
        return [n for pre in node.find_all("pre", recursive=False) for n in _node(pre)]
    if node.name == "a" and "permalink" in classes or node.name == "span" and not node.get_text():
        return []
    if node.name == "code":
        return [("code", node.get_text())]
    tag = {"del": "s"}.get(node.name, node.name)
    return [(tag, *[n for child in node.children for n in _node(child)])]


def tree(html: str) -> tuple:
    """The structure of an HTML fragment."""
    return tuple(n for child in BeautifulSoup(html, "html.parser").children for n in _node(child))


CASES = {
    "list after a paragraph line": (
        "**Pros**:\n- one\n- two\n\nAfter.",
        (("p", ("strong", "Pros"), ":"), ("ul", ("li", "one"), ("li", "two")), ("p", "After.")),
    ),
    "list nested by two spaces": (
        "- a\n  - b\n    - c\n- d",
        (("ul", ("li", "a", ("ul", ("li", "b", ("ul", ("li", "c"))))), ("li", "d")),),
    ),
    "list nested by four spaces": (
        "- a\n    - b\n- c",
        (("ul", ("li", "a", ("ul", ("li", "b"))), ("li", "c")),),
    ),
    "ordered items nested by three": (
        "1. one\n   - sub\n2. two",
        (("ol", ("li", "one", ("ul", ("li", "sub"))), ("li", "two")),),
    ),
    "fenced code in a tight item": (
        "- item\n  ```yaml\n  - a: 1\n  ```\n- next",
        (("ul", ("li", "item", ("pre", ("code", "- a: 1\n"))), ("li", "next")),),
    ),
    "fenced code in a loose item": (
        "1. Create it:\n\n   ```yaml\n   on: push\n   ```\n\n2. Push.",
        (("ol", ("li", ("p", "Create it:"), ("pre", ("code", "on: push\n"))), ("li", ("p", "Push."))),),
    ),
    "the next item right after a fence": (
        "- item\n\n  ```python\n  x = 1\n  ```\n- next",
        (("ul", ("li", ("p", "item"), ("pre", ("code", "x = 1\n"))), ("li", ("p", "next"))),),
    ),
    "tilde fence": ("~~~\n```not a fence```\n~~~", (("pre", ("code", "```not a fence```\n")),)),
    "fence closed by a longer fence": (
        "```\ncode\n`````\n\nAfter.",
        (("pre", ("code", "code\n")), ("p", "After.")),
    ),
    "code spans with backticks": (
        "`` a ` b `` and ```x``y```",
        (("p", ("code", "a ` b"), "and", ("code", "x``y")),),
    ),
    "only 1. starts a list after a paragraph": (
        "In\n2019. A year.\n\nSteps\n1. first",
        (("p", "In 2019. A year."), ("p", "Steps"), ("ol", ("li", "first"))),
    ),
    "loose item with a second paragraph": (
        "- a\n\n  second\n- b",
        (("ul", ("li", ("p", "a"), ("p", "second")), ("li", ("p", "b"))),),
    ),
    "a hash without a space is text": (
        "#5 on the list\n\n# Title",
        (("p", "#5 on the list"), ("h1", "Title")),
    ),
    "intraword underscores": ("snake_case_name and *em*", (("p", "snake_case_name and", ("em", "em")),)),
    "strikethrough": ("~~gone~~ stays", (("p", ("s", "gone"), "stays"),)),
    "lazy continuation": ("- a\nlazy\n- b", (("ul", ("li", "a lazy"), ("li", "b")),)),
    "indented code stays code": (
        "Para\n\n    code\n\nText",
        (("p", "Para"), ("pre", ("code", "code\n")), ("p", "Text")),
    ),
    "a rule is not a list item": ("Text\n\n- - -\n\nMore", (("p", "Text"), ("hr",), ("p", "More"))),
    "list in a fence is code": (
        "```\nText\n- not an item\n```",
        (("pre", ("code", "Text\n- not an item\n")),),
    ),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_markdown_has_the_structure_commonmark_gives(name: str, lang: str):
    text, expected = CASES[name]
    assert tree(COMMONMARK.render(text)) == expected  # the expected tree is CommonMark's
    if lang == "en":
        assert tree(to_html(text, lang).html) == expected
    else:  # French typography changes texts, never the structure
        assert [t[0] for t in tree(to_html(text, lang).html)] == [t[0] for t in expected]


def test_code_is_highlighted_with_classes_and_its_language_named():
    html = to_html("```python\ndef f():\n    return 1\n```\n\n```\nplain\n```", "en").html
    page = BeautifulSoup(html, "html.parser")
    first, second = page.select("div.highlight")
    assert "language-python" in first["class"] and first.select_one(".filename").get_text() == "Python"
    assert first.select_one("span.k").get_text() == "def" and first.select_one("span.nf").get_text() == "f"
    assert not page.select("[style]")  # classes only: the colours are in style.css
    assert second.select_one(".filename") is None and second.pre.get_text() == "plain\n"


def test_french_typography_reaches_every_extension_and_never_code():
    text = (
        "| Question | Réponse |\n|---|---|\n| Vraiment? | Oui! |\n\nUne note[^1].\n\n[^1]: Voir: ici.\n\n"
        "!!! warning\n    Attention: chaud!\n\nTerme\n:   Définition: courte\n\n- [x] fait: oui\n\n"
        "~~barré~~: non\n\n```python\nprint('a: b!')\n```\n\nEt `x: y` aussi."
    )
    page = BeautifulSoup(to_html(text, "fr").html, "html.parser")
    assert [td.get_text() for td in page.select("td")] == ["Vraiment\u202f?", "Oui\u202f!"]
    assert "Voir\u00a0: ici." in page.select_one(".footnote").get_text()
    assert page.select_one(".admonition-title").get_text() == "Attention"  # the label, in French
    assert page.select(".admonition p")[1].get_text() == "Attention\u00a0: chaud\u202f!"
    assert page.dd.get_text() == "Définition\u00a0: courte"
    assert "fait\u00a0: oui" in page.select_one(".task-list").get_text()
    assert page.select_one("pre").get_text() == "print('a: b!')\n"  # code untouched
    assert page.find("code", string="x: y") is not None


def test_admonition_labels_are_localized_and_titles_kept():
    en = BeautifulSoup(to_html('!!! tip\n    Hi\n\n!!! note "My own"\n    Hi', "en").html, "html.parser")
    fr = BeautifulSoup(to_html("!!! tip\n    Salut\n\n!!! danger\n    Non", "fr").html, "html.parser")
    assert [t.get_text() for t in en.select(".admonition-title")] == ["Tip", "My own"]
    assert [t.get_text() for t in fr.select(".admonition-title")] == ["Astuce", "Danger"]


def test_extensions_render_tables_footnotes_definitions_tasks_abbreviations():
    text = (
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^n].\n\n[^n]: Note.\n\nTerm\n:   Def\n\n"
        "- [ ] todo\n- [x] done\n\n"
        "The HTML spec.\n\n*[HTML]: HyperText Markup Language"
    )
    page = BeautifulSoup(to_html(text, "en").html, "html.parser")
    assert page.select_one("th").get_text() == "a" and page.select("td")[1]["style"] == "text-align: right;"
    assert page.select_one("sup a.footnote-ref")["href"] == "#fn:n" and page.select_one("li#fn\\:n")
    assert page.dt.get_text() == "Term" and page.dd.get_text() == "Def"
    boxes = page.select(".task-list-item input")
    assert [box.has_attr("checked") for box in boxes] == [False, True]
    assert all(box.has_attr("disabled") for box in boxes)
    assert page.abbr["title"] == "HyperText Markup Language"


def test_every_heading_gets_a_stable_french_aware_id_and_a_permalink():
    text = (
        "# L’économie d’abord\n\n## Pourquoi ?\n\n### Pourquoi ?\n\n#### Œuvres & « cas »\n\n"
        "##### Fin\n\n###### Six"
    )
    page = BeautifulSoup(to_html(text, "fr").html, "html.parser")
    headings = page.select("h1, h2, h3, h4, h5, h6")
    assert [h["id"] for h in headings] == [
        "leconomie-dabord",
        "pourquoi",
        "pourquoi_1",
        "oeuvres-cas",
        "fin",
        "six",
    ]
    for heading in headings:
        link = heading.select_one("a.permalink")
        assert link["href"] == f"#{heading['id']}" and not link.get_text()
        assert link["aria-label"] == "\u2060" + heading.get_text()  # the page puts the catalog's label before
    assert headings[1].get_text() == "Pourquoi\u202f?"  # the permalink leaves the typography alone


def test_the_table_of_contents_numbers_top_level_sections():
    flat = [
        Heading(2, "a", "A"),
        *(Heading(3, f"a{n}", f"A{n}") for n in range(15)),
        Heading(2, "b", "B"),
        Heading(4, "deep", "Deep"),
        Heading(2, "c", "C"),
    ]
    toc, count = toc_tree(flat)
    assert [item["anchor"] for item in toc] == ["a", "b", "c"] and len(toc[0]["children"]) == 15
    assert count == 18  # the fourth level is left out
    toc, _ = toc_tree([Heading(1, "x", "X"), Heading(2, "y", "Y"), Heading(1, "z", "Z")])  # a body using #
    assert [item["anchor"] for item in toc] == ["x", "z"] and toc[0]["children"][0]["anchor"] == "y"


def test_built_pages_label_permalinks_and_number_their_contents(site):
    body = "\n\n".join(f"## Part {n}\n\nText.\n\n### Detail {n}\n\nMore." for n in range(1, 4))
    for name, title in (("parts.en.md", "Parts"), ("parts.fr.md", "Parties")):
        site.write(f"content/posts/{name}", f"---\ntitle: {title}\ndate: 2024-01-02\n---\n\nHi.\n\n{body}\n")
    site.build()
    for url, label in (
        ("/en/2024/parts/", "Link to the section: Part 1"),
        ("/fr/2024/parties/", "Lien vers la section\u00a0: Part 1"),
    ):
        page = site.html(url)
        assert page.select_one(".prose h2 a.permalink")["aria-label"] == label
        top = page.select("nav.toc > ol > li")
        assert [li.a.get_text() for li in top] == ["Part 1", "Part 2", "Part 3"]
        assert [li.get_text() for li in top[0].select("ol.sub > li")] == ["Detail 1"]
    feed = BeautifulSoup((site.output / "en" / "atom.xml").read_text(encoding="utf-8"), "xml")
    content = BeautifulSoup(
        next(e.content.get_text() for e in feed.find_all("entry") if e.title.get_text() == "Parts"),
        "html.parser",
    )
    assert content.select_one("a.permalink")["aria-label"] == "\u2060Part 1"  # a feed shows no theme strings


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    value = "".join(c * 2 for c in value) if len(value) == 3 else value
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _writing_css() -> tuple[str, str]:
    """The light and dark halves of style.css's writing section (code colours included)."""
    css = STYLE.read_text(encoding="utf-8")
    section = css[css.index("/* Writing:") :]
    light = re.sub(r"@media \(prefers-color-scheme: dark\) \{.*?\n\}", "", section, flags=re.DOTALL)
    dark = "".join(re.findall(r"@media \(prefers-color-scheme: dark\) \{(.*?)\n\}", section, flags=re.DOTALL))
    return light, dark


def _variables(css: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+): (#[0-9a-fA-F]{3,6})", css))


def test_code_colours_pass_wcag_aa_in_light_and_dark():
    light, dark = _writing_css()
    for half, background in ((light, _variables(light)["code-bg"]), (dark, _variables(dark)["code-bg"])):
        colours = re.findall(r"\.highlight [^{]*\{[^}]*color: (#[0-9a-fA-F]{3,6})", half)
        assert len(colours) >= 8
        assert min(contrast(colour, background) for colour in colours) >= 4.5


def test_admonition_tones_pass_wcag_aa_and_code_lines_have_no_box():
    light, dark = _writing_css()
    for half in (light, dark):
        values = _variables(half)
        for tone in ("note", "tip", "warning", "danger"):
            assert contrast(values[tone], values[f"{tone}-bg"]) >= 4.5, tone
    rule = re.search(r"\.prose pre code \{([^}]*)\}", light).group(1)
    assert "border: 0" in rule and "background: none" in rule  # the box drawn around each line is gone


SHOWCASE = """---
title: "A showcase of writing"
date: 2024-05-02T10:00:00+02:00
---

Some text with a footnote[^a] and an abbreviation, HTML.

## Code

```python
def greet(name: str) -> str:
    \"\"\"Say hello.\"\"\"
    return f"Hello, {name}!"  # a comment
```

## A table

| Language | Year | Typing  |
|----------|-----:|---------|
| Python   | 1991 | dynamic |
| Rust     | 2015 | static  |

!!! warning
    Check the `output/` folder before you deploy.

!!! tip "Shortcut"
    Run `diptyque serve` while writing.

- [x] written
- [ ] proofread

[^a]: A note at the bottom, with `code`.

*[HTML]: HyperText Markup Language
"""


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium")
def test_screenshots_of_an_article_light_and_dark(site, tmp_path, browser):
    from conftest import static_server

    site.write("content/posts/showcase.en.md", SHOWCASE)
    site.build()
    shots = {}
    with static_server(site.output) as base:
        for scheme in ("light", "dark"):
            page = browser.new_page(color_scheme=scheme, viewport={"width": 900, "height": 1200})
            page.goto(f"{base}/en/2024/a-showcase-of-writing/")
            code = page.locator(".prose pre code").first
            assert code.evaluate("e => getComputedStyle(e).borderTopWidth") == "0px"
            keyword = page.locator(".highlight .k").first  # def, coloured
            assert keyword.evaluate("e => getComputedStyle(e).color") != page.locator(
                ".highlight .n"
            ).first.evaluate("e => getComputedStyle(e).color")
            link = page.locator(".prose h2 a.permalink").first
            assert link.evaluate("e => getComputedStyle(e).opacity") == "0"
            link.focus()
            assert link.evaluate("e => getComputedStyle(e).opacity") == "1"  # visible on focus
            shots[scheme] = tmp_path / f"writing-{scheme}.png"
            page.screenshot(path=str(shots[scheme]), full_page=True)
            page.close()
    assert all(path.stat().st_size > 20_000 for path in shots.values())
    assert shots["light"].read_bytes() != shots["dark"].read_bytes()
