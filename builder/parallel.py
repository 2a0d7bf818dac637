"""Worker processes: forked from a single-threaded process only, sharing what the parent set up."""

from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager

WORKERS = min(os.cpu_count() or 1, 8)
SHARED: dict = {}  # what forked workers inherit: set just before a pool starts, cleared after


def workers() -> int:
    """Worker processes to use: forking is safe only in a single-threaded process (not in serve)."""
    return WORKERS if threading.active_count() == 1 else 1


@contextmanager
def pool(count: int):
    """Forked workers. The parent's objects are frozen out of the garbage collector meanwhile: a
    collection in a worker would otherwise walk, and so copy, every page of the inherited heap."""
    from concurrent.futures import ProcessPoolExecutor  # imported here: most rebuilds fork no worker
    from multiprocessing import get_context

    gc.freeze()
    try:
        with ProcessPoolExecutor(count, mp_context=get_context("fork")) as executor:
            yield executor
    finally:
        gc.unfreeze()
