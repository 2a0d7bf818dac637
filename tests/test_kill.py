"""A killed build never leaves a mixed site: after a kill at a seeded random moment (SIGKILL or SIGTERM,
at any file staged or renamed, or folder moved, by the build: while pages are staged, while the journal
is written, while pages are put in place, while the state is saved), recovery leaves output/ as the old
site or the new one, and the next build equals a cold build. No timing is involved: the build kills
itself at its n-th staged file or rename."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_site

from builder.writer import STAGING, recover

MOMENTS = """
import os, signal, sys
import builder.writer as writer
limit, how = int(os.environ.get("KILL_AT", 0)), getattr(signal, os.environ.get("KILL_WITH", "SIGKILL"))
count = [0]
def moment():
    count[0] += 1
    if count[0] == limit:
        os.kill(os.getpid(), how)
def counted(real):
    def call(*args):
        moment()
        return real(*args)
    return call
os.replace = counted(os.replace)
os.rename = counted(os.rename)
writer.stage = counted(writer.stage)
from builder import cli
"""
KILLER = MOMENTS + "sys.exit(cli.main(sys.argv[1:]))\n"
COUNTER = MOMENTS + """status = cli.main(sys.argv[1:])
print("RENAMES", count[0])
sys.exit(status)
"""
ARTICLES = 60
TAGS = ["ai", "data", "metaverse", "marketing", "innovation", "customer-relationship"]


def article(index: int, lang: str, title: str | None = None, year: int | None = None) -> str:
    words = " ".join(f"mot{(index * 7 + n) % 97}" for n in range(120))
    tags = ", ".join(TAGS[(index + k) % len(TAGS)] for k in range(2))
    title = title or (f"Article numéro {index}" if lang == "fr" else f"Article number {index}")
    return (
        f'---\ntitle: "{title}"\ndate: {year or 2015 + index % 9}-{1 + index % 12:02d}\n'
        f"tags: [{tags}]\n---\n\n{words}\n\n## Partie\n\n{words}\n"
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(STAGING)
    }


def cli(root: Path, script: str, **env) -> subprocess.CompletedProcess:
    """Run `diptyque build` in a new process under `script` (which counts renames or kills at one)."""
    environ = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent), **env}
    return subprocess.run(
        [sys.executable, "-c", script, "--root", str(root), "build"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )


def edit(root: Path, rng: random.Random) -> None:
    """One random edit of the content: a title, a body, a date (so URLs move), a removal or an addition."""
    posts = root / "content" / "posts"
    index = rng.randrange(ARTICLES)
    choice = rng.choice(["title", "body", "date", "remove", "add"])
    target = posts / f"gen{index}.fr.md"
    if choice == "remove":
        target.unlink(missing_ok=True)
    elif choice == "add":
        (posts / f"extra{rng.randrange(1000)}.fr.md").write_text(article(index + 100, "fr"), encoding="utf-8")
    elif choice == "title":
        target.write_text(article(index, "fr", title=f"Titre changé {rng.randrange(1000)}"), encoding="utf-8")
    elif choice == "date":
        target.write_text(article(index, "fr", year=2010 + rng.randrange(5)), encoding="utf-8")
    else:
        target.write_text(
            article(index, "fr") + f"\nUn paragraphe de plus {rng.randrange(1000)}.\n", encoding="utf-8"
        )


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The basic fixture site with 60 more articles in two languages: about 330 pages."""
    site = copy_site("basic", tmp_path_factory.mktemp("kill"))
    posts = site.root / "content" / "posts"
    for index in range(ARTICLES):
        (posts / f"gen{index}.fr.md").write_text(article(index, "fr"), encoding="utf-8")
        (posts / f"gen{index}.en.md").write_text(article(index, "en"), encoding="utf-8")
    assert cli(site.root, COUNTER).returncode == 0
    (site.output / "CNAME").write_text("blog.example.org")  # a file of the user's, through it all
    return site


def cold(site, into: Path) -> dict[str, bytes]:
    """What a cold build of the site's current content gives."""
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(site.root, into, ignore=shutil.ignore_patterns("output", ".diptyque"))
    assert cli(into, COUNTER).returncode == 0
    return tree(into / "output")


@pytest.mark.parametrize("seed", range(20))
def test_a_killed_build_leaves_the_old_site_or_the_new_one(large, tmp_path, seed):
    rng = random.Random(seed)
    site = copy_site("basic", tmp_path)
    shutil.rmtree(site.root)
    shutil.copytree(large.root, site.root, symlinks=True)  # built, with its state
    env = {}
    old = tree(site.output)
    posts = site.root / "content" / "posts"
    before = {p.name: p.read_bytes() for p in posts.iterdir()}
    history = site.root / "content" / "urls.toml"
    history_before = history.read_bytes() if history.exists() else None
    edit(site.root, rng)
    new = cold(site, tmp_path / "reference")
    new["CNAME"] = b"blog.example.org"
    probe = tmp_path / "probe"
    shutil.rmtree(probe, ignore_errors=True)
    shutil.copytree(site.root, probe)
    counted = cli(probe, COUNTER, **env)
    renames = int(counted.stdout.rsplit("RENAMES", 1)[1])
    moment, how = rng.randint(1, renames), rng.choice(["SIGKILL", "SIGTERM"])
    killed = cli(site.root, KILLER, KILL_AT=str(moment), KILL_WITH=how, **env)
    assert killed.returncode != 0 and "Traceback" not in killed.stderr, killed.stderr
    recover(site.output, site.root / ".diptyque")
    after = tree(site.output)
    mixed = sorted(k for k in {*old, *new, *after} if after.get(k) not in (old.get(k), new.get(k)))
    assert after in (old, new), f"kill at rename {moment} of {renames} ({how}) left a mixed site: {mixed[:5]}"
    assert not (site.output / STAGING).exists()
    assert cli(site.root, COUNTER, **env).returncode == 0
    assert tree(site.output) == new, f"after a kill at rename {moment} of {renames} ({how})"
    for name in {p.name for p in posts.iterdir()} - set(before):  # undo the edit: the old site comes back
        (posts / name).unlink()
    for name, data in before.items():
        (posts / name).write_bytes(data)
    if history_before is None:  # the URL history learnt the edit's URLs: forget them too
        history.unlink(missing_ok=True)
    else:
        history.write_bytes(history_before)
    assert cli(site.root, COUNTER, **env).returncode == 0
    assert tree(site.output) == old, f"undoing the edit after a kill at rename {moment} ({how})"


@pytest.mark.parametrize("seed", range(8))
def test_a_killed_first_build_leaves_no_site_or_the_whole_one(large, tmp_path, seed):
    """A first build puts its new folders in place whole: killed at any moment, it leaves nothing of the
    new site or all of it, and the next build finishes it."""
    rng = random.Random(seed)
    fresh = tmp_path / "fresh"
    shutil.copytree(large.root, fresh, ignore=shutil.ignore_patterns("output", ".diptyque"))
    probe = tmp_path / "probe"
    shutil.copytree(fresh, probe)
    counted = cli(probe, COUNTER)
    new, renames = tree(probe / "output"), int(counted.stdout.rsplit("RENAMES", 1)[1])
    moment, how = rng.randint(1, renames), rng.choice(["SIGKILL", "SIGTERM"])
    killed = cli(fresh, KILLER, KILL_AT=str(moment), KILL_WITH=how)
    assert killed.returncode != 0 and "Traceback" not in killed.stderr, killed.stderr
    recover(fresh / "output", fresh / ".diptyque")
    after = tree(fresh / "output") if (fresh / "output").exists() else {}
    assert after in ({}, new), f"kill at {moment} of {renames} ({how}): {len(after)} of {len(new)} files"
    assert cli(fresh, COUNTER).returncode == 0
    assert tree(fresh / "output") == new, f"after a kill at rename {moment} of {renames} ({how})"
