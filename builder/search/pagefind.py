"""Running Pagefind: each language's pages linked into a work folder, indexed in its own process, the
bundle checked for completeness and staged like pages (output/ changes only at commit)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from builder.config import Config
from builder.errors import BuildError, ErrorKind
from builder.kinds.search import FOLDER
from builder.produce import Outcome, data_output
from builder.search.canonical import canonical

UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")  # UI bundles
TIMEOUT = 120.0  # seconds a bundle may take before Pagefind is deemed stuck, plus a tenth of a second a page
FIX = "run `make build` to reinstall it (the pagefind[bin] package), or set search = false in config.toml"


def index_anew(
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
                    _bundle(work / lang, len(pages))
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
    """Index the languages side by side, each in its own Pagefind process (one core each)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        running = [pool.submit(_bundle, folder, count) for folder, count in jobs.values()]
        for job in running:
            job.result()


def _bundle(folder: Path, count: int) -> None:
    """One language: index the pages under folder/site, write the bundle into folder/bundle.

    Pagefind's command rather than its service: the command returns once every file is written, where
    the service may answer while the last ones are still being written (a cut pagefind-worker.js was seen).
    """
    from pagefind.service import get_executable

    limit = TIMEOUT + count / 10
    command = [str(get_executable()), "--site", str(folder / "site"), "--output-path", str(folder / "bundle")]
    try:
        done = subprocess.run([*command, "--silent"], capture_output=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"no answer from Pagefind in {limit:.0f} s") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode(errors="replace").strip().splitlines()
        saying = f" saying: {said[-1]}" if said else ""
        raise RuntimeError(f"the Pagefind process stopped (exit status {done.returncode}){saying}")


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
