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
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from builder.config import Config
from builder.errors import BuildError, ErrorKind
from builder.kinds.search import FOLDER
from builder.model import Entry
from builder.produce import Outcome, data_output
from builder.state import State
from builder.urls import output_file

FORMAT = "1"  # bump when what goes into a bundle changes
KINDS = ("post", "page")  # the page kinds indexed
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")  # UI bundles
TIMEOUT = 120.0  # seconds a bundle may take before Pagefind is deemed stuck, plus a tenth of a second a page
FIX = "run `make build` to reinstall it (the pagefind[bin] package), or set search = false in config.toml"


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
        done += _index_anew(todo, by_path, config)
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


def _index_anew(
    todo: dict[str, tuple[str, list[str]]], by_path: dict[str, Outcome], config: Config
) -> list[Outcome]:
    """Run Pagefind over each language's pages at once; stage the bundles it writes."""
    problem = _binary_problem()
    if problem:
        return [Outcome(f"{FOLDER}/", "", error=problem)]
    for stale in config.state_dir.glob("search-work*"):  # left by a killed build (its indexer may still run)
        shutil.rmtree(stale, ignore_errors=True)
    config.state_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="search-work-", dir=config.state_dir))  # never shared with an orphan
    try:
        for lang, (_, pages) in todo.items():
            for path in pages:
                _place(by_path[path], config.output_dir / path, work / lang / "site" / path)
        try:
            _bundles({lang: (work / lang, len(pages)) for lang, (_, pages) in todo.items()})
        except Exception as exc:  # the indexer's own report: a crash, a page it refused, no answer in time
            said = str(exc) or type(exc).__name__
            return [Outcome(f"{FOLDER}/", "", error=_failure(f"Pagefind failed: {said}"))]
        for lang, (_, pages) in todo.items():  # a bundle written only in part (seen on a loaded machine):
            if not _complete(work / lang / "bundle"):  # index that language again, alone
                shutil.rmtree(work / lang / "bundle", ignore_errors=True)
                try:
                    asyncio.run(_bundle(work / lang, len(pages)))
                except Exception as exc:
                    return [Outcome(f"{FOLDER}/", "", error=_failure(f"Pagefind failed: {exc}"))]
        done = []
        for lang, (key, _) in todo.items():
            done += _stage_bundle(work / lang / "bundle", f"{FOLDER}/{lang}/", key, config)
        return done
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _complete(bundle: Path) -> bool:
    """Whether Pagefind's bundle is whole: its entry file parses and no file of it is empty."""
    try:
        json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(path.stat().st_size > 0 for path in bundle.rglob("*") if path.is_file())


def _place(outcome: Outcome, built: Path, target: Path) -> None:
    """Put a page's current bytes where Pagefind will read them: a hard link, or a copy across devices."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = outcome.staged or built
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _bundles(jobs: dict[str, tuple[Path, int]]) -> None:
    """Index the languages side by side, each in its own Pagefind process and thread (one core each)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        running = [pool.submit(asyncio.run, _bundle(folder, count)) for folder, count in jobs.values()]
        for job in running:
            job.result()


async def _bundle(folder: Path, count: int) -> None:
    """One language: index the pages under folder/site, write the bundle into folder/bundle."""
    from pagefind.service import PagefindService

    limit, failure = TIMEOUT + count / 10, None
    try:
        async with PagefindService() as service:
            reader = asyncio.all_tasks() - {asyncio.current_task()}  # reads Pagefind's answers
            try:
                index = await _answer(service.create_index({}), reader, limit)
                await _answer(index.add_directory(str(folder / "site")), reader, limit)
                await _answer(index.write_files(str(folder / "bundle")), reader, limit)
            except RuntimeError as exc:
                failure = exc
    except (asyncio.CancelledError, ProcessLookupError):  # closing a service whose process is gone
        if failure is None:
            raise
    if failure is not None:
        raise failure


async def _answer(request, reader: set, limit: float):
    """Pagefind's answer to a request; an error at once if its process stops instead of answering."""
    asking = asyncio.ensure_future(request)
    done, _ = await asyncio.wait({asking, *reader}, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
    if not done:
        asking.cancel()
        raise RuntimeError(f"no answer from Pagefind in {limit:.0f} s")
    if asking in done and asking.exception() is None:
        return asking.result()
    asking.cancel()
    causes = [task.exception() for task in done if not task.cancelled() and task.exception()]
    said = [bytes(c.partial).decode(errors="replace").strip() for c in causes if getattr(c, "partial", b"")]
    raise RuntimeError(
        f"the Pagefind process stopped{f' saying: {said[0]}' if said else ''}"
        if not causes or said or isinstance(causes[0], (OSError, EOFError))
        else f"Pagefind refused the request ({causes[0]})"
    )


def _stage_bundle(bundle: Path, prefix: str, key: str, config: Config) -> list[Outcome]:
    """Stage the files of a bundle Pagefind wrote (not its ready-made UI, which the theme does not use)."""
    canonical(bundle)
    done = []
    for base, _, names in sorted(os.walk(bundle)):
        for name in sorted(names):
            if name.startswith(UNUSED):
                continue
            path = Path(base) / name
            outcome = data_output(config, prefix + path.relative_to(bundle).as_posix(), path.read_bytes())
            done.append(outcome._replace(mark=key, rendered=True))
    if not _complete(bundle):
        return [Outcome(prefix, "", error=_failure("Pagefind wrote an incomplete index, twice"))]
    return done


def _binary_problem() -> BuildError | None:
    """Why the Pagefind program cannot run, if it cannot: not installed, not executable, failing."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        return _failure(f"the Pagefind program is not installed{f' (no file {binary})' if binary else ''}")
    try:
        answer = subprocess.run([str(binary), "--version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _failure(f"the Pagefind program {binary} cannot run ({exc})")
    if answer.returncode != 0:
        said = (answer.stderr or answer.stdout).decode(errors="replace").strip().splitlines()
        return _failure(
            f"the Pagefind program {binary} fails (exit status {answer.returncode}"
            f"{': ' + said[-1] if said else ''})"
        )
    return None


def _failure(message: str) -> BuildError:
    """A search index that cannot be built, and what to do about it."""
    return BuildError(
        "config.toml", None, f"the search index cannot be built: {message}", FIX, kind=ErrorKind.CONFIG
    )


# Pagefind writes each filter's values in hash-map order, which changes from one run to the next: the filter
# files, the metadata file naming them and the entry file naming that are rewritten with the values sorted,
# so that the same pages always give the same bytes (an incremental build equals a cold one). The files are
# gzip of b"pagefind_dcd" and CBOR; a layout this does not expect is left as Pagefind wrote it.

SIGNATURE = b"pagefind_dcd"


def canonical(bundle: Path) -> None:
    """Sort the values of every filter file of a bundle, renaming what changes and what names it."""
    import json

    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        metas = {
            lang: bundle / f"pagefind.{info['hash']}.pf_meta" for lang, info in entry["languages"].items()
        }
        renamed = {}
        for path in sorted((bundle / "filter").glob("*.pf_filter")):
            name, value = _decoded(path)
            if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
                return
            data = _encoded(SIGNATURE + _cbor([value[0], sorted(value[1], key=lambda pair: pair[0])]))
            new = f"{name.split('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[: len(name.split('_', 1)[1])]}"
            path.unlink()
            (path.parent / f"{new}.pf_filter").write_bytes(data)
            renamed[name] = new
        text = entry_path.read_text(encoding="utf-8")
        for lang, meta in metas.items():
            raw = gzip_decompress(meta.read_bytes())
            for old, new in renamed.items():
                raw = raw.replace(_cbor(old), _cbor(new))
            data = _encoded(raw)
            old = entry["languages"][lang]["hash"]
            new = f"{lang}_{hashlib.sha256(data).hexdigest()[: len(old) - len(lang) - 1]}"
            meta.unlink()
            (bundle / f"pagefind.{new}.pf_meta").write_bytes(data)
            text = text.replace(f'"hash":"{old}"', f'"hash":"{new}"')
        entry_path.write_text(text, encoding="utf-8")
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return


def gzip_decompress(data: bytes) -> bytes:
    """A bundle file's content (gzip), with Pagefind's signature."""
    import gzip

    return gzip.decompress(data)


def _decoded(path: Path) -> tuple[str, object]:
    """A filter file's name (without extension) and its CBOR value."""
    raw = gzip_decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: no signature")
    value, end = _uncbor(raw, len(SIGNATURE))
    if end != len(raw):
        raise ValueError(f"{path.name}: trailing bytes")
    return path.name.removesuffix(".pf_filter"), value


def _encoded(raw: bytes) -> bytes:
    """Gzip with no time stamp, so the same content gives the same bytes."""
    import gzip

    return gzip.compress(raw, mtime=0)


def _head(major: int, number: int) -> bytes:
    """A CBOR item head in its shortest form."""
    if number < 24:
        return bytes([major << 5 | number])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | extra]) + number.to_bytes(size, "big")
    raise ValueError("number too large")


def _cbor(value) -> bytes:
    """CBOR of unsigned integers, text, byte strings and lists (what filter files hold)."""
    if isinstance(value, bool) or not isinstance(value, (int, str, bytes, list)):
        raise TypeError(f"cannot encode {type(value).__name__}")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    return _head(4, len(value)) + b"".join(_cbor(item) for item in value)


def _uncbor(raw: bytes, at: int):
    """Decode one CBOR item of the kinds `_cbor` writes; return it and where it ends."""
    major, info = raw[at] >> 5, raw[at] & 31
    at += 1
    if info >= 24:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]  # KeyError for indefinite lengths: not expected here
        number, at = int.from_bytes(raw[at : at + size], "big"), at + size
    else:
        number = info
    if major == 0:
        return number, at
    if major in (2, 3):
        data = raw[at : at + number]
        if len(data) != number:
            raise ValueError("truncated")
        return (data.decode("utf-8") if major == 3 else data), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _uncbor(raw, at)
            items.append(item)
        return items, at
    raise ValueError(f"unexpected CBOR major type {major}")
