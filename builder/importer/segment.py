"""Split an archive's text into articles: find titles, boundaries, navigation and image alt text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.errors import BuildError
from builder.importer import shapes
from builder.importer.dates import month_of
from builder.importer.model import Archive, Block, Found, Line

NAV_RE = re.compile(
    r"^\s*(previous|next|mois\s+précédent|mois\s+suivant)(?:\s+month)?\s*:?\s*(.*)$", re.IGNORECASE
)
# "MarsJ’avais…", "Singe2L’intelligence…", "Chevalier«  Quand…": a word glued to the sentence it illustrates.
GLUED_RE = re.compile(r"^([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]{2,}\d*)(?=[A-ZÀ-ÖØ-Þ«\"“])")
# "Aristos C’est une image…": the alt word, a space, then an elided sentence start.
SPACED_RE = re.compile(r"^([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]{2,}\d*) (?=[A-ZÀ-ÖØ-Þ][’'])")
SHORT_STARTS = {
    "il",
    "le",
    "la",
    "les",
    "un",
    "une",
    "on",
    "en",
    "au",
    "ce",
    "je",
    "tu",
    "nous",
    "vous",
    "et",
    "de",
    "du",
    "des",
    "si",
    "ou",
    "à",
    "y",
    "ça",
    "oui",
    "non",
    "ne",
    "mais",
}
MAX_TOC_LOOKBACK = 8


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


def _between(previous: tuple[int, int] | None, following: tuple[int, int] | None) -> tuple[int, int] | None:
    """The month a page sits in, given its previous and next archive months."""

    def step(ym: tuple[int, int], delta: int) -> tuple[int, int]:
        total = ym[0] * 12 + ym[1] - 1 + delta
        return total // 12, total % 12 + 1

    if previous and following:
        return step(previous, 1) if step(previous, 1) == step(following, -1) else None
    if previous:
        return step(previous, 1)
    if following:
        return step(following, -1)
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


def toc_titles(blocks: tuple[Block, ...], tocs: dict) -> dict[int, int]:
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
        return any(shapes.is_prose(block) for block in self.blocks)


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


def _split_alt(found_blocks: list[Block]) -> tuple[str | None, int | None, list[Block], str | None]:
    """Take image alt text off the first body block: glued ("MarsJ’avais"), before a space, or alone."""
    if not found_blocks:
        return None, None, found_blocks, None
    first = found_blocks[0]
    line = first.first
    rest = found_blocks[1:]
    if (
        len(first.lines) == 1
        and len(line.text.strip()) <= 25
        and len(line.text.split()) <= 3
        and line.text.strip()[:1].isupper()
        and line.text.strip()[-1:] not in ".:!?…;,"
        and rest
        and shapes.is_prose(rest[0])
    ):
        return line.text.strip(), line.number, rest, "alt text alone on its line"
    for regex, how in (
        (GLUED_RE, "alt text glued to the first word"),
        (SPACED_RE, "alt text before the first sentence"),
    ):
        match = regex.match(line.text)
        if not match:
            continue
        after = line.text[match.end() :].lstrip()
        word = re.split(r"[\s’']", after, maxsplit=1)[0].strip('«"“ ').casefold()
        if (
            after.startswith(("«", '"', "“"))
            or "’" in after[:3]
            or "'" in after[:3]
            or len(word) >= 3
            or word in SHORT_STARTS
        ):
            new_first = Block((Line(line.number, after),) + first.lines[1:], first.blanks_before)
            return match.group(1), line.number, [new_first] + rest, how
    return None, None, found_blocks, None


def _close(art: _Open, name: str, index: int) -> Found:
    """Freeze an open article."""
    alt, alt_line, body, how = _split_alt(art.blocks)
    flags = list(art.flags)
    if how and how != "alt text glued to the first word":
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


def segment(text: str, name: str) -> Archive | BuildError:
    """Split an archive's text into articles; a BuildError when no title can be recognised."""
    lines = to_lines(text)
    nav, nav_month = navigation(lines)
    blocks = blocks_of(lines, nav)
    if not blocks:
        return BuildError(
            name,
            None,
            "no text left once archive navigation is set aside",
            "check that this is a blog archive export",
            "content",
        )
    first = blocks[0]
    if not shapes.title_candidate(first) and not any(shapes.title_candidate(b) for b in blocks):
        return BuildError(
            name,
            first.first.number,
            "no recognisable article title (a short line on its own)",
            "put each article's title on its own line, followed by a blank line",
            "content",
        )
    tocs = shapes.find_tocs(blocks)
    toc_starts = toc_titles(blocks, tocs)
    arts: list[_Open] = []
    preamble: list[Block] = []
    for index, block in enumerate(blocks):
        if not arts:
            if shapes.title_candidate(block):
                arts.append(_Open(block, "first short line of the file"))
                if preamble:
                    arts[-1].blocks.extend(preamble)
                    arts[-1].flags.append(
                        f"text before the first title (line {preamble[0].first.number}) "
                        "kept in the first article"
                    )
            else:
                preamble.append(block)
            continue
        art = arts[-1]
        why = _boundary(art, blocks, index, toc_starts)
        if why:
            arts.append(_Open(block, why))
            if "low confidence" in why:
                arts[-1].flags.append(f"boundary: {why}")
            continue
        art.blocks.append(block)
        if index in tocs:
            art.toc = {shapes.norm(item) for _, item in tocs[index]}
            art.toc_last = shapes.norm(tocs[index][-1][1])
        elif art.toc_last and len(block.lines) == 1 and shapes.norm(block.first.text) == art.toc_last:
            art.toc_done = True
        if shapes.is_note(block.first.text) and (art.has_prose() or shapes.URL_RE.search(block.text)):
            art.ended = True  # a source note closes an article; one with a link closes even a bodiless one
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
    found = tuple(_close(art, name, i) for i, art in enumerate(merged))
    return Archive(
        name=name,
        articles=found,
        navigation=tuple(line for line in lines if line.number in nav),
        nav_month=nav_month,
    )
