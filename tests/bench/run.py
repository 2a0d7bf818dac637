"""Run the benchmarks (`make bench`): one section per benchmark, each printing its own figures.

`--only NAME` (repeatable) runs some sections alone (names: serve_latency, builds, hugo, pictures, search);
their parts of RESULTS.md are replaced and the others' kept. Other options go to the builds section.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
CLOSING = "Speed probe (a fixed Python loop, lower is faster)"  # the line that ends RESULTS.md
MEASURED: dict = {}  # figures one section measures and a later one reports
PASSED: list[str] = []  # the command line's options that are not run.py's own: for the builds section


def builds() -> str:
    """Cold, no-change and one-edit builds at 100, 1,000 and 10,000 articles × 2 languages."""
    import builds as bench

    MEASURED["builds"] = bench.main(PASSED)
    return bench.table(MEASURED["builds"])


def hugo() -> str:
    """The same builds by Hugo, measured with them: Diptyque's figures, Hugo's and the ratios."""
    import hugo as bench

    return bench.table(MEASURED.get("builds", {})) + "\n\n" + bench.notes()


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


def pictures() -> str:
    """Pictures' cold cost, and no-change and one-edit builds with and without them, at 100 articles × 2."""
    import pictures as bench

    return bench.table(bench.main([]))


def search() -> str:
    """The search index's cost at 1,000 articles × 2: builds with search on and off, index size."""
    import search as bench

    return bench.table(bench.main([]))


SECTIONS = [
    ("Dev server: save to reload", serve_latency),  # first, on a quiet machine
    ("Builds", builds),
    ("Side by side with Hugo", hugo),  # reports the runs of the builds section: run it with that one
    ("Pictures", pictures),
    ("Search", search),
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
        f"{platform.node()} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()} "
        f"({os.path.realpath(sys.executable)}) · "
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


def options(argv: list[str]) -> argparse.Namespace:
    """run.py's own options; the rest is kept in PASSED for the builds section."""
    names = [section.__name__ for _, section in SECTIONS]
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only", action="append", choices=names, metavar="NAME", help=f"run only: {', '.join(names)}"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="the Markdown file to write")
    args, PASSED[:] = parser.parse_known_args(argv)
    return args


def main() -> int:
    """Copy the builder package once, then run every section asked for on that copy."""
    import tempfile

    from processes import freeze

    args = options(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="diptyque-code-") as code:
        freeze(Path(code))
        if args.only:
            return run_some([s for s in SECTIONS if s[1].__name__ in args.only], args.results)
        return run_all(args.results)


def run_section(title: str, section, note: str = "") -> str:
    """Run one section, print its duration; return its part of RESULTS.md, `note` before its speed probe."""
    print(f"== {title} ==", flush=True)
    start = time.perf_counter()
    text = section()
    speed = probe()
    print(f"({time.perf_counter() - start:.0f} s; speed probe {speed})\n", flush=True)
    return f"## {title}\n\n{text}\n\n{note}Speed probe at the end of this section: {speed}.\n"


def run_some(sections: list, results: Path) -> int:
    """Run some sections and put their parts in `results` in place of the earlier ones (or at the end)."""
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    for title, section in sections:
        note = f"Run on its own. Machine: {machine()}. Code: {code()}.\n\n"
        text = replace_part(text, title, run_section(title, section, note))
    results.write_text(text, encoding="utf-8")
    print(f"written to {results}")
    return 0


def replace_part(text: str, title: str, part: str) -> str:
    """`text` with its `## title` part replaced by `part`, or `part` added before the closing probe line."""
    closing = text.find(f"\n{CLOSING}")
    body, tail = (text[: closing + 1], text[closing + 1 :]) if closing >= 0 else (text, "")
    chunks = re.split(r"(?m)^(?=## )", body)
    same = [i for i, chunk in enumerate(chunks) if chunk.startswith(f"## {title}\n")]
    if same:
        chunks[same[0]] = part + "\n"
    else:
        chunks[-1] = chunks[-1].rstrip("\n") + "\n\n"
        chunks.append(part + "\n")
    return "".join(chunks) + tail


def run_all(results: Path) -> int:
    """Run every section, print it and write RESULTS.md."""
    before = probe()
    parts = [
        f"# Benchmark results\n\nMachine: {machine()}\n\nCode: {code()}.\n",
        "Each build runs the real CLI as a separate process (interpreter start included); median of the "
        "runs, range in parentheses. Peak memory is the resident memory of the whole process tree, "
        "workers included, as proportional set size (a page shared by forked workers counts once).\n",
    ]
    for title, section in SECTIONS:
        parts.append(run_section(title, section))
    parts.append(f"{CLOSING}: {before} before the runs, {probe()} after.\n")
    results.write_text("\n".join(parts), encoding="utf-8")
    print(f"written to {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
