"""The only module that knows Python-Markdown: Markdown text in, `Rendered` out."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from xml.etree.ElementTree import Element

import markdown
from markdown import inlinepatterns
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteBlockProcessor, FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension, TableProcessor
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from slugify import slugify

from builder.model import Heading, Rendered

# Extensions as classes, not names: a name is looked up among installed entry points, a 50 ms scan.
# With them, footnotes and _Toc, configured in _converter.
EXTENSIONS = (TableExtension, FencedCodeExtension, AttrListExtension, SaneListExtension)
VERSION = "3"  # bump when the rendering below changes, so cached results are dropped
SKIP = {"code", "pre", "script", "style", "kbd", "samp"}
TAGS = re.compile(r"<[^>]+>")
SENTENCE_END = re.compile(r"(?<=[.!?…])[ \t\n]")
ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")


class MarkdownTooDeep(ValueError):
    """Markdown nested too deeply to render in bounded time: `message` says what, `line` (1-based) where."""

    hint = "flatten the nesting, or escape the characters with a backslash (\\[, \\*, \\_, \\>)"

    def __init__(self, message: str, line: int | None = None, excerpt: str = ""):
        super().__init__(message)
        self.message, self.line, self.excerpt = message, line, excerpt

    def __reduce__(self):
        return type(self), (self.message, self.line, self.excerpt[:200])

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}; {self.hint}"


# Limits far above real writing (a few levels of lists, a few hundred emphasis marks in a paragraph) and far
# below what makes Python-Markdown recurse past Python's limit or run for minutes (measured: see the tests).
MAX_NESTING = 32  # list and quote levels on one line
MAX_DEPTH = 100  # elements inside one another, once inline markup is parsed
MAX_EMPHASIS = 5000  # * and _ characters in one paragraph
MAX_BRACKET_SCAN = 1_000_000  # characters the link patterns read looking for the ] or ) closing each [ or ](


# French typography, on text outside code and URLs. A block's texts (an element's text, its tail: slots) are
# joined with BOUNDARY between them, OPAQUE standing for code or a nested block, so the rules see the sentence
# whole: "*quoi*?" gets its space although "?" is the tail of <em>. Every rule keeps the boundaries.
NBSP, NNBSP, BOUNDARY, OPAQUE = "\u00a0", "\u202f", "\x0e", "\x0f"
RUN = "[ \u00a0\u202f\x0e]*"  # spaces, and slot boundaries among them
URL = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.|\bmailto:)[^\s\"«»<>\x0e\x0f]*")
OPEN_GUILLEMET = re.compile(f"«({RUN})")
CLOSE_GUILLEMET = re.compile(f"({RUN})»")
MARKS = re.compile("[;:!?]+")
RUN_CHARS = frozenset(" \u00a0\u202f\x0e")
EMOTICON = re.compile(r"['-]?[()\[\]DPpOo/\\|*]+(?=[\s\x0e.,!?]|$)")
ENTITY_END = re.compile(r"&#?[a-zA-Z0-9]+$")
APOSTROPHE = re.compile("'")
ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
FOLLOWS = frozenset(" \t\n\u00a0\u202f)]»\"”’'.,…")  # what may follow ; : ! ? used as punctuation
NOT_AFTER = frozenset("([{«“‘\"'/")  # no space is added after an opening sign
NEEDS_WORK = re.compile(r"[;:!?«»\"']|\.\.\.")


def _respace(run: str, space: str, at_start: bool) -> str:
    """A run of spaces and boundaries with its spaces replaced by one `space` where the first one was (else
    at the start or the end of the run); the boundaries stay, in order."""
    if not run.strip(BOUNDARY):
        return space + run if at_start else run + space
    head, _, rest = run.partition(next(c for c in run if c != BOUNDARY))
    return head + space + rest.replace(" ", "").replace(NBSP, "").replace(NNBSP, "")


def _quotes(text: str) -> str:
    """Straight double quotes, paired in order, become « and » (an odd count is left alone)."""
    count = text.count('"')
    if not count or count % 2:
        return text
    pieces = text.split('"')
    return "".join(piece + ("«" if number % 2 == 0 else "»") for number, piece in enumerate(pieces[:-1])) \
        + pieces[-1]


def _neighbour(text: str, index: int, step: int) -> str:
    """The first character from `index` on (step 1) or before it (step -1) that is not a slot boundary."""
    if step < 0:
        index -= 1
    while 0 <= index < len(text) and text[index] == BOUNDARY:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _punctuation(text: str, start: int, mark_start: int, end: int) -> str:
    """The spaces and sign text[start:end], spaced as French wants before ; : ! ? (narrow, or no-break for :),
    unless the sign is not punctuation there."""
    run, mark = text[start:mark_start], text[mark_start:end]
    if len(mark) > 1 and mark.strip("!?"):  # "::" or ";;": not punctuation
        return run + mark
    if mark in ";:" and EMOTICON.match(text, end):
        return run + mark
    if mark == ";" and ENTITY_END.search(text, max(0, start - 12), start):
        return run + mark
    after, space = _neighbour(text, end, 1), NBSP if mark == ":" else NNBSP
    if run.strip(BOUNDARY):  # the author put a space: make it the right one
        if mark == ":" and after and not after.isspace():
            return run + mark
        return _respace(run, space, False) + mark
    before = _neighbour(text, start, -1)
    if not before or before.isspace() or before in NOT_AFTER or (after and after not in FOLLOWS):
        return run + mark
    return run + space + mark


def _spacing(text: str) -> str:
    """The space before each ; : ! ? of a text (a sign's run of spaces and boundaries is found backwards)."""
    parts, last = [], 0
    for found in MARKS.finditer(text):
        start = found.start()
        while start > last and text[start - 1] in RUN_CHARS:
            start -= 1
        parts += [text[last:start], _punctuation(text, start, found.start(), found.end())]
        last = found.end()
    parts.append(text[last:])
    return "".join(parts)


def _apostrophe(match: re.Match) -> str:
    """A straight apostrophe after a letter or digit becomes ’ (l'industrie, aujourd'hui)."""
    start = match.start()
    return "’" if start and (match.string[start - 1].isalnum() or match.string[start - 1] == "_") else "'"


def _rules(text: str) -> str:
    """Guillemets, ellipses, apostrophes and the spaces before ; : ! ? in a text without URLs."""
    if "«" in text:
        text = OPEN_GUILLEMET.sub(lambda m: "«" + _respace(m.group(1), NBSP, True), text)
    if "»" in text:
        text = CLOSE_GUILLEMET.sub(lambda m: _respace(m.group(1), NBSP, False) + "»", text)
    if "..." in text:
        text = ELLIPSIS.sub("…", text)
    if "'" in text:
        text = APOSTROPHE.sub(_apostrophe, text)
    return _spacing(text)


def _french(text: str) -> str:
    """French typography on one text (slot boundaries allowed), URLs left as they are."""
    if not NEEDS_WORK.search(text):
        return text
    text, parts, last = _quotes(text), [], 0
    if "://" not in text and "www." not in text and "mailto:" not in text:
        return _rules(text)
    for url in URL.finditer(text):
        parts += [_rules(text[last:url.start()]), url.group()]
        last = url.end()
    parts.append(_rules(text[last:]))
    return "".join(parts)


def french_typography(text: str) -> str:
    """French typography for a plain string: « », ’, … and no-break spaces before ; : ! ? (not in URLs)."""
    if BOUNDARY in text or OPAQUE in text:
        return text
    return _french(text)


def french_slots(slots: list[str | None]) -> list[str | None]:
    """French typography across the texts of one block, in reading order (None: code or a nested block)."""
    if any(slot and (BOUNDARY in slot or OPAQUE in slot) for slot in slots):
        return [slot if slot is None else french_typography(slot) for slot in slots]
    done = _french(BOUNDARY.join(OPAQUE if slot is None else slot for slot in slots)).split(BOUNDARY)
    return [None if slot is None else new for slot, new in zip(slots, done, strict=True)]


class _FrenchSpaces(Treeprocessor):
    """Apply French typography to every text outside code, block by block."""

    def run(self, root: Element) -> None:
        self.block_level = frozenset(self.md.block_level_elements)
        blocks = [root]
        while blocks:
            slots: list[tuple[Element, str] | None] = []
            self._collect(blocks.pop(), slots, blocks)
            texts = [None if slot is None else getattr(*slot) or "" for slot in slots]
            if any(text and NEEDS_WORK.search(text) for text in texts):
                for slot, old, new in zip(slots, texts, french_slots(texts), strict=True):
                    if slot is not None and new != old:
                        setattr(*slot, new)

    def _collect(self, element: Element, slots: list, blocks: list) -> None:
        """The text slots of a block in reading order; nested blocks are queued, to be done on their own."""
        atomic = type(element.text) is AtomicString  # an autolink's address
        slots.append(None if atomic else (element, "text"))
        for child in element:
            if child.tag in SKIP:
                slots.append(None)
            elif child.tag in self.block_level:
                blocks.append(child)
                slots.append(None)
            else:
                self._collect(child, slots, blocks)
            slots.append((child, "tail"))


# Inline patterns' regular expressions and strings one of which every match contains (read off each
# expression). A pattern is guarded only when its expression is one of these, so a Python-Markdown that
# changes an expression gets its pattern unguarded rather than wrongly skipped.
NEEDLES = {inlinepatterns.BACKTICK_RE: ("`",), inlinepatterns.ESCAPE_RE: ("\\",), r"\[\^([^\]]*)\]": ("[^",),
           inlinepatterns.LINK_RE: ("[",), inlinepatterns.IMAGE_LINK_RE: ("![",),
           inlinepatterns.AUTOLINK_RE: ("://",), inlinepatterns.AUTOMAIL_RE: ("@",),
           inlinepatterns.LINE_BREAK_RE: ("  \n",), inlinepatterns.HTML_RE: ("<",),
           inlinepatterns.ENTITY_RE: ("&",), r"\*|_": ("*", "_"), r"\*": ("*",), "_": ("_",)}
if hasattr(inlinepatterns, "NOT_STRONG_RE"):  # Python-Markdown before 3.11
    NEEDLES[inlinepatterns.NOT_STRONG_RE] = ("*", "_")


class _Needles:
    """A pattern's compiled expression that finds nothing, at once, in a text lacking all of its strings."""

    __slots__ = ("needles", "regex")

    def __init__(self, regex: re.Pattern, needles: tuple[str, ...]):
        self.regex, self.needles = regex, needles

    def finditer(self, data: str, pos: int = 0):
        """The expression's matches, or none when no needle is in `data`."""
        for needle in self.needles:
            if needle in data:
                return self.regex.finditer(data, pos)
        return iter(())

    def __getattr__(self, name: str):
        return getattr(self.regex, name)


class _Plain(AtomicString):
    """A text no inline pattern can match: the inline stage passes it by (it is still French text)."""


def _guard_inline(md: markdown.Markdown) -> tuple[str, ...] | None:
    """Guard each known inline pattern with its needles; return them all, or None if a pattern is unknown."""
    every: set[str] = set()
    known = True
    for pattern in md.inlinePatterns:
        regex = pattern.getCompiledRegExp()
        needles = NEEDLES.get(regex.pattern)
        if needles is None:
            known = False
            continue
        every.update(needles)
        guarded = _Needles(regex, needles)
        pattern.getCompiledRegExp = lambda guarded=guarded: guarded
    return tuple(sorted(every)) if known else None


class _BeforeInline(Treeprocessor):
    """Before the inline stage: mark the texts no pattern can match, and refuse the texts whose emphasis
    or brackets would keep the patterns busy for minutes."""

    def __init__(self, md: markdown.Markdown, needles: tuple[str, ...] | None):
        super().__init__(md)
        self.needles = needles

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.text and type(element.text) is str:
                element.text = self._check(element.text)
            if element.tail and type(element.tail) is str:
                element.tail = self._check(element.tail)

    def _check(self, text: str) -> str:
        if self.needles is not None:
            for needle in self.needles:
                if needle in text:
                    break
            else:
                return _Plain(text)
        if ("*" in text or "_" in text) and text.count("*") + text.count("_") > MAX_EMPHASIS:
            count = text.count("*") + text.count("_")
            raise MarkdownTooDeep(f"a paragraph holds {count} emphasis characters * and _, more than the "
                                  f"{MAX_EMPHASIS} rendered", excerpt=text)
        if "[" in text and (text.count("[") + text.count("](")) * len(text) > MAX_BRACKET_SCAN \
                and _bracket_scan(text) > MAX_BRACKET_SCAN:
            raise MarkdownTooDeep("brackets [ ] or link parentheses are nested too deeply or left unclosed "
                                  "in a paragraph", excerpt=text)
        return text


def _bracket_scan(text: str) -> int:
    """How many characters the link patterns read to close every [ and every ]( of a text (one pass)."""
    total, squares, rounds, previous = 0, [], [], ""
    for position, char in enumerate(text):
        if char == "[":
            squares.append(position)
        elif char == "]" and squares:
            total += position - squares.pop()
        elif char == "(":
            rounds.append((position, previous == "]"))
        elif char == ")" and rounds:
            start, link = rounds.pop()
            total += position - start if link else 0
        previous = char
    end = len(text)
    return total + sum(end - start for start in squares) + sum(end - start for start, link in rounds if link)


class _AfterInline(Treeprocessor):
    """After the inline stage: refuse a tree nested deeper than the later stages can recurse."""

    def run(self, root: Element) -> None:
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise MarkdownTooDeep(f"elements are nested more than {MAX_DEPTH} deep (emphasis, links, "
                                      "lists or quotes inside one another)", excerpt=_first_text(element))
            stack.extend((child, depth + 1) for child in element)


def _first_text(element: Element) -> str:
    """Some text of an element, to find its line in the source."""
    return next((text for text in element.itertext() if text.strip()), "")


# A line's leading containers: quote markers, list markers, a footnote label; indentation counts by four.
CONTAINERS = re.compile(r"(?:\[\^[^\]\n]*\]:)?(?:[ ]*(?:>|[*+-][ \t]|\d{1,9}[.)][ \t]))+")
MARKER = re.compile(r">|[*+-][ \t]|\d{1,9}[.)][ \t]")


class _Nesting(Preprocessor):
    """Refuse lines nesting lists and quotes deeper than MAX_NESTING (after fenced code is set aside).

    A line's depth is its markers plus its indentation, in levels, but at most the depth of the last line
    with markers: indentation nests only inside an item (deeper, it starts code)."""

    def run(self, lines: list[str]) -> list[str]:
        reach = 0
        for line in lines:
            found = CONTAINERS.match(line)
            if found is None or not line.strip(" -*_"):  # no container, or a horizontal rule
                continue
            indent = len(line) - len(line.lstrip(" "))
            reach = min(indent // self.md.tab_length, reach) + len(MARKER.findall(found.group()))
            if reach > MAX_NESTING:
                raise MarkdownTooDeep(f"lists or quotes nest more than {MAX_NESTING} levels deep",
                                      excerpt=line)
        return lines


# Block processors, by name and class, and strings one of which every block they take contains (read off
# each one's regular expression or test): the stock parser asks each of them about every block in turn.
BLOCK_NEEDLES = {"table": (TableProcessor, ("|",)), "hashheader": (HashHeaderProcessor, ("#",)),
                 "setextheader": (SetextHeaderProcessor, ("\n=", "\n-")),
                 "hr": (HRProcessor, ("-", "_", "*")),
                 "quote": (BlockQuoteProcessor, (">",)), "footnote": (FootnoteBlockProcessor, ("[^",)),
                 "reference": (ReferenceProcessor, ("]:",))}


def _guard_blocks(md: markdown.Markdown) -> None:
    """Let each stock block processor above answer "no" at once for a block without the strings it needs."""
    processors = md.parser.blockprocessors
    for name, (kind, strings) in BLOCK_NEEDLES.items():
        if name in processors and type(processors[name]) is kind:
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


@lru_cache(maxsize=4096)
def _anchor(value: str, separator: str) -> str:
    """Heading ids with French-aware slugs: "L'humanité" → "l-humanite"."""
    return slugify(value, separator=separator) or "section"


BACKLINK_TITLES = {"fr": "Revenir à la note %d dans le texte", "en": "Back to footnote %d in the text"}
_converters: dict[str, markdown.Markdown] = {}


def _converter(lang: str) -> markdown.Markdown:
    """Return this process's Markdown converter for a language, built once."""
    if lang not in _converters:
        backlink = BACKLINK_TITLES.get(lang, BACKLINK_TITLES["en"])
        extensions = [FootnoteExtension(BACKLINK_TITLE=backlink), *(e() for e in EXTENSIONS),
                      _Toc(slugify=_anchor, toc_depth="2-3", marker="")]
        md = markdown.Markdown(extensions=extensions, output_format="html")
        _limit(md, _guard_inline(md))
        _guard_blocks(md)
        if lang == "fr":
            md.treeprocessors.register(_FrenchSpaces(md), "french_spaces", 1)
        _converters[lang] = md
    return _converters[lang]


def _limit(md: markdown.Markdown, needles: tuple[str, ...] | None) -> None:
    """Register the nesting limits on a converter (and, with `needles`, the marking of plain texts)."""
    md.preprocessors.register(_Nesting(md), "nesting_limit", 15)
    md.treeprocessors.register(_BeforeInline(md, needles), "before_inline", 21)
    md.treeprocessors.register(_AfterInline(md), "after_inline", 19.5)


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
    md = _converter(lang)
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
