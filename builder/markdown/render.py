"""Markdown text in, `Rendered` out: one converter per language, built once with its extensions, speed
shortcuts and limits; the rendered HTML, its headings for the table of contents, its summary and its word
count. The only entry point the rest of the builder needs is `to_html`."""

from __future__ import annotations

import re
from html import unescape

import markdown

from builder.markdown.features import extensions
from builder.markdown.limits import MarkdownTooDeep, add_limits
from builder.markdown.shortcuts import guard_blocks, guard_inline, guard_later, guard_preprocessors
from builder.markdown.typography import ASCII_SPACES, NBSP, NNBSP, FrenchSpaces, french_typography
from builder.model import Heading, Rendered

TAGS = re.compile(r"<[^>]+>")
SENTENCE_END = re.compile(r"(?<=[.!?…])[ \t\n]")
_converters: dict[str, markdown.Markdown] = {}


def converter(lang: str) -> markdown.Markdown:
    """Return this process's Markdown converter for a language, built once."""
    if lang not in _converters:
        md = markdown.Markdown(extensions=extensions(lang), output_format="html")
        add_limits(md, guard_inline(md))
        guard_blocks(md)
        guard_preprocessors(md)
        guard_later(md, md.treeprocessors["before_inline"])
        if lang == "fr":
            md.treeprocessors.register(FrenchSpaces(md), "french_spaces", 1)
        _converters[lang] = md
    return _converters[lang]


def _flatten(tokens: list[dict], lang: str) -> list[Heading]:
    """Turn the toc extension's nested tokens into a flat list of headings (with the body's typography)."""
    result = []
    for token in tokens:
        title = plain_text(token["name"])
        result.append(
            Heading(
                level=token["level"],
                anchor=token["id"],
                title=french_typography(title) if lang == "fr" else title,
            )
        )
        result.extend(_flatten(token["children"], lang))
    return result


def plain_text(html: str) -> str:
    """Strip tags and entities from an HTML fragment."""
    return unescape(TAGS.sub("", html))


def first_sentences(text: str, limit: int = 280) -> str:
    """Trim text at a sentence end within `limit` characters (else at a word, with an ellipsis)."""
    text = ASCII_SPACES.sub(" ", text).strip()  # no-break spaces are kept
    if len(text) <= limit:
        return text
    cut = [m.start() for m in SENTENCE_END.finditer(text) if m.start() <= limit]
    if cut:
        return text[: cut[-1]]
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:" + NBSP + NNBSP) + "…"


def _line_of(text: str, excerpt: str) -> int | None:
    """The 1-based line of the source that an excerpt (a line, or a text) comes from, if found."""
    first = excerpt.split("\n", 1)[0]
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if line == first or line.expandtabs(4) == first:
            return number
    for piece in excerpt.split("\n"):
        piece = piece.strip()[:60]
        if piece and piece in text:
            return text[: text.index(piece)].count("\n") + 1
    return None


def to_html(text: str, lang: str) -> Rendered:
    """Render one Markdown body for a language; raise MarkdownTooDeep for nesting past the limits."""
    md = converter(lang)
    md.reset()
    try:
        html = md.convert(text)
    except MarkdownTooDeep as error:
        raise MarkdownTooDeep(error.message, _line_of(text, error.excerpt)) from None
    except RecursionError:
        raise MarkdownTooDeep("the text is nested too deeply to render") from None
    toc = tuple(_flatten(getattr(md, "toc_tokens", []), lang))
    paragraph = re.search(r"<p>(.*?)</p>", html, re.DOTALL)
    summary = first_sentences(plain_text(paragraph.group(1))) if paragraph else ""
    words = len(plain_text(html).split())
    return Rendered(html=html, toc=toc, summary=summary, words=words)
