"""The URL history in content/urls.toml: every URL the site has published, and the page it belongs to.

When a page's URL changes (a slug, a date under a `{year}` permalink, the permalink pattern, a tag label,
a localized path word), its old URLs stay in the history and become redirects to the page's current URL.
The file also keeps each article's Atom entry id, fixed when the article was first published.

    [urls]
    "/fr/2019/allo-4-0/" = ["post", "allo-4-0", "fr"]
    "/fr/page/2/" = ["home", "", "fr", 2]

    [ids]
    "allo-4-0.fr" = "tag:diptyque.example,2019:allo-4-0.fr"

One line per URL, sorted: readable, diff-friendly, and two branches that each add URLs merge without a
conflict most of the time. The build rewrites the file only when a URL appeared or moved, after a
successful commit of output/; a build with drafts, or into another output folder (the dev server),
reads it and never writes it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping, NamedTuple
from urllib.parse import quote, urlsplit

from builder import links
from builder.config import Config
from builder.errors import BuildError, ErrorKind, toml_line
from builder.kinds import redirect
from builder.kinds.root import ROOT_FILES
from builder.model import Document, Entry
from builder.produce import data_output, static_sources
from builder.writer import write_atomic

FILE = "urls.toml"
PATH = f"content/{FILE}"
HEADER = (
    "# Every URL this site has published and its page (kind, key, language, page number),\n"
    "# kept by `diptyque build`: commit this file. A URL whose page moved redirects to its new URL.\n"
    "# `diptyque status` lists pages that are gone; `diptyque urls prune URL…` forgets a line.\n"
)
IDS_HEADER = "# Atom entry ids, fixed when an article is first published.\n"
CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(\s|$)")
KEY_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*=')


class Ref(NamedTuple):
    """A page independent of its URL: what a URL of the history belongs to."""

    kind: str  # home, post, page, tag, year…
    key: str  # article key, tag id, year…
    lang: str  # language code
    number: int = 1  # page number of a paginated list


def ref_of(entry: Entry) -> Ref:
    """The page an entry is."""
    return Ref(entry.page.kind, entry.page.key, entry.lang, entry.page.number)


def id_key(key: str, lang: str) -> str:
    """The [ids] key of an article in a language: its file name without .md."""
    return f"{key}.{lang}"


@dataclass(frozen=True)
class History:
    """content/urls.toml as read, with the entry ids of the articles not yet recorded added."""

    urls: Mapping[str, Ref] = field(default_factory=dict)  # URL -> page
    ids: Mapping[str, str] = field(default_factory=dict)  # "key.lang" -> Atom entry id (recorded or new)
    recorded: Mapping[str, str] = field(default_factory=dict)  # the ids the file holds
    exists: bool = False  # whether the file exists
    report: list = field(default_factory=list, compare=False)  # the build's warnings, where moves are told

    def digest(self) -> str:
        """Digest of what pages show from the history (ids; redirects are pages of their own)."""
        return hashlib.sha256(repr(sorted(self.ids.items())).encode()).hexdigest()[:16]


def tag_id(host: str, key: str, lang: str, year: int) -> str:
    """An RFC 4151 tag URI for an article: the site's domain, a year, the article's key and language."""
    return f"tag:{host},{year:04d}:{quote(id_key(key, lang), safe='-._~')}"


def domain(config: Config) -> str:
    """The host of base_url, which tag URIs name."""
    return (urlsplit(config.base_url).hostname or "localhost").lower()


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return None


def _error(line: int | None, message: str, hint: str) -> BuildError:
    return BuildError(PATH, line, message, hint, kind=ErrorKind.CONTENT)


def _key_lines(text: str) -> dict[str, int]:
    """The line of each quoted key, for messages."""
    found = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = KEY_LINE.match(line)
        if match:
            try:
                found.setdefault(json.loads(match.group(1)), number)
            except ValueError:
                continue
    return found


def _fast(text: str) -> dict | None:
    """The file as the build writes it, read as JSON once its lines are joined (a tenth of tomllib's
    time); None when a line is not in that form: tomllib then reads the file, and reports what is wrong."""
    if "\\U" in text:  # an escape TOML has and JSON lacks
        return None
    tables, rows = {}, None
    for line in text.split("\n"):
        if not line or line[0] == "#":
            continue
        if line in ("[urls]", "[ids]"):
            rows = tables.setdefault(line[1:-1], [])
            continue
        key, equals, value = line.partition(" = ")
        if rows is None or not equals or key[:1] != '"':
            return None
        rows.append(f"[{key},{value}]")
    try:
        pairs = {name: json.loads(f"[{','.join(found)}]") for name, found in tables.items()}
    except ValueError:
        return None
    data = {name: dict(found) for name, found in pairs.items()}
    if any(len(data[name]) != len(found) for name, found in pairs.items()):  # a key given twice
        return None
    return data


class _Lines:
    """The line of each quoted key, found only when a message needs one."""

    def __init__(self, text: str):
        self.text, self.found = text, None

    def get(self, key: str) -> int | None:
        """The line that sets `key`."""
        if self.found is None:
            self.found = _key_lines(self.text)
        return self.found.get(key)


def parse(text: str, codes: Iterable[str]) -> tuple[dict[str, Ref], dict[str, str], list[BuildError]]:
    """The URLs and ids of a urls.toml text, or the errors that make it unreadable (with their lines)."""
    marked = "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text
    for number, line in enumerate(text.split("\n") if marked else (), start=1):
        if CONFLICT.match(line):
            return (
                {},
                {},
                [
                    _error(
                        number,
                        "a merge conflict is left in the file (<<<<<<<, ======= or >>>>>>> lines)",
                        "keep the lines of both sides (one line per URL) and "
                        "remove the markers; the next build sorts the file again",
                    )
                ],
            )
    data = _fast(text)
    try:
        data = data if data is not None else tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return (
            {},
            {},
            [
                _error(
                    toml_line(exc),
                    f"invalid TOML: {exc}",
                    'fix that line: each is "URL" = ["kind", "key", "language"]',
                )
            ],
        )
    errors, urls, ids = [], {}, {}
    lines = _Lines(text)
    unknown = sorted(set(data) - {"urls", "ids"})
    if unknown:
        errors.append(
            _error(
                _line_of(text, f"[{unknown[0]}]"),
                f"unknown table [{unknown[0]}]",
                "the file has two tables: [urls] and [ids]",
            )
        )
    for url, value in (data.get("urls") or {}).items():
        ref = _ref(value, set(codes))
        if not url.startswith("/") or ref is None:
            errors.append(
                _error(
                    lines.get(url),
                    f"the line for {url!r} is not a site URL and its page",
                    'write "/fr/…/" = ["post", "key", "fr"] (a page number may follow), or remove the line',
                )
            )
        else:
            urls[url] = ref
    for key, value in (data.get("ids") or {}).items():
        if not isinstance(value, str) or not value.startswith("tag:"):
            errors.append(
                _error(
                    lines.get(key),
                    f"the id of {key!r} is not a tag: URI",
                    "restore it from git (an entry id must never change), or remove the line",
                )
            )
        else:
            ids[key] = value
    return urls, ids, errors


def _ref(value, codes: set[str]) -> Ref | None:
    """A page from its [kind, key, language, number?] array; None when it is not one."""
    if not isinstance(value, list) or len(value) not in (3, 4):
        return None
    if not all(isinstance(v, str) for v in value[:3]) or value[2] not in codes:
        return None
    number = value[3] if len(value) == 4 else 1
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        return None
    return Ref(value[0], value[1], value[2], number)


def load(config: Config, docs: Iterable[Document], report: list) -> tuple[History, list[BuildError]]:
    """Read content/urls.toml, and give each published article not yet recorded its entry id."""
    path = config.content_dir / FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as exc:
        return History(report=report), [_error(None, f"cannot be read: {exc}", "fix or remove the file")]
    urls, ids, errors = parse(text, config.codes) if text is not None else ({}, {}, [])
    host = domain(config)
    fresh = {
        id_key(d.key, d.lang): tag_id(host, d.key, d.lang, d.date.year)
        for d in docs
        if d.kind == "post" and d.date and id_key(d.key, d.lang) not in ids
    }
    every = {**fresh, **ids}
    return History(
        MappingProxyType(urls), MappingProxyType(every), MappingProxyType(ids), text is not None, report
    ), errors


class Moves(NamedTuple):
    """What the history and the pages of this build make of each other."""

    redirects: dict[str, tuple[str, str]]  # old URL -> (current URL, language)
    gone: list[tuple[str, Ref]]  # URLs of pages that no longer exist
    moved: list[str]  # current URLs of pages that had other URLs
    appeared: list[str]  # URLs recorded for the first time
    text: str | None  # the new file, when it must be written


def reconcile(history: History, entries: list[Entry]) -> Moves:
    """Redirects for the URLs whose page moved, the pages gone, and the history to write."""
    current = {e.url: ref_of(e) for e in entries}
    where = {ref: url for url, ref in current.items()}
    redirects, gone = {}, []
    for url, ref in sorted(history.urls.items()):
        if url in current:
            continue
        target = where.get(ref) or (where.get(ref._replace(number=1)) if ref.number > 1 else None)
        if target is None:
            gone.append((url, ref))
        else:
            redirects[url] = (target, ref.lang)
    known = set(history.urls.values())
    new = [url for url, ref in current.items() if history.urls.get(url) != ref]
    moved = sorted(url for url in new if current[url] in known)
    appeared = sorted(url for url in new if current[url] not in known)
    ids = {key: value for key, value in history.ids.items()}
    changed = bool(new) or ids != dict(history.recorded) or not history.exists
    text = render({**history.urls, **current}, ids) if changed else None
    return Moves(redirects, gone, moved, appeared, text)


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def render(urls: Mapping[str, Ref], ids: Mapping[str, str]) -> str:
    """The file's text: a header, then one sorted line per URL and per id."""
    lines = [HEADER, "[urls]"]
    for url, ref in sorted(urls.items()):
        parts = [_quoted(ref.kind), _quoted(ref.key), _quoted(ref.lang)]
        parts += [str(ref.number)] if ref.number > 1 else []
        lines.append(f"{_quoted(url)} = [{', '.join(parts)}]")
    lines += ["", IDS_HEADER.rstrip("\n"), "[ids]"]
    lines += [f"{_quoted(key)} = {_quoted(value)}" for key, value in sorted(ids.items())]
    return "\n".join(lines) + "\n"


def records(config: Config) -> bool:
    """Whether this build writes the history: a build of the site's own output, without drafts."""
    return config.output is None and not config.drafts


def tell(moves: Moves, report: list) -> None:
    """Say in the build's warnings that URLs moved (new URLs are recorded without a word)."""
    if moves.moved:
        count = len(moves.moved)
        report.append(f"{count} URL{'s' if count != 1 else ''} moved; redirects written; commit {PATH}")


def save(config: Config, text: str) -> None:
    """Write the history, atomically (after output/ was committed)."""
    write_atomic(config.content_dir / FILE, text.encode("utf-8"))


def prune(config: Config, urls: list[str]) -> tuple[list[str], list[BuildError]]:
    """Forget chosen URLs of the history; return those forgotten, or the errors (nothing is written then)."""
    path = config.content_dir / FILE
    if not path.exists():
        return [], [_error(None, "there is no URL history yet", "build the site once: it records its URLs")]
    text = path.read_text(encoding="utf-8")
    known, ids, errors = parse(text, config.codes)
    if errors:
        return [], errors
    missing = [url for url in urls if url not in known]
    if missing:
        return [], [
            _error(
                None,
                f"{missing[0]} is not in the history",
                "give URLs as the file writes them, e.g. /fr/2019/mon-article/",
            )
        ]
    kept = {url: ref for url, ref in known.items() if url not in urls}
    save(config, render(kept, ids))
    return list(urls), []


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
    from builder import stages  # the stages use this module
    from builder.discover import discover, discover_assets
    from builder.pages import site_entries
    from builder.state import load_state
    from builder.taxonomy import load_tags

    state, warnings = load_state(config.state_dir), []
    sources, errors = discover(config, state.sources, None, warnings)
    tags, tag_errors = load_tags(config)
    if errors or tag_errors:
        return []
    found = stages.Found(sources, discover_assets(config, state.sources, None))
    metas, errors, bodies = stages.parse(found, tags, state, config)
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
