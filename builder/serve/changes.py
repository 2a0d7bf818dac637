"""Which file changes count, and the debounce that makes a burst of saves one batch.

Pure functions of paths and times (the clock is passed in): the watcher feeds them the file system's events.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from builder.config import CONFIG_NAME

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
