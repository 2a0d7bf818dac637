"""The only module that knows Python-Markdown: Markdown text in, `Rendered` out."""

from __future__ import annotations

import re
from html import unescape
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString
from slugify import slugify

from builder.model import Heading, Rendered

# Extensions as classes, not names: a name is looked up among installed entry points, a 50 ms scan.
EXTENSIONS = (TableExtension, FencedCodeExtension, AttrListExtension, SaneListExtension)  # with footnotes, _Toc
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


# Python-Markdown inline patterns, by name, and strings (one or two) one of which every match contains (read off
# each pattern's regular expression): a text containing none of them cannot match, and `in` tells in
# a fraction of the time the regex engine takes to scan for the slower expressions (the backtick's).
REQUIRED = {"backtick": ("`",), "escape": ("\\",), "footnote": ("[^",), "reference": ("[",), "link": ("[",),
            "image_link": ("![",), "image_reference": ("![",), "short_reference": ("[",),
            "short_image_ref": ("![",), "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n",),
            "html": ("<",), "entity": ("&",), "em_strong": ("*", "_")}


class _QuickInline(InlineProcessor):
    """Python-Markdown's inline stage, without trying the patterns that cannot match a text.

    The stock stage calls every inline pattern on every text, and most texts contain no backtick,
    bracket or asterisk. Skipping a pattern when the text lacks every string its matches need, or
    when its regular expression finds nothing, gives the answer the full call would give, for less:
    the output is unchanged (tests compare it with the stock stage) and the inline stage halves.
    """

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        registry = self.md.inlinePatterns
        self.inlinePatterns = list(registry)  # indexing a list, not the priority registry
        self.required = [None] * len(registry)
        for name, strings in REQUIRED.items():
            if name in registry:
                self.required[registry.get_index_for_name(name)] = strings
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """The stock loop over the patterns, with the skip in front of each attempt."""
        if isinstance(data, AtomicString):
            return data
        patterns, required, start = self.inlinePatterns, self.required, 0
        while patternIndex < len(patterns):
            pattern, strings = patterns[patternIndex], required[patternIndex]
            if strings is None or strings[0] in data or (len(strings) > 1 and strings[1] in data):
                if not isinstance(pattern, InlinePattern) or pattern.getCompiledRegExp().search(data, start):
                    data, matched, start = self._InlineProcessor__applyPattern(pattern, data, patternIndex, start)
                    if matched:
                        continue
            patternIndex, start = patternIndex + 1, 0
        return data


# Block processors, by name, and strings one of which every block they take contains (read off each
# one's regular expression or test): the stock parser asks each of them about every block in turn.
BLOCK_REQUIRED = {"table": ("|",), "hashheader": ("#",), "setextheader": ("\n=", "\n-"), "hr": ("-", "_", "*"),
                  "quote": (">",), "footnote": ("[^",), "reference": ("]:",)}


def _guard_blocks(md: markdown.Markdown) -> None:
    """Let each block processor above answer "no" at once for a block without the strings it needs."""
    processors = md.parser.blockprocessors
    for name, strings in BLOCK_REQUIRED.items():
        if name in processors:
            processor = processors[name]
            processor.test = _guarded(processor.test, strings)


def _guarded(test, strings: tuple[str, ...]):
    """A block processor's `test`, preceded by a substring check (one `in` when there is one string)."""
    if len(strings) == 1:
        needle = strings[0]

        def guarded(parent: Element, block: str) -> bool:
            return needle in block and test(parent, block)
    else:
        def guarded(parent: Element, block: str) -> bool:
            for needle in strings:
                if needle in block:
                    return test(parent, block)
            return False

    return guarded


class _HeadingIds(TocTreeprocessor):
    """The toc extension's heading ids and tokens, without the table of contents in HTML it also
    builds, serializes and puts in place of a [TOC] marker: the theme lays out its own from the
    tokens, and that HTML cost a tenth of the Markdown stage."""

    def build_toc_div(self, toc_list: list) -> Element:
        return Element("div")


class _Toc(TocExtension):
    TreeProcessorClass = _HeadingIds


def _anchor(value: str, separator: str) -> str:
    """Heading ids with French-aware slugs: "L'humanité" → "l-humanite"."""
    return slugify(value, separator=separator) or "section"


BACKLINK_TITLES = {"fr": "Revenir à la note %d dans le texte", "en": "Back to footnote %d in the text"}
_converters: dict[str, markdown.Markdown] = {}


def _converter(lang: str) -> markdown.Markdown:
    """Return this process's Markdown converter for a language, built once."""
    if lang not in _converters:
        backlink = BACKLINK_TITLES.get(lang, BACKLINK_TITLES["en"])
        md = markdown.Markdown(extensions=[FootnoteExtension(BACKLINK_TITLE=backlink), *(e() for e in EXTENSIONS),
                                           _Toc(slugify=_anchor, toc_depth="2-3", marker="")], output_format="html")
        md.treeprocessors.register(_QuickInline(md), "inline", 20)
        _guard_blocks(md)
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
