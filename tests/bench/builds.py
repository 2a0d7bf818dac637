"""Build benchmark: cold, no-change and one-edit builds of synthetic bilingual sites, each one a process."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
from pathlib import Path

import hugo
from corpus import generate
from processes import Run, diptyque, freeze, set_aside, watch


def run(root: Path, *args: str, memory: bool = True) -> Run:
    """Run one build: its wall and CPU seconds, peak memory of the process tree (MiB, when sampled) and
    output."""
    return watch(diptyque(root, *args), f"build of {root}", memory)


def edit(root: Path, number: int) -> None:
    """Change one sentence in the body of one article."""
    posts = sorted((root / "content" / "posts").glob("*.fr.md"))
    path = posts[len(posts) // 2]
    text = path.read_text(encoding="utf-8").rstrip() + f"\n\nUne phrase modifiée {number}.\n"
    path.write_text(text, encoding="utf-8")


def measure(root: Path, repeat: int, trash: Path) -> dict:
    """Cold, no-change and one-edit builds, each `repeat` times; then, when repeating, one cold build
    started right after deleting the previous output.

    Cold builds start without output and state, which are moved aside rather than deleted: on this
    machine's ext4 (no journal), an inode freed less than 30 s earlier is skipped when a new one is
    allocated, so creating thousands of files right after deleting thousands scans them again and
    again. That cost belongs to the file system and the benchmark's own loop, not to the build; the
    last column shows it.
    """
    kinds = {"cold": ("--no-cache",), "no change": (), "one edit": ()}
    seconds, cpu, peaks, lines, after_rm = {k: [] for k in kinds}, {k: [] for k in kinds}, [], {}, []
    for attempt in range(repeat + (repeat > 1)):  # when repeating, a last round measures the memory
        sampled = repeat == 1 or attempt == repeat  # the sampler costs CPU: not during timed runs
        set_aside(root / "output", trash)
        set_aside(root / ".diptyque", trash)
        for kind, args in kinds.items():
            if kind == "one edit":
                edit(root, attempt)
            result = run(root, *args, memory=sampled)
            peaks.append(result.peak)
            if attempt < repeat:
                seconds[kind].append(result.seconds)
                cpu[kind].append(result.cpu)
                lines[kind] = result.out.strip().splitlines()[-1]
    if repeat > 1:
        shutil.rmtree(root / "output")
        shutil.rmtree(root / ".diptyque")
        after_rm.append(run(root, "--no-cache", memory=False).seconds)
    pages = int(lines["cold"].split()[0])
    return {
        "pages": pages,
        **seconds,
        "cpu": cpu,
        "peak": max(peaks),
        "lines": lines,
        "cold after rm": after_rm,
    }


def same_work(root: Path) -> Path:
    """The site set to do what the Hugo twin does: no social cards, no search index."""
    config = root / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text("social_cards = false\nsearch = false\n" + text, encoding="utf-8")
    return root


def _cell(values: list[float]) -> str:
    median = statistics.median(values)
    return f"{median:.2f} s" if len(values) == 1 else f"{median:.2f} s ({min(values):.2f}–{max(values):.2f})"


def table(rows: dict[int, dict]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| articles × 2 | pages | cold build | no change | one edit | peak memory | pages/s (cold) "
        "| cold, right after `rm -rf output` |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, row in rows.items():
        lines.append(
            f"| {size:,} | {row['pages']:,} | {_cell(row['cold'])} | {_cell(row['no change'])} | "
            f"{_cell(row['one edit'])} | {row['peak']} MiB | "
            f"{row['pages'] / statistics.median(row['cold']):.0f} | "
            f"{_cell(row['cold after rm']) if row['cold after rm'] else '–'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[int, dict]:
    """Measure every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated article counts")
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per size up to 1,000 articles (one above)"
    )
    parser.add_argument(
        "--hugo-sizes",
        default="100,1000",
        help="sizes also built by Hugo, for the side-by-side table (empty: none)",
    )
    args = parser.parse_args(argv)
    with_hugo = {int(s) for s in args.hugo_sizes.split(",") if s.strip()}
    if with_hugo:
        print(hugo.ensure(), flush=True)
    rows = {}
    with tempfile.TemporaryDirectory(prefix="diptyque-builds-") as temp:
        freeze(Path(temp) / "code")
        for size in (int(s) for s in args.sizes.split(",")):
            root = generate(Path(temp) / f"site-{size}", size)
            twin = hugo.site(root, Path(temp) / f"hugo-{size}") if size in with_hugo else None
            repeat, trash = args.repeat if size <= 1000 else 1, Path(temp) / "trash"
            rows[size] = measure(root, repeat, trash)
            print(table({size: rows[size]}).splitlines()[-1], flush=True)
            if twin:  # the work Hugo's templates do too: no social cards, no search index
                rows[size]["same"] = measure(same_work(root), repeat, trash)
                print(table({size: rows[size]["same"]}).splitlines()[-1], "cards, search off", flush=True)
            set_aside(root, trash)
            if twin:
                rows[size]["hugo"] = hugo.measure(twin, repeat, trash)
                print(hugo.table({size: rows[size]}).splitlines()[-1], flush=True)
                set_aside(twin, trash)
    print(table(rows))
    if with_hugo:
        print(hugo.table(rows))
    return rows


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
