"""Incremental builds: only the outputs whose inputs changed are rewritten."""

from __future__ import annotations


def rewrite(site, rel, old, new):
    path = site.root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_second_build_renders_and_writes_nothing(built):
    result = built.build()
    assert result.rendered == 0 and result.written == () and result.removed == ()
    assert set(result.timings) == {"check"}  # nothing changed: the pipeline did not even run


def test_touched_but_identical_file_runs_the_pipeline_and_renders_nothing(built):
    touch(built)
    result = built.build()
    assert "render" in result.timings and result.rendered == 0 and result.written == ()


def test_unchanged_files_are_not_parsed_again(built, monkeypatch):
    import builder.prepare

    parsed = []
    original = builder.prepare.parse_meta
    monkeypatch.setattr(
        builder.prepare,
        "parse_meta",
        lambda source, tags: parsed.append(source.path) or original(source, tags),
    )
    rewrite(built, "content/posts/sections.fr.md", "Fin.", "Fin du texte.")
    built.build()
    assert parsed == ["content/posts/sections.fr.md"]


def test_a_failed_build_does_not_leave_a_stale_shortcut(built):
    import pytest

    from builder.errors import BuildFailed

    path = built.root / "content/posts/bonjour.fr.md"
    good = path.read_text()
    path.write_text(good.replace("title:", "titre:"))
    with pytest.raises(BuildFailed):
        built.build()
    path.write_text(good)
    assert built.build().written == ()  # back to the good content: same site, nothing to write


def test_body_edit_rewrites_that_page_and_the_feeds_that_carry_it(built):
    rewrite(built, "content/posts/sections.fr.md", "Texte du premier point.", "Texte du premier point, revu.")
    result = built.build()
    assert {path for path in result.written if not path.startswith("pagefind/")} == {  # search: test_search
        "fr/2020/un-long-article-en-sections/index.html",
        # feeds carry full article bodies
        "fr/atom.xml",
        "fr/etiquettes/transformation-numerique/atom.xml",
        "fr/etiquettes/management/atom.xml",
        # the English translation is now stale and shows a notice
        "en/2020/a-long-article-in-sections/index.html",
    }
    assert built.html("/en/2020/a-long-article-in-sections/").select_one(".notice")


def test_the_sitemap_is_shaped_again_for_a_date_not_for_a_body(built, monkeypatch):
    from xml.etree import ElementTree

    from builder.views.reader import Reader

    shaped = []
    original = Reader.every_page
    monkeypatch.setattr(Reader, "every_page", lambda self: shaped.append(1) or original(self))
    rewrite(built, "content/posts/sections.fr.md", "Texte du premier point.", "Texte du premier point, revu.")
    built.build()
    assert shaped == []  # the sitemap shows dates and URLs: a body edit leaves its view as it was
    rewrite(built, "content/posts/sections.fr.md", "\ndate:", "\nupdated: 2031-02-03\ndate:")
    built.build()
    assert shaped == [1]
    tree = ElementTree.parse(built.root / "output" / "sitemap.xml")
    space = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    lastmod = {
        url.findtext(f"{space}loc"): url.findtext(f"{space}lastmod") for url in tree.iter(f"{space}url")
    }
    assert lastmod["https://diptyque.example/fr/2020/un-long-article-en-sections/"] == "2031-02-03"


def test_title_edit_rewrites_every_list_that_shows_it(built):
    rewrite(
        built,
        "content/posts/bonjour.fr.md",
        'title: "L\'intelligence artificielle : une ambition"',
        'title: "Une ambition nouvelle"',
    )
    written = set(built.build().written)
    assert {
        "fr/2024/ia-une-ambition/index.html",
        "fr/index.html",
        "fr/etiquettes/donnees/index.html",
        "fr/archives/2024/index.html",
        "fr/archives/2024/03/index.html",
        "fr/atom.xml",
        "fr/2022/rendez-vous-sur-mars/index.html",  # its neighbour's "next article" link
        "fr/2021/les-histoires-d-amour-finissent-en-algorithmes/index.html",  # a related-articles list
    } <= written
    # English pages do not show the French title (the translation has its own), so none is rewritten
    assert not [p for p in written if p.startswith("en/")]
    assert "fr/a-propos/index.html" not in written and "fr/archives/2020/05/index.html" not in written


def test_template_edit_rewrites_the_pages_that_use_it(built):
    rewrite(
        built,
        "themes/default/templates/page.html",
        '<header class="post-head">',
        '<header class="post-head page-head">',
    )
    assert set(built.build().written) == {"fr/a-propos/index.html", "en/about/index.html"}
    rewrite(built, "themes/default/templates/_macros.html", '<p class="meta">', '<p class="meta byline">')
    written = set(built.build().written)
    assert "fr/2024/ia-une-ambition/index.html" in written and "en/index.html" in written
    assert "fr/a-propos/index.html" not in written and "sitemap.xml" not in written


def test_catalog_edit_rewrites_pages(built):
    rewrite(
        built,
        "themes/default/locales/fr/LC_MESSAGES/messages.po",
        'msgstr "Aller au contenu"',
        'msgstr "Passer au contenu"',
    )
    built.build()
    assert built.html("/fr/").select_one(".skip").get_text() == "Passer au contenu"


def test_deleting_an_article_removes_its_pages(built):
    (built.root / "content/posts/metavers.fr.md").unlink()
    result = built.build()
    assert {
        "fr/2022/rendez-vous-sur-mars/index.html",
        "en/2022/rendez-vous-sur-mars/index.html",
        "fr/archives/2022/03/index.html",
        "fr/etiquettes/metavers/index.html",
    } <= set(result.removed)
    assert not built.file("/fr/2022/rendez-vous-sur-mars/").exists()
    assert all("rendez-vous-sur-mars" not in a["href"] for a in built.html("/fr/").select("a"))


def test_deleted_output_file_is_written_again(built):
    built.file("/fr/a-propos/").unlink()
    assert built.build().written == ("fr/a-propos/index.html",)


def touch(site, rel="content/posts/bonjour.fr.md"):
    """Change a file's modification time only, so the build runs its pipeline."""
    import os

    path = site.root / rel
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))


def test_corrupt_state_is_ignored_with_a_warning(built, capsys):
    (built.root / ".diptyque/state.bin").write_bytes(b"\x00garbage")
    (built.root / ".diptyque/markdown.bin").write_bytes(b"\x00garbage")
    touch(built)
    before = built.snapshot()
    result = built.build()
    assert "ignoring the saved build state" in capsys.readouterr().err
    assert result.rendered > 50 and result.written == () and built.snapshot() == before


def test_lost_markdown_cache_renders_the_bodies_again_from_the_files(built):
    from builder.state import load_state

    state = built.root / ".diptyque"
    kept = len(load_state(state).markdown)
    (state / "markdown.bin").unlink()
    (state / "markdown.log").unlink(missing_ok=True)
    touch(built)
    before = built.snapshot()
    result = built.build()
    assert result.written == () and built.snapshot() == before
    assert kept > 10 and len(load_state(state).markdown) == kept  # every body rendered again and saved


def test_foreign_state_is_not_trusted(built, capsys):
    import marshal

    (built.root / ".diptyque/state.bin").write_bytes(
        marshal.dumps({"stamp": "999", "outputs": {}, "markdown": {}})
    )
    touch(built)
    built.build()
    assert "made by another version" in capsys.readouterr().err


def test_no_cache_renders_everything_but_writes_nothing_new(built):
    result = built.build(use_cache=False)
    assert result.rendered > 50 and result.written == ()


def test_an_edit_appends_to_the_markdown_log_instead_of_rewriting_the_cache(built):
    base = built.root / ".diptyque/markdown.bin"
    before = base.read_bytes()
    rewrite(built, "content/posts/sections.fr.md", "Fin.", "Fin du texte.")
    built.build()
    assert base.read_bytes() == before
    assert (built.root / ".diptyque/markdown.log").stat().st_size > 0


def test_a_markdown_log_cut_short_is_tolerated(built, capsys):
    rewrite(built, "content/posts/sections.fr.md", "Fin.", "Fin du texte.")
    built.build()
    log = built.root / ".diptyque/markdown.log"
    log.write_bytes(log.read_bytes() + log.read_bytes()[:10])  # an interrupted append
    before = built.snapshot()
    touch(built)
    result = built.build()
    assert result.written == () and built.snapshot() == before
    assert "warning" not in capsys.readouterr().err


def _cache_writers(site, monkeypatch, fail_in_child: bool = False):
    """Record (in a file: a forked child's memory is its own) which process writes the Markdown cache."""
    import os

    import builder.parallel
    import builder.state

    monkeypatch.setattr(builder.parallel, "WORKERS", 2)  # as on a machine with cores to spare
    parent, record, original = os.getpid(), site.root.parent / "writers", builder.state._write_cache

    def spy(folder, markdown):
        with open(record, "a", encoding="utf-8") as log:
            log.write(f"{'parent' if os.getpid() == parent else 'child'}\n")
        if fail_in_child and os.getpid() != parent:
            raise OSError(28, "No space left on device")
        original(folder, markdown)

    monkeypatch.setattr(builder.state, "_write_cache", spy)
    return record


def test_a_cold_build_writes_the_markdown_cache_from_a_forked_child(site, monkeypatch):
    from builder.state import load_state

    writers = _cache_writers(site, monkeypatch)
    site.build()
    assert writers.read_text().split() == ["child"]
    cache = load_state(site.root / ".diptyque").markdown
    articles = [p for p in (site.root / "content").rglob("*.md") if p.name.count(".") == 2]
    assert len(cache) == len(articles) > 10  # every body, in the cache the next build reads
    touch(site)
    assert site.build().rendered == 0


def test_a_cache_writer_that_fails_leaves_the_writing_to_the_build(site, monkeypatch):
    from builder.state import load_state

    writers = _cache_writers(site, monkeypatch, fail_in_child=True)
    site.build()
    assert writers.read_text().split() == ["child", "parent"]
    state = site.root / ".diptyque"
    assert len(load_state(state).markdown) > 10
    assert not [p.name for p in state.iterdir() if p.name.startswith(".tmp-")]


def test_a_build_that_fails_after_writing_the_cache_ahead_leaves_a_state_the_next_build_trusts(
    site, monkeypatch, tmp_path
):
    import shutil

    import pytest
    from conftest import Site

    from builder.errors import BuildFailed

    writers = _cache_writers(site, monkeypatch)
    site.build()
    before = site.snapshot()
    posts = sorted((site.root / "content" / "posts").glob("*.md"))[:3]
    for path in posts:  # three bodies change, each with a link that leads nowhere
        path.write_text(path.read_text(encoding="utf-8") + "\n\nUn ajout [perdu](/nulle-part/).\n")
    with pytest.raises(BuildFailed, match="nulle-part"):  # found by the plan, after the parse stage
        site.build(use_cache=False)  # a cold build: the cache is written ahead, then the build fails
    assert writers.read_text().split() == ["child", "child"]
    assert site.snapshot() == before
    for path in posts:
        path.write_text(path.read_text(encoding="utf-8").replace("/nulle-part/", "https://example.org/"))
    site.build()
    cold = tmp_path / "cold"
    shutil.copytree(site.root, cold, ignore=shutil.ignore_patterns("output", ".diptyque"))
    fresh = Site(cold)
    fresh.build()
    assert site.snapshot() == fresh.snapshot()
