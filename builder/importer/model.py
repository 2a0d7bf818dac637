"""Frozen records passed between the importer's stages: archive lines, blocks, found and cleaned articles."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One line of an archive."""

    number: int  # 1-based line number in the archive
    text: str  # the line without its end; whitespace-only lines (no-break spaces too) are ""


@dataclass(frozen=True)
class Block:
    """A run of consecutive non-blank lines."""

    lines: tuple[Line, ...]  # the lines, in order
    blanks_before: int  # blank lines between this block and the previous one (or the file start)

    @property
    def first(self) -> Line:
        """The block's first line."""
        return self.lines[0]

    @property
    def text(self) -> str:
        """The block's text, lines joined by newlines."""
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Found:
    """An article as segmented out of an archive, before cleaning."""

    source: str  # archive file name
    index: int  # position of the article in its archive, 0-based
    title: Line  # the title line
    alt: str | None  # image alt text glued to (or standing before) the first paragraph
    alt_line: int | None  # line the alt text was found on
    blocks: tuple[Block, ...]  # body blocks after the title, alt text already removed
    boundary: str  # why the article starts here (for the review report)
    flags: tuple[str, ...] = ()  # low-confidence decisions taken while segmenting

    @property
    def first_line(self) -> int:
        """Line number of the title."""
        return self.title.number

    @property
    def last_line(self) -> int:
        """Line number of the last body line (the title when there is no body)."""
        return self.blocks[-1].lines[-1].number if self.blocks else self.title.number

    @property
    def line_numbers(self) -> tuple[int, ...]:
        """Every archive line this article consumed: title, alt text and body."""
        numbers = [self.title.number] + [line.number for block in self.blocks for line in block.lines]
        return tuple(sorted(set(numbers)))


@dataclass(frozen=True)
class Archive:
    """An archive split into articles, with what was set aside."""

    name: str  # file name
    articles: tuple[Found, ...]  # articles, in archive order
    navigation: tuple[Line, ...]  # archive navigation lines ("Previous month: …"), not part of any article
    nav_month: tuple[int, int] | None  # (year, month) the navigation says this page holds
    notes: tuple[str, ...] = ()  # remarks about decoding (encoding converted, BOM removed…)


@dataclass(frozen=True)
class Cleaned:
    """An article's Markdown body and what cleaning learnt about it."""

    body: str  # Markdown body
    summary: str  # first real paragraph as plain text, trimmed at a sentence end
    notes: tuple[str, ...]  # source notes found ("Publié en mai 2020"), also kept in the body
    headings: tuple[str, ...]  # section headings emitted as '##'/'###'
    flags: tuple[str, ...] = field(default=())  # low-confidence decisions taken while cleaning
