"""Turn each page into a render job and render it to bytes; nothing here touches the disk."""

from __future__ import annotations

import hashlib
from typing import Callable

import jinja2

from builder.config import Config
from builder.errors import BuildError
from builder.model import Entry, PageId, RenderJob
from builder.seo import alternates
from builder.theme import Theme, template_error, value_bytes
from builder.urls import absolute, output_file
from builder.views import TEMPLATES, Views


def entry_job(views: Views, entry: Entry) -> tuple[RenderJob, tuple[str, ...]]:
    """The render job of one page of the site, and the documents its view shows."""
    view, refs = views.shape(entry)
    return RenderJob(path=output_file(entry.url), template=TEMPLATES[entry.page.kind], lang=entry.lang,
                     context=view), refs


ROOT_FILES = ("index.html", "404.html", "sitemap.xml", "robots.txt")


def root_jobs(views: Views, entries: list[Entry], config: Config) -> dict[str, Callable[[], RenderJob]]:
    """The files at the root of the site (language chooser, 404, sitemap, robots.txt), each shaped on demand."""
    default = config.default_language
    home = {code: views.url("home", code) for code in config.codes}

    def chooser() -> RenderJob:
        languages = [{"lang": c, "name": config.language(c).name, "title": config.language(c).title,
                      "url": views.href(home[c]), "absolute": absolute(config, home[c])} for c in config.codes]
        return RenderJob("index.html", "redirect.html", default, {"site": views.site_view(default),
                         "languages": languages, "default_url": views.href(home[default]),
                         "default_absolute": absolute(config, home[default])})

    def notfound() -> RenderJob:
        return RenderJob("404.html", "404.html", default, views.context(views.index[(PageId("notfound"), default)]))

    def sitemap() -> RenderJob:
        listed = [e for e in entries if e.page.kind not in ("feed", "tagfeed", "notfound") and not e.fallback]
        urls = [{"loc": absolute(config, e.url),
                 "lastmod": e.doc.date.iso() if e.doc and e.doc.date and e.doc.date.day else None,
                 "alternates": alternates(e, views.versions[e.page], config)} for e in listed]
        return RenderJob("sitemap.xml", "sitemap.xml", default, {"urls": urls})

    def robots() -> RenderJob:
        return RenderJob("robots.txt", "robots.txt", default, {"sitemap": config.base_url + "sitemap.xml"})

    return dict(zip(ROOT_FILES, (chooser, notfound, sitemap, robots), strict=True))


def collisions(entries: list[Entry]) -> list[BuildError]:
    """Two pages that would write the same file are an error naming both."""
    seen, errors = {}, []
    places = [(output_file(e.url), (e.doc.path,) if e.doc else ()) for e in entries]
    for path, sources in places + [(path, ()) for path in ROOT_FILES]:
        if path in seen:
            names = " and ".join((*seen[path], *sources)) or "two pages"
            errors.append(BuildError(sources[0] if sources else path, None,
                                     f"{names} would both be written to output/{path}",
                                     "give one of them another slug (front matter 'slug:') or date", kind="url"))
        else:
            seen[path] = sources
    return errors


def fingerprint(job: RenderJob, theme: Theme) -> str:
    """Hash of everything a page is made from: its template closure and its view data."""
    digest = hashlib.sha256(f"{job.template}\0{job.lang}\0{theme.template_digest(job.template)}\0".encode())
    digest.update(value_bytes(job.context))
    return digest.hexdigest()[:20]


def render(job: RenderJob, theme: Theme) -> bytes | BuildError:
    """Render one page to bytes, or return the template error."""
    try:
        template = theme.envs[job.lang].get_template(job.template)
        return template.render(**job.context).encode("utf-8")
    except jinja2.TemplateNotFound as exc:
        return BuildError(f"themes/{theme.config.theme}/templates", None, f"template '{exc.name}' not found",
                          "create it, or fix the name in {% extends %} / {% include %}", kind="template")
    except Exception as exc:  # any error raised while rendering is the template's
        return template_error(exc, theme.folder)
