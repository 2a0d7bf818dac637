"""The files at the root of the site: the language chooser, the 404 page, sitemap.xml and robots.txt.

They are shaped from the whole site rather than from one language: each is a job maker, called only when
a dependency its view read last time has changed; like page views, they read the site through the views'
reader (builder/views/reader.py), which records what they read.
"""

from __future__ import annotations

from typing import Callable

from builder.config import Config
from builder.kinds import BY_NAME
from builder.model import RenderJob
from builder.seo import alternates
from builder.urls import absolute

ROOT_FILES = ("index.html", "404.html", "sitemap.xml", "robots.txt")


def _lastmod(dates: tuple) -> str | None:
    """A page's sitemap lastmod from its document's (date, updated): when its text last changed (else its
    date), when known to the day."""
    when = dates[1] or dates[0]
    return when.w3c() if when and when.day else None


def root_jobs(views, config: Config) -> dict[str, Callable[[], RenderJob]]:
    """The root files (language chooser, 404, sitemap, robots.txt), each shaped on demand."""
    default = config.default_language

    def chooser() -> RenderJob:
        home = {code: views.url("home", code) for code in config.codes}
        languages = [
            {
                "lang": c,
                "name": config.language(c).name,
                "title": config.language(c).title,
                "url": views.href(home[c]),
                "absolute": absolute(config, home[c]),
            }
            for c in config.codes
        ]
        return RenderJob(
            "index.html",
            "redirect.html",
            default,
            {
                "site": views.site_view(default),
                "languages": languages,
                "default_url": views.href(home[default]),
                "default_absolute": absolute(config, home[default]),
            },
        )

    def notfound() -> RenderJob:
        return RenderJob("404.html", "404.html", default, views.context(views.page("notfound", default)))

    def sitemap() -> RenderJob:
        pages, versions = views.every_page()  # every page's URL, fallback flag and document
        listed = [e for e in pages if BY_NAME[e.page.kind].sitemap and not e.fallback]
        urls = [
            {
                "loc": absolute(config, e.url),
                "lastmod": _lastmod(views.dates(e.doc) if e.doc else (None, None)),
                "alternates": alternates(e, versions[e.page], config),
            }
            for e in listed
        ]
        return RenderJob("sitemap.xml", "sitemap.xml", default, {"urls": urls})

    def robots() -> RenderJob:
        return RenderJob("robots.txt", "robots.txt", default, {"sitemap": config.base_url + "sitemap.xml"})

    return dict(zip(ROOT_FILES, (chooser, notfound, sitemap, robots), strict=True))
