"""Turn each page into a render job and render it to bytes; nothing here touches the disk."""

from __future__ import annotations

import hashlib
import signal
import threading

import jinja2

from builder.environment import value_bytes
from builder.errors import BuildError
from builder.kinds import BY_NAME
from builder.kinds.root import ROOT_FILES
from builder.model import Entry, RenderJob
from builder.sandbox import folders_needed, path_problem
from builder.theme import Theme, template_error
from builder.urls import output_file
from builder.views import Views


def entry_job(views: Views, entry: Entry) -> tuple[RenderJob, tuple[str, ...]]:
    """The render job of one page of the site, and the dependency keys its view read (views/reader.py)."""
    view, refs = views.shape(entry)
    return RenderJob(
        path=output_file(entry.url), template=BY_NAME[entry.page.kind].template, lang=entry.lang, context=view
    ), refs


def collisions(entries: list[Entry]) -> list[BuildError]:
    """Two pages that would write the same file, or a file where another page needs a folder, are errors
    naming both; so is a page whose path would leave the output folder."""
    seen, errors = {}, []
    places = [(output_file(e.url), _sources(e)) for e in entries]
    for path, sources in places + [(path, ()) for path in ROOT_FILES]:
        problem = path_problem(path)
        if problem:
            errors.append(
                BuildError(
                    sources[0][0] if sources else "config.toml",
                    None,
                    f"the page's path output/{path} {problem}",
                    "change the slug, tag label or permalink that makes this path",
                    kind="url",
                )
            )
        elif path in seen:
            errors.append(_collision(path, seen[path], sources, f"would both be written to output/{path}"))
        else:
            seen[path] = sources
    for folder, inner in sorted(folders_needed(seen).items()):
        if folder in seen:
            errors.append(
                _collision(
                    folder,
                    seen[folder],
                    seen[inner],
                    f"clash: output/{folder} is a file, and output/{inner} needs it as a folder",
                )
            )
    return errors


# Pages the build makes from config.toml alone, by kind: what a message calls them, and the path word
# ([languages.xx.paths]) their URL starts with.
GENERATED = {
    "home": ("the home page", "page"),
    "tags": ("the tags index", "tags"),
    "archives": ("the archives", "archives"),
    "year": ("a year's archive", "archives"),
    "month": ("a month's archive", "archives"),
    "search": ("the search page", "search"),
}


def _sources(entry: Entry) -> tuple[tuple[str, str], ...]:
    """The files a page comes from, each with what a message calls it."""
    if entry.doc:
        return ((entry.doc.path, entry.doc.path),)
    if entry.page.kind in ("tag", "tagfeed"):
        return (("content/tags.toml", "content/tags.toml"),)
    if entry.page.kind in GENERATED:
        what, word = GENERATED[entry.page.kind]
        return (("config.toml", f"{what} of '{entry.lang}' (path word {word} in config.toml)"),)
    return ()


def _collision(path: str, first: tuple, second: tuple, what: str) -> BuildError:
    sources = dict.fromkeys((*first, *second))
    names = " and ".join(label for _, label in sources) or "two pages"
    files = [file for file, _ in (*second, *first)]
    own = [file for file in files if file != "config.toml"]
    if files and not own:
        hint = "give each its own path word: [languages.<lang>.paths] in config.toml"
    elif len(own) < len(files):
        hint = "give the article or page another slug (front matter 'slug:'), or change that path word"
    else:
        hint = "give one of them another slug (front matter 'slug:') or date"
    return BuildError((own or files or [path])[0], None, f"{names} {what}", hint, kind="url")


def fingerprint(job: RenderJob, theme: Theme, templates: tuple[str, ...]) -> str:
    """Hash of everything a page is made from: the templates its last render loaded, its catalog, its view."""
    digest = hashlib.sha256(f"{job.template}\0{job.lang}\0{theme.catalog_digest(job.lang)}\0".encode())
    for name in templates:
        digest.update(f"{name}={theme.source_digest(name)}\0".encode())
    digest.update(value_bytes(job.context))
    return digest.hexdigest()[:20]


PAGE_BUDGET = 20.0  # seconds a page's template may run before it is stopped (a loop that never ends)


class TemplateTimeout(Exception):
    """A template ran past the page budget."""


TIMED_OUT = " s and was stopped"  # how the message of a page past its budget ends


def _stop(signum, frame):
    raise TemplateTimeout(f"the template ran for more than {PAGE_BUDGET:.0f}{TIMED_OUT}")


def timed_out(error: BuildError | None) -> bool:
    """Whether a page's error is the page budget running out: the pages after it would most likely take
    as long (a loop in base.html), so a worker renders no more of them."""
    return error is not None and error.message.endswith(TIMED_OUT)


def render(job: RenderJob, theme: Theme) -> tuple[bytes, tuple[str, ...]] | BuildError:
    """Render one page to bytes, with the names of the templates it loaded; or return the template error.

    In the main thread of a process (the CLI build and its workers) a timer stops a template that runs
    past PAGE_BUDGET, so a loop that never ends is reported with its template instead of hanging.
    """
    timed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    try:
        if timed:
            previous = signal.signal(signal.SIGALRM, _stop)
            signal.setitimer(signal.ITIMER_REAL, PAGE_BUDGET)
        try:
            text, templates = theme.render(job.lang, job.template, job.context)
            return text.encode("utf-8"), templates
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
    except jinja2.TemplateNotFound as exc:
        where = template_error(exc, theme.config.root)
        includer = f"{where.path}, line {where.line}, asks for" if where.line else "a template asks for"
        return BuildError(
            where.path if where.line else f"the theme's templates ({theme.config.theme})",
            where.line,
            f"{includer} template '{exc.name}', which does not exist",
            "create it, or fix the name in {% extends %} / {% include %} / {% import %}",
            kind="template",
        )
    except Exception as exc:  # any error raised while rendering is the template's
        return template_error(exc, theme.config.root)
