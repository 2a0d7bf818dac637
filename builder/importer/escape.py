"""Plain text as Markdown that renders exactly that text: what Markdown would misread escaped, URLs linked."""

from __future__ import annotations

import re

from builder.importer.shapes import URL_RE

# Footnote references are placed in the text as FN_OPEN + number + FN_CLOSE before escaping.
FN_OPEN, FN_CLOSE = "\ue000", "\ue001"
_FN_RE = re.compile(f"{FN_OPEN}(\\d+){FN_CLOSE}")
_INLINE = re.compile(r"([\\`*_{}\[\]|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)|^(\s*)([-+>#=~:]|-{2,}|={2,})")
_TRAIL = ".,;:!?)»]’'\""


def _url_end(url: str) -> str:
    """Trim punctuation that ends the sentence rather than the address (keeping balanced parentheses)."""
    while url and url[-1] in _TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _escape_plain(text: str) -> str:
    """Escape Markdown syntax characters in text holding no URL."""
    text = _ENTITY.sub("&amp;", text)
    text = _INLINE.sub(r"\\\1", text)
    text = text.replace("<", "&lt;")
    return _FN_RE.sub(lambda m: f"[^{m.group(1)}]", text)


def inline(text: str, at_line_start: bool = True) -> str:
    """Markdown for one line of plain text: syntax escaped, bare URLs as <autolinks>, footnote marks [^n]."""
    out: list[str] = []
    position = 0
    for match in URL_RE.finditer(text):
        url = _url_end(match.group(0))
        if len(url) < len("https://x"):
            continue
        out.append(_escape_plain(text[position : match.start()]))
        out.append(f"<{url}>")
        position = match.start() + len(url)
    out.append(_escape_plain(text[position:]))
    result = "".join(out)
    if at_line_start:
        result = _escape_start(result)
    return result


def _escape_start(text: str) -> str:
    """Escape what would open a list, quote, heading, rule or definition at the start of a line."""
    text = text.lstrip()
    match = _LINE_START.match(text)
    if not match:
        return text
    if match.group(2) is not None:
        return f"{match.group(2)}\\{match.group(3)}{text[match.end() :]}" if match.group(3) == "." else text
    symbol = match.group(5)
    if symbol in ("~", ":") or symbol.startswith("="):
        return f"&#{ord(symbol[0])};{text[1:]}"
    return f"\\{text}"
