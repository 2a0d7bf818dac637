"""The watcher: watchdog's observer on the project, and the thread that turns each batch into a rebuild.

The observer's events go through `changes` (which paths count, debounce); the thread waits for a batch,
renews the watch of a folder that was replaced, and calls `on_batch` with the changed paths.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from builder.serve.changes import COMPLETE, QUIET, WATCHED, Debounce, changed_paths

# The loop wakes at least this often (seconds): in the main thread, a Ctrl-C the system delivers to another
# thread does not end a blocking wait, and its handler runs only once the main thread wakes.
WAKE = 0.5


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

    def start(self, thread: bool = True) -> None:
        """Start watching, and the rebuild thread unless the caller runs `run` itself (in the main thread,
        where a template that never ends is stopped by the page budget: see render.PAGE_BUDGET)."""
        from watchdog import events
        from watchdog.observers import Observer

        watcher = self

        class Handler(events.FileSystemEventHandler):
            def on_any_event(self, event):
                """Pass a file-system event on to the watcher as changed paths."""
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
        if thread:
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
        """Watch the folder `name` of the project anew (its old watch, if any, dropped), when it exists."""
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

    def run(self) -> None:
        """Wait for each batch, renew replaced watches, hand the batch to `on_batch`; return once stopped."""
        self._run()

    def _run(self) -> None:
        """The rebuild loop: wait for each batch, renew replaced watches, hand the batch to `on_batch`."""
        while True:
            with self.wake:
                while not self.stopping:
                    delay = self.debounce.wait_time(time.monotonic())
                    if delay == 0:
                        break
                    self.wake.wait(WAKE if delay is None else min(delay, WAKE))
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
