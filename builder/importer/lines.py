"""An archive's text as numbered lines, the archive navigation among them ("Previous month: / mars 2019")
and the month it frames, and the blocks the other lines form: what segmenting reads."""

from __future__ import annotations

import re

from builder.importer.dates import month_of
from builder.importer.model import Block, Line

NAV_RE = re.compile(
    r"^\s*(previous|next|mois\s+précédent|mois\s+suivant)(?:\s+month)?\s*:?\s*(.*)$", re.IGNORECASE
)


def to_lines(text: str) -> tuple[Line, ...]:
    """Number the lines of a text; lines holding only spaces (no-break spaces too) become blank."""
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return tuple(Line(n, "" if not p.strip() else p.rstrip()) for n, p in enumerate(parts, start=1))


def navigation(lines: tuple[Line, ...]) -> tuple[frozenset[int], tuple[int, int] | None]:
    """Find archive navigation lines ("Previous month: / mars 2019") and the month they frame."""
    taken: set[int] = set()
    months: dict[str, tuple[int, int]] = {}
    for index, line in enumerate(lines):
        match = NAV_RE.match(line.text)
        if not match or len(line.text) > 60:
            continue
        taken.add(line.number)
        value = match.group(2).strip()
        if not value:
            for following in lines[index + 1 : index + 3]:
                if following.text:
                    if len(following.text) <= 30 and month_of(following.text):
                        taken.add(following.number)
                        value = following.text.strip()
                    break
        key = "next" if match.group(1).lower().startswith(("next", "mois suivant")) else "previous"
        found = month_of(value)
        if found:
            months[key] = found
    return frozenset(taken), _between(months.get("previous"), months.get("next"))


def _step(ym: tuple[int, int], delta: int) -> tuple[int, int]:
    """The (year, month) `delta` months after `ym` (before it when negative)."""
    total = ym[0] * 12 + ym[1] - 1 + delta
    return total // 12, total % 12 + 1


def _between(previous: tuple[int, int] | None, following: tuple[int, int] | None) -> tuple[int, int] | None:
    """The month a page sits in, given its previous and next archive months."""
    if previous and following:
        return _step(previous, 1) if _step(previous, 1) == _step(following, -1) else None
    if previous:
        return _step(previous, 1)
    if following:
        return _step(following, -1)
    return None


def blocks_of(lines: tuple[Line, ...], skip: frozenset[int]) -> tuple[Block, ...]:
    """Group non-blank lines into blocks, counting the blank lines before each."""
    blocks: list[Block] = []
    current: list[Line] = []
    blanks = 0
    for line in lines:
        if line.number in skip:
            continue
        if not line.text:
            if current:
                blocks.append(Block(tuple(current), blanks))
                current, blanks = [], 0
            blanks += 1
        else:
            current.append(line)
    if current:
        blocks.append(Block(tuple(current), blanks))
    return tuple(blocks)
