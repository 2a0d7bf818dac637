"""Links that last, where the build uses the URL history: the plan stage's redirect pages and link check
(`arrange`), the `_redirects` file among the static outputs, the history written once output/ is
committed (`commit`), and the pages gone from the site for `diptyque status`.

A build with drafts, or into another output folder (the dev server), reads the history and never
writes it.
"""

from __future__ import annotations

from typing import NamedTuple

from builder import links
from builder.assets import static_sources
from builder.config import Config
from builder.errors import BuildError
from builder.kinds import redirect
from builder.kinds.root import ROOT_FILES
from builder.model import Entry
from builder.produce import data_output
from builder.urlhistory.record import PATH, History, Ref
from builder.urlhistory.writing import Moves, reconcile, save


class Lasting(NamedTuple):
    """What the plan stage adds for links that last: redirect pages, the redirects, the history's moves."""

    pages: list[Entry]  # redirect pages (old URLs and aliases that name a folder or an .html file)
    redirects: dict  # old URL -> kinds.redirect.Redirect, for every redirect (feeds too)
    moves: Moves  # what the history and the pages make of each other
    errors: list[BuildError]  # aliases that cannot be, links that lead nowhere


def arrange(site, entries: list[Entry], config: Config) -> Lasting:
    """Redirects from the history and the aliases, then every internal link of the documents checked."""
    moves = reconcile(site.history or History(), entries)
    docs = [doc for versions in site.translations.values() for doc in versions.values()]
    alias, errors = redirect.aliases(docs, entries, config.root)
    every, pages = redirect.pages(moves.redirects, alias, entries)
    files = {
        "/",
        f"/{redirect.FILE}",
        *(f"/{name}" for name in ROOT_FILES),
        *(f"/{rel}" for rel in static_sources(config)),
    }
    targets = links.Targets(
        pages={e.url: e for e in (*entries, *pages)},
        moved={old: r.target for old, r in every.items()},
        files=frozenset(files),
        assets=frozenset(site.assets),
        own=links.own_urls(entries),
        translations=site.translations,
        unread=site.unread,
        base_path=config.base_path,
    )
    errors += links.check(
        docs, targets, lambda path: (config.root / path).read_text(encoding="utf-8", errors="replace")
    )
    return Lasting(pages, every, moves, errors)


def with_redirects(statics: list, lasting: Lasting | None, config: Config) -> list:
    """The static outputs, with `_redirects` made from every redirect (after the site's static/_redirects)."""
    if lasting is None:
        return statics
    data = redirect.redirects_file(lasting.redirects, config.base_path, redirect.own_redirects(config.root))
    kept = [o for o in statics if o.path != redirect.FILE]
    return kept + ([data_output(config, redirect.FILE, data)] if data is not None else [])


def records(config: Config) -> bool:
    """Whether this build writes the history: a build of the site's own output at its own address (not a
    preview's, whose domain would fix the feed ids of new articles), without drafts."""
    return config.output is None and not config.drafts and not config.previewed


def tell(moves: Moves, report: list) -> None:
    """Say in the build's warnings that URLs moved (new URLs are recorded without a word)."""
    if moves.moved:
        count = len(moves.moved)
        report.append(f"{count} URL{'s' if count != 1 else ''} moved; redirects written; commit {PATH}")


def commit(lasting: Lasting | None, site, config: Config) -> None:
    """After output/ is committed: write the history when a URL appeared or moved, and say so."""
    if lasting is None or lasting.moves.text is None or not records(config):
        return
    report = site.history.report if site.history else []
    try:
        save(config, lasting.moves.text)
    except OSError as exc:
        report.append(
            f"{PATH}: cannot be written ({exc.strerror or exc}): output/ is built, but the next "
            "build will not know this build's URLs; fix the permissions and build again"
        )
        return
    tell(lasting.moves, report)


def gone(config: Config) -> list[tuple[str, Ref]]:
    """The URLs of the history whose page no longer exists (for `diptyque status`); nothing is written."""
    from builder import stages  # the stages use this package
    from builder.discover import discover, discover_assets
    from builder.pages import site_entries
    from builder.prepare import prepare
    from builder.state import load_state
    from builder.taxonomy import load_tags

    state, warnings = load_state(config.state_dir), []
    sources, errors = discover(config, state.sources, None, warnings)
    tags, tag_errors = load_tags(config)
    if errors or tag_errors:
        return []
    found = stages.Found(sources, discover_assets(config, state.sources, None))
    metas, errors, bodies = prepare(found.sources, tags, state, config)  # no theme: status writes nothing
    if errors:
        return []
    site, errors = stages.assemble(metas, bodies, tags, found, state, config, warnings)
    if errors:
        return []
    return reconcile(site.history, site_entries(site, config)).gone


def gone_lines(config: Config) -> list[str]:
    """`diptyque status` lines for the pages gone from the site."""
    found = gone(config)
    lines = (
        [
            f"pages gone ({len(found)}): their URLs answer 404, unless an alias (aliases: in a page's front "
            f"matter) takes them, or `diptyque urls prune URL` forgets them"
        ]
        if found
        else []
    )
    return lines + [f"  gone: {url} ({ref.kind} {ref.key or ref.lang}, {ref.lang})" for url, ref in found]
