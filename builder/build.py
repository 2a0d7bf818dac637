"""The build: content/ in, output/ out, through pure stages; the CLI and the dev server both call `build`."""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context

from builder.assemble import assemble
from builder.config import Config
from builder.discover import discover
from builder.errors import BuildError, BuildFailed
from builder.markdown import render_many
from builder.model import Rendered
from builder.parse import Meta, make_document, parse_meta
from builder.render import fingerprint, plan, render
from builder.state import State, load_state, save_state
from builder.taxonomy import load_tags
from builder.theme import Theme
from builder.writer import write_site

PARALLEL_THRESHOLD = 48  # below this many bodies to render, worker start-up costs more than it saves


@dataclass
class BuildResult:
    """What a build did, for the summary line and the dev server."""

    pages: int = 0  # pages in the site
    rendered: int = 0  # pages whose inputs changed and were rendered again
    written: tuple[str, ...] = ()  # files written
    removed: tuple[str, ...] = ()  # files removed
    warnings: list[str] = field(default_factory=list)  # stale translations and the like
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def render_bodies(metas: list[tuple[str, Meta]], cache: dict[str, Rendered]) -> dict[str, Rendered]:
    """Render each (lang, body) once, reusing the cache, in worker processes when there are many."""
    from builder.frontmatter import body_digest

    wanted = {f"{lang}:{body_digest(meta.body)}": (meta.body, lang) for lang, meta in metas}
    result = {key: cache[key] for key in wanted if key in cache}
    missing = [key for key in wanted if key not in result]
    workers = min(os.cpu_count() or 1, 8)
    if len(missing) >= PARALLEL_THRESHOLD and workers > 1:
        chunks = [missing[i::workers * 4] for i in range(workers * 4)]
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            for keys, rendered in zip(chunks, pool.map(render_many, [[wanted[k] for k in c] for c in chunks])):
                result.update(zip(keys, rendered))
    else:
        result.update(zip(missing, render_many([wanted[k] for k in missing])))
    return result


def build(config: Config, *, use_cache: bool = True) -> BuildResult:
    """Build the site into output/; raise BuildFailed with every error, leaving output/ untouched."""
    result, timings = BuildResult(), {}
    result.timings = timings
    errors: list[BuildError] = []
    with _timed(timings, "discover"):
        sources, found = discover(config)
        tags, tag_errors = load_tags(config)
        errors += found + tag_errors
        state = load_state(config.state_dir) if use_cache else State()
    with _timed(timings, "parse"):
        metas = []
        for source in sources:
            meta = parse_meta(source, tags)
            if isinstance(meta, list):
                errors += meta
            else:
                metas.append((source, meta))
    with _timed(timings, "markdown"):
        bodies = render_bodies([(s.lang, m) for s, m in metas], state.markdown)
    with _timed(timings, "assemble"):
        from builder.frontmatter import body_digest

        documents = [make_document(s, m, bodies[f"{s.lang}:{body_digest(m.body)}"]) for s, m in metas]
        site, found = assemble(documents, tags, config)
        errors += found
    for (lang, key), original in sorted(site.stale.items()):
        doc = site.translations[("post", key)].get(lang) or site.translations[("page", key)][lang]
        message = f"{doc.path}: stale translation: {original.path} changed after it was translated"
        result.warnings.append(message)
        if config.strict:
            errors.append(BuildError(doc.path, None, "stale translation: the original changed after it was translated",
                                     f"update the translation, then set translation_of: {original.body_digest}"))
    if errors:
        raise BuildFailed(errors)
    with _timed(timings, "plan"):
        jobs, errors = plan(site, config)
        theme = Theme(config)
        errors += theme.errors
    if errors:
        raise BuildFailed(errors)
    contents, outputs = {}, {}
    with _timed(timings, "render"):
        for job in jobs:
            mark = fingerprint(job, theme)
            outputs[job.path] = mark
            if state.outputs.get(job.path) == mark and (config.output_dir / job.path).exists():
                continue
            data = render(job, theme)
            if isinstance(data, BuildError):
                if data not in errors:
                    errors.append(data)
            else:
                contents[job.path] = data
    if errors:
        raise BuildFailed(errors)
    static = config.theme_dir / "static"
    for path in sorted(static.rglob("*")) if static.is_dir() else []:
        if path.is_file():
            contents[f"static/{path.relative_to(static).as_posix()}"] = path.read_bytes()
    with _timed(timings, "write"):
        report = write_site(config.output_dir, contents, set(outputs) | set(contents))
        save_state(config.state_dir, State(outputs=outputs, markdown=bodies), previous=state)
    result.pages, result.rendered = len(jobs), len(contents)
    result.written, result.removed = report.written, report.removed
    return result
