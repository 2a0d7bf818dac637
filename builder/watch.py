"""Watch the project and rebuild: which paths count, a debounce making a burst of saves one batch, rebuild."""

from __future__ import annotations

import contextlib
import fnmatch
import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path, PurePosixPath

from builder import livereload
from builder.build import build
from builder.config import CONFIG_NAME, Config, load
from builder.errors import BuildError, BuildFailed

# folders under the project root whose files feed the build: the articles, the themes, the site's own
# templates, static files and catalogs (which override the theme's)
WATCHED = ("content", "themes", "templates", "static", "locales")
QUIET = 0.1  # seconds without a new event before a batch is released
SETTLED = 0.02  # the same, when each pending file was last seen complete (closed after writing, moved, gone)
LIMIT = 1.0  # seconds after the first event of a batch when it is released even if events keep coming
IGNORED = (  # editor temp, swap and backup files, and OS droppings
    "*~",
    ".#*",
    "#*#",
    "*.swp",
    "*.swo",
    "*.swx",
    "*.swpx",
    "*.swn",
    "4913",
    "*.tmp",
    ".tmp-*",
    "*.part",
    "*.crdownload",
    ".goutputstream-*",
    "*___jb_tmp___",
    "*___jb_old___",
    "*.kate-swp",
    ".DS_Store",
    "Thumbs.db",
    "*.bak",
    "*.orig",
    "*.pyc",
)
EVENTS = ("created", "modified", "deleted", "moved", "closed")  # watchdog event types that may change a file
COMPLETE = ("closed", "moved", "deleted")  # event types after which a file is in its final state


def relevant(rel: str) -> bool:
    """Tell whether a path relative to the project root can change the built site."""
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    if not parts:
        return False
    if len(parts) == 1:
        return parts[0] == CONFIG_NAME
    if parts[0] not in WATCHED:
        return False
    name = parts[-1]
    if any(part.startswith(".") for part in parts):
        return False  # hidden files and folders: editor locks, .git, caches
    return not any(fnmatch.fnmatchcase(name, pattern) for pattern in IGNORED)


def changed_paths(root: Path, event_type: str, paths: Iterable[str], is_directory: bool = False) -> set[str]:
    """Return the relevant project-relative paths touched by one file-system event."""
    if event_type not in EVENTS or (is_directory and event_type in ("modified", "closed")):
        return set()
    result = set()
    for path in paths:
        if not path:
            continue
        try:
            rel = Path(path).relative_to(root).as_posix()
        except ValueError:
            continue
        if is_directory and rel.split("/")[0] in WATCHED:
            result.add(rel + "/")
        elif relevant(rel):
            result.add(rel)
    return result


class Debounce:
    """Collect paths until a quiet moment (or LIMIT after the first); the clock is passed in, so this is pure.

    The quiet moment is QUIET seconds after the last event, or only SETTLED seconds when every pending file
    was last seen complete (closed after writing, moved into place, deleted): the save is over, and a burst
    of saves comes within milliseconds.
    """

    def __init__(self, quiet: float = QUIET, limit: float = LIMIT, settled: float = SETTLED):
        self.quiet, self.limit, self.settled = quiet, limit, min(settled, quiet)
        self.pending: set[str] = set()  # paths changed since the last batch
        self.unfinished: set[str] = set()  # pending paths whose last event may be followed by more writes
        self.first = self.last = 0.0  # times of the first and latest event of the pending batch

    def add(self, paths: Iterable[str], now: float, complete: bool = False) -> None:
        """Record paths changed at time `now`; `complete` when the event ends a save (close, move, delete)."""
        paths = set(paths)
        if not paths:
            return
        if not self.pending:
            self.first = now
        self.pending |= paths
        self.unfinished = self.unfinished - paths if complete else self.unfinished | paths
        self.last = now

    def wait_time(self, now: float) -> float | None:
        """Seconds until the pending batch is due: None when nothing is pending, 0 when it is due."""
        if not self.pending:
            return None
        quiet = self.quiet if self.unfinished else self.settled
        return max(0.0, min(self.last + quiet, self.first + self.limit) - now)

    def take(self) -> set[str]:
        """Return the pending batch and start a new one."""
        batch, self.pending, self.unfinished = self.pending, set(), set()
        return batch


class Watcher:
    """Watch the WATCHED folders and config.toml; call `on_batch(paths)` once per burst of events."""

    def __init__(self, root: Path, on_batch: Callable[[set[str]], None], quiet: float = QUIET):
        self.root = root.resolve()
        self.on_batch = on_batch
        self.debounce = Debounce(quiet=quiet)
        self.wake = threading.Condition()
        self.stopping = False
        self.observer = self.handler = self.wanted = None
        self.watches: dict[str, object] = {}  # "content" -> the observer's watch of that folder, if it exists
        self.replaced: set[str] = set()  # watched folders created, deleted or moved since the last batch
        self.worker = threading.Thread(target=self._run, name="diptyque-rebuild", daemon=True)

    def start(self) -> None:
        """Start watching and the rebuild thread."""
        from watchdog import events
        from watchdog.observers import Observer

        watcher = self

        class Handler(events.FileSystemEventHandler):
            def on_any_event(self, event):
                paths = (event.src_path, getattr(event, "dest_path", ""))
                if event.is_directory:
                    watcher.rewatch(paths)
                watcher.notify(
                    changed_paths(watcher.root, event.event_type, paths, event.is_directory),
                    complete=event.event_type in COMPLETE,
                )

        self.observer = Observer()
        self.observer.daemon = True
        self.handler = Handler()
        # reads (the build's own) are not subscribed to: less noise, less latency
        self.wanted = [
            events.FileCreatedEvent,
            events.FileModifiedEvent,
            events.FileDeletedEvent,
            events.FileMovedEvent,
            events.FileClosedEvent,
            events.DirCreatedEvent,
            events.DirDeletedEvent,
            events.DirMovedEvent,
        ]
        for name in WATCHED:
            self._watch(name)
        self.observer.schedule(self.handler, str(self.root), recursive=False, event_filter=self.wanted)
        self.observer.start()
        self.worker.start()

    def rewatch(self, paths: Iterable[str]) -> None:
        """Mark a WATCHED folder to watch anew once created, removed or moved: a watch dies with its folder.

        The new watch is set up by the rebuild thread once the burst of events is over (a folder copied back
        in place comes with one event per file), just before the rebuild.
        """
        names = {Path(p).name for p in paths if p and Path(p).parent == self.root and Path(p).name in WATCHED}
        if names:
            with self.wake:
                self.replaced |= names

    def _watch(self, name: str) -> None:
        old = self.watches.pop(name, None)
        if old is not None:
            with contextlib.suppress(KeyError):  # already gone with the observer
                self.observer.unschedule(old)
        folder = self.root / name
        if not folder.is_dir():
            return  # watched again when the project root sees it created
        try:
            self.watches[name] = self.observer.schedule(
                self.handler, str(folder), recursive=True, event_filter=self.wanted
            )
        except FileNotFoundError:
            pass  # deleted again meanwhile: its next creation is seen
        except OSError as exc:
            print(
                f"warning: cannot watch {folder}: {exc.strerror or exc}; edits in {name}/ are not seen "
                "(on Linux, raise fs.inotify.max_user_watches) until the server is restarted",
                file=sys.stderr,
                flush=True,
            )

    def notify(self, paths: set[str], complete: bool = False) -> None:
        """Feed changed paths (from the observer, or by hand)."""
        if paths:
            with self.wake:
                self.debounce.add(paths, time.monotonic(), complete)
                self.wake.notify()

    def _run(self) -> None:
        while True:
            with self.wake:
                while not self.stopping:
                    delay = self.debounce.wait_time(time.monotonic())
                    if delay == 0:
                        break
                    self.wake.wait(delay)
                if self.stopping:
                    return
                batch, replaced, self.replaced = self.debounce.take(), self.replaced, set()
            for name in sorted(replaced):  # before the build, which then sees what the new watch missed
                self._watch(name)
            self.on_batch(batch)

    def stop(self) -> None:
        """Stop the observer and the rebuild thread, waiting for a rebuild under way to finish."""
        with self.wake:
            self.stopping = True
            self.wake.notify()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
        if self.worker.is_alive():
            self.worker.join(timeout=30)


def summary(changed: set[str], written: int, removed: int, elapsed_ms: float) -> str:
    """Return the terminal line for one rebuild: '1 file changed · 3 pages written · 42 ms'."""
    what = next(iter(changed)) if len(changed) == 1 else f"{len(changed)} files"
    pages = f"{written} page{'s' if written != 1 else ''} written"
    parts = [f"{what} changed" if changed else "rebuilt", pages]
    if removed:
        parts.append(f"{removed} removed")
    return " · ".join([*parts, f"{elapsed_ms:.0f} ms"])


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
                result = build(self.config, background_save=True)
            except Exception as exc:  # noqa: BLE001 — BuildFailed, or a bug, which must not kill the watcher
                errors = (
                    exc.errors
                    if isinstance(exc, BuildFailed)
                    else (
                        BuildError(
                            "(diptyque)",
                            None,
                            f"unexpected error: {exc!r}",
                            "please report it",
                            kind="internal",
                        ),
                    )
                )
                self.errors = errors
                self.hub.failed(livereload.overlay_html(errors, livereload.read_sources(errors, self.root)))
                self._say(
                    f"error: {len(errors)} problem{'s' if len(errors) != 1 else ''}; "
                    "still serving the last good site:",
                    *(f"  {e}" for e in errors),
                    err=True,
                )
                return False
            self.errors = ()
            elapsed = (time.perf_counter() - start) * 1000
            self.hub.succeeded(bool(result.written or result.removed), result.removed)
            for warning in sorted(set(result.warnings) - self.warnings):
                self._say(f"warning: {warning}", err=True)
            self.warnings = set(result.warnings)
            if changed:
                self._say(summary(changed, len(result.written), len(result.removed), elapsed))
            return True

    def _say(self, *lines: str, err: bool = False) -> None:
        if not self.quiet:
            print("\n".join(lines), file=sys.stderr if err else sys.stdout, flush=True)
