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


class Shares:
    """Runs of work items, one per worker, from which a worker done with its own run takes chunks off the
    end of the run with most left (work stealing): workers finish together although runs differ in cost,
    and each works mostly on its own run (one language's pages, whose cards it then shapes once).

    Made before the pool forks; the workers share its counters through shared memory, under one lock.
    """

    def __init__(self, total: int, count: int, chunk: int):
        from multiprocessing import get_context

        context = get_context("fork")
        bounds = [total * i // count for i in range(count + 1)]
        self.chunk = chunk
        self._ends = context.RawArray("q", [end for i in range(count) for end in bounds[i : i + 2]])
        self._lock = context.Lock()
        self._stopped = context.RawValue("b", 0)

    def claim(self, owner: int) -> tuple[int, int] | None:
        """The next items for worker `owner` as (start, stop): its own run's front, else another's end;
        None when every run is done or the work was stopped."""
        with self._lock:
            ends = self._ends
            if self._stopped.value:
                return None
            front, back = ends[2 * owner], ends[2 * owner + 1]
            if front < back:
                ends[2 * owner] = min(front + self.chunk, back)
                return front, ends[2 * owner]
            most = max(range(len(ends) // 2), key=lambda run: ends[2 * run + 1] - ends[2 * run])
            front, back = ends[2 * most], ends[2 * most + 1]
            if front >= back:
                return None
            ends[2 * most + 1] = max(back - self.chunk, front)
            return ends[2 * most + 1], back

    def stop(self) -> None:
        """No more claims, by any worker (a page ran out of time: the others most likely would too)."""
        self._stopped.value = 1
