"""Split an archive's text into articles: find the titles and the boundaries between articles.

The lines, navigation and blocks it reads come from `builder.importer.lines`; the image alt text it takes
off each article's start, from `builder.importer.alttext`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.errors import BuildError
from builder.importer import shapes
from builder.importer.alttext import GLUED, split_alt
from builder.importer.lines import blocks_of, navigation, to_lines
from builder.importer.model import Archive, Block, Found

MAX_TOC_LOOKBACK = 8
Tocs = dict[int, tuple[tuple[int, str], ...]]  # block index -> the numbered items of its table of contents


def toc_titles(blocks: tuple[Block, ...], tocs: Tocs) -> dict[int, int]:
    """For each table of contents, the nearest heading-like block before it: the title of its article."""
    items = {shapes.norm(item) for toc in tocs.values() for _, item in toc}
    found: dict[int, int] = {}
    for toc_index in tocs:
        for index in range(toc_index - 1, max(-1, toc_index - 1 - MAX_TOC_LOOKBACK), -1):
            block = blocks[index]
            if shapes.heading_like(block) and shapes.norm(block.first.text) not in items:
                found[index] = toc_index
                break
    return found


@dataclass
class _Open:
    """An article being collected (mutable only inside `segment`)."""

    title: Block
    boundary: str
    blocks: list[Block] = field(default_factory=list)
    toc: set[str] = field(default_factory=set)
    toc_last: str | None = None
    toc_done: bool = False
    ended: bool = False
    flags: list[str] = field(default_factory=list)

    def has_prose(self) -> bool:
        """Whether the article has a paragraph of prose so far."""
        return any(shapes.is_prose(block) for block in self.blocks)

    def take(self, block: Block, index: int, tocs: Tocs) -> None:
        """Add a block of the article's body, noting its table of contents and a source note that ends it."""
        self.blocks.append(block)
        if index in tocs:
            self.toc = {shapes.norm(item) for _, item in tocs[index]}
            self.toc_last = shapes.norm(tocs[index][-1][1])
        elif self.toc_last and len(block.lines) == 1 and shapes.norm(block.first.text) == self.toc_last:
            self.toc_done = True
        if shapes.is_note(block.first.text) and (self.has_prose() or shapes.URL_RE.search(block.text)):
            self.ended = True  # a source note closes an article; one with a link closes even a bodiless one


def _boundary(art: _Open, blocks: tuple[Block, ...], index: int, toc_starts: dict[int, int]) -> str | None:
    """Why block `index` starts a new article, or None when it belongs to the open one."""
    block = blocks[index]
    if not shapes.title_candidate(block) or shapes.norm(block.first.text) in art.toc:
        return None
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if block.blanks_before >= 2 and not block.first.text[:1].isspace():
        return "two blank lines before a short line"
    if art.ended:
        return "first short line after a source note"
    if index in toc_starts:
        return "heading-like line before a table of contents"
    if art.toc_done and shapes.heading_like(block) and following is not None and shapes.is_prose(following):
        return "heading-like line after the last section of the previous article (low confidence)"
    return None


def _close(art: _Open, name: str, index: int) -> Found:
    """Freeze an open article."""
    alt, alt_line, body, how = split_alt(art.blocks)
    flags = list(art.flags)
    if how and how != GLUED:
        flags.append(f"{how}: {alt!r}")
    return Found(
        source=name,
        index=index,
        title=art.title.first,
        alt=alt,
        alt_line=alt_line,
        blocks=tuple(body),
        boundary=art.boundary,
        flags=tuple(flags),
    )


def _unsplittable(blocks: tuple[Block, ...], name: str) -> BuildError | None:
    """Why an archive's blocks cannot be split into articles, or None when they can."""
    if not blocks:
        return BuildError(
            name,
            None,
            "no text left once archive navigation is set aside",
            "check that this is a blog archive export",
            "content",
        )
    if not any(shapes.title_candidate(b) for b in blocks):
        return BuildError(
            name,
            blocks[0].first.number,
            "no recognisable article title (a short line on its own)",
            "put each article's title on its own line, followed by a blank line",
            "content",
        )
    return None


def _first(blocks: tuple[Block, ...]) -> tuple[_Open, int]:
    """The article the first title opens, holding any text before it, and the index of the block after it."""
    start = next(index for index, block in enumerate(blocks) if shapes.title_candidate(block))
    art = _Open(blocks[start], "first short line of the file")
    if start:
        art.blocks.extend(blocks[:start])
        art.flags.append(
            f"text before the first title (line {blocks[0].first.number}) kept in the first article"
        )
    return art, start + 1


def _collect(blocks: tuple[Block, ...]) -> list[_Open]:
    """The articles, in order: each title with the blocks up to the next boundary."""
    tocs = shapes.find_tocs(blocks)
    toc_starts = toc_titles(blocks, tocs)
    first, start = _first(blocks)
    arts = [first]
    for index in range(start, len(blocks)):
        why = _boundary(arts[-1], blocks, index, toc_starts)
        if not why:
            arts[-1].take(blocks[index], index, tocs)
            continue
        arts.append(_Open(blocks[index], why))
        if "low confidence" in why:
            arts[-1].flags.append(f"boundary: {why}")
    return arts


def _merged(arts: list[_Open]) -> list[_Open]:
    """Articles with no prose (a title-like line followed by notes only) put back into the previous one."""
    merged: list[_Open] = []
    for art in arts:
        if merged and not art.has_prose():
            previous = merged[-1]
            previous.blocks.append(art.title)
            previous.blocks.extend(art.blocks)
            previous.flags.append(
                f"line {art.title.first.number} {art.title.first.text.strip()!r} looked like a "
                "title but nothing follows it but notes: kept at the end of the previous article"
            )
            continue
        merged.append(art)
    return merged


def segment(text: str, name: str) -> Archive | BuildError:
    """Split an archive's text into articles; a BuildError when no title can be recognised."""
    lines = to_lines(text)
    nav, nav_month = navigation(lines)
    blocks = blocks_of(lines, nav)
    error = _unsplittable(blocks, name)
    if error:
        return error
    return Archive(
        name=name,
        articles=tuple(_close(art, name, i) for i, art in enumerate(_merged(_collect(blocks)))),
        navigation=tuple(line for line in lines if line.number in nav),
        nav_month=nav_month,
    )
