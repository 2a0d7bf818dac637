"""The views' reader: a page is shaped again exactly when something it read has changed.

Views read the site through `builder.views.Views`, which records a dependency key per read; the next
build compares each key's digest (builder/pages.py). These tests count the pages shaped after an edit,
check that every key a view records is one the build gives a digest to, and show that a kind reading
around the reader makes an incremental build differ from a cold one.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import Site
from test_incremental_equivalence import cold_snapshot as cold

import builder.views
from builder.kinds import BY_NAME
from builder.kinds.root import ROOT_FILES
from builder.kinds.search import header
from builder.state import load_state
from builder.urls import output_file

NEW_POST = "---\ntitle: Tout neuf\ndate: 2026-01-15\ntags: [data]\n---\n\nUn article tout neuf.\n"


@pytest.fixture
def shaped(monkeypatch) -> list[str]:
    """The output path of every page shaped from now on."""
    found = []
    original = builder.views.Views.shape

    def spy(self, entry):
        found.append(output_file(entry.url))
        return original(self, entry)

    monkeypatch.setattr(builder.views.Views, "shape", spy)
    return found


def page_refs(site: Site) -> dict[str, tuple[str, ...]]:
    """What each page's view read in the last build, as saved (root files, shaped apart, left out)."""
    state = load_state(site.root / ".diptyque")
    return {path: refs for path, refs in state.refs.items() if refs and path not in ROOT_FILES}


def test_a_title_edit_shapes_exactly_the_pages_that_read_the_article(built, shaped):
    readers = {path for path, refs in page_refs(built).items() if "doc:post:bonjour:fr" in refs}
    path = built.root / "content/posts/bonjour.fr.md"
    path.write_text(path.read_text().replace("une ambition", "un projet"))
    result = built.build()
    assert set(shaped) == readers
    assert {"fr/2024/ia-une-ambition/index.html", "fr/index.html", "fr/archives/2024/index.html"} <= readers
    assert not [p for p in shaped if p.startswith("en/")] and len(shaped) < result.pages / 4


def test_a_new_post_reshapes_only_the_pages_whose_lists_neighbours_or_links_change(built, shaped, tmp_path):
    pages = len(page_refs(built))
    built.write("content/posts/tout-neuf.fr.md", NEW_POST)
    result, shaped = built.build(), list(shaped)  # before the cold build shapes every page again
    assert built.snapshot() == cold(built, tmp_path)
    assert "fr/2026/tout-neuf/index.html" in shaped and "fr/index.html" in shaped
    assert "fr/2024/ia-une-ambition/index.html" in shaped  # the newest post until now: its newer link
    assert "fr/a-propos/index.html" not in shaped and "en/about/index.html" not in shaped
    assert "fr/2020/un-long-article-en-sections/index.html" not in shaped  # nothing it shows has changed
    assert len(shaped) < pages / 2 and result.rendered <= len(shaped) + 4  # + root files


def test_every_key_a_view_reads_has_a_digest_family(built):
    state = load_state(built.root / ".diptyque")
    families = {key.split(":", 1)[0] for key in state.deps}
    read = {key for refs in state.refs.values() for key in refs}
    assert read and {key.split(":", 1)[0] for key in read} <= families
    probes = ("page:", "pages:", "group:")  # pages looked up that may not exist, by design
    missing = sorted(key for key in read if key not in state.deps and not key.startswith(probes))
    assert not missing, f"keys read that no digest covers: {missing[:5]}"


def test_a_kind_reading_around_the_reader_makes_incremental_differ_from_cold(built, monkeypatch, tmp_path):
    """The home page's posts read from `entry.posts` instead of `views.listed`: a new post goes unseen."""

    def unrecorded(views, entry, view):
        header(views, entry, view)
        view["posts"] = [views.card(d, entry.lang) for d in entry.posts]

    monkeypatch.setitem(BY_NAME, "home", replace(BY_NAME["home"], shape=unrecorded))
    config = built.root / "config.toml"  # one home page before and after: its page count does not change
    config.write_text(config.read_text().replace("posts_per_page = 2", "posts_per_page = 10"))
    built.build(use_cache=False)  # every page shaped with the mutated kind, its reads saved
    built.write("content/posts/tout-neuf.fr.md", NEW_POST)
    built.build()
    incremental, fresh = built.snapshot(), cold(built, tmp_path)  # the cold build uses the mutated kind too
    assert (
        "tout-neuf" in fresh["fr/index.html"].decode()
        and "tout-neuf" not in incremental["fr/index.html"].decode()
    )
    assert {path for path in fresh if fresh[path] != incremental.get(path)} == {"fr/index.html"}
