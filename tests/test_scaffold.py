"""`diptyque new` and `diptyque translate-stub`: plain keys only; unreadable files are errors naming them."""

from __future__ import annotations

import pytest

from builder.cli import main
from builder.frontmatter import body_digest, split


def run(site, capsys, *args) -> tuple[int, str, str]:
    code = main(["--root", str(site.root), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def posts(site) -> dict[str, bytes]:
    folder = site.root / "content" / "posts"
    return {p.name: p.read_bytes() if p.is_file() else b"<folder>" for p in sorted(folder.iterdir())}


def test_new_writes_a_draft(site, capsys):
    code, out, _ = run(site, capsys, "new", "L’été numérique")
    assert code == 0 and "created content/posts/l-ete-numerique.fr.md" in out
    parsed = split((site.root / "content/posts/l-ete-numerique.fr.md").read_text(encoding="utf-8"), "x")
    assert parsed.meta["title"] == "L’été numérique" and parsed.meta["draft"] is True


def test_new_refuses_an_existing_article_or_a_folder_in_its_place(site, capsys):
    code, _, err = run(site, capsys, "new", "Métavers")
    assert code == 1 and "content/posts/metavers.fr.md: this article already exists" in err
    (site.root / "content/posts/un-dossier.fr.md").mkdir()
    before = posts(site)
    code, _, err = run(site, capsys, "new", "Un dossier")
    assert code == 1 and "content/posts/un-dossier.fr.md: is a folder, not an article file" in err
    assert posts(site) == before


def test_new_with_posts_a_file(site, capsys, tmp_path):
    folder = site.root / "content" / "posts"
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.write_text("x", encoding="utf-8")
    code, _, err = run(site, capsys, "new", "Un titre")
    assert code == 1 and "content/posts: is a file, not the folder of articles" in err
    assert folder.read_text(encoding="utf-8") == "x"


def test_translate_stub_writes_the_translation(site, capsys):
    code, out, _ = run(site, capsys, "translate-stub", "metavers", "--lang", "en")
    assert code == 0 and "created content/posts/metavers.en.md" in out
    stub = split((site.root / "content/posts/metavers.en.md").read_text(encoding="utf-8"), "x")
    original = split((site.root / "content/posts/metavers.fr.md").read_text(encoding="utf-8"), "x")
    assert stub.meta["translation_of"] == body_digest(original.body) and stub.meta["draft"] is True


@pytest.mark.parametrize(
    "key", ["*", "meta*", "metaver?", "[m]etavers", "posts/metavers", "../metavers", "..", "", " ", ".hidden"]
)
def test_translate_stub_refuses_a_key_that_is_not_plain(site, capsys, key):
    before = posts(site)
    code, _, err = run(site, capsys, "translate-stub", key, "--lang", "en")
    assert code == 1 and f"key: {key!r} is not an article key" in err
    assert "hint: give the file name before .<lang>.md" in err
    assert posts(site) == before


def test_translate_stub_names_an_original_that_is_not_utf8(site, capsys):
    path = site.root / "content/posts/latin.fr.md"
    path.write_bytes("---\ntitle: L'été\n---\n\nÉcrit en Latin-1.\n".encode("latin-1"))
    code, _, err = run(site, capsys, "translate-stub", "latin", "--lang", "en")
    assert code == 1 and "content/posts/latin.fr.md: is not UTF-8 text" in err
    assert "hint: save the file as UTF-8" in err
    assert not (site.root / "content/posts/latin.en.md").exists()


def test_translate_stub_names_a_folder_in_place_of_a_file(site, capsys):
    (site.root / "content/posts/dossier.fr.md").mkdir()
    code, _, err = run(site, capsys, "translate-stub", "dossier", "--lang", "en")
    assert code == 1 and "content/posts/dossier.fr.md: is a folder, not an article file" in err
    (site.root / "content/posts/metavers.en.md").mkdir()
    code, _, err = run(site, capsys, "translate-stub", "metavers", "--lang", "en")
    assert code == 1 and "content/posts/metavers.en.md: is a folder, not an article file" in err


def test_translate_stub_with_an_unknown_key_or_language(site, capsys):
    code, _, err = run(site, capsys, "translate-stub", "nope", "--lang", "en")
    assert code == 1 and "no article with key 'nope'" in err
    code, _, err = run(site, capsys, "translate-stub", "metavers", "--lang", "de")
    assert code == 1 and "unknown language 'de'" in err
