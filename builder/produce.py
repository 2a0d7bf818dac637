"""The render stage: shape each page's view, fingerprint it, render and stage what changed."""

from __future__ import annotations

import errno
import hashlib
import os
from typing import NamedTuple

from builder.config import Config
from builder.errors import BuildError, ErrorKind
from builder.i18n import load_locales
from builder.model import Entry, RenderJob, Site
from builder.parallel import SHARED, Shares, pool, workers
from builder.render import entry_job, fingerprint, render, timed_out
from builder.state import State
from builder.theme import Theme
from builder.urls import output_file
from builder.views import Views
from builder.writer import stage

PARALLEL_PAGES = 600  # below this many pages to shape, worker start-up costs more than it saves
CHUNK = 16  # pages a worker claims at a time


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


def _run(views: Views, theme: Theme, entries: list[Entry], state: State, config: Config):
    """Shape, fingerprint and (when stale) render and stage these pages in order; also whether one ran out
    of time, which ends the run: the build fails, and one page's time is enough to tell why."""
    done = []
    for entry in entries:
        job, refs = entry_job(views, entry)
        done.append(produce(job, theme, state, config, refs))
        if timed_out(done[-1].error):
            return done, True
    return done, False


def _page_share(owner: int) -> list[tuple[int, list[Outcome]]]:
    """One worker's pages: chunks of its own run of `todo` (one language's, mostly: its cards are shaped
    once), then of the others'. Returns each chunk's outcomes with its start, to be put back in order."""
    site, config, state, shares = SHARED["site"], SHARED["config"], SHARED["state"], SHARED["shares"]
    views, theme, todo, done = Views(site, config, SHARED["entries"]), SHARED["theme"], SHARED["todo"], []
    while (claimed := shares.claim(owner)) is not None:
        part, out_of_time = _run(views, theme, todo[claimed[0] : claimed[1]], state, config)
        done.append((claimed[0], part))
        if out_of_time:
            shares.stop()
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
    meanwhile=None,
) -> list[Outcome]:
    """Fingerprint and render the pages whose inputs may have changed, on all cores when they are many.

    A page none of whose recorded dependencies changed keeps its view, so it is not even shaped: after
    one edit, only the pages that read what the edit changed are. `meanwhile`, work of this process, is
    done while the workers render (when there are workers), else after the pages.
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
            load_locales(lang.locale for lang in config.languages)
            SHARED["shares"] = Shares(len(todo), count, CHUNK)
            with pool(count) as executor:
                running = executor.map(_page_share, range(count))
                if meanwhile is not None:
                    meanwhile()
                shares = [part for share in running for part in share]
            parts = sorted(shares, key=lambda part: part[0])
            return kept + [outcome for _, outcomes in parts for outcome in outcomes]
        done = _run(Views(site, config, entries), theme, todo, state, config)[0]
        if meanwhile is not None:
            meanwhile()
        return kept + done
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
