"""The only module that knows Python-Markdown: Markdown text in, `Rendered` out."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from xml.etree.ElementTree import Element

import markdown
import markdown.extensions
from markdown import inlinepatterns
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.footnotes import FootnoteBlockProcessor, FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension, TableProcessor
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString
from pymdownx.betterem import BetterEmExtension
from pymdownx.highlight import HighlightExtension
from pymdownx.saneheaders import SaneHeadersExtension
from pymdownx.superfences import SuperFencesCodeExtension
from pymdownx.tasklist import TasklistExtension
from pymdownx.tilde import DeleteSubExtension
from slugify import slugify

from builder.model import Heading, Rendered

# Extensions as classes, not names: a name is looked up among installed entry points, a 50 ms scan.
# With them, footnotes, highlighting, strikethrough and _Toc, configured in `extensions`.
EXTENSIONS = (
    TableExtension,
    AttrListExtension,
    SaneListExtension,
    DefListExtension,
    AbbrExtension,
    AdmonitionExtension,
    BetterEmExtension,
    TasklistExtension,
    SaneHeadersExtension,
)
VERSION = "4"  # bump when the rendering below changes, so cached results are dropped
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
    return (
        "".join(piece + ("«" if number % 2 == 0 else "»") for number, piece in enumerate(pieces[:-1]))
        + pieces[-1]
    )


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
        parts += [_rules(text[last : url.start()]), url.group()]
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
NEEDLES = {
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    r"\[\^([^\]]*)\]": ("[^",),
    inlinepatterns.LINK_RE: ("[",),
    inlinepatterns.IMAGE_LINK_RE: ("![",),
    inlinepatterns.AUTOLINK_RE: ("://",),
    inlinepatterns.AUTOMAIL_RE: ("@",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    r"\*|_": ("*", "_"),
    r"\*": ("*",),
    "_": ("_",),
    r"\*|_|\~": ("*", "_", "~"),
    r"\~": ("~",),
}
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
            raise MarkdownTooDeep(
                f"a paragraph holds {count} emphasis characters * and _, more than the "
                f"{MAX_EMPHASIS} rendered",
                excerpt=text,
            )
        if (
            "[" in text
            and (text.count("[") + text.count("](")) * len(text) > MAX_BRACKET_SCAN
            and _bracket_scan(text) > MAX_BRACKET_SCAN
        ):
            raise MarkdownTooDeep(
                "brackets [ ] or link parentheses are nested too deeply or left unclosed in a paragraph",
                excerpt=text,
            )
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
    """After the inline stage: refuse a tree nested deeper than the later stages can recurse, and give the
    texts marked plain back as plain strings (abbreviations and attribute lists read them after)."""

    def run(self, root: Element) -> None:
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise MarkdownTooDeep(
                    f"elements are nested more than {MAX_DEPTH} deep (emphasis, links, "
                    "lists or quotes inside one another)",
                    excerpt=_first_text(element),
                )
            if type(element.text) is _Plain:
                element.text = str(element.text)
            if type(element.tail) is _Plain:
                element.tail = str(element.tail)
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
                raise MarkdownTooDeep(
                    f"lists or quotes nest more than {MAX_NESTING} levels deep", excerpt=line
                )
        return lines


# Block processors, by name and class, and strings one of which every block they take contains (read off
# each one's regular expression or test): the stock parser asks each of them about every block in turn.
BLOCK_NEEDLES = {
    "table": (TableProcessor, ("|",)),
    "hashheader": (HashHeaderProcessor, ("#",)),
    "setextheader": (SetextHeaderProcessor, ("\n=", "\n-")),
    "hr": (HRProcessor, ("-", "_", "*")),
    "quote": (BlockQuoteProcessor, (">",)),
    "footnote": (FootnoteBlockProcessor, ("[^",)),
    "reference": (ReferenceProcessor, ("]:",)),
}


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


# Lists as CommonMark and GitHub nest them. Python-Markdown nests a list item's content by four spaces and
# lets no list interrupt a paragraph; CommonMark nests by the item's content column (two spaces after "- ",
# three after "1. ") and starts a list on the line after a paragraph. `_Lists` re-indents the lines inside
# list items to Python-Markdown's four spaces per level, separates a list from the paragraph line above it,
# and gives a fence closed by a longer fence its opening length; Python-Markdown then parses as usual.
ITEM = re.compile(r"(?P<marker>[*+-]|\d{1,9}\.)(?P<gap>[ ]+|$)")
RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ ]*\1){2,}[ ]*$")
FENCE = re.compile(r"(?P<fence>`{3,}(?=[^`]*$)|~{3,})")
NOT_PARAGRAPH = re.compile(r"[ ]{0,3}(?:#|>|\||<|!!!|\[\^|[*+-][ ]|\d{1,9}\.[ ]|$)")


def _indent(line: str) -> int:
    """The number of leading spaces of a line."""
    return len(line) - len(line.lstrip(" "))


def _shifted(line: str, shift: int) -> str:
    """A line moved right by `shift` spaces (left, for a negative shift, by at most its own spaces)."""
    if shift >= 0:
        return " " * shift + line if line.strip() else line
    return line[min(-shift, _indent(line)) :]


class _Lists(Preprocessor):
    """Re-indent list items' content to four spaces per level and start lists after a paragraph line."""

    def run(self, lines: list[str]) -> list[str]:
        if not any(ITEM.match(line.lstrip(" ")) or FENCE.match(line.lstrip(" ")) for line in lines):
            return lines
        out: list[str] = []
        stack: list[int] = []  # content columns (as written) of the open list items
        fence: tuple[str, int] | None = None  # the open fence and how far its lines move
        previous = ""  # the last line, when it is a paragraph's outside lists
        loose = False  # the current item holds a block after a blank line: the next item must follow one
        for line in lines:
            if fence is not None:
                fence = self._in_fence(line, fence, out)
                previous = ""
                continue
            if not line.strip():
                out.append(line)
                previous = ""
                continue
            start = _indent(line)
            item = ITEM.match(line, start) if not RULE.match(line) else None
            if item and not self._item_here(stack, start, previous, item):
                item = None
            if item:
                stack = [column for column in stack if column <= start]
                if (not stack and previous) or (loose and out and out[-1].strip()):
                    out.append("")  # a list may interrupt a paragraph; an item, a block of a loose item
                loose = False
                new = " " * (4 * len(stack)) + line[start:]
                gap = len(item["gap"]) if len(item["gap"]) <= 4 and line[item.end() :].strip() else 1
                stack.append(start + len(item["marker"]) + gap)
            else:
                if out and not out[-1].strip():
                    stack = [column for column in stack if column <= start]
                    loose = bool(stack)
                depth = sum(column <= start for column in stack)
                new = line if not depth else " " * (4 * depth + start - stack[depth - 1]) + line[start:]
            out.append(new)
            opened = FENCE.match(new, _indent(new))
            if opened:
                fence = (opened["fence"], _indent(new) - start)
            previous = new if not (item or stack) and not NOT_PARAGRAPH.match(new) else ""
        return out

    @staticmethod
    def _item_here(stack: list[int], start: int, previous: str, item: re.Match) -> bool:
        """Whether a line with a list marker starts an item: at most three spaces past its container's
        content, and (after a paragraph line, outside lists) not empty and not an ordered list but 1."""
        container = max((column for column in stack if column <= start), default=0)
        if start - container > 3:
            return False
        if stack or not previous:
            return True
        marker = item["marker"]
        return bool(item.string[item.end() :].strip()) and (not marker[0].isdigit() or marker == "1.")

    @staticmethod
    def _in_fence(line: str, fence: tuple[str, int], out: list[str]) -> tuple[str, int] | None:
        """Copy one line of an open fence, moved with it; return the fence, or None once it is closed."""
        opening, shift = fence
        stripped = line.strip()
        if stripped and set(stripped) == {opening[0]} and len(stripped) >= len(opening):
            out.append(" " * max(0, _indent(line) + shift) + opening)
            return None
        out.append(_shifted(line, shift))
        return fence


# Each heading gets a permalink after its text: empty (the theme draws it), with the heading's text as its
# accessible label after an invisible word joiner; the page template replaces PERMALINK_MARK, the start of
# that label, with the catalog's "Link to the section:" (in feeds, the label is the heading's text alone).
PERMALINK_CLASS = "permalink"
JOINER = "\u2060"
PERMALINK_MARK = f'aria-label="{JOINER}'


class _Permalinks(Treeprocessor):
    """Append to every heading that has an id a link to itself, labelled with the heading's text."""

    def run(self, root: Element) -> None:
        for heading in root.iter():
            if heading.tag in HEADINGS and heading.get("id"):
                text = HTML_PLACEHOLDER_RE.sub("", "".join(heading.itertext()))
                label = ASCII_SPACES.sub(" ", text).strip()
                link = Element(
                    "a",
                    {"class": PERMALINK_CLASS, "aria-label": JOINER + label, "href": f"#{heading.get('id')}"},
                )
                heading.append(link)


HEADINGS = frozenset(f"h{level}" for level in range(1, 7))


# Admonitions (!!! note) without a title of their own get their kind's name in the page's language.
ADMONITION_LABELS = {
    "fr": {
        "note": "Note",
        "info": "Information",
        "tip": "Astuce",
        "hint": "Conseil",
        "important": "Important",
        "warning": "Attention",
        "caution": "Prudence",
        "attention": "Attention",
        "danger": "Danger",
        "error": "Erreur",
        "example": "Exemple",
        "quote": "Citation",
        "abstract": "Résumé",
        "success": "Réussite",
        "question": "Question",
        "bug": "Bogue",
        "failure": "Échec",
        "seealso": "Voir aussi",
        "todo": "À faire",
    },
    "en": {"info": "Information", "tip": "Tip", "hint": "Hint", "seealso": "See also", "todo": "To do"},
}


class _AdmonitionLabels(Treeprocessor):
    """Name each admonition left untitled by its author in the page's language."""

    def __init__(self, md: markdown.Markdown, lang: str):
        super().__init__(md)
        self.labels = ADMONITION_LABELS.get(lang, {})

    def run(self, root: Element) -> None:
        for box in root.iter("div"):
            kinds = (box.get("class") or "").split()
            if "admonition" not in kinds or not len(box) or box[0].get("class") != "admonition-title":
                continue
            kind = next((k for k in kinds if k != "admonition"), "")
            if box[0].text == kind.capitalize() and kind in self.labels:
                box[0].text = self.labels[kind]


BACKLINK_TITLES = {"fr": "Revenir à la note %d dans le texte", "en": "Back to footnote %d in the text"}
HIGHLIGHT = {
    "css_class": "highlight",
    "guess_lang": False,
    "pygments_lang_class": True,
    "auto_title": True,
    "auto_title_map": {"Text Only": ""},
    "use_pygments": True,
    "noclasses": False,
}
_converters: dict[str, markdown.Markdown] = {}


class _Writing(markdown.extensions.Extension):
    """What this site adds to Python-Markdown: lists as CommonMark, permalinks, localized admonitions."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(_Lists(md), "commonmark_lists", 27)
        md.treeprocessors.register(_Permalinks(md), "permalinks", -1)  # after typography and unescaping
        md.treeprocessors.register(_AdmonitionLabels(md, self.lang), "admonition_labels", 3)


def extensions(lang: str) -> list:
    """The Markdown extensions of a language's converter, configured (without the speed guards)."""
    backlink = BACKLINK_TITLES.get(lang, BACKLINK_TITLES["en"])
    return [
        FootnoteExtension(BACKLINK_TITLE=backlink),
        *(e() for e in EXTENSIONS),
        HighlightExtension(**HIGHLIGHT),
        SuperFencesCodeExtension(),
        DeleteSubExtension(subscript=False),
        _Toc(slugify=_anchor, toc_depth="1-6", marker=""),
        _Writing(lang),
    ]


def _converter(lang: str) -> markdown.Markdown:
    """Return this process's Markdown converter for a language, built once."""
    if lang not in _converters:
        md = markdown.Markdown(extensions=extensions(lang), output_format="html")
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
