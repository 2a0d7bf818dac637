"""The only module that knows Python-Markdown: Markdown text in, `Rendered` out."""

from __future__ import annotations

import re
from html import unescape
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from slugify import slugify

from builder.model import Heading, Rendered

EXTENSIONS = ("footnotes", "tables", "fenced_code", "attr_list", "toc", "sane_lists")
VERSION = "2"  # bump when the rendering below changes, so cached results are dropped
SKIP = {"code", "pre", "script", "style", "kbd", "samp"}
TAGS = re.compile(r"<[^>]+>")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s")

# French typography: a narrow no-break space before ; ! ?, a no-break space before : and inside « ».
FRENCH_RULES = (
    (re.compile(r"«[ \u00a0\u202f]*"), "«\u00a0"),
    (re.compile(r"[ \u00a0\u202f]*»"), "\u00a0»"),
    (re.compile(r"[ \u00a0\u202f]+([;!?])"), "\u202f\\1"),
    (re.compile(r"[ \u00a0\u202f]+:(?=\s|$)"), "\u00a0:"),
)


NEEDS_SPACES = re.compile(r"[;:!?«»]")


def french_typography(text: str) -> str:
    """Put the no-break spaces French typography wants before ; : ! ? and inside « »."""
    if not NEEDS_SPACES.search(text):
        return text
    for pattern, replacement in FRENCH_RULES:
        text = pattern.sub(replacement, text)
    return text


class _FrenchSpaces(Treeprocessor):
    """Apply French typography to every text node outside code."""

    def run(self, root: Element) -> None:
        self._walk(root)

    def _walk(self, element: Element) -> None:
        if element.tag in SKIP:
            return
        if element.text and not isinstance(element.text, AtomicString):
            element.text = french_typography(element.text)
        for child in element:
            self._walk(child)
            if child.tail:
                child.tail = french_typography(child.tail)


def _anchor(value: str, separator: str) -> str:
    """Heading ids with French-aware slugs: "L'humanité" → "l-humanite"."""
    return slugify(value, separator=separator) or "section"


BACKLINK_TITLES = {"fr": "Revenir à la note %d dans le texte", "en": "Back to footnote %d in the text"}
_converters: dict[str, markdown.Markdown] = {}


def _converter(lang: str) -> markdown.Markdown:
    """Return this process's Markdown converter for a language, built once."""
    if lang not in _converters:
        md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs={
            "toc": {"slugify": _anchor, "toc_depth": "2-3"},
            "footnotes": {"BACKLINK_TITLE": BACKLINK_TITLES.get(lang, BACKLINK_TITLES["en"])},
        }, output_format="html")
        if lang == "fr":
            md.treeprocessors.register(_FrenchSpaces(md), "french_spaces", 1)
        _converters[lang] = md
    return _converters[lang]


def _flatten(tokens: list[dict], lang: str) -> list[Heading]:
    """Turn the toc extension's nested tokens into a flat list of headings (with the body's typography)."""
    result = []
    for token in tokens:
        title = unescape(TAGS.sub("", token["name"]))
        result.append(Heading(level=token["level"], anchor=token["id"],
                              title=french_typography(title) if lang == "fr" else title))
        result.extend(_flatten(token["children"], lang))
    return result


def plain_text(html: str) -> str:
    """Strip tags and entities from an HTML fragment."""
    return unescape(TAGS.sub("", html))


def first_sentences(text: str, limit: int = 280) -> str:
    """Trim text at a sentence end within `limit` characters (else at a word, with an ellipsis)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = [m.start() for m in SENTENCE_END.finditer(text) if m.start() <= limit]
    if cut:
        return text[: cut[-1]]
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def to_html(text: str, lang: str) -> Rendered:
    """Render one Markdown body for a language."""
    md = _converter(lang)
    md.reset()
    html = md.convert(text)
    toc = tuple(_flatten(getattr(md, "toc_tokens", []), lang))
    paragraph = re.search(r"<p>(.*?)</p>", html, re.S)
    summary = first_sentences(plain_text(paragraph.group(1))) if paragraph else ""
    words = len(plain_text(html).split())
    return Rendered(html=html, toc=toc, summary=summary, words=words)


def render_many(items: list[tuple[str, str]]) -> list[Rendered]:
    """Render (text, lang) pairs in order; the unit of work sent to a worker process."""
    return [to_html(text, lang) for text, lang in items]
