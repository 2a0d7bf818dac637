"""The Atom feed of a language."""

from __future__ import annotations

from builder.i18n import rfc3339
from builder.kinds.base import Kind, single
from builder.urls import absolute


def _url(config, lang, page, doc=None, tag=None) -> str:
    return f"/{lang}/atom.xml"


def shape(views, entry, view) -> None:
    """The feed's entries: the newest posts, their full text with links made absolute."""
    config = views.config
    posts = [views.read(d) for d in entry.posts[: config.feed_entries]]
    view["feed"] = {"self": absolute(config, entry.url), "id": absolute(config, entry.url),
                    "updated": rfc3339(max((d.date.start for d in posts), default=None)),
                    "alternate": absolute(config, views.url("home", entry.lang)), "title": None}
    view["entries"] = [{"title": d.title, "url": absolute(config, views.url("post", entry.lang, d.key)),
                        "date": rfc3339(d.date), "summary": d.summary, "html": views.body(d, entry.lang, True),
                        "tags": [views.site.tags[t].labels[entry.lang] for t in d.tags]} for d in posts]


KIND = Kind("feed", "atom.xml", lambda site, config, lang: [single(KIND, config, lang, site.posts[lang])],
            _url, shape, sitemap=False)
