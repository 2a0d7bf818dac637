"""Bad input to `diptyque import`: one message naming the path and what to do, exit status 1, no traceback,
the other archives still imported where that makes sense, nothing half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main
from builder.frontmatter import split

ROOT = Path(__file__).parent.parent
PARAGRAPH = "paragraphe assez long pour être un vrai paragraphe de texte, avec des mots.\n"
ARTICLE = f"Un titre\n\nUn premier {PARAGRAPH}"
OTHER = f"Autre titre\n\nUn autre {PARAGRAPH}"


@pytest.fixture
def into(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(ROOT / "content" / "tags.toml", folder / "tags.toml")
    return folder


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def cli(capsys, *args) -> tuple[int, str]:
    code = main(["import", *map(str, args)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out + captured.err


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error: ")]


def everything(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_fifo_is_refused_without_blocking(tmp_path, into, good):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "builder", "import", str(fifo), str(good), "--into", str(into)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [message] = errors(result.stdout)
    assert str(fifo) in message and "named pipe (FIFO)" in message
    assert (into / "posts" / "un-titre.fr.md").exists()


def test_a_folder_given_as_an_archive(tmp_path, capsys, into, good):
    folder = tmp_path / "archives"
    folder.mkdir()
    code, output = cli(capsys, folder, good, "--into", into)
    [message] = errors(output)
    assert code == 1 and str(folder) in message and "is a folder" in message
    assert f"hint: give the archive files inside it, e.g. {folder / '*.txt'}" in output
    assert (into / "posts" / "un-titre.fr.md").exists()


def test_a_latin1_archive_is_converted_and_said(tmp_path, capsys, into):
    archive = tmp_path / "latin.txt"
    text = "L'été à Paris\n\nUn paragraphe écrit en Latin-1 : é, è, à, ç, ô, assez long pour compter.\n"
    archive.write_bytes(text.encode("latin-1"))
    code, output = cli(capsys, archive, "--into", into)
    assert code == 0 and "latin.txt: not UTF-8" in output
    parsed = split((into / "posts" / "l-ete-a-paris.fr.md").read_text(encoding="utf-8"), "x")
    assert parsed.meta["title"] == "L'été à Paris" and "é, è, à, ç, ô" in parsed.body


def test_into_a_file(tmp_path, capsys, good):
    target = tmp_path / "content.txt"
    target.write_text("not a folder\n", encoding="utf-8")
    code, output = cli(capsys, good, "--into", target)
    [message] = errors(output)
    assert code == 1 and str(target) in message and "a file, not a folder" in message
    assert "hint: give the content folder" in output
    assert target.read_text(encoding="utf-8") == "not a folder\n"
    assert sorted(tmp_path.iterdir()) == [target, good]


def test_posts_a_file(capsys, into, good):
    (into / "posts").write_text("x", encoding="utf-8")
    code, output = cli(capsys, good, "--into", into)
    [message] = errors(output)
    assert code == 1 and str(into / "posts") in message
    assert (into / "posts").read_text(encoding="utf-8") == "x"


def _lock(folder: Path) -> None:
    """Make a folder unwritable, for root too when it can (the immutable attribute)."""
    folder.chmod(0o555)
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False, timeout=60)


def _unlock(folder: Path) -> None:
    if shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False, timeout=60)
    folder.chmod(0o755)


def test_into_a_folder_that_cannot_be_written(capsys, into, good):
    (into / "posts").mkdir()
    before = everything(into)
    _lock(into / "posts")
    try:
        if os.access(into / "posts", os.W_OK):
            pytest.skip("this machine cannot make a folder unwritable here")
        code, output = cli(capsys, good, "--into", into)
    finally:
        _unlock(into / "posts")
    [message] = errors(output)
    assert code == 1 and str(into / "posts") in message and "cannot be written" in message
    assert everything(into) == before


def test_report_pointing_at_a_folder(tmp_path, capsys, into, good):
    folder = tmp_path / "reports"
    folder.mkdir()
    code, output = cli(capsys, good, "--into", into, "--report", folder)
    [message] = errors(output)
    assert code == 1 and str(folder) in message and "--report names a folder" in message
    assert f"--report {folder / 'review.md'}" in output
    assert not (into / "posts").exists() and not list(folder.iterdir())


def test_an_article_path_that_is_a_folder(tmp_path, capsys, into):
    archive = tmp_path / "two.txt"
    archive.write_text(ARTICLE + "\n\n" + OTHER, encoding="utf-8")
    (into / "posts" / "un-titre.fr.md").mkdir(parents=True)
    code, output = cli(capsys, archive, "--into", into)
    [message] = errors(output)
    assert code == 1 and str(into / "posts" / "un-titre.fr.md") in message and "is a folder" in message
    assert "hint: remove or rename it" in output
    folder = into / "posts" / "un-titre.fr.md"
    assert folder.is_dir() and not list(folder.iterdir())
    assert (into / "posts" / "autre-titre.fr.md").is_file()
    assert not [p for p in (into / "posts").iterdir() if p.name.startswith(".")]  # no temporary file left


def test_an_unreadable_article_file_at_the_key_is_kept(tmp_path, capsys, into, good):
    (into / "posts").mkdir()
    broken = into / "posts" / "un-titre.fr.md"
    broken.write_bytes(b"---\ntitle: \xff\n---\n")
    code, output = cli(capsys, good, "--into", into, "--force")
    assert code == 0 and broken.read_bytes() == b"---\ntitle: \xff\n---\n"
    assert "un-titre.fr.md (it is not UTF-8 text: fix it or delete it, then import again)" in output
