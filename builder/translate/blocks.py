"""An article body as a sequence of blocks (headings, list items, paragraphs, quotes, table rows, code),
each with the markup around its text kept apart, so a body can be rebuilt with other text in each block."""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6}[ \t]+)(.*)$")
ITEM = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)(.*)$")
QUOTE = re.compile(r"^([ \t]*>[ \t]?)(.*)$")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
TABLE_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?$")
NAMES = {
    "heading": "heading",
    "item": "list item",
    "quote": "quote",
    "paragraph": "paragraph",
    "row": "table row (keep the | separators)",
    "code": "code (translate comments only)",
    "html": "HTML (translate the text between tags)",
    "rule": "rule",
    "table-rule": "table rule",
}


@dataclass(frozen=True)
class Block:
    """One block: its text lines, the markup before each line, the blank lines before it."""

    kind: str  # heading, item, quote, paragraph, row, code, html, rule, table-rule
    line: int  # 1-based line of its first text line in the body
    prefixes: tuple[str, ...]  # markup before each text line ("## ", "- ", "> ", indentation)
    lines: tuple[str, ...]  # the text, one entry per line
    gap: tuple[str, ...] = ()  # the blank lines before the block
    head: str | None = None  # opening fence of a code block
    tail: str | None = None  # closing fence of a code block

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def translatable(self) -> bool:
        return self.kind not in ("rule", "table-rule") and bool(self.text.strip())

    @property
    def shape(self) -> str:
        """What the structure comparison looks at: the kind and its markup, not the text."""
        marker = self.prefixes[0] if self.prefixes else ""
        if self.kind == "item":
            marker = re.sub(r"\d+", "1", marker.rstrip())
        elif self.kind in ("quote", "paragraph", "row", "html"):
            marker = ""
        elif self.kind == "heading":
            marker = marker.strip()
        return f"{self.kind}{marker}"

    @property
    def label(self) -> str:
        """How a translator is told what the block is."""
        if self.kind == "heading":
            return f"heading (level {self.prefixes[0].count('#')})"
        return NAMES[self.kind]

    def source_lines(self) -> list[str]:
        """The block as it is written in the file, without the blank lines before it."""
        body = [prefix + line for prefix, line in zip(self.prefixes, self.lines, strict=True)]
        return [self.head, *body, self.tail] if self.kind == "code" else body

    def with_text(self, text: str) -> Block:
        """The same block holding other text (the markup of its first lines is reused)."""
        lines = tuple(text.split("\n"))
        if self.kind == "code":
            return Block(self.kind, self.line, ("",) * len(lines), lines, self.gap, self.head, self.tail)
        more = self.prefixes[-1] if len(self.prefixes) > 1 else _continuation(self)
        prefixes = tuple(self.prefixes[i] if i < len(self.prefixes) else more for i in range(len(lines)))
        return Block(self.kind, self.line, prefixes, lines, self.gap)


@dataclass(frozen=True)
class Body:
    """A parsed body: its blocks and the blank lines after the last one."""

    blocks: tuple[Block, ...]
    trail: tuple[str, ...]  # lines after the last block (blank, or the "" after the final newline)

    def text(self) -> str:
        """The body as written in the file."""
        lines = [line for block in self.blocks for line in (*block.gap, *block.source_lines())]
        return "\n".join(lines + list(self.trail))

    @property
    def segments(self) -> tuple[Block, ...]:
        """The blocks a translator translates."""
        return tuple(block for block in self.blocks if block.translatable)

    @property
    def shape(self) -> tuple[str, ...]:
        return tuple(block.shape for block in self.blocks)


def _continuation(block: Block) -> str:
    """Markup for lines added to a block that had only one line."""
    first = block.prefixes[0] if block.prefixes else ""
    if block.kind == "item":
        return " " * len(first)
    if block.kind == "quote":
        return first
    return first if not first.strip() else ""


def _starts_block(line: str) -> bool:
    """Whether a line opens a new block even without a blank line before it."""
    stripped = line.lstrip()
    return bool(
        HEADING.match(line)
        or ITEM.match(line)
        or QUOTE.match(line)
        or FENCE.match(line)
        or RULE.match(line)
        or stripped.startswith("|")
    )


def _single(line: str) -> tuple[str, str, str]:
    """(kind, markup, text) of a line that is a block on its own, or kind "" when it is not one."""
    if RULE.match(line):
        return "rule", "", line
    if match := HEADING.match(line):
        return "heading", match.group(1), match.group(2)
    if TABLE_RULE.match(line) and "|" in line:
        return "table-rule", "", line
    if line.lstrip().startswith("|"):
        return "row", "", line
    return "", "", line


def _code(lines: list[str], start: int) -> tuple[int, str | None, list[str]]:
    """The end of a fenced code block opened at `start`, its closing fence and its inner lines."""
    fence = FENCE.match(lines[start]).group(1)
    for end in range(start + 1, len(lines)):
        stripped = lines[end].strip()
        if stripped.startswith(fence) and not stripped.strip(fence[0]):
            return end + 1, lines[end], lines[start + 1 : end]
    return len(lines), None, lines[start + 1 :]


def _run(lines: list[str], start: int, kind: str) -> int:
    """Where a multi-line block (item, quote, paragraph) opened at `start` ends."""
    end = start + 1
    while end < len(lines) and lines[end].strip():
        if kind == "quote" and not QUOTE.match(lines[end]) or kind != "quote" and _starts_block(lines[end]):
            break
        end += 1
    return end


def _split(line: str, kind: str) -> tuple[str, str]:
    """A line of a multi-line block as (markup, text)."""
    pattern = {"item": ITEM, "quote": QUOTE}.get(kind)
    match = pattern.match(line) if pattern else None
    if match:
        return match.group(1), match.group(2)
    text = line.lstrip(" \t")
    return line[: len(line) - len(text)], text


def parse_body(body: str) -> Body:
    """Split a Markdown body into blocks."""
    lines, blocks, gap, index = body.split("\n"), [], [], 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            gap.append(line)
            index += 1
            continue
        if FENCE.match(line):
            end, tail, inner = _code(lines, index)
            blocks.append(Block("code", index + 2, ("",) * len(inner), tuple(inner), tuple(gap), line, tail))
        else:
            kind, markup, text = _single(line)
            if kind:
                end = index + 1
                blocks.append(Block(kind, index + 1, (markup,), (text,), tuple(gap)))
            else:
                kind = (
                    "item"
                    if ITEM.match(line)
                    else "quote"
                    if QUOTE.match(line)
                    else "html"
                    if line.startswith("<")
                    else "paragraph"
                )
                end = _run(lines, index, kind)
                parts = [
                    _split(
                        part, "item" if kind == "item" and at == index else "quote" if kind == "quote" else ""
                    )
                    for at, part in enumerate(lines[index:end], start=index)
                ]
                blocks.append(
                    Block(kind, index + 1, tuple(p for p, _ in parts), tuple(t for _, t in parts), tuple(gap))
                )
        gap, index = [], end
    return Body(tuple(blocks), tuple(gap))


def rebuild(original: Body, texts: list[str]) -> Body:
    """The original's structure with `texts` in its translatable blocks, in order."""
    texts, blocks = iter(texts), []
    for block in original.blocks:
        blocks.append(block.with_text(next(texts)) if block.translatable else block)
    return Body(tuple(blocks), original.trail)
