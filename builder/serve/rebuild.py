"""The rebuild: every build of the dev server, the first one and one per batch of changes, goes through here.

`Rebuilder.rebuild` reloads config.toml, runs the same `build()` as `diptyque build`, and tells the result:
pages reload (or show the error overlay) through the hub, a line goes to the terminal. Work that must follow
each build of the dev server belongs in this module.
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import date

from builder.build import build
from builder.config import Config, load
from builder.errors import BuildError, BuildFailed
from builder.kinds.search import FOLDER
from builder.serve import livereload
from builder.serve.overlay import overlay_html, problems, read_sources


def summary(changed: set[str], written: int, removed: int, elapsed_ms: float) -> str:
    """Return the terminal line for one rebuild: '1 file changed · 3 pages written · 42 ms'."""
    what = next(iter(changed)) if len(changed) == 1 else f"{len(changed)} files"
    pages = f"{written} page{'s' if written != 1 else ''} written"
    parts = [f"{what} changed" if changed else "rebuilt", pages]
    if removed:
        parts.append(f"{removed} removed")
    return " · ".join([*parts, f"{elapsed_ms:.0f} ms"])


def failure(exc: Exception) -> tuple[BuildError, ...]:
    """Return the errors a failed build reports: a BuildFailed's own, or one for a bug in Diptyque."""
    if isinstance(exc, BuildFailed):
        return exc.errors
    bug = BuildError("(diptyque)", None, f"unexpected error: {exc!r}", "please report it", kind="internal")
    return (bug,)


class Rebuilder:
    """The site as the dev server sees it: rebuilt with the same `build()`, results told to the browser."""

    def __init__(self, config: Config, quiet: bool = False):
        self.root, self.config, self.quiet = config.root, config, quiet
        self.options = {"drafts": config.drafts, "strict": config.strict, "output": config.output}
        if config.today != date.today():
            self.options["today"] = config.today  # a date fixed by the caller survives config reloads
        self.hub, self.lock = livereload.Hub(), threading.Lock()
        self.errors: tuple[BuildError, ...] = ()  # errors of the last build, empty when it succeeded
        self.warnings: set[str] = set()  # warnings already shown, so each is printed once

    def rebuild(self, changed: set[str] = frozenset()) -> bool:
        """Reload config.toml, build, tell the browser (reload or overlay), the terminal; return success."""
        with self.lock:
            start = time.perf_counter()
            try:
                self.config = load(self.root).with_options(**self.options)  # 0.5 ms: always, so it never lags
                result = build(self.config, background_save=True, defer_search=True)
            except Exception as exc:  # noqa: BLE001 — BuildFailed, or a bug, which must not kill the watcher
                self._failed(failure(exc))
                return False
            self.errors = ()
            elapsed = (time.perf_counter() - start) * 1000
            self.hub.succeeded(bool(result.written or result.removed), result.removed)
            for warning in sorted(set(result.warnings) - self.warnings):
                self._say(f"warning: {warning}", err=True)
            self.warnings = set(result.warnings)
            if changed:
                line = summary(changed, len(result.written), len(result.removed), elapsed)
                self._say(line + (" · search index updating…" if result.search_pending else ""))
            return self._index() if result.search_pending else True

    def _index(self) -> bool:
        """Update the search index once the pages are served: a build that finds only the index to do."""
        start = time.perf_counter()
        try:
            result = build(self.config, background_save=True)
        except Exception as exc:  # noqa: BLE001 — as in rebuild
            self._failed(failure(exc))
            return False
        others = [path for path in (*result.written, *result.removed) if not path.startswith(f"{FOLDER}/")]
        if others:  # files saved while indexing: their pages too
            self.hub.succeeded(True, result.removed)
        else:
            self.hub.indexed()
        elapsed = (time.perf_counter() - start) * 1000
        self._say(f"search index updated · {len(result.written)} files written · {elapsed:.0f} ms")
        return True

    def _failed(self, errors: tuple[BuildError, ...]) -> None:
        """Keep the errors, show them over every open page and in the terminal."""
        self.errors = errors
        self.hub.failed(overlay_html(errors, read_sources(errors, self.root)))
        self._say(
            f"error: {problems(len(errors))}; still serving the last good site:",
            *(f"  {e}" for e in errors),
            err=True,
        )

    def _say(self, *lines: str, err: bool = False) -> None:
        """Print lines to the terminal (errors and warnings to stderr), unless quiet."""
        if not self.quiet:
            print("\n".join(lines), file=sys.stderr if err else sys.stdout, flush=True)
