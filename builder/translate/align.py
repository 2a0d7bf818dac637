"""Pair the blocks of an original now, of the original a translation was made from, and of the translation."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from builder.translate.blocks import Block, Body

SAME, CHANGED, ADDED, REMOVED, UNKNOWN = "same", "changed", "added", "removed", "unknown"


@dataclass(frozen=True)
class Pair:
    """One place of the structure: the original's block then and now, the translation's block there."""

    state: str  # same, changed, added, removed, or unknown when the old original is not known
    now: Block | None  # the original's current block (None when removed)
    then: Block | None  # the original's block when translated (None when added or unknown)
    translation: Block | None  # the translation's block at that place (None when there is none)


def _by_position(new: tuple[Block, ...], translation: tuple[Block, ...]) -> list[Pair]:
    """Without the old original, the current blocks beside the translation's, in order."""
    return [
        Pair(UNKNOWN, block, None, translation[i] if i < len(translation) else None)
        for i, block in enumerate(new)
    ]


def _replaced(old, new, translation, i1, i2, j1, j2) -> list[Pair]:
    """A run of changed blocks: paired one by one, the surplus added or removed."""
    pairs = []
    for offset in range(max(i2 - i1, j2 - j1)):
        i, j = i1 + offset, j1 + offset
        then = old[i] if i < i2 else None
        now = new[j] if j < j2 else None
        state = CHANGED if then and now else REMOVED if then else ADDED
        pairs.append(Pair(state, now, then, translation[i] if then and i < len(translation) else None))
    return pairs


def align(old: Body | None, new: Body, translation: Body | None) -> list[Pair]:
    """Every segment place of the current original (and the removed ones), with its state.

    The translation has the block structure of the original it was made from (`old`): its blocks are
    found at the indexes of the old original's.
    """
    mine = translation.segments if translation else ()
    if old is None:
        return _by_position(new.segments, mine)
    before, after = old.segments, new.segments
    matcher = difflib.SequenceMatcher(None, [b.text for b in before], [b.text for b in after], autojunk=False)
    pairs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += [
                Pair(SAME, after[j1 + k], before[i1 + k], mine[i1 + k] if i1 + k < len(mine) else None)
                for k in range(i2 - i1)
            ]
        else:
            pairs += _replaced(before, after, mine, i1, i2, j1, j2)
    return pairs


def word_diff(before: str, after: str) -> str:
    """The change from `before` to `after`, words removed in [-…-] and added in {+…+}."""
    old, new = before.split(" "), after.split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(old[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(old[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(new[j1:j2]) + "+}")
    return " ".join(out)
