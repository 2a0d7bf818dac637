"""Articles and standalone pages: one page per document and language, or a fallback in its place."""

from __future__ import annotations

from builder.assemble import original_of
from builder.cards import card_for
from builder.cards import og_image as cards_og_image
from builder.i18n import display_date
from builder.kinds.base import Kind
from builder.markdown import PERMALINK_MARK
from builder.model import Entry, PageId
from builder.seo import blog_posting
from builder.urls import absolute, post_path


def documents(kind: str, site, config, lang: str) -> list[Entry]:
    """A page per document of a kind in a language; with `missing_translation = "fallback"`, the
    original shown in place of a missing translation."""
    found = []
    for (group, key), versions in site.translations.items():
        if group != kind:
            continue
        doc, fallback = versions.get(lang), False
        if doc is None and config.missing_translation == "fallback":
            doc, fallback = original_of(versions, config) or next(iter(versions.values())), True
        if doc is not None:
            page = PageId(kind, key)
            url = BY_KIND[kind].url(config, lang, page, doc=doc)
            found.append(Entry(page, lang, url, doc=doc, fallback=fallback))
    return found


def shape_page(views, entry, view) -> None:
    """A document's own view: its text, table of contents, notices for fallbacks and stale translations."""
    doc = views.read(entry.doc)
    described = doc.description or doc.summary or view["page"]["description"]
    view["page"].update(title=doc.title, description=described)
    original = views.stale(doc) if not entry.fallback else None
    toc, count = toc_tree(doc.body.toc)
    view["doc"] = {
        **views.card_of(doc, entry.lang),
        "html": views.body(doc, entry.lang),
        "lang": doc.lang,
        "toc": toc if count >= views.config.toc_min_headings else [],
        "permalink_mark": PERMALINK_MARK,
        "authors": list(doc.authors),
        "extra": doc.extra,
        "updated": _updated(views, doc, entry.lang),
        "image_alt": doc.image_alt,
        "hero": views.hero(doc),
        "fallback": entry.fallback,
        "original": views.language_link(doc.kind, doc.lang, doc.key, entry.lang) if entry.fallback else None,
        "stale": views.language_link(doc.kind, original.lang, doc.key, entry.lang) if original else None,
    }
    if entry.fallback:
        view["page"]["canonical"] = absolute(views.config, views.url(doc.kind, doc.lang, doc.key))
    view["page"]["og_image"] = og_image(views, entry)


def _updated(views, doc, lang: str) -> dict | None:
    """When the text last changed, as dates are shown (None when the front matter does not say)."""
    if doc.updated is None:
        return None
    return {
        "iso": doc.updated.iso(),
        "precision": doc.updated.precision,
        "text": display_date(doc.updated, views.config.language(lang).locale),
    }


def toc_tree(headings) -> tuple[list[dict], int]:
    """The table of contents and its number of entries: the body's highest heading level, numbered, with
    the level below under each entry (deeper headings are left out)."""
    top, tree, count = min((heading[0] for heading in headings), default=2), [], 0  # saved: plain tuples
    for level, anchor, title in headings:
        item = {"level": level, "anchor": anchor, "title": title, "children": []}
        if level == top or (level == top + 1 and not tree):
            tree.append(item)
        elif level == top + 1:
            tree[-1]["children"].append(item)
        else:
            continue
        count += 1
    return tree, count


def og_image(views, entry) -> dict | None:
    """The picture link previews show: the article's own, else its social card (cards.py), else none."""
    found = views.social(entry.doc)
    if found is None:
        card = card_for(views, entry)
        found = cards_og_image(card, views.config) if card else None
    return found


def shape_post(views, entry, view) -> None:
    """An article's view: the page's, plus newer and older posts, related posts and JSON-LD."""
    shape_page(views, entry, view)
    doc, lang = entry.doc, entry.lang
    newer, older = (None, None) if entry.fallback else views.neighbours(doc)
    view["doc"]["newer"] = views.card(newer, lang) if newer else None
    view["doc"]["older"] = views.card(older, lang) if older else None
    related = () if entry.fallback else views.related(lang, doc.key)
    view["doc"]["related"] = [views.card(d, lang) for d in related]
    view["page"]["og_type"] = "article"
    image = view["page"]["og_image"]
    data = blog_posting(entry, doc, views.versions(entry.page), views.config, image["url"] if image else None)
    data["keywords"] = [t["label"] for t in view["doc"]["tags"]]
    view["page"]["jsonld"] = data


def _post_url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/" + post_path(config, doc)


def _page_url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/{doc.slug}/"


POST = Kind(
    "post",
    "post.html",
    lambda site, config, lang: documents("post", site, config, lang),
    _post_url,
    shape_post,
)
PAGE = Kind(
    "page",
    "page.html",
    lambda site, config, lang: documents("page", site, config, lang),
    _page_url,
    shape_page,
)
BY_KIND = {"post": POST, "page": PAGE}
