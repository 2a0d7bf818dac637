"""The build pipeline: discover → parse → Markdown → assemble → pages → write."""

from __future__ import annotations

import gc
import hashlib
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import replace

from builder.assemble import assemble
from builder.build import BuildResult
from builder.config import Config
from builder.discover import discover, read_source
from builder.errors import BuildError, BuildFailed, ErrorKind
from builder.markdown import to_html
from builder.model import Entry, Rendered, Site, SourceFile
from builder.pages import document_digests, site_entries, structure
from builder.parse import Meta, make_document, meta_from_record, meta_record, parse_meta
from builder.render import collisions, entry_job, fingerprint, render, root_jobs
from builder.inputs import forget
from builder.state import State, finish_saving, load_state, save_state
from builder.taxonomy import load_tags
from builder.theme import Theme, theme_for
from builder.urls import output_file
from builder.views import Views
from builder.writer import check_targets, commit, discard, recover, stage

WORKERS = min(os.cpu_count() or 1, 8)
PARALLEL_BODIES = 48  # below this many files to read and render, worker start-up costs more than it saves
PARALLEL_PAGES = 600  # likewise for pages
_METAS: dict[str, Meta] = {}  # front matter rebuilt from the state, by file digest: kept between builds of a process
_SHARED: dict = {}  # what forked page workers inherit: set just before the pool starts


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


@contextmanager
def _pool(count: int):
    """Forked workers. The parent's objects are frozen out of the garbage collector meanwhile: a
    collection in a worker would otherwise walk, and so copy, every page of the inherited heap."""
    from concurrent.futures import ProcessPoolExecutor  # imported here: most rebuilds fork no worker
    from multiprocessing import get_context

    gc.freeze()
    try:
        with ProcessPoolExecutor(count, mp_context=get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _workers() -> int:
    """Worker processes to use: forking is safe only while this process runs a single thread (not in serve)."""
    return WORKERS if threading.active_count() == 1 else 1


def _prepare(source: SourceFile, tags, cache: dict[str, Rendered]) -> tuple[Meta | list[BuildError], Rendered | None]:
    """Validate one read file's front matter and render its body, unless the cache holds that rendering."""
    meta = parse_meta(source, tags)
    if isinstance(meta, list):
        return meta, None
    if f"{source.lang}:{meta.body_digest}" in cache:
        return meta, None
    return replace(meta, body=""), to_html(meta.body, source.lang)


def _prepare_slice(start: int, step: int) -> list[tuple[Meta | list[BuildError], Rendered | None]]:
    """One worker's share of `prepare`: every `step`-th file read."""
    tags, cache = _SHARED["tags"], _SHARED["cache"]
    return [_prepare(source, tags, cache) for source in _SHARED["read"][start::step]]


def prepare(sources: list[SourceFile], tags, state: State, config: Config):
    """Validate every file's front matter and render the bodies the cache lacks.

    Unchanged files reuse what the state holds (their front matter and rendering). The others are read,
    parsed and rendered together, in worker processes when they are many (a cold build): front matter is
    then no longer a serial step before the Markdown one. Returns (source, meta) pairs in order, errors,
    and the rendering of every body by "lang:body digest".
    """
    slots, errors, read = [], [], []
    for source in sources:
        record = state.metas.get(source.digest) if source.text is None else None
        if (record is not None and all(tag in tags for tag in record[3])  # still valid against the vocabulary
                and f"{source.lang}:{record[-1]}" in state.markdown):  # and its rendering kept
            if source.digest not in _METAS:
                _METAS[source.digest] = meta_from_record(record)
            slots.append((source, _METAS[source.digest]))
            continue
        if source.text is None:
            source = read_source(config.root / source.path, source.path, source.kind, config.codes)
            if isinstance(source, BuildError):  # changed since its size and time were taken
                errors.append(source)
                continue
        slots.append((source, None))
        read.append(source)
    workers, results = _workers(), []
    if len(read) >= PARALLEL_BODIES and workers > 1:
        _SHARED.update(read=read, tags=tags, cache=state.markdown)
        try:
            chunks = workers * 16  # small shares: the workers finish together
            results = [None] * len(read)
            with _pool(workers) as pool:
                for start, part in enumerate(pool.map(_prepare_slice, range(chunks), [chunks] * chunks)):
                    results[start::chunks] = part
        finally:
            _SHARED.clear()
    else:
        results = [_prepare(source, tags, state.markdown) for source in read]
    metas, bodies, done = [], {}, iter(results)
    for source, meta in slots:
        rendered = None
        if meta is None:
            meta, rendered = next(done)
            if isinstance(meta, list):
                errors += meta
                continue
        key = f"{source.lang}:{meta.body_digest}"
        bodies[key] = rendered or bodies.get(key) or state.markdown[key]
        metas.append((source, meta))
    return metas, errors, bodies


Outcome = tuple[str, str, "str | BuildError | None", tuple[str, ...]]  # path, fingerprint, what happened, refs
RENDERED = "rendered"  # the outcome of a page rendered to the bytes already on disk


def produce(job, theme, previous: dict[str, str], config: Config, refs: tuple[str, ...]) -> Outcome:
    """Fingerprint a page; when its inputs changed, render it and stage it if its bytes changed."""
    mark = fingerprint(job, theme)
    if previous.get(job.path) == mark and os.path.exists(f"{config.output_dir}/{job.path}"):
        return job.path, mark, None, refs
    data = render(job, theme)
    if isinstance(data, BuildError):
        return job.path, mark, data, refs
    try:
        return job.path, mark, stage(config.output_dir, job.path, data) or RENDERED, refs
    except OSError as exc:
        return job.path, mark, write_error(exc, config), refs


def write_error(exc: OSError, config: Config) -> BuildError:
    """A failure to write into the output folder, in words (a full disk most often)."""
    import errno

    where = os.path.relpath(exc.filename or config.output_dir, config.root)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return BuildError(where, None, "the disk is full: the new site could not be written; the old one is intact",
                          "free some space, then build again", kind=ErrorKind.OUTPUT)
    return BuildError(where, None, f"cannot write the site: {exc.strerror or exc}",
                      "check the folder's permissions and free space", kind=ErrorKind.OUTPUT)


def _page_slice(start: int, stop: int) -> list[Outcome]:
    """Shape, fingerprint and (when stale) render and stage the pages to do from `start` to `stop`.

    One worker's share is a run of consecutive pages, so mostly one language's: a worker then renders
    each post card of that language once (`memo`) however many lists show it.
    """
    site, config, previous = _SHARED["site"], _SHARED["config"], _SHARED["previous"]
    views, theme, done = Views(site, config, _SHARED["entries"]), _SHARED["theme"], []
    for entry in _SHARED["todo"][start:stop]:
        job, refs = entry_job(views, entry)
        done.append(produce(job, theme, previous, config, refs))
    return done


def changed_documents(state: State, docs: dict[str, str]) -> set[str]:
    """The documents added, removed or changed since the last build (by id)."""
    return {ref for ref in state.docs.keys() | docs.keys() if state.docs.get(ref) != docs.get(ref)}


def reusable(path: str, config: Config, state: State, structure: str, changed: set[str]) -> bool:
    """Whether an output's view is known unchanged: same structure, no changed document shown, file in place."""
    refs = state.refs.get(path)
    return (state.structure == structure and refs is not None and path in state.outputs
            and changed.isdisjoint(refs) and os.path.exists(f"{config.output_dir}/{path}"))


def render_pages(site: Site, config: Config, theme: Theme, entries: list[Entry], state: State, structure: str,
                 changed: set[str]) -> list[Outcome]:
    """Fingerprint and render the pages whose inputs may have changed, on all cores when they are many.

    While the site's structure is unchanged, a page whose documents are all unchanged keeps its view,
    so it is not even shaped: after one edit, only the pages that show the edited article are.
    """
    reused, todo = [], []
    theme.forget()
    for entry in entries:
        path = output_file(entry.url)
        if reusable(path, config, state, structure, changed):
            reused.append((path, state.outputs[path], None, state.refs[path]))
        else:
            todo.append(entry)
    _SHARED.update(site=site, config=config, theme=theme, entries=entries, todo=todo, previous=state.outputs)
    try:
        workers = _workers()
        if len(todo) >= PARALLEL_PAGES and workers > 1:
            theme.preload()
            with _pool(workers) as pool:
                bounds = [len(todo) * i // workers for i in range(workers + 1)]
                parts = list(pool.map(_page_slice, bounds[:-1], bounds[1:]))
            return reused + [item for part in parts for item in part]
        return reused + _page_slice(0, len(todo))
    finally:
        _SHARED.clear()


@contextmanager
def _cleaned_on_crash(folder):
    """If rendering crashes (a bug, an interrupt), drop what workers staged: output/ stays as it was."""
    try:
        yield
    except BaseException:
        discard(folder)
        raise


def run(config: Config, *, use_cache: bool = True, background_save: bool = False,
        stats: dict[str, tuple[int, int]] | None = None) -> BuildResult:
    """Build the site into output/; raise BuildFailed with every error, leaving output/ untouched."""
    result, timings, errors = BuildResult(), {}, []
    result.timings = timings
    finish_saving()
    interrupted = recover(config.output_dir, config.state_dir)
    with _timed(timings, "discover"):
        state = load_state(config.state_dir) if use_cache else State()
        if interrupted:  # the last commit was finished from its journal: its state may lag the files
            state = State(markdown=state.markdown, sources=state.sources, metas=state.metas)
        sources, found = discover(config, state.sources, stats, result.warnings)
        tags, tag_errors = load_tags(config)
        errors += found + tag_errors
    with _timed(timings, "parse and markdown"):
        metas, found, bodies = prepare(sources, tags, state, config)
        errors += found
    with _timed(timings, "assemble"):
        documents = [make_document(s, m, bodies[f"{s.lang}:{m.body_digest}"]) for s, m in metas]
        site, found = assemble(documents, tags, config, state.related)
        errors += found
    from builder.assemble import translation_anomalies
    from builder import links

    known = {(key, lang) for (_, key), versions in site.translations.items() for lang in versions}
    errors += links.check([d for v in site.translations.values() for d in v.values()], known, config.codes,
                          lambda path: (config.root / path).read_text(encoding="utf-8", errors="replace"))

    anomalies = translation_anomalies({group: {lang: (d.path, d.translation_of) for lang, d in versions.items()}
                                       for group, versions in site.translations.items()})
    result.warnings += [f"{e.path}: {e.message}; {e.hint}" for e in anomalies]
    errors += anomalies if config.strict else []
    for (lang, key), original in sorted(site.stale.items()):
        doc = (site.translations.get(("post", key)) or site.translations[("page", key)])[lang]
        result.warnings.append(f"{doc.path}: stale translation: {original.path} changed after it was translated")
        if config.strict:
            errors.append(BuildError(doc.path, None, "stale translation: the original changed after it was translated",
                                     f"update the translation, then set translation_of: {original.body_digest}"))
    if errors:
        raise BuildFailed(errors)
    with _timed(timings, "plan"):
        entries = site_entries(site, config)
        views, theme = Views(site, config, entries), theme_for(config)
        roots = root_jobs(views, entries, config)
        docs = document_digests(site)
        shape = structure(site, entries, config, theme.digest())  # also checks the theme's files are UTF-8
        errors += collisions(entries) + theme.errors
    if errors:
        raise BuildFailed(errors)
    outputs, refs, staged, rendered = {}, {}, {}, 0
    with _timed(timings, "render"), _cleaned_on_crash(config.output_dir):
        changed = changed_documents(state, docs)
        pages = render_pages(site, config, theme, entries, state, shape, changed)
        for path, make in roots.items():
            if reusable(path, config, state, shape, changed):
                pages.append((path, state.outputs[path], None, state.refs[path]))
                continue
            views.refs = set()
            job = make()
            pages.append(produce(job, theme, state.outputs, config, tuple(sorted(views.refs))))
        static = config.theme_dir / "static"
        for file in sorted(static.rglob("*")) if static.is_dir() else []:
            if file.is_file():
                rel, data = f"static/{file.relative_to(static).as_posix()}", file.read_bytes()
                try:
                    outcome = stage(config.output_dir, rel, data)
                except OSError as exc:
                    outcome = write_error(exc, config)
                pages.append((rel, hashlib.sha256(data).hexdigest()[:20], outcome, ()))
        for path, mark, outcome, shown in pages:
            outputs[path], refs[path] = mark, shown
            if isinstance(outcome, BuildError):
                errors += [outcome] if outcome not in errors else []
            elif outcome is not None:
                rendered += not path.startswith("static/")
                if outcome != RENDERED:
                    staged[path] = outcome
    errors += check_targets(config.output_dir, staged)
    if errors:
        discard(config.output_dir)
        raise BuildFailed(errors)
    result.pages, result.rendered = len(outputs) - sum(p.startswith("static/") for p in outputs), rendered
    with _timed(timings, "write"):
        forget(config)  # no "nothing changed" shortcut until this commit and its state are on disk
        report = commit(config.output_dir, config.state_dir, staged, set(outputs), len(outputs) - len(staged))
        known = {s.path: (*s.stat, s.digest) for s in sources}
        records = {s.digest: meta_record(m) for s, m in metas}
        related = {lang: (site.related_inputs[lang], {d.key: [r.key for r in site.related[(lang, d.key)]] for d in docs_})
                   for lang, docs_ in site.posts.items()}
        save_state(config.state_dir, State(outputs=outputs, markdown=bodies, sources=known, metas=records,
                                           refs=refs, docs=docs, structure=shape, related=related), previous=state,
                   background=background_save, then=lambda: discard(config.output_dir))
    result.written, result.removed, result.kept = report.written, report.removed, report.kept
    result.files = tuple(sorted(outputs))
    return result
