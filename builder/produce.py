"""The render stage: shape each page's view, fingerprint it, render and stage what changed."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path
from typing import NamedTuple

from builder.assets import FOLDER, hashed_path, static_sources
from builder.cards import card_for, ensure
from builder.config import Config
from builder.errors import BuildError, ErrorKind
from builder.images import cache_folder
from builder.kinds import headers
from builder.kinds.root import ROOT_FILES
from builder.model import Entry, RenderJob, Site
from builder.parallel import SHARED, pool, workers
from builder.render import entry_job, fingerprint, render
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
    refs: tuple[str, ...] = ()  # documents its view shows
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


def _staged(config: Config, path: str, data: bytes) -> tuple[str | None, BuildError | None]:
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
        and os.path.exists(f"{config.output_dir}/{job.path}")
    ):
        return Outcome(job.path, state.outputs[job.path], refs, known)
    made = render(job, theme)
    if isinstance(made, BuildError):
        return Outcome(job.path, "", refs, error=made)
    data, templates = made
    staged, error = _staged(config, job.path, data)
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
    return done


def changed_documents(state: State, docs: dict[str, str]) -> set[str]:
    """The documents added, removed or changed since the last build (by id)."""
    return {ref for ref in state.docs.keys() | docs.keys() if state.docs.get(ref) != docs.get(ref)}


def reused(path: str, config: Config, state: State, structure: str, changed: set[str]) -> Outcome | None:
    """The last build's outcome for an output whose view is known unchanged (same structure, no changed
    document shown, file in place), else None."""
    refs = state.refs.get(path)
    if (
        state.structure == structure
        and refs is not None
        and path in state.outputs
        and path in state.templates
        and changed.isdisjoint(refs)
        and os.path.exists(f"{config.output_dir}/{path}")
    ):
        return Outcome(path, state.outputs[path], refs, state.templates[path])
    return None


def render_pages(
    site: Site,
    config: Config,
    theme: Theme,
    entries: list[Entry],
    state: State,
    structure: str,
    changed: set[str],
) -> list[Outcome]:
    """Fingerprint and render the pages whose inputs may have changed, on all cores when they are many.

    While the site's structure is unchanged, a page whose documents are all unchanged keeps its view,
    so it is not even shaped: after one edit, only the pages that show the edited article are.
    """
    kept, todo = [], []
    for entry in entries:
        outcome = reused(output_file(entry.url), config, state, structure, changed)
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
    views: Views, roots: dict, theme: Theme, state: State, config: Config, structure: str, changed: set[str]
) -> list[Outcome]:
    """The files at the root of the site (language chooser, 404, sitemap, robots.txt)."""
    done = []
    for path, make in roots.items():
        outcome = reused(path, config, state, structure, changed)
        if outcome is None:
            views.refs = set()
            job = make()
            outcome = produce(job, theme, state, config, tuple(sorted(views.refs)))
        done.append(outcome)
    return done


def data_output(config: Config, rel: str, data: bytes) -> Outcome:
    """An output made in the build rather than rendered from a template (`_redirects`), staged if new."""
    staged, error = _staged(config, rel, data)
    return Outcome(rel, hashlib.sha256(data).hexdigest()[:20], staged=staged, error=error)


def _unreadable(rel: str, path: Path, problem: str) -> Outcome:
    """The outcome of a static file that cannot be copied."""
    error = BuildError(str(path), None, problem, "fix or remove the file", kind=ErrorKind.OUTPUT)
    return Outcome(rel, "", error=error)


def static_outputs(config: Config) -> list[Outcome]:
    """The theme chain's static files (child first) under static/, each also under its hashed name (see
    builder/assets.py), then the site's static/ at the root, as is; and `_headers` for them all.

    A site file on the same path as a theme's (`static/style.css`) wins: the site over the theme.
    """
    done, known, own = {}, {}, None
    for rel, path in sorted(static_sources(config).items()):
        try:
            data = path.read_bytes()
            if rel == headers.FILE:  # the site's own, at the head of the generated file
                own = data.decode("utf-8")
                continue
        except (OSError, UnicodeDecodeError) as exc:
            problem = "is not UTF-8: save it as UTF-8" if isinstance(exc, UnicodeDecodeError) else None
            done[rel] = _unreadable(rel, path, problem or f"cannot be read: {exc.strerror}")
            continue
        names = {rel: False, hashed_path(rel, data): True} if rel.startswith(FOLDER) else {rel: False}
        for name, hashed in names.items():
            done[name], known[name] = data_output(config, name, data), hashed
    known.update({name: False for name in (*ROOT_FILES, *ICONS) if name not in known})
    if headers.FILE not in done:  # else the site's own could not be read: its error stands
        done[headers.FILE] = data_output(config, headers.FILE, headers.headers_file(config, known, own))
    return list(done.values())


def cached_output(config: Config, state: State, rel: str, mark: str, source: str, owner: str) -> Outcome:
    """An output copied from the build's cache (a picture's variant, a card): left alone when the last build
    wrote it with the same mark and it is still in place, else staged from `source`."""
    if state.outputs.get(rel) == mark and os.path.isfile(os.path.join(config.output_dir, rel)):
        return Outcome(rel, mark)
    try:
        with open(source, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        problem = BuildError(
            owner,
            None,
            f"its file {rel} cannot be read from the build cache ({exc.strerror})",
            "build again",
            kind=ErrorKind.OUTPUT,
        )
        return Outcome(rel, "", error=problem)
    staged, error = _staged(config, rel, data)
    return Outcome(rel, mark, rendered=state.outputs.get(rel) != mark, staged=staged, error=error)


def picture_outputs(site: Site, state: State, config: Config) -> list[Outcome]:
    """Every variant of every picture the site shows (see builder/images.py)."""
    done = {}
    for asset, picture in sorted(site.pictures.items()):
        folder = cache_folder(config, site.assets[asset])
        for rel, name in picture.files():
            mark, source = f"{picture.name}:{name}", os.path.join(folder, name)
            done[rel] = cached_output(config, state, rel, mark, source, asset)
    return list(done.values())


def card_outputs(views: Views, entries: list[Entry], state: State, config: Config) -> list[Outcome]:
    """The social card of every article page that has no picture (see builder/cards.py)."""
    cards = {}
    for entry in entries:
        card = card_for(views, entry) if entry.page.kind == "post" else None
        if card is not None:
            cards.setdefault(card.path, card)
    files = ensure(list(cards.values()), config)
    return [
        cached_output(config, state, rel, card.name, files[card.name], "social card")
        for rel, card in sorted(cards.items())
    ]


ICONS = ("favicon.ico", "apple-touch-icon.png")  # at the site's root, where browsers and crawlers look


def icon_outputs(config: Config, state: State) -> list[Outcome]:
    """The favicon and touch icon at the site's root: the site's own (its static/), else the theme's."""
    sources, done = static_sources(config), []
    for name in ICONS:
        path = sources.get(f"static/{name}")
        if name in sources or path is None:
            continue
        try:
            made = data_output(config, name, path.read_bytes())
            done.append(made._replace(rendered=state.outputs.get(name) != made.mark))
        except OSError as exc:
            done.append(
                Outcome(
                    name,
                    "",
                    error=BuildError(
                        str(path),
                        None,
                        f"cannot be read: {exc.strerror}",
                        "fix or remove the file",
                        kind=ErrorKind.OUTPUT,
                    ),
                )
            )
    return done
