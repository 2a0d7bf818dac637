"""Lists as CommonMark and GitHub nest them, read by Python-Markdown.

Python-Markdown nests a list item's content by four spaces and lets no list interrupt a paragraph; CommonMark
nests by the item's content column (two spaces after "- ", three after "1. ") and starts a list on the line
after a paragraph. `Lists` re-indents the lines inside list items to Python-Markdown's four spaces per level,
separates a list from the paragraph line above it, and gives a fence closed by a longer fence its opening
length; Python-Markdown then parses as usual."""

from __future__ import annotations

import re

from markdown.preprocessors import Preprocessor

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


class Lists(Preprocessor):
    """Re-indent list items' content to four spaces per level and start lists after a paragraph line."""

    def run(self, lines: list[str]) -> list[str]:
        """The lines, list items' content moved to Python-Markdown's columns."""
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
