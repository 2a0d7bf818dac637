"""The same synthetic corpus built by Hugo, for a side-by-side comparison with Diptyque.

The Hugo site is written from a Diptyque corpus (`corpus.generate`): the posts are copied as they are
(YAML front matter with title, date, slug and tags, which Hugo reads), minimal templates render the
same page set per language (paginated home, posts, tags and paginated tag pages, an archives index,
year archives grouped by month and month archives, a 404 page, feeds for the home and each tag, the
sitemap). Each year and month archive is a section (`content/archives/<year>/<month>/_index.<lang>.md`),
since Hugo makes pages only from content files and taxonomies, and each tag has its label per language in
`content/tags/<id>/`.

Run alone: .venv/bin/python tests/bench/hugo.py [--sizes 100,1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from processes import Run, set_aside, watch  # noqa: E402

HUGO = "hugo"
SUDO = [] if os.geteuid() == 0 else ["sudo"]
# Diptyque / Hugo at 1,000 articles × 2: what each ratio should stay under.
TARGETS = {"cold": 2.0, "no change": 0.1, "one edit": 0.3, "peak": 0.5}

BASEOF = """<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ if not .IsHome }}{{ .Title }} — {{ end }}{{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}\
{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">
{{ end }}{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav><a href="{{ site.Home.RelPermalink }}">{{ i18n "articles" }}</a> <a href="{{ "tags/" | relLangURL }}">\
{{ i18n "tags" }}</a> <a href="{{ "archives/" | relLangURL }}">{{ i18n "archives" }}</a></nav>
<nav>{{ range .Translations }}<a hreflang="{{ .Lang }}" href="{{ .RelPermalink }}">\
{{ .Language.LanguageName }}</a>{{ end }}</nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""
META = """<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">\
{{ .Date | time.Format ":date_long" }}</time> · {{ .ReadingTime }} min{{ range .GetTerms "tags" }} \
<a class="tag" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
"""
CARD = """<article class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ partial "meta.html" . }}<p class="card-summary">{{ .Summary | plainify | htmlUnescape | truncate 160 }}\
</p></article>
"""
CARDS = '{{ range . }}{{ partialCached "card.html" . .RelPermalink }}{{ end }}'  # once per post
# The posts by month ("2006-01"), computed once per language, for the month pages.
MONTHS = """{{ $months := newScratch }}{{ range site.RegularPages }}{{ $months.Add (.Date.Format "2006-01") \
(slice .) }}{{ end }}{{ return $months.Values }}"""
PAGER = """{{ define "pager" }}{{ with .Paginator }}{{ if gt .TotalPages 1 }}<nav class="pagination">\
{{ with .Prev }}<a rel="prev" href="{{ .URL }}">←</a>{{ end }} {{ .PageNumber }} / {{ .TotalPages }} \
{{ with .Next }}<a rel="next" href="{{ .URL }}">→</a>{{ end }}</nav>{{ end }}{{ end }}{{ end }}"""
LAYOUTS = {
    "_default/baseof.html": BASEOF,
    "partials/meta.html": META,
    "partials/card.html": CARD,
    "partials/cards.html": CARDS,
    "partials/months.html": MONTHS,
    "index.html": """{{ define "main" }}{{ $pager := .Paginate site.RegularPages }}
<h1>{{ site.Title }}{{ if gt $pager.PageNumber 1 }} — {{ $pager.PageNumber }}{{ end }}</h1>
<p class="lede">{{ site.Params.description }}</p>
<div class="cards">{{ partial "cards.html" $pager.Pages }}</div>{{ template "pager" . }}{{ end }}
"""
    + PAGER,
    "_default/single.html": """{{ define "main" }}<article class="post"><h1>{{ .Title }}</h1>
{{ partial "meta.html" . }}<nav class="toc"><h2>{{ i18n "contents" }}</h2>{{ .TableOfContents }}</nav>
<div class="prose">{{ .Content }}</div></article>
<nav class="prevnext">{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>\
{{ end }}
{{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ i18n "tags" }}</h1><ul>{{ range .Data.Terms.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "_default/term.html": """{{ define "main" }}{{ $pager := .Paginate .Pages }}<h1>{{ .Title }}</h1>
<p class="lede">{{ len .Pages }} · \
<a href="{{ with .OutputFormats.Get "rss" }}{{ .RelPermalink }}{{ end }}">RSS</a></p>
<div class="cards">{{ partial "cards.html" $pager.Pages }}</div>{{ template "pager" . }}{{ end }}
"""
    + PAGER,
    "archives/list.html": """{{ define "main" }}{{ if .Params.month }}\
<h1>{{ i18n "archives" }} {{ .Title }}</h1>
{{ $months := partialCached "months.html" . site.Language.Lang }}
<div class="cards">{{ partial "cards.html" (index $months (printf "%d-%s" .Params.year .Params.month)) }}\
</div>
{{ else }}{{ with .Params.year }}<h1>{{ i18n "archives" }} {{ . }}</h1>
{{ range (where site.RegularPages "Date.Year" .).GroupByDate "January" }}<section class="archive-month">
<h2>{{ .Key }}</h2><div class="cards">{{ partial "cards.html" .Pages }}</div></section>{{ end }}
{{ else }}<h1>{{ i18n "archives" }}</h1><ul>{{ range .Sections.ByTitle.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}{{ end }}{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>{{ i18n "notfound" }}</h1>
<div class="cards">{{ partial "cards.html" (first 8 site.RegularPages) }}</div>
{{ end }}
""",
}
I18N = {
    "fr": {
        "articles": "Articles",
        "tags": "Étiquettes",
        "archives": "Archives",
        "contents": "Sommaire",
        "notfound": "Page introuvable",
    },
    "en": {
        "articles": "Articles",
        "tags": "Tags",
        "archives": "Archives",
        "contents": "Contents",
        "notfound": "Page not found",
    },
}


def ensure() -> str:
    """Hugo's version line; installs Debian's `hugo` package first when `hugo` is missing."""
    if not shutil.which(HUGO):
        print("hugo is missing: installing Debian's hugo package", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
        subprocess.run([*SUDO, "apt-get", "update", "-qq"], check=True, **quiet)
        subprocess.run([*SUDO, "apt-get", "install", "-y", "-qq", "hugo"], check=True, **quiet)
    return subprocess.run([HUGO, "version"], capture_output=True, text=True, check=True).stdout.strip()


def _config(config: dict) -> str:
    languages = "".join(
        f'\n[languages.{code}]\nlanguageName = "{lang["name"]}"\n'
        f'languageCode = "{lang["locale"].replace("_", "-")}"\n'
        f'title = "{lang["title"]}"\nweight = {weight}\n[languages.{code}.params]\n'
        f'description = "{lang["description"]}"\n'
        for weight, (code, lang) in enumerate(config["languages"].items(), 1)
    )
    return (
        f"""baseURL = "{config["base_url"]}"
defaultContentLanguage = "{config["default_language"]}"
defaultContentLanguageInSubdir = true
paginate = {config["posts_per_page"]}
rssLimit = {config.get("feed_entries", 20)}
enableRobotsTXT = true
disableHugoGeneratorInject = true
[permalinks]
posts = "/:year/:slug/"
[taxonomies]
tag = "tags"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""
        + languages
    )


def _months(posts: Path) -> set[tuple[int, int]]:
    """The years and months of the posts' `date` lines."""
    months = set()
    for path in posts.glob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            if line.startswith("date: "):
                months.add((int(line[6:10]), int(line[11:13])))
                break
            if line == "---":
                break
    return months


def site(source: Path, target: Path) -> Path:
    """Write a Hugo site at `target` with the posts of the Diptyque site at `source`; return `target`."""
    config = tomllib.loads((source / "config.toml").read_text(encoding="utf-8"))
    shutil.copytree(source / "content" / "posts", target / "content" / "posts")
    (target / "config.toml").write_text(_config(config), encoding="utf-8")
    for name, text in LAYOUTS.items():
        (target / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (target / "layouts" / name).write_text(text, encoding="utf-8")
    tags = tomllib.loads((source / "content" / "tags.toml").read_text(encoding="utf-8"))
    archives = target / "content" / "archives"
    archives.mkdir()
    for lang in config["languages"]:
        (target / "i18n").mkdir(exist_ok=True)
        (target / "i18n" / f"{lang}.toml").write_text(
            "".join(f'{key} = "{text}"\n' for key, text in I18N.get(lang, I18N["en"]).items()),
            encoding="utf-8",
        )
        (target / "content" / "posts" / f"_index.{lang}.md").write_text(
            "---\ntitle: Posts\n_build:\n  render: never\n---\n", encoding="utf-8"
        )
        (archives / f"_index.{lang}.md").write_text("---\ntitle: Archives\n---\n", encoding="utf-8")
        for tag, labels in tags.items():
            (target / "content" / "tags" / tag).mkdir(parents=True, exist_ok=True)
            (target / "content" / "tags" / tag / f"_index.{lang}.md").write_text(
                f'---\ntitle: "{labels[lang]}"\n---\n', encoding="utf-8"
            )
        months = _months(source / "content" / "posts")
        for year in sorted({year for year, _ in months}):
            (archives / str(year)).mkdir(exist_ok=True)
            (archives / str(year) / f"_index.{lang}.md").write_text(
                f'---\ntitle: "{year}"\nyear: {year}\n---\n', encoding="utf-8"
            )
        for year, month in sorted(months):  # a page per month, as Diptyque makes
            (archives / str(year) / f"{month:02}").mkdir(exist_ok=True)
            (archives / str(year) / f"{month:02}" / f"_index.{lang}.md").write_text(
                f'---\ntitle: "{year}-{month:02}"\nyear: {year}\nmonth: "{month:02}"\n---\n',
                encoding="utf-8",
            )
    return target


def count(public: Path) -> int:
    """Files Hugo wrote: pages, feeds, sitemaps and robots.txt."""
    return sum(1 for path in public.rglob("*") if path.is_file())


def edit(root: Path, number: int) -> None:
    """Change one sentence in the body of one article: the same one as the Diptyque benchmark edits."""
    posts = sorted(p for p in (root / "content" / "posts").glob("*.fr.md") if not p.name.startswith("_"))
    path = posts[len(posts) // 2]
    text = path.read_text(encoding="utf-8").rstrip() + f"\n\nUne phrase modifiée {number}.\n"
    path.write_text(text, encoding="utf-8")


def build(root: Path, memory: bool = True) -> Run:
    """One `hugo --quiet` build of the site at `root` into its public/ folder (its memory sampled or not)."""
    return watch([HUGO, "--quiet", "--source", str(root)], f"hugo build of {root}", memory)


def measure(root: Path, repeat: int, trash: Path) -> dict:
    """Cold, no-change and one-edit builds, each `repeat` times; cold ones start without public/.

    Hugo has no incremental build from the command line: the no-change and one-edit builds are full
    builds into the public/ folder the previous build left.
    """
    kinds = ("cold", "no change", "one edit")
    seconds, cpu, peaks = {k: [] for k in kinds}, {k: [] for k in kinds}, []
    for attempt in range(repeat + (repeat > 1)):  # as for Diptyque: a last round measures the memory
        sampled = repeat == 1 or attempt == repeat
        set_aside(root / "public", trash)
        set_aside(root / "resources", trash)
        for kind in kinds:
            if kind == "one edit":
                edit(root, attempt)
            result = build(root, memory=sampled)
            peaks.append(result.peak)
            if attempt < repeat:
                seconds[kind].append(result.seconds)
                cpu[kind].append(result.cpu)
    return {"pages": count(root / "public"), **seconds, "cpu": cpu, "peak": max(peaks)}


def _seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s"


def _ratio(diptyque: dict, hugo: dict, key: str, size: int) -> str:
    if key == "peak":
        ratio = diptyque["peak"] / hugo["peak"]
    else:
        ratio = statistics.median(diptyque[key]) / statistics.median(hugo[key])
    if size != 1000:
        return f"{ratio:.2f}×"
    return f"{ratio:.2f}× {'✓' if ratio <= TARGETS[key] else '✗'} (≤ {TARGETS[key]:g}×)"


def table(rows: dict[int, dict]) -> str:
    """Diptyque and Hugo side by side, with the ratios Diptyque / Hugo, as a Markdown table."""
    lines = [
        "| articles × 2 | Diptyque | pages (D / H) | Diptyque cold | no change | one edit | memory "
        "| Hugo cold | no change | one edit | memory | cold D/H | no change D/H | one edit D/H | memory D/H "
        "| cold CPU time D / H |",
        "|---" * 16 + "|",
    ]
    for size, row in rows.items():
        hugo = row.get("hugo")
        for mine, how in ((row, "as configured"), (row.get("same"), SAME_WORK)):
            if hugo and mine:
                lines.append(_row(size, mine, hugo, how))
    return "\n".join(lines)


SAME_WORK = "same work: cards and search off"


def _row(size: int, mine: dict, hugo: dict, how: str) -> str:
    """One line of the side-by-side table: a Diptyque variant against Hugo."""
    cells = [f"{size:,}", how, f"{mine['pages']:,} / {hugo['pages']:,}"]
    for side in (mine, hugo):
        cells += [_seconds(side[key]) for key in ("cold", "no change", "one edit")]
        cells.append(f"{side['peak']} MiB")
    cells += [_ratio(mine, hugo, key, size) for key in ("cold", "no change", "one edit", "peak")]
    cpu = [statistics.median(side["cpu"]["cold"]) for side in (mine, hugo)]
    cells.append(f"{cpu[0]:.1f} s / {cpu[1]:.1f} s ({cpu[0] / cpu[1]:.2f}×)")
    return "| " + " | ".join(cells) + " |"


NOTES = """Medians of the same runs as in the table above (five per size up to 1,000 articles, one at 10,000),
each tool's builds right after the other's on the same corpus; Hugo builds the sizes given by
`--hugo-sizes` (100 and 1,000 articles unless told otherwise: at 10,000 one Hugo build takes 4 GiB and
minutes). Targets, at 1,000 articles × 2: cold ≤ 2×,
no change ≤ 0.1×, one edit ≤ 0.3×, memory ≤ 0.5× Hugo's. The last column is the user+system CPU time of the
cold build (workers and threads included), less sensitive than wall time to a loaded machine.

- Hugo runs as `hugo --quiet` (Debian's package, {version}), with minimal templates written by the
  benchmark for the same page set per language: paginated home, posts (table of contents, previous and
  next), tags index and paginated tag pages, archives index, year archives grouped by month and month
  archives, 404, feeds of the home and each tag, sitemaps, robots.txt. Each post card is rendered once
  (`partialCached`; Diptyque shapes a card's view once and renders it in each list), and the posts are
  grouped by month once per language for the month pages. Hugo makes pages only from content files: each
  year and month archive is a section with an `_index.<lang>.md`. Diptyque writes hashed copies of its
  static files, Hugo `page/1/` redirects and a sitemap per language, hence the page counts; Hugo's post
  pages leave out the three related posts Diptyque shows: Hugo's `.Related` cost grows with the square of
  the number of posts (10,000 × 2 took 661 s with it, 91 s without, on this machine under load).
- Hugo has no incremental build from the command line: its "no change" and "one edit" figures are full
  rebuilds, `hugo --quiet` into the public/ folder the previous build left. Its cold build starts without
  public/ (moved aside, as Diptyque's output/ is).
- Memory: peak resident memory (proportional set size) of the process tree, sampled every 10 ms, the same
  measurement for both; Hugo is one process with threads, Diptyque a process and its forked workers. It
  is sampled in one more round of the three builds, after the timed rounds (at 10,000 articles, in the
  one round): reading a tree's memory every 10 ms took about 40% of a core during a Diptyque build, which
  slowed the builds it timed, Diptyque's (three processes) more than Hugo's (one).
- Two Diptyque rows per size: the site as configured (a social card drawn per article, a Pagefind index
  per language: work the Hugo templates do not do), and the same site with `social_cards = false` and
  `search = false`, which does the work Hugo does: the like-for-like comparison."""


def notes() -> str:
    """What the side-by-side table measures, with Hugo's version."""
    version = subprocess.run([HUGO, "version"], capture_output=True, text=True).stdout.split()
    return NOTES.format(version=version[1] if len(version) > 1 else "unknown version")


def main(argv: list[str] | None = None) -> dict[int, dict]:
    """Build each size with Hugo alone and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts")
    parser.add_argument("--repeat", type=int, default=5, help="runs per size")
    args = parser.parse_args(argv)
    print(ensure())
    from corpus import generate

    rows = {}
    with tempfile.TemporaryDirectory(prefix="diptyque-hugo-") as temp:
        for size in (int(s) for s in args.sizes.split(",")):
            root = site(generate(Path(temp) / f"site-{size}", size), Path(temp) / f"hugo-{size}")
            rows[size] = measure(root, args.repeat, Path(temp) / "trash")
            row = rows[size]
            print(
                f"{size:,} × 2: {row['pages']:,} files · cold {_seconds(row['cold'])} · no change "
                f"{_seconds(row['no change'])} · one edit {_seconds(row['one edit'])} · {row['peak']} MiB",
                flush=True,
            )
    return rows


if __name__ == "__main__":
    main()
