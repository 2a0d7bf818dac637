"""The `diptyque` program around `main`: what it prints reaches a pipe, its status is the command's, and a
build pauses the garbage collector only while it runs."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from builder.errors import BuildFailed


def diptyque(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "builder", "--root", str(root), *args],
        capture_output=True,  # pipes, and buffered: what it prints must be flushed before it exits
        env={name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"},
        text=True,
        timeout=600,
    )


def test_a_build_prints_its_summary_through_a_pipe_and_exits_zero(site):
    done = diptyque(site.root, "build", "--profile")
    assert done.returncode == 0, done.stderr
    assert " pages · " in done.stdout and "render" in done.stdout
    assert (site.output / "sitemap.xml").is_file()


def test_a_failed_build_tells_why_through_a_pipe_and_exits_non_zero(site):
    path = site.root / "content/posts/bonjour.fr.md"
    path.write_text(path.read_text().replace("title:", "titre:"))
    done = diptyque(site.root, "build")
    assert done.returncode == 1
    assert "content/posts/bonjour.fr.md" in done.stderr and "title" in done.stderr
    assert not site.output.exists()


def test_the_collector_runs_again_after_a_build_good_or_failed(built):
    assert gc.isenabled()
    path = built.root / "content/posts/bonjour.fr.md"
    path.write_text(path.read_text().replace("Deuxième paragraphe", "Second paragraphe", 1))
    built.build()
    assert gc.isenabled()
    path.write_text(path.read_text().replace("title:", "titre:"))
    with pytest.raises(BuildFailed):
        built.build()
    assert gc.isenabled()


def test_a_build_leaves_the_collector_off_when_it_was_off(built):
    gc.disable()
    try:
        path = built.root / "content/posts/bonjour.fr.md"
        path.write_text(path.read_text().replace("Deuxième paragraphe", "Second paragraphe", 1))
        built.build()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_keys_may_follow_the_options(site, tmp_path, capsys):
    from builder.cli import main

    out = tmp_path / "exchange"

    def export(*words: str) -> int:
        return main(["--root", str(site.root), "translate", "export", *words])

    assert export("--lang", "en", "relation", "--out", str(out)) == 0  # argparse alone: 'relation' unknown
    assert (out / "relation.en.po").is_file()
    assert export("--out", str(out), "--lang", "en", "--force", "relation", "sections") == 0
    assert sorted(p.name for p in out.iterdir()) == ["relation.en.po", "sections.en.po"]
    capsys.readouterr()
    with pytest.raises(SystemExit):  # an unknown option is still refused, and named alone
        export("--lang", "en", "relation", "--bogus")
    assert "unrecognized arguments: --bogus\n" in capsys.readouterr().err
