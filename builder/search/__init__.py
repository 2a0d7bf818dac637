"""The search index: Pagefind over the rendered articles and pages, one bundle per language.

Each language has its own bundle, `pagefind/<lang>/`, indexed from the pages' `<html lang>` with that
language's stemming. A search page loads its language's bundle and merges another language's on request
(Pagefind's `mergeIndex` needs the two at different paths). Only the parts of a page its template marks
(`data-pagefind-body`: the title and the text) are indexed, with its tags as a filter and its date as sort
key and metadata; lists, tag pages, redirects, the 404 pages, originals shown in place of a missing
translation and documents with `search: false` are not.

The pages are indexed from the bytes the render stage produced (the staged file of a page rendered again,
else the one in output/), linked into a work folder in the state folder; Pagefind writes its bundle there,
and its files are staged like pages, so output/ changes only at commit. While the fingerprints of a
language's indexed pages are unchanged, its bundle is kept as the last build left it, without running
Pagefind.

The package: this module decides which bundles are kept and which are made again (`search_outputs`);
`pagefind` runs the indexer and stages what it writes; `canonical` gives its output the same bytes for the
same pages.
"""

from __future__ import annotations

import hashlib
import os

from builder.config import Config
from builder.kinds.search import FOLDER
from builder.model import Entry
from builder.produce import Outcome
from builder.search.pagefind import index_anew
from builder.state import State
from builder.urls import output_file

FORMAT = "1"  # bump when what goes into a bundle changes
KINDS = ("post", "page")  # the page kinds indexed


def indexed_pages(entries: list[Entry]) -> dict[str, list[str]]:
    """The output files to index, by language: articles and pages in their own language, not left out."""
    found: dict[str, list[str]] = {}
    for entry in entries:
        if entry.page.kind in KINDS and not entry.fallback and entry.doc is not None and entry.doc.search:
            found.setdefault(entry.lang, []).append(output_file(entry.url))
    return found


def search_outputs(
    entries: list[Entry], outcomes: list[Outcome], state: State, config: Config, defer: bool = False
) -> tuple[list[Outcome], bool]:
    """Every file of every language's bundle: kept while its pages are unchanged, else indexed anew; and
    whether indexing is still to do. With `defer` (the dev server, which indexes after the pages are
    served), a bundle to index again is left as the last build wrote it, for a next build to replace."""
    if not config.search or any(o.error for o in outcomes):
        return [], False
    by_path = {o.path: o for o in outcomes}
    done, todo = [], {}
    for lang, pages in sorted(indexed_pages(entries).items()):
        key = _bundle_key(lang, sorted(pages), by_path)
        kept = _kept(lang, key, state, config)
        if kept is None:
            todo[lang] = (key, pages)
        else:
            done += kept
    if todo and defer:
        return done + [o for lang in todo for o in _previous(lang, state, config)], True
    if todo:
        done += index_anew(todo, by_path, config)
    return done, False


def _previous(lang: str, state: State, config: Config) -> list[Outcome]:
    """The files of a language's bundle as the last build left them, still in output/."""
    prefix = f"{FOLDER}/{lang}/"
    return [
        Outcome(path, mark)
        for path, mark in sorted(state.outputs.items())
        if path.startswith(prefix) and os.path.isfile(config.output_dir / path)
    ]


def _bundle_key(lang: str, pages: list[str], by_path: dict[str, Outcome]) -> str:
    """Digest of what a bundle is made from: the indexed pages' paths and fingerprints, Pagefind's version."""
    from builder.versions import versions

    digest = hashlib.sha256(f"{FORMAT}\0{lang}\0{versions()}".encode())
    for path in pages:
        digest.update(f"\n{path}\0{by_path[path].mark}".encode())
    return digest.hexdigest()[:20]


def _kept(lang: str, key: str, state: State, config: Config) -> list[Outcome] | None:
    """The last build's bundle of a language, when it was made from the same pages and is all in place."""
    prefix = f"{FOLDER}/{lang}/"
    files = [path for path in state.outputs if path.startswith(prefix)]
    if f"{prefix}pagefind-entry.json" not in files:
        return None
    if any(state.outputs[path] != key or not os.path.isfile(config.output_dir / path) for path in files):
        return None
    return [Outcome(path, key) for path in sorted(files)]
