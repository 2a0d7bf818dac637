"""The tag index of a language, each tag's paginated list, and each tag's Atom feed."""

from __future__ import annotations

from builder.kinds.base import Kind, cards, lists, paged, single
from builder.kinds.feed import shape as feed_shape
from builder.model import PageId
from builder.urls import absolute, slug


def _used(site, lang):
    return [tag for tag_id, tag in site.tags.items() if (lang, tag_id) in site.tag_posts]


def _index_url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/{config.language(lang).paths['tags']}/"


def _tag_url(config, lang, page, doc=None, tag=None) -> str:
    words = config.language(lang).paths
    return paged(f"/{lang}/{words['tags']}/{tag.slugs[lang]}/", page.number, words["page"])


def _feed_url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/{config.language(lang).paths['tags']}/{tag.slugs[lang]}/atom.xml"


def shape_index(views, entry, view) -> None:
    """Every tag used in the language, with its count, in alphabetical order (accents ignored)."""
    lang = entry.lang
    found = [
        {"label": views.tag(tag_id).labels[lang], "url": views.link("tag", lang, tag_id), "count": count}
        for tag_id, count in views.tags_used(lang)
    ]
    view["tags"] = sorted(found, key=lambda t: slug(t["label"]))


def shape_tag(views, entry, view) -> None:
    tag = views.tag(entry.page.key)
    view["tag"] = {
        "label": tag.labels[entry.lang],
        "count": views.tag_count(entry.lang, tag.id),
        "feed": absolute(views.config, views.url("tagfeed", entry.lang, tag.id)),
    }
    view["page"]["title"] = tag.labels[entry.lang]
    cards(views, entry, view)


def shape_feed(views, entry, view) -> None:
    feed_shape(views, entry, view)
    view["feed"]["title"] = views.tag(entry.page.key).labels[entry.lang]
    view["feed"]["alternate"] = absolute(views.config, views.url("tag", entry.lang, entry.page.key))


def _tag_pages(site, config, lang):
    return [
        e
        for tag in _used(site, lang)
        for e in lists(TAG, tag.id, lang, site.tag_posts[(lang, tag.id)], config, tag=tag)
    ]


def _feeds(site, config, lang):
    return [
        single(TAGFEED, config, lang, site.tag_posts[(lang, tag.id)], tag.id, tag=tag)
        for tag in _used(site, lang)
    ]


INDEX = Kind(
    "tags",
    "tags.html",
    lambda site, config, lang: [single(INDEX, config, lang, site.posts[lang])],
    _index_url,
    shape_index,
)
TAG = Kind(
    "tag",
    "list.html",
    _tag_pages,
    _tag_url,
    shape_tag,
    fallbacks=lambda page: [PageId("tags"), PageId("home")],
)
TAGFEED = Kind(
    "tagfeed",
    "atom.xml",
    _feeds,
    _feed_url,
    shape_feed,
    fallbacks=lambda page: [PageId("feed"), PageId("home")],
    sitemap=False,
)
