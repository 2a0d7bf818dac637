"""The render stage: shape each page's view, fingerprint it, render and stage what changed."""

from __future__ import annotations

import errno
import hashlib
import os
from typing import NamedTuple

from builder.config import Config
from builder.errors import BuildError, ErrorKind
from builder.model import Entry, RenderJob, Site
from builder.parallel import SHARED, pool, workers
from builder.render import entry_job, fingerprint, render, timed_out
from builder.state import State
from builder.theme import Theme
from builder.urls import output_file
from builder.views import Views
from builder.writer import stage

PARALLEL_PAGES = 600  # below this many pages to shape, worker start-up costs more than it saves


class Outcome(NamedTuple):
    """What became of one output of the build."""

    path: str  # file under output/
    mark: str  # fingerprint of its inputs
    refs: tuple[str, ...] = ()  # dependency keys its view read (builder/pages.py)
    templates: tuple[str, ...] = ()  # templates its render loaded
    rendered: bool = False  # rendered again in this build
    staged: str | None = None  # the staged file, when its bytes changed
    error: BuildError | None = None  # what went wrong


def write_error(exc: OSError, config: Config) -> BuildError:
    """A failure to write into the output folder, in words (a full disk most often)."""
    where = os.path.relpath(exc.filename or config.output_dir, config.root)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return BuildError(
            where,
            None,
            "the disk is full: the new site could not be written; the old one is intact",
            "free some space, then build again",
            kind=ErrorKind.OUTPUT,
        )
    return BuildError(
        where,
        None,
        f"cannot write the site: {exc.strerror or exc}",
        "check the folder's permissions and free space",
        kind=ErrorKind.OUTPUT,
    )


def stage_output(config: Config, path: str, data: bytes) -> tuple[str | None, BuildError | None]:
    try:
        return stage(config.output_dir, path, data), None
    except OSError as exc:
        return None, write_error(exc, config)


def produce(job: RenderJob, theme: Theme, state: State, config: Config, refs: tuple[str, ...]) -> Outcome:
    """Fingerprint a page against what its last render loaded; if its inputs changed, render and stage it."""
    known = state.templates.get(job.path)
    if (
        known is not None
        and state.outputs.get(job.path) == fingerprint(job, theme, known)
        and os.path.isfile(f"{config.output_dir}/{job.path}")
    ):
        return Outcome(job.path, state.outputs[job.path], refs, known)
    made = render(job, theme)
    if isinstance(made, BuildError):
        return Outcome(job.path, "", refs, error=made)
    data, templates = made
    staged, error = stage_output(config, job.path, data)
    return Outcome(job.path, fingerprint(job, theme, templates), refs, templates, True, staged, error)


def _page_slice(start: int, stop: int) -> list[Outcome]:
    """Shape, fingerprint and (when stale) render and stage the pages to do from `start` to `stop`.

    One worker's share is a run of consecutive pages, so mostly one language's (cards are shaped once
    per language and worker).
    """
    site, config, state = SHARED["site"], SHARED["config"], SHARED["state"]
    views, theme, done = Views(site, config, SHARED["entries"]), SHARED["theme"], []
    for entry in SHARED["todo"][start:stop]:
        job, refs = entry_job(views, entry)
        done.append(produce(job, theme, state, config, refs))
        if timed_out(done[-1].error):  # the build fails: one page's time is enough to tell why
            break
    return done


def changed_keys(state: State, deps: dict[str, str]) -> set[str]:
    """The dependency keys added, removed or given another digest since the last build."""
    old = state.deps
    if old == deps:
        return set()
    return {key for key, digest in deps.items() if old.get(key) != digest} | (old.keys() - deps.keys())


def reused(path: str, config: Config, state: State, changed: set[str]) -> Outcome | None:
    """The last build's outcome for an output whose view is known unchanged (no key its view read has
    changed, file in place), else None."""
    refs = state.refs.get(path)
    if (
        refs
        and path in state.outputs
        and path in state.templates
        and changed.isdisjoint(refs)
        and os.path.isfile(f"{config.output_dir}/{path}")
    ):
        return Outcome(path, state.outputs[path], refs, state.templates[path])
    return None


def render_pages(
    site: Site,
    config: Config,
    theme: Theme,
    entries: list[Entry],
    state: State,
    changed: set[str],
) -> list[Outcome]:
    """Fingerprint and render the pages whose inputs may have changed, on all cores when they are many.

    A page none of whose recorded dependencies changed keeps its view, so it is not even shaped: after
    one edit, only the pages that read what the edit changed are.
    """
    kept, todo = [], []
    for entry in entries:
        outcome = reused(output_file(entry.url), config, state, changed)
        if outcome is None:
            todo.append(entry)
        else:
            kept.append(outcome)
    SHARED.update(site=site, config=config, theme=theme, entries=entries, todo=todo, state=state)
    try:
        count = workers()
        if len(todo) >= PARALLEL_PAGES and count > 1:
            theme.preload()
            with pool(count) as executor:
                bounds = [len(todo) * i // count for i in range(count + 1)]
                parts = list(executor.map(_page_slice, bounds[:-1], bounds[1:]))
            return kept + [item for part in parts for item in part]
        return kept + _page_slice(0, len(todo))
    finally:
        SHARED.clear()


def root_outputs(
    views: Views, roots: dict, theme: Theme, state: State, config: Config, changed: set[str]
) -> list[Outcome]:
    """The files at the root of the site (language chooser, 404, sitemap, robots.txt), their reads recorded
    like a page's."""
    done = []
    for path, make in roots.items():
        outcome = reused(path, config, state, changed)
        if outcome is None:
            views.begin()
            job = make()
            outcome = produce(job, theme, state, config, views.recorded())
        done.append(outcome)
        if timed_out(outcome.error):
            break
    return done


def data_output(config: Config, rel: str, data: bytes) -> Outcome:
    """An output made in the build rather than rendered from a template (`_redirects`), staged if new."""
    staged, error = stage_output(config, rel, data)
    return Outcome(rel, hashlib.sha256(data).hexdigest()[:20], staged=staged, error=error)
