"""Lighthouse on a built site: serves an output folder on 127.0.0.1 and scores its pages, mobile and desktop.

    .venv/bin/python tests/lighthouse.py [OUTPUT] [--runs N] [--page URL ...] [--reports DIR]

It builds nothing: OUTPUT (default `output/`) is a folder `diptyque build` made. It picks the home page of
the default language, one article per language (the one with the most images, then the most varied
markup), a tag page and the search page; runs Lighthouse (pinned, installed with npm into
node_modules/.lighthouse/ when missing) N times (default 3) per page and preset; prints the four scores
per page (performance: the median of the runs, their range in brackets when they differ) and every audit
that is not passed in the median run. It exits with 1 when a score is below 100, with 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from conftest import ARGS, CHROMIUM, REPO, static_server

VERSION = "12.8.2"  # the last Lighthouse for Node.js 18 and 20 (Debian 12 has 18; Lighthouse 13 wants 22.19)
PREFIX = REPO / "node_modules" / ".lighthouse"  # its own prefix: an install beside axe-core would remove it
CLI = PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")
TIMEOUT = 600  # seconds one Lighthouse run may take on a loaded machine before it counts as failed
UNSCORED = ("manual", "notApplicable", "informative", "error")


class CannotRun(Exception):
    """Lighthouse could not be installed or run: the message says what to do."""


@dataclass
class Run:
    """One Lighthouse report, reduced to what the summary prints."""

    scores: dict[str, int]
    failed: list[dict]


@dataclass
class Result:
    """Every run of one page with one preset."""

    url: str
    preset: str
    runs: list[Run] = field(default_factory=list)

    def median(self) -> Run:
        """The run whose performance score is the median (the lower middle one for an even count)."""
        ordered = sorted(self.runs, key=lambda run: run.scores["performance"])
        return ordered[(len(ordered) - 1) // 2]

    def below(self) -> list[str]:
        """The categories whose score (performance: the median) is below 100."""
        return [name for name, score in self.median().scores.items() if score < 100]


def install() -> Path:
    """Install the pinned Lighthouse into node_modules/.lighthouse/ unless it is there; return its CLI."""
    if installed() == VERSION:
        return CLI
    npm = shutil.which("npm")
    if npm is None:
        raise CannotRun("npm is not installed: run `sudo apt-get install npm` (Debian), then run this again")
    PREFIX.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(PREFIX), "--no-save", "--no-package-lock", "--no-audit"]
    done = subprocess.run([*command, "--no-fund", "--loglevel=error", f"lighthouse@{VERSION}"], text=True)
    if done.returncode != 0 or installed() != VERSION:
        raise CannotRun(f"npm could not install lighthouse@{VERSION} into {PREFIX}: see npm's message above")
    return CLI


def installed() -> str | None:
    """The version of Lighthouse in node_modules/.lighthouse/, if any."""
    manifest = CLI.parent.parent / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


class Head(html.parser.HTMLParser):
    """Reads what page picking needs: the body's page-kind class, the html lang, the images, the variety of
    markup (each element name and class seen counts once)."""

    def __init__(self):
        super().__init__()
        self.kind, self.lang, self.images, self.refresh = "", "", 0, ""
        self.features: set[str] = set()

    def handle_starttag(self, tag, attrs):
        """Note the kind, the language, a meta refresh target, each img, each element name and class."""
        values = dict(attrs)
        self.features.update([tag, *(values.get("class") or "").split()])
        if tag == "html":
            self.lang = values.get("lang") or ""
        elif tag == "body":
            kinds = [c for c in (values.get("class") or "").split() if c.startswith("page-")]
            self.kind = kinds[0].removeprefix("page-") if kinds else ""
        elif tag == "img":
            self.images += 1
        elif tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.refresh = (values.get("content") or "").partition("url=")[2]


def read(path: Path) -> Head:
    """Parse one output page."""
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def url_of(output: Path, path: Path) -> str:
    """The site-relative URL that serves an index.html."""
    rel = path.parent.relative_to(output).as_posix()
    return "/" if rel == "." else f"/{rel}/"


def pick(output: Path) -> list[str]:
    """Home of the default language, an article per language (the richest), a tag page, search."""
    pages = {url_of(output, p): read(p) for p in sorted(output.glob("*/**/index.html"))}
    root = output / "index.html"
    home = read(root).refresh if root.is_file() else ""
    if home not in pages:
        home = next((url for url, page in pages.items() if page.kind == "home"), "")
    lang = pages[home].lang if home else ""
    chosen = [home] if home else []
    for language in sorted({page.lang for page in pages.values()}, key=lambda code: code != lang):
        chosen += best(pages, "post", language)
    return chosen + best(pages, "tag", lang) + best(pages, "search", lang)


def best(pages: dict[str, Head], kind: str, lang: str) -> list[str]:
    """The page of this kind and language with the most images, then the most varied markup (footnotes,
    tables, code...), the first in URL order on a tie."""
    found = [url for url, page in pages.items() if page.kind == kind and page.lang == lang]
    return [max(found, key=lambda url: (pages[url].images, len(pages[url].features)))] if found else []


def lighthouse(cli: Path, url: str, preset: str) -> dict:
    """Run Lighthouse once on `url` and return its JSON report."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        report = Path(folder) / "report.json"
        command = ["node", str(cli), url, "--output=json", f"--output-path={report}", "--quiet"]
        command += [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(ARGS)}"]
        if preset != "mobile":
            command.append(f"--preset={preset}")
        env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        if done.returncode != 0 or not report.is_file():
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            raise CannotRun(f"Lighthouse failed on {url} ({preset}): " + " / ".join(tail))
        data = json.loads(report.read_text(encoding="utf-8"))
        if data.get("runtimeError"):
            problem = data["runtimeError"].get("message") or data["runtimeError"].get("code")
            raise CannotRun(f"Lighthouse could not load {url} ({preset}): {problem}; check the URL exists")
        return data


def reduce(report: dict) -> Run:
    """The four scores (0-100) and the audits not passed, scored ones first."""
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    weights = {}
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            weights[ref["id"]] = max(weights.get(ref["id"], 0), ref.get("weight", 0))
    failed = [
        {
            "id": key,
            "title": audit["title"],
            "score": audit["score"],
            "value": audit.get("displayValue", ""),
            "weight": weights.get(key, 0),
        }
        for key, audit in report["audits"].items()
        if audit["scoreDisplayMode"] not in UNSCORED and audit["score"] is not None and audit["score"] < 1
    ]
    failed.sort(key=lambda audit: (-audit["weight"], audit["id"]))
    return Run(scores, failed)


def measure(cli: Path, base: str, urls: list[str], runs: int, reports: Path | None) -> list[Result]:
    """Every page with every preset, `runs` times each; each report saved into `reports` when given."""
    results = []
    for url in urls:
        for preset in PRESETS:
            result = Result(url, preset)
            for number in range(1, runs + 1):
                report = lighthouse(cli, base + url, preset)
                if reports is not None:
                    name = f"{url.strip('/').replace('/', '_') or 'root'}.{preset}.{number}.json"
                    (reports / name).write_text(json.dumps(report), encoding="utf-8")
                result.runs.append(reduce(report))
                print(f"  {url} {preset} run {number}: {result.runs[-1].scores}", file=sys.stderr)
            results.append(result)
    return results


def performance(result: Result) -> str:
    """The median performance score, with the range of the runs when they differ."""
    values = [run.scores["performance"] for run in result.runs]
    median = result.median().scores["performance"]
    return str(median) if min(values) == max(values) else f"{median} ({min(values)}-{max(values)})"


def table(results: list[Result]) -> str:
    """A Markdown table: one row per page and preset, the four scores."""
    lines = ["| page | preset | performance | accessibility | best practices | SEO |", "|---" * 6 + "|"]
    for result in results:
        scores = result.median().scores
        cells = [performance(result)] + [str(scores[name]) for name in CATEGORIES[1:]]
        lines.append(f"| `{result.url}` | {result.preset} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures(results: list[Result]) -> str:
    """Every audit not passed in the median run of each page and preset; `*` marks those that are scored."""
    lines = []
    for result in results:
        failed = result.median().failed
        if not failed:
            continue
        lines.append(f"{result.url} ({result.preset}):")
        for audit in failed:
            mark = "*" if audit["weight"] else " "
            score = "-" if audit["score"] is None else f"{audit['score']:.2f}"
            value = f"  [{audit['value']}]" if audit["value"] else ""
            lines.append(f"  {mark} {audit['id']} ({score}): {audit['title']}{value}")
    return "\n".join(lines)


def arguments(argv: list[str]) -> argparse.Namespace:
    """The command line: the output folder, the runs, the pages, where to keep the reports."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("output", nargs="?", default="output", type=Path, help="a built output folder")
    parser.add_argument("--runs", type=int, default=3, help="runs per page and preset (default 3)")
    parser.add_argument("--page", action="append", help="a site-relative URL to score instead (repeatable)")
    parser.add_argument("--reports", type=Path, help="a folder to keep every JSON report in")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Score the pages and print the summary; 0 when every score is 100."""
    options = arguments(sys.argv[1:] if argv is None else argv)
    output = options.output.resolve()
    try:
        if not (output / "index.html").is_file():
            raise CannotRun(f"{output}/index.html: no built site here; run `diptyque build` first")
        if not CHROMIUM.is_file():
            raise CannotRun(f"{CHROMIUM}: Chromium is missing; run `sudo apt-get install chromium`")
        urls = options.page or pick(output)
        cli = install()
        if options.reports is not None:
            options.reports.mkdir(parents=True, exist_ok=True)
        with static_server(output) as base:
            results = measure(cli, base, urls, max(1, options.runs), options.reports)
    except (CannotRun, subprocess.TimeoutExpired) as error:
        print(f"lighthouse: {error}", file=sys.stderr)
        return 2
    print(f"Lighthouse {VERSION}, {max(1, options.runs)} run(s) per page and preset, {output}\n")
    print(table(results))
    listed = failures(results)
    print("\nAudits not passed (* counts in a category's score):\n" + (listed or "  none"))
    below = [f"{r.url} {r.preset}: {', '.join(r.below())}" for r in results if r.below()]
    print("\nBelow 100: " + ("; ".join(below) if below else "none"))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
