"""Build benchmark: cold, no-change and one-edit builds of synthetic bilingual sites, run as separate processes."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from corpus import generate

DIPTYQUE = [sys.executable, "-m", "builder"]


def _tree_memory(pid: int) -> int:
    """Memory (KiB) of a process and all its descendants, read from /proc.

    Proportional set size: a page shared by forked workers counts once in the total, not once per process.
    """
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return total


def run(root: Path, *args: str) -> tuple[float, int, str]:
    """Run one build; return wall seconds, peak memory of the process tree (MiB) and its summary line."""
    began = time.perf_counter()
    process = subprocess.Popen([*DIPTYQUE, "--root", str(root), "build", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_memory(process.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = process.communicate()
    elapsed = time.perf_counter() - began
    sampler.join()
    if process.returncode:
        raise RuntimeError(f"build failed in {root}")
    return elapsed, peak[0] // 1024, out.strip().splitlines()[-1]


def edit(root: Path, number: int) -> None:
    """Change one sentence in the body of one article."""
    posts = sorted((root / "content" / "posts").glob("*.fr.md"))
    path = posts[len(posts) // 2]
    path.write_text(path.read_text(encoding="utf-8").rstrip() + f"\n\nUne phrase modifiée {number}.\n", encoding="utf-8")


def set_aside(path: Path, trash: Path) -> None:
    """Move a folder into `trash` (deleted when the benchmark ends) instead of deleting it now."""
    if path.exists():
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{sum(1 for _ in trash.iterdir())}-{path.name}")


def measure(root: Path, repeat: int, trash: Path) -> dict:
    """Cold, no-change and one-edit builds, each `repeat` times; then, when repeating, one cold build
    started right after deleting the previous output.

    Cold builds start without output and state, which are moved aside rather than deleted: on this
    machine's ext4 (no journal), an inode freed less than 30 s earlier is skipped when a new one is
    allocated, so creating thousands of files right after deleting thousands scans them again and
    again. That cost belongs to the file system and the benchmark's own loop, not to the build; the
    last column shows it.
    """
    cold, nochange, oneedit, peaks, lines, after_rm = [], [], [], [], {}, []
    for attempt in range(repeat):
        set_aside(root / "output", trash)
        set_aside(root / ".diptyque", trash)
        seconds, peak, lines["cold"] = run(root, "--no-cache")
        cold.append(seconds)
        peaks.append(peak)
        seconds, peak, lines["no change"] = run(root)
        nochange.append(seconds)
        peaks.append(peak)
        edit(root, attempt)
        seconds, peak, lines["one edit"] = run(root)
        oneedit.append(seconds)
        peaks.append(peak)
    if repeat > 1:
        shutil.rmtree(root / "output")
        shutil.rmtree(root / ".diptyque")
        after_rm.append(run(root, "--no-cache")[0])
    pages = int(lines["cold"].split()[0])
    return {"pages": pages, "cold": cold, "no change": nochange, "one edit": oneedit, "peak": max(peaks),
            "lines": lines, "cold after rm": after_rm}


def _cell(values: list[float]) -> str:
    median = statistics.median(values)
    return f"{median:.2f} s" if len(values) == 1 else f"{median:.2f} s ({min(values):.2f}–{max(values):.2f})"


def table(rows: dict[int, dict]) -> str:
    """The results as a Markdown table."""
    lines = ["| articles × 2 | pages | cold build | no change | one edit | peak memory | pages/s (cold) "
             "| cold, right after `rm -rf output` |", "|---|---|---|---|---|---|---|---|"]
    for size, row in rows.items():
        lines.append(f"| {size:,} | {row['pages']:,} | {_cell(row['cold'])} | {_cell(row['no change'])} | "
                     f"{_cell(row['one edit'])} | {row['peak']} MiB | {row['pages'] / statistics.median(row['cold']):.0f} | "
                     f"{_cell(row['cold after rm']) if row['cold after rm'] else '–'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[int, dict]:
    """Measure every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated article counts")
    parser.add_argument("--repeat", type=int, default=5, help="runs per size up to 1,000 articles (one above)")
    args = parser.parse_args(argv)
    rows = {}
    with tempfile.TemporaryDirectory(prefix="diptyque-builds-") as temp:
        for size in (int(s) for s in args.sizes.split(",")):
            root = generate(Path(temp) / f"site-{size}", size)
            rows[size] = measure(root, args.repeat if size <= 1000 else 1, Path(temp) / "trash")
            print(table({size: rows[size]}).splitlines()[-1], flush=True)
            set_aside(root, Path(temp) / "trash")
    print(table(rows))
    return rows


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
