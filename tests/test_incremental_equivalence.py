"""After any edit, an incremental build produces exactly what a cold build of the same sources does."""

from __future__ import annotations

import shutil

import pytest
from conftest import Site


def replace_in(site, rel, old, new):
    path = site.root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new))


EDITS = {
    "body": lambda s: replace_in(s, "content/posts/sections.fr.md", "Texte du premier point.", "Texte revu."),
    "first paragraph (summary)": lambda s: replace_in(
        s, "content/posts/metavers.fr.md", "J'avais", "J'avais bien"
    ),
    "title with a fixed slug": lambda s: replace_in(
        s, "content/posts/bonjour.en.md", "an ambition", "a plan"
    ),
    "title that makes the slug": lambda s: replace_in(
        s, "content/posts/relation.fr.md", "finissent en", "tournent en"
    ),
    "tags": lambda s: replace_in(
        s, "content/posts/metavers.fr.md", "[metaverse, innovation]", "[metaverse, data]"
    ),
    "date within the month": lambda s: replace_in(
        s, "content/posts/sections.en.md", "2020-05-02", "2020-05-20"
    ),
    "date to another year": lambda s: replace_in(s, "content/posts/metavers.fr.md", "2022-03", "2023-01"),
    "translation goes stale": lambda s: replace_in(
        s, "content/posts/relation.fr.md", "vieille histoire", "histoire"
    ),
    "about page title": lambda s: replace_in(
        s, "content/pages/about.en.md", "title: About", "title: About us"
    ),
    "tag label": lambda s: replace_in(s, "content/tags.toml", 'en = "Data"', 'en = "Data and privacy"'),
    "template": lambda s: replace_in(
        s, "themes/default/templates/_macros.html", '<p class="meta">', '<p class="meta byline">'
    ),
    "catalog": lambda s: replace_in(
        s,
        "themes/default/locales/en/LC_MESSAGES/messages.po",
        'msgstr "Related articles"',
        'msgstr "See also"',
    ),
    "config": lambda s: replace_in(s, "config.toml", "posts_per_page = 2", "posts_per_page = 3"),
    "new post": lambda s: s.write(
        "content/posts/nouveau.fr.md",
        "---\ntitle: Nouveau\ndate: 2023-06-01\ntags: [data]\n---\n\nUn nouvel article.\n",
    ),
    "deleted post": lambda s: (s.root / "content/posts/sections.en.md").unlink(),
}


def cold_snapshot(site: Site, into) -> dict[str, bytes]:
    """Build a copy of the site's sources from nothing."""
    copy = into / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("output", ".diptyque"))
    cold = Site(copy)
    cold.build(use_cache=False)
    return cold.snapshot()


@pytest.mark.parametrize("name", list(EDITS))
def test_one_edit_then_incremental_equals_cold(built, tmp_path, name):
    EDITS[name](built)
    result = built.build()
    assert built.snapshot() == cold_snapshot(built, tmp_path), name
    assert result.written, f"{name}: the edit should change some page"


def test_a_series_of_edits_stays_equal_to_cold_builds(built, tmp_path):
    for name, edit in EDITS.items():
        edit(built)
        built.build()
        assert built.snapshot() == cold_snapshot(built, tmp_path), f"after '{name}'"


def test_a_body_edit_shapes_only_the_pages_that_show_the_article(built, monkeypatch):
    import builder.views

    shaped = []
    original = builder.views.Views.shape

    def spy(self, entry):
        shaped.append(entry.url)
        return original(self, entry)

    monkeypatch.setattr(builder.views.Views, "shape", spy)
    EDITS["body"](built)  # a French original with an English translation, which goes stale
    built.build()
    assert {"/fr/2020/un-long-article-en-sections/", "/en/2020/a-long-article-in-sections/"} <= set(shaped)
    assert (
        "/fr/a-propos/" not in shaped
        and "/en/about/" not in shaped
        and "/fr/2024/ia-une-ambition/" not in shaped
    )
    # per language: its page, its home page, feed, 2 tag pages and their feeds, year and month, a neighbour
    assert len(shaped) <= 24  # of 62 pages
