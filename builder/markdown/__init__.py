"""The only package that knows Python-Markdown: Markdown text in, `Rendered` out.

- `render`: the converters and `to_html`, with the summary, word count and headings of a body;
- `features`: the extensions and their settings, and what this site adds (heading ids, permalinks,
  admonition titles in the page's language);
- `lists`: lists nested as CommonMark nests them;
- `typography`: French typography, for bodies and for the templates' strings;
- `limits`: the nesting limits that keep rendering bounded, and `MarkdownTooDeep`;
- `shortcuts`: guards that let patterns and block processors skip text they cannot match.

The names other modules use are importable from here."""

from __future__ import annotations

from builder.markdown.features import EXTENSIONS, PERMALINK_MARK, VERSION, extensions
from builder.markdown.limits import MAX_NESTING, MarkdownTooDeep
from builder.markdown.render import first_sentences, plain_text, to_html
from builder.markdown.typography import french_slots, french_typography

__all__ = [
    "EXTENSIONS",
    "MAX_NESTING",
    "PERMALINK_MARK",
    "VERSION",
    "MarkdownTooDeep",
    "extensions",
    "first_sentences",
    "french_slots",
    "french_typography",
    "plain_text",
    "to_html",
]
