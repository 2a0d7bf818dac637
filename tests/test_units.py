"""Pure pieces of the core: dates, slugs, typography, related posts, writer."""

from __future__ import annotations

from pathlib import Path

from builder.assemble import related_posts
from builder.i18n import display_date
from builder.markdown import first_sentences, french_typography, to_html
from builder.model import Document, PostDate, Rendered
from builder.parse import parse_date
from builder.urls import slug
from builder.writer import commit, discard, stage


def test_slugs_are_french_aware():
    assert slug("L'humanité") == "l-humanite"
    assert slug("Données & « métavers »") == "donnees-metavers"


def test_dates_keep_their_precision():
    assert parse_date("2022-03") == PostDate(2022, 3)
    assert parse_date(2021) == PostDate(2021)
    assert parse_date("2024-03-13").iso() == "2024-03-13"
    assert "not a real date" in parse_date("2023-02-29")
    assert display_date(PostDate(2026, 11, 21), "fr_FR") == "21 novembre 2026"
    assert display_date(PostDate(2026, 11, 21), "en_US") == "November 21, 2026"
    assert display_date(PostDate(2022, 3), "fr_FR") == "mars 2022"
    assert display_date(PostDate(2022, 3), "en_US") == "March 2022"


def test_french_typography_leaves_urls_and_existing_spaces_alone():
    assert (
        french_typography("Quoi ? Oui ; « non » : https://a.b/?c=1")
        == "Quoi\u202f? Oui\u202f; «\u00a0non\u00a0»\u00a0: https://a.b/?c=1"
    )
    assert "<code>a : b</code>" in to_html("`a : b` et c : d", "fr").html


def test_summary_is_trimmed_at_a_sentence():
    text = "Première phrase assez longue. " * 20
    assert first_sentences(text, 100).endswith("longue.") and len(first_sentences(text, 100)) <= 100


def _post(key, tags, day):
    return Document(
        kind="post",
        key=key,
        lang="fr",
        path=key,
        title=key,
        slug=key,
        date=PostDate(2020, 1, day),
        tags=tuple(tags),
        summary="",
        draft=False,
        body=Rendered("", (), "", 0),
        body_digest="",
        translation_of=None,
        image_alt=None,
        digest="",
    )


def test_related_posts_prefer_shared_tags_then_nearby_dates():
    posts = (
        _post("a", ["x", "y"], 10),
        _post("b", ["x", "y"], 1),
        _post("c", ["x"], 9),
        _post("d", ["z"], 10),
    )
    related = related_posts(posts, 2)
    assert [d.key for d in related["a"]] == ["b", "c"]
    assert related["d"] == ()


def test_writer_stages_then_commits_and_removes_stale_files(tmp_path: Path):
    out, state = tmp_path / "out", tmp_path / "state"
    out.mkdir()
    (out / "CNAME").write_text("example.org")  # not ours: never removed
    staged = {rel: stage(out, rel, data) for rel, data in {"a.html": b"A", "d/b.html": b"B"}.items()}
    assert not (out / "a.html").exists()  # nothing in place until the commit
    first = commit(out, state, staged, {"a.html", "d/b.html"}, 0)
    discard(out)
    assert first.written == ("a.html", "d/b.html") and (out / "d/b.html").read_bytes() == b"B"
    assert first.kept == ("CNAME",)  # no manifest yet: what is not ours is named
    assert stage(out, "a.html", b"A") is None  # the same bytes are not staged again
    second = commit(out, state, {"c.html": stage(out, "c.html", b"C")}, {"a.html", "c.html"}, 1)
    discard(out)
    assert second.written == ("c.html",) and second.unchanged == 1 and second.removed == ("d/b.html",)
    assert not (out / "d").exists() and second.kept == ()
    stage(out, "e/f.html", b"F")
    discard(out)  # a failed build leaves nothing behind
    assert sorted(p.name for p in out.rglob("*")) == ["CNAME", "a.html", "c.html"]


def test_table_of_contents_titles_get_french_typography():
    toc = to_html("## Oui, mais pourquoi ?\n\nTexte.\n\n## Why ?\n", "fr").toc
    assert toc[0].title == "Oui, mais pourquoi\u202f?" and toc[0].anchor == "oui-mais-pourquoi"
    assert to_html("## Why ?\n", "en").toc[0].title == "Why ?"
