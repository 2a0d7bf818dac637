"""Whole import runs: nothing lost, idempotent, never clobbering edits, dry run, reports and bad input."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.frontmatter import split
from builder.importer import run_import
from builder.importer.digest import text_digest
from builder.importer.segment import segment

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
ROOT = Path(__file__).parent.parent
FILES = sorted(str(p) for p in CORPUS.glob("*.txt"))
FIELDS = [
    "title",
    "date",
    "date_source",
    "date_note",
    "slug",
    "tags",
    "summary",
    "image",
    "source",
    "import_digest",
]


def content_dir(tmp_path: Path) -> Path:
    into = tmp_path / "content"
    into.mkdir()
    shutil.copy(ROOT / "content" / "tags.toml", into / "tags.toml")
    return into


def run(files, into, **options) -> tuple[int, str]:
    out = io.StringIO()
    code = run_import(
        list(files),
        str(into),
        options.pop("dry_run", False),
        options.pop("force", False),
        options.pop("explain", False),
        out=out,
        **options,
    )
    return code, out.getvalue()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    into = content_dir(tmp_path_factory.mktemp("run"))
    code, output = run(FILES, into)
    return into, code, output


def posts(into: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((into / "posts").glob("*.fr.md"))}


def test_the_corpus_imports_cleanly(imported):
    into, code, output = imported
    assert code == 0
    assert len(posts(into)) == 42
    assert re.search(r"created\s+42", output) and re.search(r"duplicates\s+1", output)
    assert "002_1a2f71e755d276cb.txt:67" in output and "duplicate of 004_8d41980eb1f1025a.txt:6" in output


def test_every_file_parses_back_with_fields_in_contract_order(imported):
    into, _, _ = imported
    for name, text in posts(into).items():
        parsed = split(text, name)
        assert not hasattr(parsed, "message"), parsed
        keys = list(parsed.meta)
        assert keys == [field for field in FIELDS if field in keys]
        assert {"title", "date", "date_source", "slug", "tags", "summary", "source", "import_digest"} <= set(
            keys
        )
        assert parsed.meta["slug"] + ".fr.md" == name
        assert parsed.meta["import_digest"] == text_digest(text)
        assert isinstance(parsed.meta["date"], str)


def test_front_matter_of_a_known_article(imported):
    into, _, _ = imported
    parsed = split(posts(into)["rendez-vous-sur-mars.fr.md"], "x")
    assert parsed.meta["image"] == {"alt": "Mars"}
    assert parsed.meta["source"] == {"file": "002_1a2f71e755d276cb.txt", "lines": [1, 35]}
    assert parsed.body.lstrip().startswith("J’avais déjà prédit ICI")


def _words(text: str) -> list[str]:
    """Letters and digits apart, so a footnote mark glued to a word ("livre1" → "livre[^1]") still matches."""
    return re.findall(r"[^\W\d_]+|\d+", text.casefold())


def test_nothing_is_lost(imported):
    """Every non-blank line is navigation, a reported duplicate, or in exactly one article, whose file holds
    its words."""
    into, _, _ = imported
    files = {split(text, name).meta["source"]["file"]: [] for name, text in posts(into).items()}
    written = {}
    for name, text in posts(into).items():
        parsed = split(text, name)
        words = set(
            _words(parsed.body + " " + parsed.meta["title"] + " " + str(parsed.meta.get("image", "")))
        )
        written[(parsed.meta["source"]["file"], parsed.meta["source"]["lines"][0])] = words
    for path in FILES:
        archive = segment(Path(path).read_text(encoding="utf-8"), Path(path).name)
        owners: dict[int, int] = {}
        for article in archive.articles:
            for number in set(article.line_numbers) | ({article.alt_line} if article.alt_line else set()):
                owners[number] = owners.get(number, 0) + 1
        lines = Path(path).read_text(encoding="utf-8").split("\n")
        navigation = {line.number for line in archive.navigation}
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            assert (number in navigation) != (number in owners), (path, number, line)
            assert number in navigation or owners[number] == 1, (path, number)
        for article in archive.articles:
            words = written.get((archive.name, article.first_line))
            if words is None:
                continue  # the duplicate occurrence: reported, checked below
            for number in article.line_numbers:
                line = lines[number - 1]
                if number == article.alt_line:  # glued alt text is in the front matter, the rest in the body
                    line = line.replace(article.alt, " ", 1)
                line = re.sub(r"^\s*\d+[.)]\s+", "", line)  # a table of contents item lives on as a heading
                missing = set(_words(line)) - words
                assert not missing, (path, number, missing)
        assert files is not None


def test_rerun_is_byte_identical_and_reports_all_unchanged(tmp_path):
    into = content_dir(tmp_path)
    run(FILES, into)
    first = posts(into)
    code, output = run(FILES, into)
    assert code == 0 and posts(into) == first
    assert re.search(r"unchanged\s+42", output) and re.search(r"created\s+0", output)


def test_an_edited_file_is_kept_unless_forced(tmp_path):
    into = content_dir(tmp_path)
    run(FILES, into)
    path = into / "posts" / "vertigo.fr.md"
    edited = path.read_text(encoding="utf-8").replace("C’est une évidence", "C’est une évidence, dit-on")
    path.write_text(edited, encoding="utf-8")
    code, output = run(FILES, into)
    assert code == 0 and path.read_text(encoding="utf-8") == edited
    assert "kept: " in output and "vertigo.fr.md" in output and re.search(r"kept because edited\s+1", output)
    assert re.search(r"updated\s+0", output)
    code, output = run(FILES, into, force=True)
    assert "dit-on" not in path.read_text(encoding="utf-8") and re.search(r"updated\s+1", output)


@pytest.mark.parametrize(
    "old, new",
    [
        ("date: 2019-04", "date: 2019-04-12"),  # the date only
        ("title: Allo 4.0", "title: Allô 4.0"),  # the title only
        ("tags: [", "tags: [finance, "),  # the tags only
    ],
)
def test_a_front_matter_only_edit_is_kept(tmp_path, old, new):
    into = content_dir(tmp_path)
    run(FILES, into)
    path = into / "posts" / "allo-4-0.fr.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, output = run(FILES, into)
    assert code == 0 and path.read_text(encoding="utf-8") == text.replace(old, new, 1)
    assert re.search(r"kept because edited\s+1", output) and re.search(r"updated\s+0", output)
    assert "allo-4-0.fr.md (it was edited since its import" in output
    run(FILES, into, force=True)
    assert path.read_text(encoding="utf-8") == text


def test_dry_run_writes_nothing(tmp_path):
    into = content_dir(tmp_path)
    code, output = run(FILES, into, dry_run=True)
    assert code == 0 and not (into / "posts").exists()
    assert "would be created" in output and "dry run" in output


def test_explain_and_report_file(tmp_path):
    into = content_dir(tmp_path)
    report = tmp_path / "review.md"
    _, output = run(FILES[3:4], into, explain=True, report_path=str(report))
    assert re.search(
        r"^    ai \(score \d+\): .*intelligence artificielle ×\d+ \(title 1\)", output, re.MULTILINE
    )
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Import review") and "| 003_16017c9c8a34bab2.txt | 1–173 |" in text
    assert "| created |" in text
    assert "heading-like line after the last section" in text


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


ARTICLE = (
    "Un titre\n\nUn premier paragraphe assez long pour être un vrai paragraphe de texte, avec des mots.\n"
)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"\n \n\xc2\xa0\n", "the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        ("notitle.txt", ("x" * 400 + "\n").encode(), "no recognisable article title"),
    ],
)
def test_bad_files_fail_alone_with_a_clear_message(tmp_path, name, data, message):
    into = content_dir(tmp_path)
    good = write(tmp_path, "good.txt", ARTICLE.encode())
    code, output = run([write(tmp_path, name, data), good], into)
    assert code == 1
    assert f"error: {name}" in output and message in output and "hint:" in output
    assert (into / "posts" / "un-titre.fr.md").exists()


def test_cp1252_crlf_and_bom_are_converted_and_said(tmp_path):
    into = content_dir(tmp_path)
    text = "L'été\r\n\r\nUn paragraphe écrit sous Windows, avec des accents : é, è, à, ç, « guillemets ».\r\n"
    code, output = run(
        [
            write(tmp_path, "win.txt", text.encode("cp1252")),
            write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + ARTICLE.replace("Un titre", "Autre").encode()),
        ],
        into,
    )
    assert code == 0
    assert (
        "win.txt: not UTF-8" in output
        and "cp1252" in output
        and "CRLF" in output
        and "bom.txt: removed" in output
    )
    parsed = split((into / "posts" / "l-ete.fr.md").read_text(encoding="utf-8"), "x")
    assert parsed.meta["title"] == "L'été" and "« guillemets »" in parsed.body and "\r" not in parsed.body
    assert (into / "posts" / "autre.fr.md").exists()


def test_missing_file_and_huge_article(tmp_path):
    into = content_dir(tmp_path)
    huge = (
        "Un très long article\n\n"
        + "Une phrase de texte qui se répète pour faire un très long article. " * 3
        + "\n\n"
    )
    code, output = run(
        [
            str(tmp_path / "absent.txt"),
            write(tmp_path, "huge.txt", (huge + (huge.split("\n\n", 1)[1]) * 3000).encode()),
        ],
        into,
    )
    assert code == 1 and "absent.txt: cannot read the file" in output
    assert (into / "posts" / "un-tres-long-article.fr.md").exists()


def test_command_line_module(tmp_path):
    into = content_dir(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "builder.importer", FILES[4], "--into", str(into), "--dry-run"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "would be created" in result.stdout and not (into / "posts").exists()


def test_import_with_root_writes_into_that_projects_content(tmp_path, monkeypatch):
    """`diptyque --root site import FILE` from another folder: the articles land in site/content/."""
    from builder.cli import main

    project = tmp_path / "site"
    project.mkdir()
    content_dir(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["--root", str(project), "import", FILES[0]]) == 0
    assert list((project / "content" / "posts").glob("*.md"))
    assert not (elsewhere / "content").exists()
