"""The search index's cost: the same synthetic site built with `search = true` and `search = false` (social
cards off in both), cold, with nothing changed and after one article edit, and the size of each language's
index.

Run alone: .venv/bin/python tests/bench/search.py [--articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from builds import _cell as cell  # noqa: E402
from builds import measure as builds  # noqa: E402
from corpus import generate  # noqa: E402
from processes import freeze, set_aside  # noqa: E402

KINDS = ("cold", "no change", "one edit")


def configure(root: Path, search: bool) -> Path:
    """Set the site's search on or off, social cards off."""
    config = root / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(f"social_cards = false\nsearch = {str(search).lower()}\n{text}", encoding="utf-8")
    return root


def index_sizes(output: Path) -> dict[str, tuple[int, int]]:
    """Files and bytes of each language's bundle."""
    sizes = {}
    for bundle in sorted(p for p in (output / "pagefind").glob("*") if p.is_dir()):
        files = [p for p in bundle.rglob("*") if p.is_file()]
        sizes[bundle.name] = (len(files), sum(p.stat().st_size for p in files))
    return sizes


def measure(articles: int, repeat: int) -> dict:
    """Both variants of the site, each measured as the builds section does."""
    with tempfile.TemporaryDirectory(prefix="diptyque-search-") as temp:
        freeze(Path(temp) / "code")
        trash, found = Path(temp) / "trash", {}
        for search in (False, True):
            root = configure(generate(Path(temp) / f"site-{search}", articles), search)
            found[search] = builds(root, repeat, trash)
            if search:
                found["sizes"] = index_sizes(root / "output")
            set_aside(root, trash)
    return {"articles": articles, **found}


def _added(on: dict, off: dict, kind: str, key: str | None = None) -> str:
    """The median cost search adds to a kind of build (wall, or CPU with key="cpu")."""
    pick = (lambda row: row[key][kind]) if key else (lambda row: row[kind])
    return f"{statistics.median(pick(on)) - statistics.median(pick(off)):+.2f} s"


def table(result: dict) -> str:
    """The figures as Markdown."""
    on, off = result[True], result[False]
    lines = [
        f"{result['articles']:,} articles × 2, social cards off in both.",
        "",
        "| search | " + " | ".join(KINDS) + " | cold, CPU | one edit, CPU |",
        "|---" * 6 + "|",
    ]
    for name, row in (("off", off), ("on", on)):
        cells = [cell(row[kind]) for kind in KINDS] + [cell(row["cpu"]["cold"]), cell(row["cpu"]["one edit"])]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    added = [_added(on, off, kind) for kind in KINDS]
    added += [_added(on, off, "cold", "cpu"), _added(on, off, "one edit", "cpu")]
    lines.append("| added by search | " + " | ".join(added) + " |")
    lines += [
        "",
        "Index size per language: "
        + ", ".join(
            f"{lang} {files:,} files, {size / 1e6:.1f} MB" for lang, (files, size) in result["sizes"].items()
        )
        + ". Targets: ≤ 1 s added to the cold build, ≤ 0.3 s to the one-edit build (else the dev server"
        " updates the index after serving the pages, which it does).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    result = measure(args.articles, args.repeat)
    print(table(result))
    return result


if __name__ == "__main__":
    main()
