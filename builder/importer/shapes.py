"""Recognise the shapes lines and blocks take in the archives: lists, notes, headings, tables of contents."""

from __future__ import annotations

import re
import unicodedata

from builder.importer.model import Block

URL_RE = re.compile(r"https?://[^\s<>«»\"]+")
BULLET_RE = re.compile(r"^(\s*)[•◦▪●‣∙·]\s*(.*)$|^(\s*)[-–—]\s+(.+)$")
NUMBERED_RE = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(.*)$")
FOOTNOTE_BACK = re.compile(r"\s*↩\ufe0e?\ufe0f?\s*$")
# Source notes: where an article was first published, or the podcast it comes from.
NOTE_RE = re.compile(
    r"^(?:une\s+)?chronique\b|^podcast\b|^article\s+publié|^publié\s+(?:en|le|sur|dans|par)\b"
    r"|^interview\s*:|^le\s+lien\s+vers\b|^source\s+de\s+l[’']article",
    re.IGNORECASE,
)
CAPTION_RE = re.compile(
    r"^(?:source\s*:|sources?\s*:|crédits?\b|©|photo\s*:|illustration\s*:|"
    r"capture d[’']écran|extrait d[eu]\s)",
    re.IGNORECASE,
)
_SENTENCE_INSIDE = re.compile(r"[.?!…]\s+[A-ZÀ-ÖØ-Þ«]")


def bullet(text: str) -> tuple[int, str] | None:
    """Return (indent, item text) when the line is a bullet item ("  • …" or "- …")."""
    match = BULLET_RE.match(text)
    if not match:
        return None
    if match.group(1) is not None:
        return len(match.group(1).expandtabs(4)), match.group(2)
    return len(match.group(3).expandtabs(4)), match.group(4)


def numbered(text: str) -> tuple[int, int, str] | None:
    """Return (indent, number, item text) when the line is a numbered item ("1. …")."""
    match = NUMBERED_RE.match(text)
    if not match or not match.group(3).strip():
        return None
    return len(match.group(1).expandtabs(4)), int(match.group(2)), match.group(3)


def is_footnote_item(text: str) -> bool:
    """A numbered footnote as exported from a blog: "1. text ↩︎"."""
    return numbered(text) is not None and FOOTNOTE_BACK.search(text) is not None


def is_note(text: str) -> bool:
    """A source note: "Publié en mai 2020", "Chronique issue du podcast …", "Article publié sur …"."""
    return NOTE_RE.search(text.strip()) is not None


def is_list_line(text: str) -> bool:
    """A bullet or numbered item."""
    return bullet(text) is not None or numbered(text) is not None


def norm(text: str) -> str:
    """Normalise a heading for comparison: numbering, case, spaces and punctuation variants ignored."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    text = re.sub(r"^\s*\d{1,3}[.)]\s+", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def title_candidate(block: Block) -> bool:
    """Could this block be an article title? One short line that is not a list item, note, URL or lead-in."""
    if len(block.lines) != 1:
        return False
    text = block.first.text.strip()
    return (
        3 <= len(text) <= 150
        and not URL_RE.search(text)
        and not is_list_line(block.first.text)
        and not text.endswith(":")
        and not is_note(text)
        and not CAPTION_RE.match(text)
    )


def heading_like(block: Block, limit: int = 120) -> bool:
    """A title candidate that reads like a heading: one sentence, starting with a letter, no final period."""
    if not title_candidate(block):
        return False
    text = block.first.text.strip()
    if len(text) > limit or not (text[0].isalpha() or text[0] in "«\"“'"):
        return False
    if text.endswith(("...", "…")):
        return False
    return text[-1] not in ".;," and not _SENTENCE_INSIDE.search(text)


def is_prose(block: Block) -> bool:
    """A block holding a real paragraph: a long line that is neither a list item, a note nor a URL alone."""
    for line in block.lines:
        text = line.text.strip()
        plain = not is_list_line(line.text) and not is_note(text) and not CAPTION_RE.match(text)
        if len(text) >= 60 and plain and len(URL_RE.sub("", text).strip()) >= 40:
            return True
    return False


def toc_items(block: Block) -> tuple[tuple[int, str], ...] | None:
    """The (level, item) pairs of a numbered list starting at 1 with at least three items, else None."""
    items = [numbered(line.text) for line in block.lines]
    if len(items) < 3 or any(item is None for item in items) or items[0][1] != 1:
        return None
    indents = sorted({item[0] for item in items})
    return tuple((indents.index(item[0]), item[2].strip()) for item in items)


def find_tocs(blocks: tuple[Block, ...]) -> dict[int, tuple[tuple[int, str], ...]]:
    """Hand-written tables of contents: numbered lists whose items mostly reappear later as headings."""
    tocs: dict[int, tuple[tuple[int, str], ...]] = {}
    for index, block in enumerate(blocks):
        items = toc_items(block)
        if not items or any(is_footnote_item(line.text) for line in block.lines):
            continue
        later = {norm(b.first.text) for b in blocks[index + 1 : index + 400] if len(b.lines) == 1}
        found = sum(1 for _, item in items if norm(item) in later)
        if found * 2 > len(items):
            tocs[index] = items
    return tocs
