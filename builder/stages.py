"""The stages `build` runs in order; each returns its value and the errors it found."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import NamedTuple

from builder import images, search, urlhistory
from builder.assemble import assemble as assemble_site
from builder.assemble import translation_anomalies
from builder.config import Config
from builder.copied import card_outputs, clashes, icon_outputs, picture_outputs, static_outputs
from builder.discover import discover as discover_sources
from builder.discover import discover_assets
from builder.errors import BuildError
from builder.hrefs import rebase
from builder.images.checks import stray_files
from builder.inputs import forget
from builder.kinds.root import root_jobs
from builder.model import Entry, Site
from builder.pages import dependency_digests, document_digests, settings_digest, site_entries
from builder.parse import make_document, meta_record, notices
from builder.parse.validate import UNLISTED_TAG
from builder.prepare import prepare, record_key
from builder.produce import Outcome, changed_keys, render_pages, root_outputs
from builder.render import collisions
from builder.state import State, finish_saving, load_state, save_state, write_cache_ahead
from builder.targets import check_targets
from builder.taxonomy import load_tags, with_unlisted
from builder.theme import Theme, theme_for
from builder.views import Views
from builder.writer import WriteReport, discard, recover
from builder.writer import commit as commit_files


class Found(NamedTuple):
    """What discovery found under content/."""

    sources: list  # Markdown files (SourceFile)
    assets: dict[str, tuple[int, int, str]]  # every other file: path -> size, mtime, digest
    tags_unread: bool = False  # content/tags.toml is there but could not be read (its error says why)


class Plan(NamedTuple):
    """Every output the build will have, before any is shaped."""

    entries: list[Entry]  # every page of every language
    views: Views  # the view layer over the site
    theme: Theme  # the theme chain's environments
    roots: dict  # root files (index.html, 404.html, sitemap.xml, robots.txt) by path -> job maker
    deps: dict[str, str]  # dependency key -> digest, for every key a view can read (builder/pages.py)
    lasting: urlhistory.Lasting | None = None  # redirects of moved URLs and aliases, the URL history's news


def discover(config: Config, use_cache: bool, stats, warnings: list[str]):
    """Finish what a killed build left, load the saved state, find the content files and the vocabulary."""
    finish_saving()
    interrupted = recover(config.output_dir, config.state_dir)
    state = load_state(config.state_dir) if use_cache else State()
    if interrupted:  # the last commit was finished from its journal: its state may lag the files
        state = State(markdown=state.markdown, sources=state.sources, metas=state.metas)
    sources, errors = discover_sources(config, state.sources, stats, warnings, read=False)  # parse reads
    assets = discover_assets(config, state.sources, stats)
    tags, tag_errors = load_tags(config)
    return state, Found(sources, assets, bool(tag_errors) and not tags), tags, errors + tag_errors


def parse(found: Found, tags, state: State, config: Config):
    """The files read, and the front matter and Markdown of each (see `prepare`); meanwhile, when workers
    do that, the theme's templates are compiled, for the render stage's workers to inherit. The Markdown
    cache is then written ahead, when the save will write it whole. Returns `found` with every file's
    digest too."""
    metas, errors, bodies = prepare(found.sources, tags, state, config, lambda: theme_for(config).preload())
    if not errors:
        write_cache_ahead(config.state_dir, bodies, state)
    read = {source.path: source for source, _ in metas}
    found = found._replace(sources=[read.get(source.path, source) for source in found.sources])
    return metas, errors, bodies, found


def assemble(
    metas, bodies, tags, found: Found, state: State, config: Config, warnings: list[str]
) -> tuple[Site, list]:
    """The Site with its URL history; translations that cannot be right and stale ones reported."""
    documents = [
        images.canonical(
            rebase(make_document(s, m, bodies[f"{s.lang}:{m.body_digest}"]), config.base_path),
            found.assets,
        )
        for s, m in metas
    ]
    tags = with_unlisted(tags, metas, config)  # tag ids missing from tags.toml, labelled with the id
    site, errors = assemble_site(documents, tags, config, state.related)
    read = {s.path for s, _ in metas}
    site = replace(
        site,
        assets=MappingProxyType({path: seen[2] for path, seen in found.assets.items()}),
        unread=frozenset(s.key for s in found.sources if s.path not in read),
    )
    noticed = notices(metas) + stray_files(site, config)  # unknown fields, template tags, stray files…
    if found.tags_unread:  # every tag would be "not in content/tags.toml": its own error is the one to tell
        noticed = [n for n in noticed if not n.message.startswith(UNLISTED_TAG)]
    warnings += [
        f"{e.path}:{e.line}: {e.message}; {e.hint}" if e.line else f"{e.path}: {e.message}; {e.hint}"
        for e in noticed
    ]
    errors += noticed if config.strict else []
    site, unusable = images.attach(site, config, warnings)  # pictures checked, processed unless cached
    errors += unusable
    posts = [doc for docs in site.posts.values() for doc in docs]
    history, unreadable = urlhistory.load(config, posts, warnings)  # content/urls.toml, with new entry ids
    site, errors = replace(site, history=history), errors + unreadable
    anomalies = translation_anomalies(
        {
            group: {lang: (d.path, d.translation_of) for lang, d in versions.items()}
            for group, versions in site.translations.items()
        }
    )
    warnings += [f"{e.path}: {e.message}; {e.hint}" for e in anomalies]
    errors += anomalies if config.strict else []
    for (lang, key), original in sorted(site.stale.items()):
        doc = (site.translations.get(("post", key)) or site.translations[("page", key)])[lang]
        warnings.append(f"{doc.path}: stale translation: {original.path} changed after it was translated")
        if config.strict:
            errors.append(
                BuildError(
                    doc.path,
                    None,
                    "stale translation: the original changed after it was translated",
                    f"update the translation, then set translation_of: {original.body_digest}",
                )
            )
    return site, errors


def plan(site: Site, state: State, config: Config) -> tuple[Plan, list[BuildError]]:
    """Every page per language (redirects of moved URLs too, links checked), the root files, and the
    digest of every dependency key views can read, which incremental rebuilds compare."""
    entries = site_entries(site, config)
    lasting = urlhistory.arrange(site, entries, config)
    entries += lasting.pages
    views, theme = Views(site, config, entries), theme_for(config)
    settings = settings_digest(config, theme.digest())  # theme.digest also checks the theme's files
    docs = images.digests(document_digests(site), site)
    deps = dependency_digests(site, entries, config, settings, docs)
    made = Plan(entries, views, theme, root_jobs(views, config), deps, lasting)
    return made, collisions(entries) + theme.errors + lasting.errors


def render(
    site: Site, plan: Plan, state: State, config: Config, defer_search: bool = False
) -> tuple[list[Outcome], bool, list[BuildError]]:
    """Shape, fingerprint, render and stage every output whose inputs changed (pages, root and static files,
    the search index, unless deferred: then also whether the index is still to do)."""
    try:
        plan.theme.begin()
        changed, roots = changed_keys(state, plan.deps), []
        outcomes = render_pages(  # the root files are made while the workers render the pages
            site,
            config,
            plan.theme,
            plan.entries,
            state,
            changed,
            lambda: roots.extend(root_outputs(plan.views, plan.roots, plan.theme, state, config, changed)),
        )
        outcomes += roots
        outcomes += urlhistory.with_redirects(static_outputs(config), plan.lasting, config)
        outcomes += picture_outputs(site, state, config) + icon_outputs(config, state)
        outcomes += card_outputs(plan.views, plan.entries, state, config)
        found, pending = search.search_outputs(plan.entries, outcomes, state, config, defer_search)
        outcomes += found  # after the pages it indexes
    except BaseException:  # a bug or an interrupt: drop what was staged, output/ stays as it was
        discard(config.output_dir)
        raise
    errors, clashing = list(dict.fromkeys(o.error for o in outcomes if o.error)), clashes(outcomes, config)
    if clashing:  # the output folder would then be found wrong too: those errors tell the cause
        return outcomes, pending, errors + clashing
    return outcomes, pending, errors + check_targets(
        config.output_dir, {o.path: o.staged for o in outcomes if o.staged}
    )


def commit(
    outcomes: list[Outcome],
    found: Found,
    metas,
    bodies,
    site: Site,
    plan: Plan,
    state: State,
    config: Config,
    background: bool,
) -> WriteReport:
    """Put the staged files in place as one journaled transaction, then save the state for the next build."""
    staged = {o.path: o.staged for o in outcomes if o.staged}
    forget(config)  # no "nothing changed" shortcut until this commit and its state are on disk
    report = commit_files(
        config.output_dir, config.state_dir, staged, {o.path for o in outcomes}, len(outcomes) - len(staged)
    )
    related = {
        lang: (site.related_inputs[lang], {d.key: [r.key for r in site.related[(lang, d.key)]] for d in docs})
        for lang, docs in site.posts.items()
    }
    new = State(
        outputs={o.path: o.mark for o in outcomes},
        markdown=bodies,
        sources={**found.assets, **{s.path: (*s.stat, s.digest) for s in found.sources}},
        metas={record_key(s): meta_record(m) for s, m in metas},
        refs={o.path: o.refs for o in outcomes},
        templates={o.path: o.templates for o in outcomes},
        deps=plan.deps,
        related=related,
    )
    save_state(
        config.state_dir, new, previous=state, background=background, then=lambda: discard(config.output_dir)
    )
    urlhistory.commit(plan.lasting, site, config)  # content/urls.toml, only once output/ is in place
    return report
