"""Articles and standalone pages: one page per document and language, or a fallback in its place."""

from __future__ import annotations

from builder.assemble import original_of
from builder.kinds.base import Kind
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
    view["page"].update(title=doc.title, description=doc.summary or view["page"]["description"])
    original = views.site.stale.get((doc.lang, doc.key)) if not entry.fallback else None
    toc = [{"level": level, "anchor": anchor, "title": title} for level, anchor, title in doc.body.toc]
    view["doc"] = {**views.card_of(doc, entry.lang), "html": views.body(doc, entry.lang), "lang": doc.lang,
                   "toc": toc if len(toc) >= views.config.toc_min_headings else [],
                   "image_alt": doc.image_alt, "fallback": entry.fallback,
                   "original": views.language_link(doc.kind, doc.lang, doc.key, entry.lang) if entry.fallback else None,
                   "stale": views.language_link(doc.kind, original.lang, doc.key, entry.lang) if original else None}
    if entry.fallback:
        view["page"]["canonical"] = absolute(views.config, views.url(doc.kind, doc.lang, doc.key))


def shape_post(views, entry, view) -> None:
    """An article's view: the page's, plus newer and older posts, related posts and JSON-LD."""
    shape_page(views, entry, view)
    doc, lang = entry.doc, entry.lang
    position = views.positions.get((doc.lang, doc.key))
    siblings = views.site.posts[doc.lang]
    newer = siblings[position - 1] if position else None
    older = siblings[position + 1] if position is not None and position + 1 < len(siblings) else None
    view["doc"]["newer"] = views.card(newer, lang) if newer and not entry.fallback else None
    view["doc"]["older"] = views.card(older, lang) if older and not entry.fallback else None
    related = () if entry.fallback else views.site.related.get((lang, doc.key), ())
    view["doc"]["related"] = [views.card(d, lang) for d in related]
    view["page"]["og_type"] = "article"
    data = blog_posting(entry, doc, views.versions[entry.page], views.config, None)
    data["keywords"] = [t["label"] for t in view["doc"]["tags"]]
    view["page"]["jsonld"] = data


def _post_url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/" + post_path(config, doc)


def _page_url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/{doc.slug}/"


POST = Kind("post", "post.html", lambda site, config, lang: documents("post", site, config, lang),
            _post_url, shape_post)
PAGE = Kind("page", "page.html", lambda site, config, lang: documents("page", site, config, lang),
            _page_url, shape_page)
BY_KIND = {"post": POST, "page": PAGE}
