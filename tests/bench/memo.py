"""Cost of the template global `memo`: cold builds of a synthetic site with the default theme as it is, and
with site templates that render each post card directly (`card(post, site.lang)`) instead of `memo(...)`.

Run alone: .venv/bin/python tests/bench/memo.py [--articles 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402
from processes import diptyque, freeze, package, set_aside, watch  # noqa: E402

MEMOIZED, DIRECT = "memo(card, post, site.lang)", "card(post, site.lang)"
TEMPLATES = ("list.html", "archive.html", "404.html")


def without_memo(root: Path) -> None:
    """Give the site at `root` its own copies of the card-listing templates, each card rendered directly."""
    folder, theme = root / "templates", package() / "themes" / "default" / "templates"
    folder.mkdir(exist_ok=True)
    for name in TEMPLATES:
        text = (theme / name).read_text(encoding="utf-8")
        if MEMOIZED not in text:
            raise SystemExit(f"{theme / name}: no `{MEMOIZED}` to replace; update TEMPLATES in {__file__}")
        (folder / name).write_text(text.replace(MEMOIZED, DIRECT), encoding="utf-8")


def cold(root: Path, trash: Path) -> tuple[float, float, float]:
    """One cold build with --profile: user+system CPU seconds, wall seconds, render stage seconds."""
    set_aside(root / "output", trash)
    set_aside(root / ".diptyque", trash)
    run = watch(diptyque(root, "--no-cache", "--profile"), f"build of {root}")
    render = re.search(r"^\s+render\s+([\d.]+) ms$", run.out, re.M)
    if not render:
        raise RuntimeError(f"no render stage in the --profile output of the build of {root}:\n{run.out}")
    return run.cpu, run.seconds, float(render.group(1)) / 1000


def digests(output: Path) -> dict[str, str]:
    """The SHA-256 of every file under `output`, by relative path."""
    return {
        str(path.relative_to(output)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in output.rglob("*")
        if path.is_file()
    }


def compare(runs: dict[str, list[dict[str, str]]]) -> dict:
    """Files that differ between the variants, among those every run of a variant wrote alike."""
    stable = {}
    for variant, outputs in runs.items():
        stable[variant] = {
            name: digest
            for name, digest in outputs[0].items()
            if all(other.get(name) == digest for other in outputs[1:])
        }
    (first, second), written = stable.values(), [set().union(*outputs) for outputs in runs.values()]
    both = set(first) & set(second)
    different = {n for n in both if first[n] != second[n]}
    different |= (set(first) - written[1]) | (set(second) - written[0])  # written by one variant only
    return {
        "compared": len(both),
        "varying": len((written[0] | written[1]) - set(first) - set(second)),
        "different": sorted(different),
    }


def measure(articles: int, runs: int) -> dict:
    """Both variants, runs interleaved (with, without, with, …) so that a drift of the machine hits both."""
    figures, outputs = {"memo": [], "direct": []}, {"memo": [], "direct": []}
    with tempfile.TemporaryDirectory(prefix="diptyque-memo-") as temp:
        freeze(Path(temp) / "code")
        roots = {"memo": generate(Path(temp) / "memo", articles)}
        roots["direct"] = Path(temp) / "direct"
        shutil.copytree(roots["memo"], roots["direct"])
        without_memo(roots["direct"])
        for _ in range(runs):
            for variant, root in roots.items():
                figures[variant].append(cold(root, Path(temp) / "trash"))
                outputs[variant].append(digests(root / "output"))
    return {"articles": articles, "figures": figures, "outputs": compare(outputs)}


def _cell(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def _saved(memoized: tuple[float, ...], direct: tuple[float, ...]) -> str:
    """The share of the time `memo` saves, medians; said to be noise when the two sets of runs overlap."""
    saved = f"{1 - statistics.median(memoized) / statistics.median(direct):.0%}"
    if max(memoized) < min(direct) or max(direct) < min(memoized):
        return saved
    return f"{saved} (the runs overlap: no measurable difference)"


def table(result: dict) -> str:
    """The two variants as a Markdown table, with the saving of `memo`, and a note on the method."""
    figures = result["figures"]
    lines = ["| cards rendered | user+system CPU | wall | render stage |", "|---|---|---|---|"]
    for variant, label in (("memo", f"`{MEMOIZED}` (the theme)"), ("direct", f"`{DIRECT}` (site templates)")):
        cpu, wall, render = zip(*figures[variant], strict=True)
        lines.append(f"| {label} | {_cell(cpu)} | {_cell(wall)} | {_cell(render)} |")
    pairs = zip(zip(*figures["memo"], strict=True), zip(*figures["direct"], strict=True), strict=True)
    lines.append("| saved by `memo` | " + " | ".join(_saved(m, d) for m, d in pairs) + " |")
    runs = len(figures["memo"])
    outputs = result["outputs"]
    same = (
        f"byte for byte the same in all {outputs['compared']:,} files"
        if not outputs["different"]
        else f"DIFFERENT in {len(outputs['different'])} files ({', '.join(outputs['different'][:5])}…)"
    )
    if outputs["varying"]:
        same += f"; {outputs['varying']} files that differ between two builds of the same site left out"
    note = (
        f"\nCold builds (`diptyque build --no-cache --profile`) of the {result['articles']:,}-article "
        f"× 2 synthetic site, {runs} runs each, interleaved; median (range). CPU time is the build "
        f"process's and its workers'. The site templates are the theme's {', '.join(TEMPLATES)} with "
        f"`{MEMOIZED}` replaced by `{DIRECT}`; the outputs of both variants are {same}."
    )
    return "\n".join(lines) + "\n" + note


def main(argv: list[str] | None = None) -> dict:
    """Measure both variants and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000, help="articles per language")
    parser.add_argument("--runs", type=int, default=3, help="cold builds per variant")
    args = parser.parse_args(argv)
    result = measure(args.articles, args.runs)
    print(table(result))
    return result


if __name__ == "__main__":
    main()
