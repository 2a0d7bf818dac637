"""The Python-Markdown extensions a converter uses, configured, and what this site adds to them: heading
ids with French-aware slugs, a permalink in each heading, admonition titles in the page's language and
lists as CommonMark nests them. `EXTENSIONS` and `VERSION` also key the cache of rendered bodies."""

from __future__ import annotations

from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
import markdown.extensions
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE
from pymdownx.betterem import BetterEmExtension
from pymdownx.highlight import HighlightExtension
from pymdownx.saneheaders import SaneHeadersExtension
from pymdownx.superfences import SuperFencesCodeExtension
from pymdownx.tasklist import TasklistExtension
from pymdownx.tilde import DeleteSubExtension
from slugify import slugify

from builder.markdown.lists import Lists
from builder.markdown.typography import ASCII_SPACES

# Extensions as classes, not names: a name is looked up among installed entry points, a 50 ms scan.
# With them, footnotes, highlighting, strikethrough and _Toc, configured in `extensions`.
EXTENSIONS = (
    TableExtension,
    AttrListExtension,
    SaneListExtension,
    DefListExtension,
    AbbrExtension,
    AdmonitionExtension,
    BetterEmExtension,
    TasklistExtension,
    SaneHeadersExtension,
)
VERSION = "4"  # bump when the rendering in builder.markdown changes, so cached results are dropped


class _HeadingIds(TocTreeprocessor):
    """The toc extension's heading ids and tokens, without the table of contents in HTML it also
    builds, serializes and puts in place of a [TOC] marker: the theme lays out its own from the
    tokens, and that HTML cost a tenth of the Markdown stage."""

    def build_toc_div(self, toc_list: list) -> Element:
        """An empty element in place of the table of contents."""
        return Element("div")


class _Toc(TocExtension):
    """The toc extension with `_HeadingIds` as its tree processor."""

    TreeProcessorClass = _HeadingIds


@lru_cache(maxsize=4096)
def _anchor(value: str, separator: str) -> str:
    """Heading ids with French-aware slugs: "L'humanité" → "l-humanite"."""
    return slugify(value, separator=separator) or "section"


# Each heading gets a permalink after its text: empty (the theme draws it), with the heading's text as its
# accessible label after an invisible word joiner; the page template replaces PERMALINK_MARK, the start of
# that label, with the catalog's "Link to the section:" (in feeds, the label is the heading's text alone).
PERMALINK_CLASS = "permalink"
JOINER = "\u2060"
PERMALINK_MARK = f'aria-label="{JOINER}'
HEADINGS = frozenset(f"h{level}" for level in range(1, 7))


class _Permalinks(Treeprocessor):
    """Append to every heading that has an id a link to itself, labelled with the heading's text."""

    def run(self, root: Element) -> None:
        """Append the permalinks."""
        for heading in root.iter():
            if heading.tag in HEADINGS and heading.get("id"):
                text = HTML_PLACEHOLDER_RE.sub("", "".join(heading.itertext()))
                label = ASCII_SPACES.sub(" ", text).strip()
                link = Element(
                    "a",
                    {"class": PERMALINK_CLASS, "aria-label": JOINER + label, "href": f"#{heading.get('id')}"},
                )
                heading.append(link)


# Admonitions (!!! note) without a title of their own get their kind's name in the page's language.
ADMONITION_LABELS = {
    "fr": {
        "note": "Note",
        "info": "Information",
        "tip": "Astuce",
        "hint": "Conseil",
        "important": "Important",
        "warning": "Attention",
        "caution": "Prudence",
        "attention": "Attention",
        "danger": "Danger",
        "error": "Erreur",
        "example": "Exemple",
        "quote": "Citation",
        "abstract": "Résumé",
        "success": "Réussite",
        "question": "Question",
        "bug": "Bogue",
        "failure": "Échec",
        "seealso": "Voir aussi",
        "todo": "À faire",
    },
    "en": {"info": "Information", "tip": "Tip", "hint": "Hint", "seealso": "See also", "todo": "To do"},
}


class _AdmonitionLabels(Treeprocessor):
    """Name each admonition left untitled by its author in the page's language."""

    def __init__(self, md: markdown.Markdown, lang: str):
        super().__init__(md)
        self.labels = ADMONITION_LABELS.get(lang, {})

    def run(self, root: Element) -> None:
        """Replace the English default titles that have a translation."""
        for box in root.iter("div"):
            kinds = (box.get("class") or "").split()
            if "admonition" not in kinds or not len(box) or box[0].get("class") != "admonition-title":
                continue
            kind = next((k for k in kinds if k != "admonition"), "")
            if box[0].text == kind.capitalize() and kind in self.labels:
                box[0].text = self.labels[kind]


BACKLINK_TITLES = {"fr": "Revenir à la note %d dans le texte", "en": "Back to footnote %d in the text"}
HIGHLIGHT = {
    "css_class": "highlight",
    "guess_lang": False,
    "pygments_lang_class": True,
    "auto_title": True,
    "auto_title_map": {"Text Only": ""},
    "use_pygments": True,
    "noclasses": False,
}


class _Writing(markdown.extensions.Extension):
    """What this site adds to Python-Markdown: lists as CommonMark, permalinks, localized admonitions."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register the list preprocessor and the two tree processors."""
        md.preprocessors.register(Lists(md), "commonmark_lists", 27)
        md.treeprocessors.register(_Permalinks(md), "permalinks", -1)  # after typography and unescaping
        md.treeprocessors.register(_AdmonitionLabels(md, self.lang), "admonition_labels", 3)


def extensions(lang: str) -> list:
    """The Markdown extensions of a language's converter, configured (without the speed guards)."""
    backlink = BACKLINK_TITLES.get(lang, BACKLINK_TITLES["en"])
    return [
        FootnoteExtension(BACKLINK_TITLE=backlink),
        *(e() for e in EXTENSIONS),
        HighlightExtension(**HIGHLIGHT),
        SuperFencesCodeExtension(),
        DeleteSubExtension(subscript=False),
        _Toc(slugify=_anchor, toc_depth="1-6", marker=""),
        _Writing(lang),
    ]
