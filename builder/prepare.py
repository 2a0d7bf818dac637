"""The parse stage: front matter validated and bodies rendered to HTML, in workers on a cold build."""

from __future__ import annotations

from dataclasses import replace

from builder.config import Config
from builder.discover import read_again
from builder.errors import BuildError
from builder.frontmatter import split
from builder.markdown import MarkdownTooDeep, to_html
from builder.markdown.render import converter
from builder.model import Rendered, SourceFile
from builder.parallel import SHARED, pool, workers
from builder.parse import Meta, meta_from_record, parse_meta
from builder.state import State

PARALLEL_BODIES = 48  # below this many files to read and render, worker start-up costs more than it saves
_METAS: dict[str, Meta] = {}  # front matter rebuilt from the state, by record key: kept between builds


def record_key(source: SourceFile) -> str:
    """What saved front matter is filed under: the file's path and digest (a key comes from the name)."""
    return f"{source.path}\0{source.digest}"


Prepared = tuple[Meta | list[BuildError], Rendered | None, str]  # front matter or errors, body, file digest


def _prepare(source: SourceFile, tags, cache: dict[str, Rendered], config: Config) -> Prepared:
    """Read one file if it has not been read, validate its front matter and render its body, unless the
    cache holds that rendering."""
    if source.text is None:
        source = read_again(source, config.root, config.codes)
        if isinstance(source, BuildError):
            return [source], None, ""
    meta = parse_meta(source, tags)
    if isinstance(meta, list):
        return meta, None, source.digest
    if f"{source.lang}:{meta.body_digest}" in cache:
        return meta, None, source.digest
    try:
        return replace(meta, body=""), to_html(meta.body, source.lang), source.digest
    except MarkdownTooDeep as error:
        start = split(source.text, source.path).body_line
        line = start + error.line - 1 if error.line else None
        return [BuildError(source.path, line, error.message, error.hint)], None, source.digest
    except RecursionError:
        return [
            BuildError(
                source.path,
                None,
                "the Markdown is nested too deeply to be rendered",
                "look for lists, quotes or emphasis nested hundreds of levels deep",
            )
        ], None, source.digest


def _prepare_slice(start: int, step: int) -> list[Prepared]:
    """One worker's share of `prepare`: every `step`-th file to read or parse."""
    tags, cache, config = SHARED["tags"], SHARED["cache"], SHARED["config"]
    return [_prepare(source, tags, cache, config) for source in SHARED["read"][start::step]]


def prepare(sources: list[SourceFile], tags, state: State, config: Config, meanwhile=None):
    """Validate every file's front matter and render the bodies the cache lacks.

    Unchanged files reuse what the state holds (their front matter and rendering). The others are read
    (when `discover` left them unread), parsed and rendered together, in worker processes when they are
    many (a cold build): reading and front matter are then no longer serial steps before the Markdown
    one. Returns (source, meta) pairs in order, each source with its digest, errors, and the rendering of
    every body by "lang:body digest". `meanwhile` is work for this process while the workers render
    (when there are workers).
    """
    slots, errors, read = [], [], []
    for source in sources:
        record = state.metas.get(record_key(source)) if source.text is None and source.digest else None
        if (
            record is not None
            and all(tag in tags for tag in record["tags"])  # still valid against the vocabulary
            and f"{source.lang}:{record['body_digest']}" in state.markdown
        ):  # and its rendering kept
            if record_key(source) not in _METAS:
                _METAS[record_key(source)] = meta_from_record(record)
            slots.append((source, _METAS[record_key(source)]))
            continue
        slots.append((source, None))
        read.append(source)
    count, results = workers(), []
    if len(read) >= PARALLEL_BODIES and count > 1:
        SHARED.update(read=read, tags=tags, cache=state.markdown, config=config)
        for code in config.codes:  # built once here, not once per worker
            converter(code)
        try:
            chunks = count * 48  # small shares (about 20 files): the workers finish together
            results = [None] * len(read)
            with pool(count) as executor:
                parts = executor.map(_prepare_slice, range(chunks), [chunks] * chunks)
                if meanwhile is not None:
                    meanwhile()
                for start, part in enumerate(parts):
                    results[start::chunks] = part
        finally:
            SHARED.clear()
    else:
        results = [_prepare(source, tags, state.markdown, config) for source in read]
    metas, bodies, done = [], {}, iter(results)
    for source, meta in slots:
        rendered = None
        if meta is None:
            meta, rendered, digest = next(done)
            if isinstance(meta, list):
                errors += meta
                continue
            if source.digest != digest:  # read in `_prepare`: its text stays there
                source = replace(source, digest=digest)
        key = f"{source.lang}:{meta.body_digest}"
        bodies[key] = rendered or bodies.get(key) or state.markdown[key]
        metas.append((source, meta))
    return metas, errors, bodies
