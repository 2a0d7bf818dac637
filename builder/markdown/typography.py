"""French typography: « », ’, … and the no-break spaces before ; : ! ?, on plain strings and on the texts of
a Markdown tree outside code and URLs. Pure text rules, plus the one tree processor that applies them to a
French body (templates apply the same rules to their own strings through `builder.i18n`)."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

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
ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
FOLLOWS = frozenset(" \t\n\u00a0\u202f)]»\"”’'.,…")  # what may follow ; : ! ? used as punctuation
NOT_AFTER = frozenset("([{«“‘\"'/")  # no space is added after an opening sign
NEEDS_WORK = re.compile(r"[;:!?«»\"']|\.\.\.")
SKIP = {"code", "pre", "script", "style", "kbd", "samp"}  # elements whose text is not prose
ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # what collapses to one space (no-break spaces do not)


def _respace(run: str, space: str, at_start: bool) -> str:
    """A run of spaces and boundaries with its spaces replaced by one `space` where the first one was (else
    at the start or the end of the run); the boundaries stay, in order."""
    if len(run) == 1 and run != BOUNDARY:  # the common case: one space
        return space
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


def _apostrophes(text: str) -> str:
    """A straight apostrophe after a letter, digit or _ becomes ’ (l'industrie, aujourd'hui)."""
    pieces = text.split("'")
    out = [pieces[0]]
    for before, piece in zip(pieces[:-1], pieces[1:], strict=True):
        last = before[-1:]
        out += ("’" if last and (last.isalnum() or last == "_") else "'", piece)
    return "".join(out)


def _rules(text: str) -> str:
    """Guillemets, ellipses, apostrophes and the spaces before ; : ! ? in a text without URLs."""
    if "«" in text:
        text = OPEN_GUILLEMET.sub(lambda m: "«" + _respace(m.group(1), NBSP, True), text)
    if "»" in text:
        text = CLOSE_GUILLEMET.sub(lambda m: _respace(m.group(1), NBSP, False) + "»", text)
    if "..." in text:
        text = ELLIPSIS.sub("…", text)
    if "'" in text:
        text = _apostrophes(text)
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
    joined = BOUNDARY.join(OPAQUE if slot is None else slot for slot in slots)
    if not NEEDS_WORK.search(joined):  # no sign is made across slots: the same test as slot by slot
        return slots
    if joined.count(BOUNDARY) >= len(slots) or joined.count(OPAQUE) > slots.count(None):  # a slot holds one
        return [slot if slot is None else french_typography(slot) for slot in slots]
    done = _french(joined).split(BOUNDARY)
    return [None if slot is None else new for slot, new in zip(slots, done, strict=True)]


class FrenchSpaces(Treeprocessor):
    """Apply French typography to every text outside code, block by block."""

    def run(self, root: Element) -> None:
        """Apply the typography to each block's texts, joined, where some text needs it."""
        self.block_level = frozenset(self.md.block_level_elements)
        blocks = [root]
        while blocks:
            slots: list[tuple[Element, str] | None] = []
            self._collect(blocks.pop(), slots, blocks)
            texts = [None if slot is None else getattr(*slot) or "" for slot in slots]
            done = french_slots(texts)
            if done is not texts:
                for slot, old, new in zip(slots, texts, done, strict=True):
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
