"""Pictures' cost: a synthetic bilingual site whose every article shows a picture, built side by side with
the same site without them (social cards off in both): cold, no-change and one-edit builds, the cold cost
per picture, one replaced photo, and the social cards alone.

The pictures are made with Pillow from a fixed seed, so every run measures the same bytes: photo-like
JPEGs (a blurred landscape, light gradients, fine detail and sensor-like grain, so that they compress like
photos) at 2400 × 1600 and 4000 × 3000, PNG diagrams with transparency and one SVG. They sit where the
README's "Pictures" section puts them, in `content/posts/<key>/` or beside the article, and are shown
through front matter (`image: {src: …, alt: …, caption: …}`) and in the body (`![alt](file "title")`).

Run alone: .venv/bin/python tests/bench/pictures.py [--articles 100] [--repeat 3] [--pictured 2]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from builds import _cell as cell  # noqa: E402
from builds import edit, run  # noqa: E402
from corpus import generate  # noqa: E402
from processes import Run, freeze, set_aside  # noqa: E402

NO_CHANGE = 3  # no-change builds after each cold one
PHOTO, LARGE, DIAGRAM, DRAWING = (2400, 1600), (4000, 3000), (1600, 1000), (1200, 800)
REPLACED = (1, 5, 9, 13, 17)  # articles whose 2400 × 1600 photo the one-picture edits replace, in turn
TEXT = {
    "fr": {
        "photo": ("Paysage flou au grain marqué, vue {n}", "Vue {n}, prise au lever du jour"),
        "diagram": ("Schéma en blocs de l’article {n}", "Schéma {n} : les étapes"),
    },
    "en": {
        "photo": ("A blurred landscape with visible grain, view {n}", "View {n}, taken at dawn"),
        "diagram": ("Block diagram of post {n}", "Diagram {n}: the steps"),
    },
}


# The pictures


def photo(width: int, height: int, seed: int):
    """A photo-like RGB picture: sky and ground, soft shapes, detail and grain; the same for the same seed."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)

    def noise(mode: str, w: int, h: int):
        return Image.frombytes(mode, (w, h), rng.randbytes(w * h * len(mode)))

    def colour(low: int, high: int) -> tuple[int, int, int]:
        return tuple(rng.randrange(low, high) for _ in range(3))

    def gradient(size: tuple[int, int], top: tuple, bottom: tuple):
        mask = Image.linear_gradient("L").resize(size)
        return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)

    w, h = width // 8, height // 8  # the scene is drawn small, then enlarged: soft like an out-of-focus shot
    horizon = rng.randrange(h // 3, 2 * h // 3)
    scene = Image.new("RGB", (w, h))
    scene.paste(gradient((w, horizon), colour(150, 250), colour(60, 200)), (0, 0))
    scene.paste(gradient((w, h - horizon), colour(50, 160), colour(10, 90)), (0, horizon))
    draw = ImageDraw.Draw(scene)
    for _ in range(rng.randrange(6, 14)):
        x, y, r = rng.randrange(w), rng.randrange(h // 4, h), rng.randrange(h // 20, h // 4)
        draw.ellipse((x - 2 * r, y - r, x + 2 * r, y + r), fill=colour(20, 200))
    blotches = noise("RGB", w // 4, h // 4).resize((w, h), Image.Resampling.BICUBIC)
    scene = Image.blend(scene.filter(ImageFilter.GaussianBlur(2)), blotches, 0.12)
    scene = scene.resize((width, height), Image.Resampling.BICUBIC)
    detail = noise("L", width // 4, height // 4).resize((width, height), Image.Resampling.BILINEAR)
    texture = Image.blend(detail, noise("L", width, height), 0.5)
    return Image.blend(scene, texture.convert("RGB"), 0.14)


def diagram(width: int, height: int, seed: int):
    """A diagram with a transparent background: translucent boxes with outlines, joined by lines."""
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centres = []
    for _ in range(rng.randrange(5, 9)):
        x, y = rng.randrange(width - 320), rng.randrange(height - 220)
        box = (x, y, x + rng.randrange(160, 320), y + rng.randrange(90, 220))
        fill = (*(rng.randrange(40, 230) for _ in range(3)), rng.randrange(110, 256))
        draw.rounded_rectangle(box, radius=24, fill=fill, outline=(30, 30, 30, 255), width=4)
        centres.append(((box[0] + box[2]) // 2, (box[1] + box[3]) // 2))
    draw.line(centres, fill=(60, 60, 60, 200), width=6, joint="curve")
    return image


def drawing(width: int, height: int) -> bytes:
    """An SVG drawing with its size: copied as it is by the build."""
    shapes = "".join(
        f'<circle cx="{150 + 180 * i}" cy="{400 + (-1) ** i * 120}" r="{60 + 10 * i}" fill="#{i}a{i}b6c"/>'
        for i in range(6)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="100%" height="100%" fill="#f4efe6"/>{shapes}</svg>\n'
    ).encode()


def write(path: str, kind: str, size: tuple[int, int], seed: int) -> int:
    """Write one picture file (photo, diagram or drawing); return its size in bytes."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "drawing":
        target.write_bytes(drawing(*size))
    elif kind == "diagram":
        diagram(*size, seed).save(target, "PNG")
    else:
        photo(*size, seed).save(target, "JPEG", quality=88)
    return target.stat().st_size


# The site


def plan(articles: int) -> dict[int, list[dict]]:
    """The pictures of each article: file (as the article writes it, and where it is), kind, size, use.

    Odd articles keep their pictures in their key's folder, even ones beside them; one article in four shows
    its photo in the body only, the others as their hero; one in twelve also has a diagram in its body;
    article 7's hero is the SVG drawing, one photo in eight is 4000 × 3000.
    """
    pictures = {}
    for number in range(articles):
        key = f"article-{number:04d}"
        kind, size = ("drawing", DRAWING) if number == 7 else ("photo", LARGE if number % 8 == 3 else PHOTO)
        name = {"drawing": "drawing.svg", "photo": "photo.jpg"}[kind]
        written = name if number % 2 else f"{key}-{name}"
        folder = f"content/posts/{key}" if number % 2 else "content/posts"
        shown = [{"src": written, "file": f"{folder}/{written}", "kind": kind, "size": size}]
        shown[0]["use"] = "body" if number % 4 == 0 else "hero"
        if number % 12 == 6:
            shown.append(
                {
                    "src": "diagram.png",
                    "file": f"content/posts/{key}/diagram.png",
                    "kind": "diagram",
                    "size": DIAGRAM,
                    "use": "body",
                }
            )
        pictures[number] = shown
    return pictures


def show(text: str, number: int, lang: str, pictures: list[dict]) -> str:
    """An article's Markdown with its pictures: the hero in front matter, the others as body figures."""
    for picture in pictures:
        words = TEXT[lang]["diagram" if picture["kind"] == "diagram" else "photo"]
        alt, title = (t.format(n=number) for t in words)
        if picture["use"] == "hero":
            line = f'image: {{src: {picture["src"]}, alt: "{alt}", caption: "{title}"}}'
            text = text.replace("\n---\n\n", f"\n{line}\n---\n\n", 1)
        else:
            head, body = text.split("\n---\n\n", 1)
            blocks = body.split("\n\n")
            blocks.insert(min(3, len(blocks)), f'![{alt}]({picture["src"]} "{title}")')
            text = f"{head}\n---\n\n" + "\n\n".join(blocks)
    return text


def configure(root: Path, cards: bool) -> None:
    """Turn the site's social cards off (a top-level key, before the first table) unless `cards`."""
    if cards:
        return
    path = root / "config.toml"
    text = path.read_text(encoding="utf-8")
    start = re.search(r"^\[", text, re.M)
    at = start.start() if start else len(text)
    path.write_text(text[:at] + "social_cards = false\n\n" + text[at:], encoding="utf-8")


def illustrate(root: Path, articles: int) -> dict:
    """Add every article's pictures to the site at `root`; return what the sources are (kinds, bytes)."""
    pictures = plan(articles)
    jobs = {p["file"]: (p["kind"], p["size"], number) for number, shown in pictures.items() for p in shown}
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as executor:
        sizes = list(
            executor.map(
                write,
                [str(root / file) for file in jobs],
                *zip(*((kind, size, seed) for kind, size, seed in jobs.values()), strict=True),
            )
        )
    for number, shown in pictures.items():
        for lang in ("fr", "en"):
            path = root / "content" / "posts" / f"article-{number:04d}.{lang}.md"
            path.write_text(show(path.read_text(encoding="utf-8"), number, lang, shown), encoding="utf-8")
    kinds = Counter(f"{kind} {size[0]} × {size[1]}" for kind, size, _ in jobs.values())
    return {"count": len(jobs), "bytes": sum(sizes), "kinds": dict(sorted(kinds.items()))}


def sites(temp: Path, articles: int) -> tuple[dict[str, Path], dict]:
    """The three sites: without pictures, the same with social cards on, and with pictures."""
    plain = generate(temp / "plain", articles)
    cards = temp / "cards"
    shutil.copytree(plain, cards)
    configure(plain, cards=False)
    shown = temp / "pictures"
    shutil.copytree(plain, shown)
    sources = illustrate(shown, articles)
    return {"plain": plain, "cards": cards, "pictures": shown}, sources


# Measuring


def images(root: Path, prefix: str = "") -> dict[str, int]:
    """The files under output/img/ whose names start with `prefix`, by name, with their sizes."""
    folder = root / "output" / "img"
    if not folder.is_dir():
        return {}
    return {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file() and p.name.startswith(prefix)}


def written(result: Run) -> int:
    """How many files a build wrote, from its summary line."""
    found = re.search(r"(\d+) written", result.out)
    if not found:
        raise RuntimeError(f"no 'N written' in the build's summary:\n{result.out}")
    return int(found[1])


def record(figures: dict, kind: str, result: Run) -> None:
    """Keep one build's wall and CPU seconds, peak memory and files written under `kind`."""
    for name, value in (("wall", result.seconds), ("cpu", result.cpu), ("written", written(result))):
        figures.setdefault(kind, {}).setdefault(name, []).append(value)
    figures["peak"] = max(figures.get("peak", 0), result.peak)
    figures["pages"] = int(result.out.split()[0])


def cold(root: Path, trash: Path, figures: dict, prefix: str = "") -> None:
    """One cold build (no output, no state) and what it wrote into output/img/."""
    set_aside(root / "output", trash)
    set_aside(root / ".diptyque", trash)
    record(figures, "cold", run(root, "--no-cache"))
    figures["images"] = images(root, prefix)


def warm(root: Path, attempt: int, figures: dict) -> None:
    """Builds with nothing changed (a few: they are short), then one after an article's text was edited."""
    for _ in range(NO_CHANGE):
        record(figures, "no change", run(root))
    edit(root, attempt)
    record(figures, "one edit", run(root))


def replace_photo(root: Path, attempt: int, figures: dict) -> None:
    """Replace one 2400 × 1600 photo's bytes, build, and count the variants written and removed."""
    articles = sum(1 for _ in (root / "content" / "posts").glob("*.fr.md"))
    choices = [n for n in REPLACED if n < articles] or [1]
    number = choices[attempt % len(choices)]
    before = images(root)
    path = root / "content" / "posts" / f"article-{number:04d}" / "photo.jpg"
    write(str(path), "photo", PHOTO, 1000 + attempt)
    record(figures, "picture", run(root))
    after = images(root)
    figures.setdefault("variants", []).append((len(set(after) - set(before)), len(set(before) - set(after))))


def measure(articles: int, repeat: int, pictured: int) -> dict:
    """Every build of the three sites, `repeat` times (the cold build with pictures, the longest, `pictured`
    times), interleaved so that a drift of the machine hits all; then the one-photo edits."""
    figures = {"plain": {}, "cards": {}, "pictures": {}}
    with tempfile.TemporaryDirectory(prefix="diptyque-pictures-") as temp:
        freeze(Path(temp) / "code")
        roots, sources = sites(Path(temp), articles)
        trash = Path(temp) / "trash"
        for attempt in range(repeat):
            for name, root in roots.items():
                if name != "pictures" or attempt < pictured:  # else built on the state of the last run
                    cold(root, trash, figures[name], "card-" if name == "cards" else "")
                if name != "cards":
                    warm(root, attempt, figures[name])
        for attempt in range(repeat):
            replace_photo(roots["pictures"], attempt, figures["pictures"])
    return {"articles": articles, "repeat": repeat, "pictured": pictured, "sources": sources, **figures}


# Reporting


def _each(minuend: list[float], subtrahend: list[float], count: int) -> list[float]:
    """Per interleaved run: the difference of two builds' seconds, divided by `count` (the runs of the
    shorter list only)."""
    return [(a - b) / max(count, 1) for a, b in zip(minuend, subtrahend)]  # noqa: B905


def _formats(made: dict[str, int]) -> str:
    """The variants' total size by format."""
    sizes = Counter()
    for name, size in made.items():
        sizes[name.rsplit(".", 1)[-1].upper()] += size
    return ", ".join(f"{ext} {_mb(size)}" for ext, size in sorted(sizes.items(), key=lambda item: -item[1]))


def _per(values: list[float]) -> str:
    median = statistics.median(values) * 1000
    if len(values) == 1:
        return f"{median:.0f} ms"
    return f"{median:.0f} ms ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def table(result: dict) -> str:
    """The builds side by side as a Markdown table, then the costs they show, and how they were measured."""
    plain, shown, sources = result["plain"], result["pictures"], result["sources"]
    lines = [
        "| site | pages | cold build | cold, CPU | no change | one edit | one edit, CPU "
        "| files written (no change / one edit) | peak memory |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, row in (("without pictures", plain), (f"with {sources['count']} pictures", shown)):
        lines.append(
            f"| {label} | {row['pages']:,} | {cell(row['cold']['wall'])} | {cell(row['cold']['cpu'])} "
            f"| {cell(row['no change']['wall'])} | {cell(row['one edit']['wall'])} "
            f"| {cell(row['one edit']['cpu'])} | {statistics.median(row['no change']['written']):.0f} / "
            f"{statistics.median(row['one edit']['written']):.0f} | {row['peak']} MiB |"
        )
    return "\n".join(lines) + "\n\n" + "\n".join(_costs(result)) + "\n\n" + _method(result)


def _ratio(shown: dict, plain: dict, kind: str) -> str:
    """With pictures / without, medians of wall and CPU time."""
    wall, cpu = (
        statistics.median(shown[kind][k]) / statistics.median(plain[kind][k]) for k in ("wall", "cpu")
    )
    return f"{wall:.2f}× wall, {cpu:.2f}× CPU"


def _costs(result: dict) -> list[str]:
    """One line per cost: a cold picture, a build once processed, a replaced photo, a social card."""
    plain, shown, cards, sources = result["plain"], result["pictures"], result["cards"], result["sources"]
    count, made = sources["count"], shown["images"]
    kinds = ", ".join(f"{n} {kind}" for kind, n in sources["kinds"].items())
    edits, cold_cards = shown["picture"], len(cards["images"])
    new, gone = zip(*shown["variants"], strict=True)
    return [
        f"- **Cold cost per picture**: {_per(_each(shown['cold']['wall'], plain['cold']['wall'], count))} "
        f"wall, {_per(_each(shown['cold']['cpu'], plain['cold']['cpu'], count))} CPU, over {count} source "
        f"pictures ({kinds}; {_mb(sources['bytes'])}): {len(made):,} variant files written, "
        f"{_mb(sum(made.values()))} ({_formats(made)}), {sum(made.values()) / sources['bytes']:.0%} of the "
        "sources' size.",
        f"- **Once processed**, with pictures / without: no change {_ratio(shown, plain, 'no change')}; one "
        f"edit (an article's text) {_ratio(shown, plain, 'one edit')}.",
        f"- **One photo replaced** (a {PHOTO[0]} × {PHOTO[1]} JPEG's bytes, then a build): "
        f"{cell(edits['wall'])}, CPU {cell(edits['cpu'])}; {statistics.median(new):.0f} variants "
        f"written and {statistics.median(gone):.0f} removed (median of {len(new)} edits), "
        f"{statistics.median(edits['written']):.0f} files written in all.",
        f"- **Social cards alone** (the site without pictures, cards on − off): "
        f"{_per(_each(cards['cold']['wall'], plain['cold']['wall'], cold_cards))} wall, "
        f"{_per(_each(cards['cold']['cpu'], plain['cold']['cpu'], cold_cards))} CPU per card, over "
        f"{cold_cards} cards; cold build with cards {cell(cards['cold']['wall'])}, CPU "
        f"{cell(cards['cold']['cpu'])}.",
    ]


def _method(result: dict) -> str:
    return (
        f"{result['articles']:,} synthetic articles × 2 languages (`corpus.generate`), "
        "`social_cards = false` except on the cards line; every article shows a picture, in both "
        f"languages. {result['repeat']} runs of each build ({result['pictured']} of the cold build with "
        f"pictures, {result['repeat'] * NO_CHANGE} of the no-change builds), the sites interleaved; median "
        "(range). A cold build starts without output and state (`.diptyque/`, the picture cache included); "
        "costs per picture and per card are the differences of the interleaved runs, divided by the count. "
        "CPU time is the build process's and its workers'."
    )


def main(argv: list[str] | None = None) -> dict:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100, help="articles per language")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build")
    parser.add_argument(
        "--pictured", type=int, default=2, help="runs of the cold build with pictures (at most --repeat)"
    )
    args = parser.parse_args(argv)
    result = measure(args.articles, args.repeat, max(1, min(args.pictured, args.repeat)))
    print(table(result))
    return result


if __name__ == "__main__":
    main()
