"""Outputs copied rather than rendered: the theme chain's and the site's static files (with their hashed
twins and `_headers`), picture variants and social cards from the build's cache, the icons at the root."""

from __future__ import annotations

import os
from pathlib import Path

from builder.assets import FOLDER, hashed_path, static_sources
from builder.cards import card_for, ensure
from builder.config import Config
from builder.errors import BuildError, ErrorKind
from builder.images import cache_folder
from builder.kinds import headers
from builder.kinds.root import ROOT_FILES
from builder.model import Entry, Site
from builder.produce import Outcome, data_output, stage_output
from builder.sandbox import folders_needed, inside, path_problem
from builder.state import State
from builder.views import Views
from builder.writer import STAGING


def _unreadable(rel: str, path: Path, problem: str, config: Config) -> Outcome:
    """The outcome of a static file that cannot be copied, named from the project folder when inside it."""
    shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
    error = BuildError(str(shown), None, problem, "fix, rename or remove the file", kind=ErrorKind.OUTPUT)
    return Outcome(rel, "", error=error)


STAGING_IN_USE = f"is under {STAGING}/, the folder where the build prepares its files"


def clashes(outcomes: list[Outcome], config: Config) -> list[BuildError]:
    """A file of the site's static/ on the path of a file the build makes (a page, a feed, a card) is an
    error naming both: which one would win is not something to leave to chance."""
    seen, errors = set(), []
    for outcome in outcomes:
        if outcome.path in seen and not outcome.error:
            path = static_sources(config).get(outcome.path)  # looked up only for a clash: rare
            shown = path.relative_to(config.root) if path and path.is_relative_to(config.root) else "static/"
            errors.append(
                BuildError(
                    str(shown),
                    None,
                    f"output/{outcome.path} would be written twice: by this static file and by the build",
                    "rename or move the static file: the build makes that file itself",
                    kind=ErrorKind.URL,
                )
            )
        seen.add(outcome.path)
    folders = folders_needed(sorted(seen))
    for path in sorted(seen & folders.keys()):  # a file where another output needs a folder
        inner = folders[path]
        sources = static_sources(config)
        static = sources.get(path) or sources.get(inner)
        if static is None:
            continue  # two generated outputs: the plan's check names their sources
        shown = static.relative_to(config.root) if static.is_relative_to(config.root) else static
        errors.append(
            BuildError(
                str(shown),
                None,
                f"output/{path} would be a file, and a folder for output/{inner}",
                "rename or move the static file: it stands in the way of a file the build makes",
                kind=ErrorKind.URL,
            )
        )
    return errors


def static_outputs(config: Config) -> list[Outcome]:
    """The theme chain's static files (child first) under static/, each also under its hashed name (see
    builder/assets.py), then the site's static/ at the root, as is; and `_headers` for them all.

    A site file on the same path as a theme's (`static/style.css`) wins: the site over the theme.
    """
    done, known, own = {}, {}, None
    for rel, path in sorted(static_sources(config).items()):
        problem = path_problem(rel) or (STAGING_IN_USE if rel.split("/")[0] == STAGING else None)
        if problem:  # a name no URL or manifest line can hold, or the build's own staging folder
            done[rel] = _unreadable(rel, path, f"cannot be published under this name: it {problem}", config)
            continue
        if path.is_relative_to(config.root) and not inside(str(config.root), str(path)):
            problem = "is a symbolic link leading outside the site: it is not published"
            done[rel] = _unreadable(rel, path, problem, config)  # as for articles and pictures
            continue
        try:
            data = path.read_bytes()
            if rel == headers.FILE:  # the site's own, at the head of the generated file
                own = data.decode("utf-8")
                continue
        except (OSError, UnicodeDecodeError) as exc:
            problem = "is not UTF-8: save it as UTF-8" if isinstance(exc, UnicodeDecodeError) else None
            done[rel] = _unreadable(rel, path, problem or f"cannot be read: {exc.strerror}", config)
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
    staged, error = stage_output(config, rel, data)
    return Outcome(rel, mark, rendered=state.outputs.get(rel) != mark, staged=staged, error=error)


def picture_outputs(site: Site, state: State, config: Config) -> list[Outcome]:
    """Every variant of every picture the site shows (see builder/images/)."""
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
            done.append(_unreadable(name, path, f"cannot be read: {exc.strerror}", config))
    return done
