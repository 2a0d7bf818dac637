"""build(): the stages of a build in order, each timed, and the shortcut when nothing changed.

    discover  content/ files, the vocabulary            -> sources
    parse     reading, front matter, Markdown (workers)  -> documents
    assemble  translations, tags, related, stale, links  -> Site
    plan      every page per language, root files        -> entries, views, theme
    render    views, fingerprints, templates (workers)   -> staged outputs
    commit    journaled renames, manifest, saved state   -> output/

The CLI and the dev server both call `build`. Nothing is written into output/ before commit.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from builder.config import Config
from builder.errors import BuildError, BuildFailed
from builder.inputs import forget, remember, signature, unchanged, with_history


@dataclass
class BuildResult:
    """What a build did, for the summary line and the dev server."""

    pages: int = 0  # pages in the site (static files not counted)
    rendered: int = 0  # pages whose inputs changed and were rendered again
    written: tuple[str, ...] = ()  # files written
    removed: tuple[str, ...] = ()  # files removed
    kept: tuple[str, ...] = ()  # files in the output folder that Diptyque did not write, left alone
    files: tuple[str, ...] = ()  # every file of the site, under the output folder
    warnings: list[str] = field(default_factory=list)  # stale translations and the like
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    search_pending: bool = False  # the search index is left as it was, for a next build to update


@contextmanager
def timed(timings: dict[str, float], stage: str):
    """Add the time spent in a block to a stage's total, for --profile."""
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


@contextmanager
def collector_paused():
    """No cyclic garbage collection during a build (it resumes after, as it was).

    A build allocates millions of objects that live as long as it does (the saved state, documents,
    pages) and makes few reference cycles: about 60,000 unreachable objects in a whole cold build of
    1,000 articles × 2 in one process. Every full collection walks all of the live ones for nothing:
    they took 0.09 s of a 0.75 s rebuild after one edit.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(
    config: Config, *, use_cache: bool = True, background_save: bool = False, defer_search: bool = False
) -> BuildResult:
    """Build the site into its output folder; raise BuildFailed with every error, leaving it untouched.

    When no input file, setting or library changed since the last good build and its files are all in
    place, nothing is read, rendered or written: the check costs a few milliseconds. `background_save`
    lets a long-running caller (the dev server) go on while the build state is written to disk;
    `defer_search` lets it serve the pages before the search index is updated by the next build.
    """
    from builder.targets import check_folders

    start = time.perf_counter()
    unusable = check_folders(config.output_dir, config.state_dir, config.root)
    if unusable:
        raise BuildFailed(unusable)
    mark, stats = signature(config)
    record = unchanged(config, with_history(config, mark)) if use_cache else None
    if record and not (config.strict and record["warnings"]):
        return BuildResult(
            pages=record["pages"],
            files=tuple(record["files"]),
            warnings=list(record["warnings"]),
            timings={"check": time.perf_counter() - start},
        )
    try:
        with collector_paused():
            result = stages(config, use_cache, background_save, defer_search, stats)
    except BaseException:
        from builder.state import finish_saving

        forget(config)
        finish_saving()  # a Markdown cache written ahead: its child is waited for
        raise
    if not result.search_pending:  # else the next build is not one with nothing to do
        remember(config, with_history(config, mark), list(result.files), result.pages, result.warnings)
    return result


def stages(config: Config, use_cache: bool, background: bool, defer_search: bool, stats) -> BuildResult:
    """Run every stage; raise BuildFailed with every error found as far as the plan, else with the errors of
    the first later stage that found some."""
    from builder import stages as stage
    from builder.urls import output_file

    result = BuildResult()
    timings = result.timings
    with timed(timings, "discover"):
        state, sources, tags, errors = stage.discover(config, use_cache, stats, result.warnings)
    with timed(timings, "parse"):
        metas, found, bodies, sources = stage.parse(sources, tags, state, config)
    unread = errors + found  # files that could not be read: the others are still checked, then all told
    with timed(timings, "assemble"):
        try:
            site, found = stage.assemble(metas, bodies, tags, sources, state, config, result.warnings)
        except Exception:
            if not unread:
                raise
            _stop(unread)  # a partial site a check did not expect: what is known is told
    if unread or found:
        known = unread + found
        # a line already named (a missing picture) is not named again by the plan's check of its link
        told = {(e.path, e.line) for e in known if e.line}
        later = [e for e in _planned_anyway(stage, site, state, config) if (e.path, e.line) not in told]
        _stop(list(dict.fromkeys(known + later)))
    with timed(timings, "plan"):
        plan, found = stage.plan(site, state, config)
    _stop(found)
    with timed(timings, "render"):
        outcomes, result.search_pending, found = stage.render(site, plan, state, config, defer_search)
    _stop(found, config)
    with timed(timings, "commit"):
        report = stage.commit(outcomes, sources, metas, bodies, site, plan, state, config, background)
    pages = {output_file(entry.url) for entry in plan.entries} | set(plan.roots)
    result.pages = sum(o.path in pages for o in outcomes)
    result.rendered = sum(o.rendered for o in outcomes if o.path in pages)
    result.written, result.removed, result.kept = report.written, report.removed, report.kept
    result.files = tuple(sorted(o.path for o in outcomes))
    return result


def _planned_anyway(stage, site, state, config: Config) -> list[BuildError]:
    """The errors the plan finds (links, paths) in a site whose assembly already found some, so that one run
    names every problem. On a site missing documents that could not be read, links to those are not errors
    of their own; a plan that cannot run on such a site adds nothing to what is already known."""
    try:
        return stage.plan(site, state, config)[1]
    except Exception:  # noqa: BLE001 — see above
        return []


def _stop(errors: list[BuildError], config: Config | None = None) -> None:
    """Raise BuildFailed when a stage found errors; after render, first drop what was staged."""
    if errors:
        if config is not None:
            from builder.writer import discard

            discard(config.output_dir)
        raise BuildFailed(errors)
