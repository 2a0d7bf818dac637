"""Speed shortcuts that change no output: inline patterns and block processors skip at once a text that
lacks every string their expressions need. Python-Markdown asks each of them about every text and block in
turn, and most answer "no"; these guards give that answer with a substring test instead of a regex."""

from __future__ import annotations

import re
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
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.def_list import DefListProcessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.extensions.tables import TableProcessor
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace
from markdown.treeprocessors import UnescapeTreeprocessor
from markdown.util import ETX, STX, AtomicString
from pymdownx.saneheaders import SaneHeadersProcessor

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


class Needles:
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
        """Everything else from the compiled expression itself."""
        return getattr(self.regex, name)


class Plain(AtomicString):
    """A text no inline pattern can match: the inline stage passes it by (it is still French text)."""


def guard_inline(md: markdown.Markdown) -> tuple[str, ...] | None:
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
        guarded = Needles(regex, needles)
        pattern.getCompiledRegExp = lambda guarded=guarded: guarded
    return tuple(sorted(every)) if known else None


# Block processors, by name and classes, and strings one of which every block they take contains (read off
# each one's regular expression or test): the stock parser asks each of them about every block in turn.
# An admonition also takes an indented block that continues the one before it.
BLOCK_NEEDLES = {
    "admonition": ((AdmonitionProcessor,), ("!!!",)),
    "table": ((TableProcessor,), ("|",)),
    "hashheader": ((HashHeaderProcessor, SaneHeadersProcessor), ("#",)),
    "setextheader": ((SetextHeaderProcessor,), ("\n=", "\n-")),
    "hr": ((HRProcessor,), ("-", "_", "*")),
    "deflist": ((DefListProcessor,), (":",)),
    "quote": ((BlockQuoteProcessor,), (">",)),
    "footnote": ((FootnoteBlockProcessor,), ("[^",)),
    "abbr": ((AbbrBlockprocessor,), ("*[",)),  # its test says yes to every block, its run looks for *[
    "reference": ((ReferenceProcessor,), ("]:",)),
}
CONTINUED = frozenset({"admonition"})


def guard_blocks(md: markdown.Markdown) -> None:
    """Let each stock block processor above answer "no" at once for a block without the strings it needs."""
    for name, (kinds, strings) in BLOCK_NEEDLES.items():
        if (processor := _stock(md.parser.blockprocessors, name, kinds)) is not None:
            processor.test = _guarded(processor.test, strings, name in CONTINUED)


def _stock(registry, name: str, kinds: tuple[type, ...]):
    """The processor a registry holds under `name` when it is one of these stock classes, else None: a
    processor an extension replaced is left unguarded, as a guard would not know what it needs."""
    found = registry[name] if name in registry else None
    return found if type(found) in kinds else None


def _guarded(test, strings: tuple[str, ...], indented: bool = False):
    """A block processor's `test`, preceded by a substring check (one `in` when there is one string); with
    `indented`, a block that starts with a space passes too."""
    if indented:

        def guarded(parent: Element, block: str) -> bool:
            if block[:1] == " " or any(needle in block for needle in strings):
                return test(parent, block)
            return False
    elif len(strings) == 1:
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


# Stock preprocessors and what a text must hold for them to change it: without any, their output is the
# text's lines as they are (plus, for the whitespace one, the two blank lines it always adds). The
# whitespace one strips STX/ETX, turns \r into \n, expands tabs and empties lines of spaces (" \n");
# the HTML one sets raw HTML aside, and writes entities (&…) back through its parser.
PREPROCESSOR_NEEDLES = {
    "normalize_whitespace": (NormalizeWhitespace, (STX, ETX, "\r", "\t", " \n"), "\n\n"),
    "html_block": (HtmlBlockPreprocessor, ("<", "&"), ""),
}


def guard_preprocessors(md: markdown.Markdown) -> None:
    """Let these stock preprocessors return a text they cannot change at once (by a substring check)."""
    for name, (kind, needles, added) in PREPROCESSOR_NEEDLES.items():
        if (processor := _stock(md.preprocessors, name, (kind,))) is not None:
            processor.run = _unchanged_unless(processor.run, needles, added)


def _unchanged_unless(run, needles: tuple[str, ...], added: str):
    """A preprocessor's `run`, skipped for a text holding none of `needles` (`added` is what it appends)."""

    def guarded(lines: list[str]) -> list[str]:
        source = "\n".join(lines) + added
        for needle in needles:
            if needle in source:
                return run(lines)
        return source.split("\n")

    return guarded


# Stock tree processors after the inline stage, and the string one of the texts before that stage must
# hold for them to change the tree: every text they read is one of those texts or a piece of one.
# `unescape` restores the characters escaped with a backslash; `attr_list` reads {: …} lists.
LATER_NEEDLES = {"unescape": (UnescapeTreeprocessor, "\\"), "attr_list": (AttrListTreeprocessor, "{")}


def guard_later(md: markdown.Markdown, before) -> None:
    """Skip these tree processors for a tree whose texts, before the inline stage (`before.held`, found by
    the walk that marks plain texts), lack their string."""
    for name, (kind, needle) in LATER_NEEDLES.items():
        if (processor := _stock(md.treeprocessors, name, (kind,))) is not None:
            processor.run = _skipped_without(processor.run, before, needle)


def _skipped_without(run, before, needle: str):
    """A tree processor's `run`, skipped when the texts before the inline stage lacked `needle`."""

    def guarded(root: Element) -> None:
        if needle in before.held:
            run(root)

    return guarded
