"""The Atom feed of a language."""

from __future__ import annotations

from builder.hrefs import absolute_links
from builder.i18n import rfc3339
from builder.kinds.base import Kind, single
from builder.urls import absolute


def _url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/atom.xml"


def entry_id(views, doc, url: str) -> str:
    """The article's Atom id: its tag: URI, fixed in content/urls.toml when it was first published."""
    return views.entry_id(doc) or url


def shape(views, entry, view) -> None:
    """The feed's entries: the newest posts, their full text with links made absolute, stable ids."""
    config = views.config
    posts = [views.read(d) for d in views.listed(entry)[: config.feed_entries]]
    view["feed"] = {
        "self": absolute(config, entry.url),
        "id": absolute(config, entry.url),
        "updated": rfc3339(max(((d.updated or d.date).start for d in posts), default=None)),
        "alternate": absolute(config, views.url("home", entry.lang)),
        "title": None,
    }
    view["entries"] = []
    for doc in posts:
        url = absolute(config, views.url("post", entry.lang, doc.key))
        own = absolute(config, views.url(doc.kind, doc.lang, doc.key))  # where its relative links start
        html = absolute_links(views.body(doc, entry.lang, True), config.base_url, config.base_path, own)
        view["entries"].append(
            {
                "title": doc.title,
                "url": url,
                "id": entry_id(views, doc, url),
                "date": rfc3339(doc.date),
                "updated": rfc3339(doc.updated or doc.date),
                "summary": doc.summary,
                "html": html,
                "authors": list(doc.authors),
                "tags": [views.tag(t).labels[entry.lang] for t in doc.tags],
            }
        )


KIND = Kind(
    "feed",
    "atom.xml",
    lambda site, config, lang: [single(KIND, config, lang, site.posts[lang])],
    _url,
    shape,
    sitemap=False,
)
