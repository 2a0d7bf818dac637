"""Image alt text left at the start of an article's body by the archive export: glued to the first word
("MarsJ’avais…"), before a space and an elided word ("Aristos C’est…"), or alone on its line."""

from __future__ import annotations

import re

from builder.importer import shapes
from builder.importer.model import Block, Line

# "MarsJ’avais…", "Singe2L’intelligence…", "Chevalier«  Quand…": a word glued to the sentence it illustrates.
GLUED_RE = re.compile(r"^([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]{2,}\d*)(?=[A-ZÀ-ÖØ-Þ«\"“])")
# "Aristos C’est une image…": the alt word, a space, then an elided sentence start.
SPACED_RE = re.compile(r"^([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]{2,}\d*) (?=[A-ZÀ-ÖØ-Þ][’'])")
# Short words a sentence may start with, so that "Il" after the alt word is still read as a sentence.
SHORT_STARTS = frozenset(
    "il le la les un une on en au ce je tu nous vous et de du des si ou à y ça oui non ne mais".split()
)
GLUED = "alt text glued to the first word"  # the one way of finding alt text that needs no review

Split = tuple[str | None, int | None, list[Block], str | None]  # alt, its line, the body left, how found


def _alone(first: Block, rest: list[Block]) -> bool:
    """Whether the first block is a short capitalised line on its own, with prose after it."""
    text = first.first.text.strip()
    return (
        len(first.lines) == 1
        and len(text) <= 25
        and len(text.split()) <= 3
        and text[:1].isupper()
        and text[-1:] not in ".:!?…;,"
        and bool(rest)
        and shapes.is_prose(rest[0])
    )


def _starts_sentence(after: str) -> bool:
    """Whether the text after a candidate alt word reads as the start of a sentence."""
    word = re.split(r"[\s’']", after, maxsplit=1)[0].strip('«"“ ').casefold()
    return (
        after.startswith(("«", '"', "“"))
        or "’" in after[:3]
        or "'" in after[:3]
        or len(word) >= 3
        or word in SHORT_STARTS
    )


def split_alt(found_blocks: list[Block]) -> Split:
    """Take image alt text off the first body block: glued ("MarsJ’avais"), before a space, or alone."""
    if not found_blocks:
        return None, None, found_blocks, None
    first = found_blocks[0]
    line = first.first
    rest = found_blocks[1:]
    if _alone(first, rest):
        return line.text.strip(), line.number, rest, "alt text alone on its line"
    for regex, how in ((GLUED_RE, GLUED), (SPACED_RE, "alt text before the first sentence")):
        match = regex.match(line.text)
        if not match:
            continue
        after = line.text[match.end() :].lstrip()
        if _starts_sentence(after):
            new_first = Block((Line(line.number, after),) + first.lines[1:], first.blanks_before)
            return match.group(1), line.number, [new_first] + rest, how
    return None, None, found_blocks, None
