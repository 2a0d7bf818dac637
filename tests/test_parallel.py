"""Work stealing between render workers: every page is claimed once, a worker starts on its own run, and a
stop ends every claim."""

from __future__ import annotations

import random

import pytest

from builder.parallel import Shares


@pytest.mark.parametrize("seed", range(20))
def test_claims_cover_every_item_once_whatever_order_workers_ask_in(seed):
    rng = random.Random(seed)
    total, count = rng.randint(0, 300), rng.randint(1, 4)
    shares, seen, active = Shares(total, count, rng.randint(1, 20)), [], list(range(count))
    while active:
        owner = rng.choice(active)
        claimed = shares.claim(owner)
        if claimed is None:
            active.remove(owner)
            continue
        assert claimed[0] < claimed[1]
        seen += range(*claimed)
    assert sorted(seen) == list(range(total))


def test_a_worker_takes_its_own_run_first_then_the_end_of_the_longest():
    shares = Shares(100, 2, 10)  # runs 0-50 and 50-100
    assert shares.claim(1) == (50, 60)
    assert [shares.claim(0) for _ in range(5)] == [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50)]
    assert shares.claim(0) == (90, 100)  # worker 1's run, from its end
    assert shares.claim(1) == (60, 70)


def test_after_a_stop_no_worker_claims_anything():
    shares = Shares(100, 2, 10)
    shares.claim(0)
    shares.stop()
    assert shares.claim(0) is None and shares.claim(1) is None


def test_a_site_rendered_by_two_workers_is_the_site_rendered_by_one(site, monkeypatch):
    monkeypatch.setattr("builder.produce.PARALLEL_PAGES", 1)  # the fixture's pages, shared with stealing
    monkeypatch.setattr("builder.produce.CHUNK", 3)
    monkeypatch.setattr("builder.parallel.WORKERS", 2)
    site.build(use_cache=False)
    shared = site.snapshot()
    monkeypatch.setattr("builder.parallel.WORKERS", 1)
    site.build(use_cache=False)
    assert site.snapshot() == shared
    assert len(shared) > 100


def test_files_the_parse_workers_read_give_the_digests_and_errors_one_process_gives(site, monkeypatch):
    import hashlib

    from builder.errors import BuildFailed
    from builder.state import load_state

    posts = site.root / "content" / "posts"
    monkeypatch.setattr("builder.prepare.PARALLEL_BODIES", 1)  # workers read the fixture's few files
    monkeypatch.setattr("builder.parallel.WORKERS", 2)
    site.build(use_cache=False)
    saved = load_state(site.root / ".diptyque").sources
    for path in posts.glob("*.md"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        assert saved[path.relative_to(site.root).as_posix()][2] == digest
    (posts / "latin.fr.md").write_bytes(b"---\ntitle: Caf\xe9\n---\nTexte.\n")
    (posts / "vide.fr.md").write_text("---\ntitle: [\n---\nTexte.\n", encoding="utf-8")
    (posts / "sans-langue.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    told = {}
    for workers in (2, 1):
        monkeypatch.setattr("builder.parallel.WORKERS", workers)
        with pytest.raises(BuildFailed) as failed:
            site.build(use_cache=False)
        told[workers] = [(e.path, e.line, e.message) for e in failed.value.errors]
    assert told[2] == told[1]
    assert ("content/posts/latin.fr.md", 2, "the file is not UTF-8 (byte 0xe9)") in told[2]
    assert ("content/posts/sans-langue.md", None, "the file name has no language suffix") in told[2]
    assert any(
        (path, line) == ("content/posts/vide.fr.md", 3) and message.startswith("malformed YAML")
        for path, line, message in told[2]
    )


def test_a_file_removed_between_listing_and_reading_is_named_as_removed(site, monkeypatch):
    import os

    import builder.stages
    from builder.errors import BuildFailed

    listed = builder.stages.discover_sources

    def then_removed(*args, **options):
        files, errors = listed(*args, **options)
        os.remove(site.root / files[0].path)  # the file goes after discovery listed it, before it is read
        return files, errors

    monkeypatch.setattr(builder.stages, "discover_sources", then_removed)
    with pytest.raises(BuildFailed) as failed:
        site.build(use_cache=False)
    gone = "the file was removed while the build read the site"
    removed = [e for e in failed.value.errors if e.message == gone]
    assert len(removed) == 1 and removed[0].path.startswith("content/") and removed[0].hint == "build again"
    assert not site.output.exists()
