"""Turn an article's raw blocks into Markdown: headings, lists, captions, notes, footnotes, links, escapes."""

from __future__ import annotations

import re

from builder.importer import lists, shapes
from builder.importer.escape import FN_CLOSE, FN_OPEN, inline
from builder.importer.model import Block, Cleaned, Found

SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[A-ZÀ-ÖØ-Þ«\"“0-9])")
SUMMARY_MAX = 300


def _marker(number: int) -> re.Pattern[str]:
    """Where footnote `number` is called: the number glued after a word ("récemment2", "public1.")."""
    return re.compile(rf"(?<=[A-Za-zÀ-ÖØ-öø-ÿ\)»])({number})(?![\dA-Za-zÀ-ÖØ-öø-ÿ])")


def footnotes(blocks: list[Block]) -> tuple[dict[int, str], dict[int, tuple[int, int]], int | None]:
    """Match a trailing "1. … ↩︎" list with the marks in the text.

    Returns (definitions, {n: (line, column)}, block index).
    """
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if not all(shapes.is_footnote_item(line.text) for line in block.lines):
            continue
        defs = {}
        for line in block.lines:
            _, number, text = shapes.numbered(line.text)
            defs[number] = shapes.FOOTNOTE_BACK.sub("", text).strip()
        places: dict[int, tuple[int, int]] = {}
        cursor = (0, 0)
        ordered = [line for b in blocks[:index] for line in b.lines]
        for number in sorted(defs):
            regex = _marker(number)
            for position, line in enumerate(ordered):
                if position < cursor[0]:
                    continue
                start = cursor[1] if position == cursor[0] else 0
                match = regex.search(line.text, start)
                if match:
                    places[number] = (line.number, match.start())
                    cursor = (position, match.end())
                    break
            else:
                return {}, {}, None
        return defs, places, index
    return {}, {}, None


def _caption_block(block: Block) -> bool:
    """An image caption: starts with "Extrait du…"/"Source :"… or a short line followed by its credit."""
    if shapes.CAPTION_RE.match(block.first.text.strip()):
        return True
    return (
        len(block.lines) >= 2
        and shapes.CAPTION_RE.match(block.lines[-1].text.strip()) is not None
        and all(len(line.text) <= 160 for line in block.lines)
    )


def _emph(text: str) -> str:
    """An emphasised paragraph (captions, credits, source notes)."""
    return f"*{inline(text.strip())}*"


def _summary(text: str) -> str:
    """Trim a paragraph at a sentence end, within SUMMARY_MAX characters."""
    text = re.sub(r"\s+", " ", re.sub(f"{FN_OPEN}\\d+{FN_CLOSE}", "", text)).strip()
    if not text:
        return ""
    kept = ""
    for sentence in SENTENCE_END.split(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > SUMMARY_MAX:
            break
        kept = candidate
    if not kept:
        kept = text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0]
    if kept[-1] not in '.!?…»)"':
        ends = [m.end() for m in re.finditer(r"[.!?…](?=\s)", kept)]
        kept = kept[: ends[-1]] if ends else kept.rstrip(" ,;:\xa0") + "…"
    return kept


def clean(found: Found) -> Cleaned:
    """Markdown body, summary and notes for a segmented article."""
    blocks = list(found.blocks)
    tocs = shapes.find_tocs(tuple(blocks))
    toc_levels = {shapes.norm(item): level for toc in tocs.values() for level, item in toc}
    flags: list[str] = []
    defs, places, fn_block = footnotes(blocks)
    marks = {place: number for number, place in places.items()}
    chunks: list[str] = []
    notes: list[str] = []
    headings: list[str] = []
    summary = ""
    pending: list[tuple[str, int, int, str]] = []

    def flush() -> None:
        if pending:
            chunks.append(lists.render(pending))
            pending.clear()

    for index, block in enumerate(blocks):
        if index in tocs:
            flush()
            continue  # the site generates the table of contents from the '##' headings
        if index == fn_block:
            continue
        if shapes.is_note(block.first.text):
            flush()
            notes.extend(line.text.strip() for line in block.lines)
            chunks.extend(_emph(line.text) for line in block.lines)
            continue
        if _caption_block(block):
            flush()
            chunks.extend(_emph(line.text) for line in block.lines)
            continue
        key = shapes.norm(block.first.text)
        if len(block.lines) == 1 and key in toc_levels:
            flush()
            headings.append(block.first.text.strip())
            chunks.append(f"{'#' * (2 + min(toc_levels[key], 2))} {_heading(block.first.text)}")
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            not tocs
            and shapes.heading_like(block, 80)
            and block.first.text.strip()[-1] not in "?!"
            and following is not None
            and (shapes.is_prose(following) or lists.item(following.first.text))
        ):
            flush()
            headings.append(block.first.text.strip())
            chunks.append(f"## {_heading(block.first.text)}")
            continue
        for line in block.lines:
            text = line.text
            column = next((c for (n, c), _ in ((p, m) for p, m in marks.items()) if n == line.number), None)
            if column is not None:
                number = marks[(line.number, column)]
                text = f"{text[:column]}{FN_OPEN}{number}{FN_CLOSE}{text[column + len(str(number)) :]}"
            entry = lists.item(text)
            if entry:
                if pending and pending[-1][0] != entry[0] and entry[1] <= min(i[1] for i in pending):
                    flush()
                pending.append(entry)
                continue
            flush()
            if tocs and shapes.heading_like(Block((line,), 1)) and text.strip()[-1] not in "?!":
                chunks.append(_emph(text))  # a caption in an article whose headings are its table of contents
                continue
            chunks.append(inline(text))
            if not summary and shapes.is_prose(Block((line,), 1)):
                summary = _summary(text)
        if following is None or not all(lists.item(line.text) for line in following.lines):
            flush()
    flush()
    if defs:
        chunks.extend(
            f"[^{number}]: {inline(text, at_line_start=False)}" for number, text in sorted(defs.items())
        )
    elif any(all(shapes.is_footnote_item(line.text) for line in b.lines) for b in blocks):
        flags.append("footnotes found but their marks in the text could not all be matched: kept as a list")
    body = "\n\n".join(chunk for chunk in chunks if chunk.strip()) + "\n"
    return Cleaned(
        body=body, summary=summary, notes=tuple(notes), headings=tuple(headings), flags=tuple(flags)
    )


def _heading(text: str) -> str:
    """Heading text, escaped, with a closing '#' protected."""
    escaped = inline(text.strip(), at_line_start=False)
    return escaped[:-1] + "\\#" if escaped.endswith("#") else escaped
