"""Run the benchmarks (`make bench`): one section per benchmark, each printing its own figures."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def serve_latency() -> None:
    """Edit-to-reload latency of the dev server, on the real corpus and a 1,000-article synthetic site."""
    import serve_latency as bench

    bench.main([])


SECTIONS = [("serve latency", serve_latency)]  # add (title, function) pairs for further benchmarks


def main() -> int:
    """Run every section and time it."""
    for title, section in SECTIONS:
        print(f"== {title} ==", flush=True)
        start = time.perf_counter()
        section()
        print(f"({time.perf_counter() - start:.0f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
