"""Cache keys cover every input: library versions, file identity; and --root goes anywhere."""

from __future__ import annotations

import pytest

import builder.inputs
import builder.state
from builder.cli import main


def test_a_new_library_version_means_a_full_build(built, monkeypatch):
    assert built.build().rendered == 0
    monkeypatch.setattr(builder.inputs, "versions", lambda: "3.11.7;markdown=3.99")
    result = built.build()
    assert set(result.timings) != {"check"}  # the no-change shortcut did not apply
    monkeypatch.setattr(builder.inputs, "versions", lambda: "3.11.7;markdown=3.100")
    monkeypatch.setattr(builder.state, "STAMP", builder.state.STAMP + ";markdown=3.100")
    builder.state._memory.clear()
    result = built.build()
    assert result.rendered == result.pages  # the saved state, Markdown cache included, was set aside


def test_two_files_with_identical_bytes_keep_their_own_keys(built):
    text = (
        (built.root / "content/posts/metavers.fr.md")
        .read_text(encoding="utf-8")
        .replace("title: Rendez-vous sur Mars", "title: Rendez-vous sur Mars\nslug: jumeau")
    )
    built.write("content/posts/jumeau-a.fr.md", text.replace("slug: jumeau", "slug: jumeau-a"))
    built.write("content/posts/jumeau-b.fr.md", text.replace("slug: jumeau", "slug: jumeau-b"))
    built.build()
    (built.root / "content/posts/jumeau-b.fr.md").write_text(
        (built.root / "content/posts/jumeau-a.fr.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(Exception, match="would both be written"):
        built.build()  # the same bytes now: same slug, so a collision, reported with both files
    (built.root / "content/posts/jumeau-b.fr.md").unlink()
    built.build()
    assert built.file("/fr/2022/jumeau-a/").exists() and not built.file("/fr/2022/jumeau-b/").exists()


@pytest.mark.parametrize("before", [True, False])
def test_root_before_or_after_the_command(built, capsys, before):
    args = ["--root", str(built.root), "build"] if before else ["build", "--root", str(built.root)]
    assert main(args) == 0
    assert "pages" in capsys.readouterr().out
