"""Run the benchmarks (`make bench`): one section per benchmark, each printing its own figures."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
MEASURED: dict = {}  # figures one section measures and a later one reports


def builds() -> str:
    """Cold, no-change and one-edit builds at 100, 1,000 and 10,000 articles × 2 languages."""
    import builds as bench

    MEASURED["builds"] = bench.main(sys.argv[1:])
    return bench.table(MEASURED["builds"])


def hugo() -> str:
    """The same builds by Hugo, measured with them: Diptyque's figures, Hugo's and the ratios."""
    import hugo as bench

    return bench.table(MEASURED.get("builds", {})) + "\n\n" + bench.notes()


def memo() -> str:
    """Cold builds at 1,000 articles × 2 with the theme's `memo` of post cards, and without."""
    import memo as bench

    return bench.table(bench.main([]))


def serve_latency() -> str:
    """Edit-to-reload latency of the dev server, on the real corpus and a 1,000-article synthetic site."""
    import contextlib
    import io

    import serve_latency as bench

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        bench.main([])
    print(printed.getvalue(), end="")
    return "```\n" + printed.getvalue().strip() + "\n```"


SECTIONS = [
    ("Dev server: save to reload", serve_latency),  # first, on a quiet machine
    ("Builds", builds),
    ("Side by side with Hugo", hugo),
    ("Cost of the template global `memo`", memo),
]


def machine() -> str:
    """One line on where the numbers come from."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{platform.node()} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"{platform.system()} {platform.release()} · {time.strftime('%Y-%m-%d %H:%M')}"
    )


def probe() -> str:
    """Time of a fixed pure-Python loop: this machine's speed drifts, and every figure drifts with it."""
    start = time.perf_counter()
    sum(i * i for i in range(3_000_000))
    return f"{(time.perf_counter() - start) * 1000:.0f} ms"


def code() -> str:
    """Which code the figures are of: the commit, and whether builder/ had changes not committed."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    changed = " with uncommitted changes" if git("status", "--porcelain", "--", "builder") else ""
    return f"builder/ at {commit}{changed}, copied when the run started"


def main() -> int:
    """Copy the builder package once, then run every section on that copy."""
    import tempfile

    from processes import freeze

    with tempfile.TemporaryDirectory(prefix="diptyque-code-") as code:
        freeze(Path(code))
        return run_all()


def run_all() -> int:
    """Run every section, print it and write RESULTS.md."""
    before = probe()
    parts = [
        f"# Benchmark results\n\nMachine: {machine()}\n\nCode: {code()}.\n",
        "Each build runs the real CLI as a separate process (interpreter start included); median of the "
        "runs, range in parentheses. Peak memory is the resident memory of the whole process tree, "
        "workers included, as proportional set size (a page shared by forked workers counts once).\n",
    ]
    for title, section in SECTIONS:
        print(f"== {title} ==", flush=True)
        start = time.perf_counter()
        text = section()
        speed = probe()
        parts.append(f"## {title}\n\n{text}\n\nSpeed probe at the end of this section: {speed}.\n")
        print(f"({time.perf_counter() - start:.0f} s; speed probe {speed})\n", flush=True)
    parts.append(
        f"Speed probe (a fixed Python loop, lower is faster): {before} before the runs, {probe()} after.\n"
    )
    RESULTS.write_text("\n".join(parts), encoding="utf-8")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
