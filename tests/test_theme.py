"""The default theme: valid HTML5 and colours that pass WCAG AA in both schemes."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

CSS = (Path(__file__).resolve().parent.parent / "builder/themes/default/static/style.css").read_text()
PAIRS = [
    ("fg", "bg"),
    ("muted", "bg"),
    ("accent", "bg"),
    ("accent", "accent-bg"),
    ("fg", "card"),
    ("accent", "card"),
    ("muted", "card"),
]


def palette(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_passes_wcag_aa_in_light_and_dark():
    light = palette(CSS.split("@media (prefers-color-scheme: dark)")[0])
    dark = {**light, **palette(CSS.split("@media (prefers-color-scheme: dark)")[1].split("}")[0])}
    assert light["bg"] != dark["bg"]
    for scheme in (light, dark):
        for text, background in PAIRS:
            assert contrast(scheme[text], scheme[background]) >= 4.5, (
                text,
                background,
                scheme[text],
                scheme[background],
            )


def test_contrast_measure_is_right():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#777777", "#ffffff") < 4.5


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/fr/",
        "/en/2024/ai-an-ambition/",
        "/fr/2020/un-long-article-en-sections/",
        "/en/2022/rendez-vous-sur-mars/",
        "/fr/etiquettes/",
        "/en/archives/2020/",
        "/fr/archives/",
        "/404.html",
        "/fr/a-propos/",
    ],
)
def test_pages_are_valid_html5(built, url):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(built.file(url).read_bytes())  # raises on any parse error
    assert not parser.errors


def test_macros_of_the_same_name_in_two_templates_render_their_own_output(site):
    """Without `memo` (measured: no saving), a macro never borrows the output of another of its name."""
    from builder.theme import Theme

    site.write("templates/_a.html", "{% macro card(x) %}A{{ x }}{% endmacro %}\n")
    site.write("templates/_b.html", "{% macro card(x) %}B{{ x }}{% endmacro %}\n")
    theme = Theme(site.config())
    source = '{% import "_a.html" as a %}{% import "_b.html" as b %}{{ a.card(1) }}|{{ b.card(1) }}'
    assert theme.envs["fr"].from_string(source).render().strip() == "A1|B1"
