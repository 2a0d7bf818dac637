"""What hostile input cannot do to the commands other than `build`: import, new, translate, status and
urls prune each give an error naming the file, write nothing outside the site, overwrite nobody's work,
and neither hang nor print a traceback."""

from __future__ import annotations

import os

import polib
import pytest
from test_guarantees import run, tree

ARCHIVE = "Un titre\n\nPublié en mai 2020\n\nCeci est le texte de l'article, assez long pour un paragraphe.\n"


def _archive(tmp_path):
    path = tmp_path / "archive.txt"
    path.write_text(ARCHIVE, encoding="utf-8")
    return str(path)


def _po(site, capsys) -> str:
    status, _, err = run(site, "translate", "export", "bonjour", "--lang", "en", capsys=capsys)
    assert status == 0, err
    return str(site.root / "translations" / "bonjour.en.po")


@pytest.mark.parametrize("text", ["[ai]\nfr = 'A'\nfr = 'B'\n", "[ai\n"])
def test_status_with_a_broken_tags_toml_is_an_error_naming_it(site, capsys, text):
    (site.root / "content" / "tags.toml").write_text(text, encoding="utf-8")
    status, _, err = run(site, "status", capsys=capsys)
    assert status == 1 and "content/tags.toml:" in err and "Traceback" not in err


@pytest.mark.parametrize("text, name", [("urls = 3\n", "urls"), ("ids = 5\n", "ids")])
def test_a_urls_toml_key_that_is_not_a_table_is_an_error_naming_it(site, capsys, text, name):
    (site.root / "content" / "urls.toml").write_text(text, encoding="utf-8")
    status, _, err = run(site, "urls", "prune", "/fr/", capsys=capsys)
    assert status == 1 and f"content/urls.toml:1: '{name}' should be a table" in err


def test_status_names_a_broken_urls_toml_entry_and_a_glossary_that_is_not_utf8(site, capsys):
    history = site.root / "content" / "urls.toml"
    history.write_text('[urls]\n"/fr/x/" = 5\n', encoding="utf-8")
    status, out, err = run(site, "status", capsys=capsys)
    assert status == 1 and "content/urls.toml:2:" in err and "'/fr/x/'" in err
    history.unlink()
    glossary = b"| French | English | note |\n|---|---|---|\n| caf\xe9 |"  # Latin-1, not UTF-8
    (site.root / "content" / "GLOSSARY.md").write_bytes(glossary)
    status, out, err = run(site, "status", capsys=capsys)
    assert status == 1 and "content/GLOSSARY.md:3: the file is not UTF-8" in err


def test_status_writes_nothing_into_the_site(site, capsys, monkeypatch):
    import builder.prepare

    monkeypatch.setattr(builder.prepare, "PARALLEL_BODIES", 1)  # workers, as on a big site without state
    before = tree(site.root)
    status, _, err = run(site, "status", capsys=capsys)
    assert status == 0, err
    assert tree(site.root) == before and not (site.root / ".diptyque").exists()


def test_a_fifo_glossary_is_not_waited_on(site, capsys):
    os.mkfifo(site.root / "content" / "GLOSSARY.md")  # read the usual way, it would wait for a writer
    status, _, err = run(site, "status", capsys=capsys)
    assert "Traceback" not in err and status in (0, 1)


def test_translate_import_of_a_fifo_is_an_error_not_a_wait(site, capsys, tmp_path):
    os.mkfifo(tmp_path / "x.po")
    status, _, err = run(site, "translate", "import", str(tmp_path / "x.po"), capsys=capsys)
    assert status == 1 and "not a regular file" in err


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_an_original_that_is_not_a_file_is_named_as_such(site, capsys, kind):
    original = site.root / "content/posts/bonjour.fr.md"
    original.unlink()
    os.mkfifo(original) if kind == "fifo" else original.mkdir()
    status, _, err = run(site, "translate", "export", "bonjour", "--lang", "en", capsys=capsys)
    assert status == 1 and "content/posts/bonjour.fr.md: cannot be read" in err
    assert "none is the original" not in err


@pytest.mark.parametrize("target", ["config.toml", "fifo"])
def test_import_report_does_not_replace_a_file_that_is_not_a_report(site, capsys, tmp_path, target):
    path = site.root / target
    if target == "fifo":
        os.mkfifo(path)
    before = tree(site.root)
    status, out, _ = run(site, "import", _archive(tmp_path), "--report", str(path), capsys=capsys)
    assert status == 1 and "--report names" in out and "nothing was imported" in out
    assert tree(site.root) == before
    assert target != "fifo" or path.is_fifo()


def test_import_report_writes_over_an_earlier_report(site, capsys, tmp_path):
    report = tmp_path / "review.md"
    for _ in range(2):
        status, out, _ = run(site, "import", _archive(tmp_path), "--report", str(report), capsys=capsys)
        assert status == 0, out
    assert report.read_text(encoding="utf-8").startswith("# Import review")


@pytest.mark.parametrize("how", ["link", "posts-link", "dotdot"])
def test_import_never_writes_outside_the_project(site, capsys, tmp_path, how):
    outside = tmp_path / "outside"
    outside.mkdir()
    args = []
    if how == "link":
        (site.root / "elsewhere").symlink_to(outside)
        args = ["--into", "elsewhere"]
    elif how == "posts-link":
        posts = site.root / "content" / "posts"
        posts.rename(tmp_path / "posts-kept")
        posts.symlink_to(outside)
    else:
        args = ["--into", "content/../../outside"]
    status, out, _ = run(site, "import", _archive(tmp_path), *args, capsys=capsys)
    assert status == 1 and "leads outside the project folder" in out
    assert not any(outside.rglob("*"))


def test_new_refuses_an_empty_title_and_a_posts_folder_leading_outside(site, capsys, tmp_path):
    status, _, err = run(site, "new", "  ", capsys=capsys)
    assert status == 1 and "the title is empty" in err
    posts = site.root / "content" / "posts"
    posts.rename(tmp_path / "posts-kept")
    posts.symlink_to(tmp_path)
    status, _, err = run(site, "new", "Zorglub", capsys=capsys)
    assert status == 1 and "leading outside the site" in err
    assert not list(tmp_path.glob("zorglub*"))


def test_export_does_not_replace_a_file_a_translator_may_have_edited(site, capsys):
    path = _po(site, capsys)
    catalog = polib.pofile(path)
    catalog[0].msgstr = "Edited by the translator"
    catalog.save(path)
    edited = open(path, "rb").read()
    status, _, err = run(site, "translate", "export", "bonjour", "--lang", "en", capsys=capsys)
    assert status == 1 and "may hold a translator's work" in err
    assert open(path, "rb").read() == edited
    status, _, _ = run(site, "translate", "export", "bonjour", "--lang", "en", "--force", capsys=capsys)
    assert status == 0 and open(path, "rb").read() != edited


def test_export_again_unchanged_is_allowed(site, capsys):
    _po(site, capsys)
    _po(site, capsys)


def test_export_refuses_a_translations_folder_leading_outside(site, capsys, tmp_path):
    (site.root / "translations").symlink_to(tmp_path)
    status, _, err = run(site, "translate", "export", "bonjour", "--lang", "en", capsys=capsys)
    assert status == 1 and "leading outside the site" in err and not list(tmp_path.glob("*.po"))


def _import_with(site, capsys, change) -> tuple[int, str]:
    path = _po(site, capsys)
    catalog = polib.pofile(path)
    change(catalog)
    catalog.save(path)
    before = tree(site.root / "content")
    status, _, err = run(site, "translate", "import", path, capsys=capsys)
    if status:
        assert tree(site.root / "content") == before
    return status, err


def test_a_control_character_in_a_segment_is_refused(site, capsys):
    def change(catalog):
        catalog[0].msgstr = "Hello\x1b[31m"

    status, err = _import_with(site, capsys, change)
    assert status == 1 and "control character U+001B" in err


def test_a_changed_footnote_reference_is_refused(site, capsys):
    def change(catalog):
        entry = next(e for e in catalog if e.msgctxt.startswith("body"))
        entry.msgstr = entry.msgstr + " [^99]"

    status, err = _import_with(site, capsys, change)
    assert status == 1 and "footnote references [^99]" in err


def test_an_xliff_target_still_to_translate_is_not_imported_as_final(site, capsys):
    status, _, err = run(
        site, "translate", "export", "bonjour", "--lang", "en", "--format", "xliff", capsys=capsys
    )
    assert status == 0, err
    path = site.root / "translations" / "bonjour.en.xlf"
    text = path.read_text(encoding="utf-8")
    assert 'state="translated"' in text
    path.write_text(text.replace('state="translated"', 'state="needs-translation"', 1), encoding="utf-8")
    status, _, err = run(site, "translate", "import", str(path), capsys=capsys)
    assert status == 1 and "is fuzzy" in err


def test_a_glossary_link_that_leads_nowhere_is_named(site, capsys):
    (site.root / "content" / "GLOSSARY.md").symlink_to(site.root / "content" / "nowhere.md")
    status, _, err = run(site, "status", capsys=capsys)
    assert status == 1 and "content/GLOSSARY.md: a symbolic link that leads nowhere" in err
