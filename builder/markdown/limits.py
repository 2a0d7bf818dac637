"""The limits that keep rendering bounded, and MarkdownTooDeep, raised past them.

Python-Markdown recurses once per nesting level and rescans emphasis and brackets: text nested far deeper
than real writing would make it overflow Python's stack or run for minutes. A preprocessor and two tree
processors around the inline stage refuse such text with an excerpt showing where (`to_html` turns it into a
line number). The walk before the inline stage also marks the texts the shortcuts let the patterns skip."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from builder.markdown.shortcuts import Plain


class MarkdownTooDeep(ValueError):
    """Markdown nested too deeply to render in bounded time: `message` says what, `line` (1-based) where."""

    hint = "flatten the nesting, or escape the characters with a backslash (\\[, \\*, \\_, \\>)"

    def __init__(self, message: str, line: int | None = None, excerpt: str = ""):
        super().__init__(message)
        self.message, self.line, self.excerpt = message, line, excerpt

    def __reduce__(self):
        """Pickle with a short excerpt (errors cross process boundaries)."""
        return type(self), (self.message, self.line, self.excerpt[:200])

    def __str__(self) -> str:
        """The line, what is wrong and what to do."""
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}; {self.hint}"


# Limits far above real writing (a few levels of lists, a few hundred emphasis marks in a paragraph) and far
# below what makes Python-Markdown recurse past Python's limit or run for minutes (measured: see the tests).
MAX_NESTING = 32  # list and quote levels on one line
MAX_DEPTH = 100  # elements inside one another, once inline markup is parsed
MAX_EMPHASIS = 5000  # * and _ characters in one paragraph
MAX_BRACKET_SCAN = 1_000_000  # characters the link patterns read looking for the ] or ) closing each [ or ](
# Strings a stage after the inline one needs in some text to change anything (see shortcuts.guard_later):
# a backslash escape leaves a placeholder for `unescape`, an attribute list starts with {.
LATER = ("\\", "{")


# A line's leading containers: quote markers, list markers, a footnote label; indentation counts by four.
CONTAINERS = re.compile(r"(?:\[\^[^\]\n]*\]:)?(?:[ ]*(?:>|[*+-][ \t]|\d{1,9}[.)][ \t]))+")
MARKER = re.compile(r">|[*+-][ \t]|\d{1,9}[.)][ \t]")


class _Nesting(Preprocessor):
    """Refuse lines nesting lists and quotes deeper than MAX_NESTING (after fenced code is set aside).

    A line's depth is its markers plus its indentation, in levels, but at most the depth of the last line
    with markers: indentation nests only inside an item (deeper, it starts code)."""

    def run(self, lines: list[str]) -> list[str]:
        """The lines unchanged, once none nests too deep."""
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


class _BeforeInline(Treeprocessor):
    """Before the inline stage: mark the texts no pattern can match, and refuse the texts whose emphasis
    or brackets would keep the patterns busy for minutes."""

    def __init__(self, md: markdown.Markdown, needles: tuple[str, ...] | None):
        super().__init__(md)
        self.needles = needles
        self.held: set[str] = set()  # which of LATER the tree's texts hold, for the later stages' guards

    def run(self, root: Element) -> None:
        """Check, and mark, every text and tail of the tree."""
        self.held = set()
        for element in root.iter():
            for text in (element.text, element.tail):  # of every kind: code's too, to be sure
                if text:
                    self.held.update(later for later in LATER if later in text)
            if element.text and type(element.text) is str:
                element.text = self._check(element.text)
            if element.tail and type(element.tail) is str:
                element.tail = self._check(element.tail)

    def _check(self, text: str) -> str:
        """The text, marked `Plain` when no pattern can match it; raise when it would take too long."""
        if self.needles is not None:
            for needle in self.needles:
                if needle in text:
                    break
            else:
                return Plain(text)
        if ("*" in text or "_" in text) and (count := text.count("*") + text.count("_")) > MAX_EMPHASIS:
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
        """Check the depth of every element and unmark the plain texts."""
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise MarkdownTooDeep(
                    f"elements are nested more than {MAX_DEPTH} deep (emphasis, links, "
                    "lists or quotes inside one another)",
                    excerpt=_first_text(element),
                )
            if type(element.text) is Plain:
                element.text = str(element.text)
            if type(element.tail) is Plain:
                element.tail = str(element.tail)
            stack.extend((child, depth + 1) for child in element)


def _first_text(element: Element) -> str:
    """Some text of an element, to find its line in the source."""
    return next((text for text in element.itertext() if text.strip()), "")


def add_limits(md: markdown.Markdown, needles: tuple[str, ...] | None) -> None:
    """Register the nesting limits on a converter (and, with `needles`, the marking of plain texts)."""
    md.preprocessors.register(_Nesting(md), "nesting_limit", 15)
    md.treeprocessors.register(_BeforeInline(md, needles), "before_inline", 21)
    md.treeprocessors.register(_AfterInline(md), "after_inline", 19.5)
