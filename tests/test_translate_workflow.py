"""The translator's workflow: `status --diff`, untracked translations, `status --json`, PO/XLIFF export and
import, bad input, the glossary check and the translation page, on fixture sites kept in git."""

from __future__ import annotations

import json
import shutil
import subprocess

import polib
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, TODAY, copy_site
from translate.storage import xliff

from builder.cli import main
from builder.config import load
from builder.frontmatter import body_digest, split
from builder.translate.articles import all_keys
from builder.translate.export import export
from builder.translate.page import translations_page
from builder.translate.writeback import import_files

OLD = "Deuxième paragraphe avec un [lien](https://example.org/)."
NEW = "Un paragraphe réécrit avec un [lien](https://example.org/)."
FIRST = "Le 13 mars 2024, la Commission a remis son rapport ; un texte « équilibré » !"
ENGLISH = "A second paragraph with a [link](https://example.org/)."
FRENCH = "content/posts/bonjour.fr.md"
TRANSLATION = "content/posts/bonjour.en.md"


def git(root, *args):
    identity = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
    subprocess.run(["git", *identity, *args], cwd=root, check=True, capture_output=True)


def commit(site, message="edit"):
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path):
    """The basic fixture site in a git repository, committed."""
    site = copy_site("basic", tmp_path)
    git(site.root, "init", "-q")
    commit(site, "initial")
    return site


def edit(site, rel, old, new, message="edit"):
    path = site.root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    if message and (site.root / ".git").exists():
        commit(site, message)


def run(site, capsys, *args):
    code = main(["--root", str(site.root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def meta_and_body(site, rel):
    parsed = split((site.root / rel).read_text(encoding="utf-8"), rel)
    return parsed.meta, parsed.body


def current_digest(site, rel=FRENCH):
    return body_digest(meta_and_body(site, rel)[1])


def snapshot(site):
    files = sorted((site.root / "content").rglob("*"))
    return {p.relative_to(site.root).as_posix(): p.read_bytes() for p in files if p.is_file()}


# status --diff


def test_diff_shows_the_changed_paragraph_beside_its_translation(repo, capsys):
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    code, out, _ = run(repo, capsys, "status", "--diff", "bonjour", "--lang", "en")
    assert code == 0
    rows = {
        line.split("|")[0].strip(): line.split("|", 1)[1].strip() for line in out.splitlines() if "|" in line
    }
    assert rows["original then"] == OLD and rows["original now"] == NEW and rows["translation"] == ENGLISH
    assert "1 block(s) changed, 0 added, 0 removed" in out
    assert FIRST not in out and "On 13 March" not in out  # the unchanged paragraph is not shown
    assert f"set translation_of: {current_digest(repo)}" in out
    assert out.count("changed: paragraph") == 1


def test_diff_shows_added_and_removed_blocks(repo, capsys):
    edit(
        repo,
        "content/posts/sections.fr.md",
        "Texte du premier point.\n",
        "Texte du premier point.\n\nUn ajout.\n",
        message=None,
    )
    edit(repo, "content/posts/sections.fr.md", "## L'humanité en conclusion\n\nFin.\n", "Fin.\n")
    code, out, _ = run(repo, capsys, "status", "--diff", "sections")
    assert code == 0 and "1 added, 1 removed" in out
    added = out.split("added: paragraph")[1].split("\n\n")[0]
    assert "Un ajout." in added and "translation    | (none)" in added
    removed = out.split("removed: heading (level 2)")[1].split("\n\n")[0]
    assert "L'humanité en conclusion" in removed and "Humanity in conclusion" in removed


def test_diff_outside_git_shows_the_whole_original(site, capsys):
    edit(site, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit", message=None)
    code, out, _ = run(site, capsys, "status", "--diff", "bonjour")
    assert code == 0 and "not in a git repository" in out and "the whole original follows" in out
    assert FIRST in out and NEW in out and ENGLISH in out


def test_diff_when_no_commit_has_the_recorded_digest(repo, capsys):
    edit(repo, TRANSLATION, "translation_of: 1693fbb41fa718d4", "translation_of: abcdef0123456789")
    _, out, _ = run(repo, capsys, "status", "--diff", "bonjour")
    assert "no commit of content/posts/bonjour.fr.md has the body digest abcdef0123456789" in out
    assert FIRST in out and ENGLISH in out


def test_diff_of_an_up_to_date_translation_says_so(repo, capsys):
    code, out, _ = run(repo, capsys, "status", "--diff", "relation")
    assert code == 0 and out.startswith("content/posts/relation.en.md (en): up to date, a translation of")
    assert "nothing to show" in out


# status: untracked, --json, --strict


def test_a_translation_without_translation_of_is_untracked_not_up_to_date(site, capsys):
    edit(site, "content/posts/relation.en.md", "translation_of: eafde47b583993b0\n", "", message=None)
    _, out, _ = run(site, capsys, "status")
    digest = current_digest(site, "content/posts/relation.fr.md")
    assert "English (en): 3 up to date, 2 missing, 0 stale, 1 untracked" in out
    assert "untracked: content/posts/relation.en.md has no translation_of" in out and digest in out
    assert run(site, capsys, "status", "--strict")[0] == 1
    for name in ("metavers", "futur"):
        (site.root / f"content/posts/{name}.fr.md").unlink()
    assert run(site, capsys, "status", "--strict")[0] == 1  # untracked alone fails --strict
    edit(site, "content/posts/relation.en.md", "---\n\n", f"translation_of: {digest}\n---\n\n", message=None)
    assert run(site, capsys, "status", "--strict")[0] == 0


def test_status_json_gives_the_same_report(repo, capsys):
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    edit(repo, "content/posts/relation.en.md", "translation_of: eafde47b583993b0\n", "", message=None)
    _, out, _ = run(repo, capsys, "status", "--json")
    data = json.loads(out)
    english = data["languages"]["en"]
    assert [e["translation"] for e in english["up_to_date"]] == [
        "content/pages/about.en.md",
        "content/posts/sections.en.md",
    ]
    assert english["stale"] == [
        {
            "translation": TRANSLATION,
            "original": FRENCH,
            "changed": english["stale"][0]["changed"],
            "translation_of": "1693fbb41fa718d4",
            "set_translation_of": current_digest(repo),
        }
    ]
    assert english["untracked"][0]["translation"] == "content/posts/relation.en.md"
    assert [m["original"] for m in english["missing"]] == [
        "content/posts/futur.fr.md",
        "content/posts/metavers.fr.md",
    ]
    assert data["problems"] == english["problems"] == 4 and data["complete"] is False
    assert json.loads(run(repo, capsys, "status", "--json", "--lang", "fr")[1])["languages"].keys() == {"fr"}


# export and import


def exported(site, tmp_path, key="bonjour", fmt="po"):
    written = export(site.config(), [key], "en", fmt, tmp_path / "out", force=True)  # afresh, each time
    return written[0][0]


def test_export_marks_the_changed_segment_fuzzy_with_the_old_text(repo, tmp_path):
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    catalog = polib.pofile(str(exported(repo, tmp_path)))
    entries = {e.msgctxt: e for e in catalog}
    assert list(entries) == ["title", "body.1", "body.2"]
    assert entries["body.2"].fuzzy and entries["body.2"].previous_msgid == OLD
    assert entries["body.2"].msgid == NEW and entries["body.2"].msgstr == ENGLISH
    assert not entries["body.1"].fuzzy and entries["body.1"].msgid == FIRST
    assert entries["title"].msgstr == "Artificial intelligence: an ambition" and not entries["title"].fuzzy
    assert catalog.metadata["Language"] == "en" and catalog.metadata["X-Diptyque-Key"] == "bonjour"


def test_a_changed_title_is_fuzzy_too_and_untracked_translations_are_all_fuzzy(repo, tmp_path):
    edit(
        repo,
        FRENCH,
        'title: "L\'intelligence artificielle : une ambition"',
        'title: "L\'IA : une ambition"',
        message=None,
    )
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    entries = {e.msgctxt: e for e in polib.pofile(str(exported(repo, tmp_path)))}
    assert entries["title"].fuzzy and entries["title"].msgid == "L'IA : une ambition"
    assert entries["title"].previous_msgid == "L'intelligence artificielle : une ambition"
    edit(repo, "content/posts/relation.en.md", "translation_of: eafde47b583993b0\n", "", message=None)
    entries = list(polib.pofile(str(exported(repo, tmp_path, "relation"))))
    assert [e.msgctxt for e in entries] == ["title", "body.1"] and all(e.fuzzy and e.msgstr for e in entries)


def test_export_all_from_the_command_line(repo, tmp_path, capsys):
    out_dir = str(tmp_path / "all")
    code, out, _ = run(repo, capsys, "translate", "export", "--all", "--lang", "en", "--out", out_dir)
    assert code == 0 and sorted(p.name for p in (tmp_path / "all").iterdir()) == [  # not the draft brouillon
        "about.en.po",
        "bonjour.en.po",
        "futur.en.po",
        "metavers.en.po",
        "relation.en.po",
        "sections.en.po",
    ]
    assert "wrote" in out and "sections.en.po (10 segments, 0 fuzzy)" in out
    assert run(repo, capsys, "translate", "export", "bonjour", "--out", str(tmp_path))[0] == 1  # no --lang
    assert run(repo, capsys, "translate", "import")[0] == 1


def check_updated(site, capsys, text):
    meta, body = meta_and_body(site, TRANSLATION)
    first = 'On 13 March 2024, the Commission handed over its report; a "balanced" text!'
    assert body == f"\n{first}\n\n{text}\n"
    assert meta["translation_of"] == current_digest(site) and "draft" not in meta
    assert (meta["title"], meta["date"], meta["slug"], meta["tags"]) == (
        "Artificial intelligence: an ambition",
        "2024-03-13",
        "ai-an-ambition",
        ["ai", "data"],
    )
    _, out, _ = run(site, capsys, "status")
    assert "English (en): 4 up to date, 2 missing, 0 stale, 0 untracked" in out
    site.build()
    page = site.html("/en/2024/ai-an-ambition/")
    assert text.split(" [")[0] in page.get_text() and not page.select(".notice")


def test_a_translators_po_edit_is_imported(repo, tmp_path, capsys):
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    path = exported(repo, tmp_path)
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.msgctxt == "body.2")
    entry.msgstr = "A rewritten paragraph with a [link](https://example.org/)."
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    catalog.save(str(path))
    code, out, err = run(repo, capsys, "translate", "import", str(path))
    assert code == 0, err
    assert "wrote content/posts/bonjour.en.md" in out
    check_updated(repo, capsys, "A rewritten paragraph with a [link](https://example.org/).")


def test_an_xliff_round_trip(repo, tmp_path, capsys):
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    code, out, _ = run(
        repo,
        capsys,
        "translate",
        "export",
        "bonjour",
        "--lang",
        "en",
        "--format",
        "xliff",
        "--out",
        str(tmp_path / "out"),
    )
    path = tmp_path / "out" / "bonjour.en.xlf"
    assert code == 0 and "3 segments, 1 fuzzy" in out
    store = xliff.xlifffile(path.read_bytes())
    unit = next(u for u in store.units if u.getid().endswith("body.2"))
    assert unit.isreview() and unit.target == ENGLISH and OLD in unit.getnotes("previous-source")
    unit.target = "A rewritten paragraph with a [link](https://example.org/)."
    unit.markfuzzy(False)
    path.write_bytes(bytes(store))
    code, out, err = run(repo, capsys, "translate", "import", str(path))
    assert code == 0, err
    check_updated(repo, capsys, "A rewritten paragraph with a [link](https://example.org/).")


def test_a_new_translation_from_an_export(repo, tmp_path, capsys):
    path = exported(repo, tmp_path, "metavers")
    catalog = polib.pofile(str(path))
    assert all(not e.msgstr for e in catalog)
    code, _, err = run(repo, capsys, "translate", "import", str(path))
    assert code == 1 and "segment body.1 is not translated" in err
    assert not (repo.root / "content/posts/metavers.en.md").exists()
    for entry in catalog:
        entry.msgstr = {"title": "Meet me on Mars"}.get(entry.msgctxt, "I had already predicted it.")
    catalog.save(str(path))
    assert run(repo, capsys, "translate", "import", str(path))[0] == 0
    meta, body = meta_and_body(repo, "content/posts/metavers.en.md")
    assert meta["title"] == "Meet me on Mars" and meta["tags"] == ["metaverse", "innovation"]
    assert meta["translation_of"] == current_digest(repo, "content/posts/metavers.fr.md")
    assert body.strip() == "I had already predicted it."
    repo.build()
    assert "I had already predicted it." in repo.html("/en/2022/meet-me-on-mars/").get_text()


def test_a_stub_exports_as_untranslated(repo, tmp_path, capsys):
    assert run(repo, capsys, "translate-stub", "metavers", "--lang", "en")[0] == 0
    entries = list(polib.pofile(str(exported(repo, tmp_path, "metavers"))))
    assert [e.msgctxt for e in entries] == ["title", "body.1"] and not any(e.msgstr for e in entries)


def test_allow_fuzzy_imports_as_a_draft_with_a_note(repo, tmp_path, capsys):
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    path = exported(repo, tmp_path)
    before = (repo.root / TRANSLATION).read_bytes()
    code, _, err = run(repo, capsys, "translate", "import", str(path))
    assert code == 1 and f"{path}:" in err and "segment body.2 is fuzzy" in err
    assert (repo.root / TRANSLATION).read_bytes() == before
    code, out, _ = run(repo, capsys, "translate", "import", str(path), "--allow-fuzzy")
    assert code == 0 and "as a draft: review body.2" in out
    meta, _ = meta_and_body(repo, TRANSLATION)
    assert meta["draft"] is True and "body.2" in meta["notes"][-1]
    _, out, _ = run(repo, capsys, "status")
    assert "missing: content/posts/bonjour.fr.md (only a draft: content/posts/bonjour.en.md)" in out


# bad input: an error naming the file and segment, nothing written


def fails(site, capsys, *args, expect):
    before = snapshot(site)
    code, _, err = run(site, capsys, *args)
    assert code == 1 and "nothing was written" in err
    for text in expect:
        assert text in err, err
    assert snapshot(site) == before
    assert not list((site.root / "content").rglob("*.tmp"))
    return err


def test_export_of_an_unknown_key_or_language(repo, capsys, tmp_path):
    out = str(tmp_path / "out")
    fails(
        repo,
        capsys,
        "translate",
        "export",
        "nope",
        "--lang",
        "en",
        "--out",
        out,
        expect=["no article with key 'nope'"],
    )
    fails(
        repo,
        capsys,
        "translate",
        "export",
        "bonjour",
        "--lang",
        "de",
        "--out",
        out,
        expect=["unknown language 'de'"],
    )
    fails(
        repo,
        capsys,
        "translate",
        "export",
        "bonjour",
        "--lang",
        "fr",
        "--out",
        out,
        expect=["bonjour.fr.md: is the original of 'bonjour'"],
    )
    fails(
        repo,
        capsys,
        "translate",
        "export",
        "bonjour",
        "nope",
        "--lang",
        "en",
        "--out",
        out,
        expect=["'nope'"],
    )
    assert not (tmp_path / "out").exists()
    fails(repo, capsys, "status", "--diff", "nope", expect=["no article with key 'nope'"])


def rewrite_header(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_import_for_an_unknown_key_or_language(repo, capsys, tmp_path):
    path = exported(repo, tmp_path)
    rewrite_header(path, "X-Diptyque-Key: bonjour", "X-Diptyque-Key: nope")
    fails(repo, capsys, "translate", "import", str(path), expect=[f"{path}: is for article 'nope'"])
    path = exported(repo, tmp_path)
    rewrite_header(path, "X-Diptyque-Lang: en", "X-Diptyque-Lang: de")
    fails(repo, capsys, "translate", "import", str(path), expect=[f"{path}", "unknown language 'de'"])


def test_import_after_a_block_was_added_or_removed(repo, capsys, tmp_path):
    path = exported(repo, tmp_path)
    edit(repo, FRENCH, OLD, OLD + "\n\nUn troisième paragraphe.")
    fails(
        repo,
        capsys,
        "translate",
        "import",
        str(path),
        expect=[f"{path}", "segment body.3", "missing", "export the article again"],
    )
    edit(repo, FRENCH, "\n\nUn troisième paragraphe.", "")
    edit(repo, FRENCH, "\n\n" + OLD, "")
    fails(
        repo,
        capsys,
        "translate",
        "import",
        str(path),
        expect=[f"{path}:", "segment body.2 is not in the original"],
    )


def test_import_after_the_original_changed_text(repo, capsys, tmp_path):
    path = exported(repo, tmp_path)
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    fails(
        repo,
        capsys,
        "translate",
        "import",
        str(path),
        expect=[f"{path}:", "segment body.2: its source", "bonjour.fr.md:10"],
    )


def test_import_of_malformed_files(repo, capsys, tmp_path):
    po = exported(repo, tmp_path)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgctxt "body.1"', 'msgctxt "body.1'), encoding="utf-8")
    fails(repo, capsys, "translate", "import", str(po), expect=[f"{po}:", "malformed PO file"])
    xlf = exported(repo, tmp_path, fmt="xliff")
    xlf.write_text(xlf.read_text(encoding="utf-8").replace("</source>", "</sauce>", 1), encoding="utf-8")
    fails(repo, capsys, "translate", "import", str(xlf), expect=[f"{xlf}:", "malformed XLIFF file"])
    other = tmp_path / "other.po"
    other.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    fails(repo, capsys, "translate", "import", str(other), expect=["is not an export of Diptyque"])
    fails(
        repo, capsys, "translate", "import", str(tmp_path / "absent.po"), expect=["absent.po: cannot be read"]
    )


def test_an_xliff_saved_as_utf16_is_read_as_xliff(repo, capsys, tmp_path):
    xlf = exported(repo, tmp_path, fmt="xliff")
    text = xlf.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>') or text.startswith("<?xml version='1.0'")
    assert "A second paragraph" in text
    text = text.replace("A second paragraph", "A second paragraph, again")
    rest = text.split("?>", 1)[1]
    xlf.write_bytes(('<?xml version="1.0" encoding="UTF-16"?>' + rest).encode("utf-16"))  # with its BOM
    code, _, err = run(repo, capsys, "translate", "import", str(xlf))
    assert code == 0, err
    assert "A second paragraph, again" in (repo.root / TRANSLATION).read_text(encoding="utf-8")


@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_import_over_a_translation_changed_since_the_export(repo, capsys, tmp_path, change):
    path = exported(repo, tmp_path)
    if change == "edited":
        edit(repo, TRANSLATION, "A second paragraph", "An edited second paragraph", message=None)
    else:
        (repo.root / TRANSLATION).unlink()
    fails(
        repo,
        capsys,
        "translate",
        "import",
        str(path),
        expect=[f"bonjour.en.md was {change} since the export", "--force"],
    )
    assert run(repo, capsys, "translate", "import", str(path), "--force")[0] == 0
    assert "A second paragraph" in (repo.root / TRANSLATION).read_text(encoding="utf-8")


def test_a_po_saved_in_another_charset_is_named_with_its_line(repo, capsys, tmp_path):
    po = exported(repo, tmp_path)
    text = po.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    po.write_bytes(text.encode("latin-1", "replace"))
    line = text[: text.index("«")].count("\n") + 1
    expect = [f"{po}:{line}: the file is not UTF-8", "save it as UTF-8"]
    fails(repo, capsys, "translate", "import", str(po), expect=expect)


def test_a_translation_that_would_change_the_structure(repo, capsys, tmp_path):
    path = exported(repo, tmp_path)
    catalog = polib.pofile(str(path))
    next(e for e in catalog if e.msgctxt == "body.2").msgstr = "## Not a paragraph"
    catalog.save(str(path))
    fails(
        repo,
        capsys,
        "translate",
        "import",
        str(path),
        expect=[f"{path}:", "segment body.2", "must stay one paragraph"],
    )


def test_one_bad_file_means_nothing_is_written(repo, capsys, tmp_path):
    good = exported(repo, tmp_path, "relation")
    catalog = polib.pofile(str(good))
    next(e for e in catalog if e.msgctxt == "body.1").msgstr = "Knowing customers well is an old story."
    catalog.save(str(good))
    bad = exported(repo, tmp_path, "metavers")  # untranslated
    fails(
        repo, capsys, "translate", "import", str(good), str(bad), expect=["metavers.en.po", "not translated"]
    )


def test_a_failed_write_leaves_the_translation_whole(repo, tmp_path, monkeypatch):
    path = exported(repo, tmp_path, "relation")
    catalog = polib.pofile(str(path))
    next(e for e in catalog if e.msgctxt == "body.1").msgstr = "Knowing customers well is an old story."
    catalog.save(str(path))
    before = snapshot(repo)

    def no_rename(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("builder.translate.files.os.replace", no_rename)
    with pytest.raises(OSError):
        import_files(repo.config(), [path])
    assert snapshot(repo) == before and not list((repo.root / "content").rglob("*.tmp"))


# the whole corpus, exported and imported unchanged


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_the_real_corpus_round_trips_byte_for_byte(tmp_path, fmt):
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "config.toml", root / "config.toml")
    config = load(root).with_options(today=TODAY)
    before = {p: p.read_bytes() for p in (root / "content").rglob("*.md")}
    keys = all_keys(config)
    written = export(config, keys, "en", fmt, tmp_path / "out")
    assert len(written) == len(keys) >= 40 and all(fuzzy == 0 for _, _, fuzzy in written)
    imported = import_files(config, [path for path, _, _ in written])
    assert len(imported) == len(keys) and not any(item.review for item in imported)
    assert {p: p.read_bytes() for p in (root / "content").rglob("*.md")} == before


# glossary


GLOSSARY = """# Glossary

| French | English | note |
|---|---|---|
| données | data | |
| métavers | metaverse | |
| le numérique | digital technology | by context |
"""


def test_glossary_terms_not_rendered_are_warned_about(site, capsys):
    site.write("content/GLOSSARY.md", GLOSSARY)
    edit(
        site,
        "content/posts/relation.fr.md",
        "une vieille histoire.",
        "une vieille histoire de données. Le numérique aussi.",
        message=None,
    )
    _, out, _ = run(site, capsys, "status")
    warnings = [line for line in out.splitlines() if "glossary (warning)" in line]
    assert len(warnings) == 1
    assert "content/posts/relation.en.md: the original (line 7) says 'données'" in warnings[0]
    assert "data" in warnings[0] and "total: 3 problems" in out  # a warning, not a problem
    edit(site, "content/posts/relation.en.md", "an old story.", "an old story about data.", message=None)
    assert "glossary (warning)" not in run(site, capsys, "status")[1]


def test_the_real_corpus_gives_few_glossary_warnings(tmp_path, capsys):
    code = main(["--root", str(REPO), "status", "--json"])
    data = json.loads(capsys.readouterr().out)
    articles = len(data["languages"]["en"]["up_to_date"])
    assert code == 0 and len(data["languages"]["en"]["glossary"]) * 5 <= articles


# the translation page


def test_translation_page_lists_every_state(repo):
    edit(repo, FRENCH, "Deuxième paragraphe", "Un paragraphe réécrit")
    edit(repo, "content/posts/relation.en.md", "translation_of: eafde47b583993b0\n", "", message=None)
    repo.write(
        "content/posts/metavers.en.md",
        "---\ntitle: Meet me on Mars\ndate: 2022-03\ndraft: true\ntags: [metaverse]\n---\n\nNot finished.\n",
    )
    tags = repo.root / "content/tags.toml"
    tags.write_text(tags.read_text(encoding="utf-8") + '\n[ethics]\nfr = "Éthique"\n', encoding="utf-8")
    page = BeautifulSoup(translations_page(load(repo.root)), "html.parser")
    english = page.select_one("section#lang-en")
    rows = {row["data-state"]: row for row in english.select("tr.article")}
    assert set(rows) == {"up-to-date", "stale", "untracked", "missing", "draft"}
    assert "content/posts/bonjour.en.md" in rows["stale"].get_text()
    assert [a["href"] for a in rows["stale"].select("a")] == [
        "/fr/2024/ia-une-ambition/",
        "/en/2024/ai-an-ambition/",
    ]
    assert "content/posts/relation.en.md" in rows["untracked"].get_text()
    assert "content/posts/metavers.en.md" in rows["draft"].get_text()
    assert "content/posts/futur.fr.md" in rows["missing"].get_text()
    diff = rows["stale"].find_next_sibling("tr")
    assert "diff" in diff["class"] and NEW in diff.pre.get_text() and ENGLISH in diff.pre.get_text()
    assert [li.get_text() for li in english.select("ul.tags li")] == ["ethics"]
    assert english.select_one(".strings.none")
    assert page.select_one("section#lang-fr .counts").get_text().startswith("0 up to date")


def test_the_dev_server_serves_the_translations_page(site):
    import urllib.request

    from bs4 import BeautifulSoup

    from builder.serve import start_server

    server = start_server(site.config(), port=0, watch=False)
    try:
        with urllib.request.urlopen(server.url + "_diptyque/translations/", timeout=60) as response:
            page = BeautifulSoup(response.read(), "lxml")
        assert response.status == 200 and page.find(string=lambda s: s and "bonjour" in s.lower())
        assert not (server.folder / "_diptyque").exists()  # never built into the site
    finally:
        server.stop()


def test_a_pictures_alt_text_and_caption_are_segments_too(repo, tmp_path, capsys):
    """`image.alt` and `image.caption` go to translators; the import sets both and keeps the picture."""
    picture = "image: {src: photo.jpg, alt: Une salle de classe, caption: La salle en 2024}\n"
    edit(repo, FRENCH, "---\n", "---\n" + picture, message=None)
    path = exported(repo, tmp_path)
    catalog = polib.pofile(str(path))
    entries = {e.msgctxt: e for e in catalog}
    assert entries["image.alt"].msgid == "Une salle de classe"
    assert entries["image.caption"].msgid == "La salle en 2024"
    for name, text in (("image.alt", "A classroom"), ("image.caption", "The room in 2024")):
        entries[name].msgstr = text
        if "fuzzy" in entries[name].flags:
            entries[name].flags.remove("fuzzy")
    catalog.save(str(path))
    code, _, err = run(repo, capsys, "translate", "import", str(path), "--allow-fuzzy")
    assert code == 0, err
    meta, _ = meta_and_body(repo, TRANSLATION)
    assert meta["image"] == {"src": "photo.jpg", "alt": "A classroom", "caption": "The room in 2024"}
