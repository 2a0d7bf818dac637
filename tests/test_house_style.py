"""The house style of the edition, enforced where a machine can: curly quotes and apostrophes in English
prose, French no-break spaces in rendered French pages, summaries that fit a search result."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from builder.config import load
from builder.frontmatter import split

REPO = Path(__file__).resolve().parent.parent
POSTS = REPO / "content" / "posts"
FILES = sorted(POSTS.glob("*.md"))
CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)
NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>]+>|https?://\S+|\{[^}]*\}|^\s*\|.*$", re.M)  # link targets, HTML…


def prose(text: str) -> str:
    """A Markdown text without its code, link targets, URLs, HTML tags and attribute lists."""
    return NOT_PROSE.sub(" ", CODE.sub(" ", text))


@pytest.mark.parametrize("path", [p for p in FILES if p.name.endswith(".en.md")], ids=lambda p: p.name)
def test_english_prose_has_curly_quotes_and_apostrophes(path):
    parsed = split(path.read_text(encoding="utf-8"), path.name)
    texts = [parsed.body, str(parsed.meta.get("title", "")), str(parsed.meta.get("summary", ""))]
    for text in texts:
        straight = [m.start() for m in re.finditer(r"['\"]", prose(text))]
        assert not straight, (
            f"{path.name}: straight quote near {prose(text)[max(0, straight[0] - 30) : straight[0] + 30]!r}"
        )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_summaries_fit_in_160_characters(path):
    summary = str(split(path.read_text(encoding="utf-8"), path.name).meta.get("summary", ""))
    assert 20 <= len(summary) <= 160, f"{path.name}: {len(summary)} characters"
    assert summary.strip().lower() not in ("yes.", "oui.") and not summary.startswith("http")


@pytest.fixture(scope="module")
def french_pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("style") / "site"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "output", ".diptyque", "tests", "node_modules", "*.egg-info"
        ),
    )
    build(load(root))
    return sorted((root / "output" / "fr").rglob("index.html"))


MISSING = re.compile(r"(?<![\s\u00a0\u202f:;!?])[;!?](?!\w)|(?<=\w)[«»]|[«][^\u00a0]|[^\u00a0]»| [;:!?]")


def test_rendered_french_pages_have_their_no_break_spaces(french_pages):
    found = []
    for page in french_pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for node in soup.select("main :is(p, li, h1, h2, h3, blockquote, figcaption)"):
            for code in node.select("code, pre, kbd, samp, a[href^='http']"):
                code.decompose()
            text = re.sub(r"https?://\S+|\d+(?::\d+)+|\([!?]\)", "", node.get_text())  # URLs, times, (!)
            for match in MISSING.finditer(text):
                found.append(f"{page.parent.name}: …{text[max(0, match.start() - 25) : match.end() + 5]}…")
    assert not found, f"{len(found)} places, e.g. {found[:5]}"
