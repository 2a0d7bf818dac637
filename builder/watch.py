"""The names `builder.watch` has always offered; they now live in the dev server's package
(`builder.serve`); the tests import them from here.

Which paths count and the debounce are in `builder.serve.changes`, the watcher in `builder.serve.watcher`,
the rebuild in `builder.serve.rebuild`.
"""

from builder.serve.changes import (
    COMPLETE,
    EVENTS,
    IGNORED,
    LIMIT,
    QUIET,
    SETTLED,
    WATCHED,
    Debounce,
    changed_paths,
    relevant,
)
from builder.serve.rebuild import Rebuilder, summary
from builder.serve.watcher import Watcher

__all__ = [
    "COMPLETE",
    "EVENTS",
    "IGNORED",
    "LIMIT",
    "QUIET",
    "SETTLED",
    "WATCHED",
    "Debounce",
    "Rebuilder",
    "Watcher",
    "changed_paths",
    "relevant",
    "summary",
]
