"""Translation status: missing, stale and complete translations, in `status`, `build --strict`, the page."""

from __future__ import annotations

import pytest

from builder.cli import main
from builder.errors import BuildFailed
from builder.frontmatter import body_digest, split
from builder.status import translation_status


def run(site, capsys, *args):
    code = main(["--root", str(site.root), *args])
    return code, capsys.readouterr()


def edit_original(site):
    path = site.root / "content/posts/bonjour.fr.md"
    path.write_text(path.read_text().replace("Deuxième paragraphe", "Un paragraphe réécrit"))


def test_status_lists_missing_translations(site, capsys):
    code, out = run(site, capsys, "status")
    assert code == 0
    assert "English (en): 4 up to date, 2 missing, 0 stale" in out.out
    assert "missing: content/posts/metavers.fr.md" in out.out and "brouillon" not in out.out
    code, out = run(site, capsys, "status", "--strict")
    assert code == 1 and "total: 2 problems" in out.out


def test_complete_edition_passes_strict(site, capsys):
    for name in ("metavers", "futur"):
        (site.root / f"content/posts/{name}.fr.md").unlink()
    code, out = run(site, capsys, "status", "--strict")
    assert code == 0 and "the edition is complete" in out.out


def test_editing_an_original_makes_its_translation_stale(site, capsys):
    edit_original(site)
    report, errors = translation_status(site.config())
    assert not errors
    assert [s[:2] for s in report["en"].stale] == [
        ("content/posts/bonjour.en.md", "content/posts/bonjour.fr.md")
    ]
    code, out = run(site, capsys, "status", "--strict")
    assert (
        code == 1
        and ("stale:   content/posts/bonjour.en.md (the original content/posts/bonjour.fr.md changed on")
        in out.out
    )
    digest = report["en"].stale[0].digest
    assert digest == body_digest(split((site.root / "content/posts/bonjour.fr.md").read_text(), "x").body)
    assert f"once updated, set translation_of: {digest}" in out.out
    assert report["en"].stale[0].translation_of == "1693fbb41fa718d4"


def test_stale_translation_warns_and_shows_a_notice(site):
    edit_original(site)
    result = site.build()
    stale = [w for w in result.warnings if "stale translation" in w]
    assert stale == [
        (
            "content/posts/bonjour.en.md: stale translation: content/posts/bonjour.fr.md "
            "changed after it was translated"
        )
    ]
    notice = site.html("/en/2024/ai-an-ambition/").select_one(".notice")
    assert "The original (French) was updated after this translation." in notice.get_text()
    assert notice.a["href"] == "/fr/2024/ia-une-ambition/"
    assert not site.html("/en/2021/love-stories-end-in-algorithms/").select(".notice")
    assert not site.html("/fr/2024/ia-une-ambition/").select(".notice")


def test_build_strict_fails_on_stale_translations(site):
    edit_original(site)
    with pytest.raises(BuildFailed) as caught:
        site.build(strict=True)
    assert caught.value.errors[0].path == "content/posts/bonjour.en.md"
    assert "translation_of:" in caught.value.errors[0].hint


def test_untranslated_tag_labels_and_ui_strings_are_reported(site, capsys):
    tags = site.root / "content/tags.toml"
    tags.write_text(tags.read_text() + '\n[ethics]\nfr = "Éthique"\n')
    catalog = site.root / "themes/default/locales/en/LC_MESSAGES/messages.po"
    catalog.write_text(catalog.read_text().replace('msgstr "Skip to content"', 'msgstr ""'))
    report, _ = translation_status(site.config())
    assert report["en"].tags == ["ethics"] and report["en"].strings == ["Skip to content"]
    assert report["fr"].tags == [] and report["fr"].strings == []


def test_new_creates_a_draft_article(site, capsys):
    code, out = run(site, capsys, "new", "L'avenir du métavers", "--lang", "fr")
    path = site.root / "content/posts/l-avenir-du-metavers.fr.md"
    assert code == 0 and path.exists()
    meta = split(path.read_text(), "x").meta
    assert meta["title"] == "L'avenir du métavers" and meta["draft"] is True
    assert meta["slug"] == "l-avenir-du-metavers"
    code, out = run(site, capsys, "new", "L'avenir du métavers", "--lang", "fr")
    assert code == 1 and "already exists" in out.err


def test_translate_stub_records_the_original_digest(site, capsys):
    code, out = run(site, capsys, "translate-stub", "metavers", "--lang", "en")
    assert code == 0
    stub = split((site.root / "content/posts/metavers.en.md").read_text(), "x")
    original = split((site.root / "content/posts/metavers.fr.md").read_text(), "x")
    assert stub.meta["translation_of"] == body_digest(original.body)
    assert stub.meta["tags"] == ["metaverse", "innovation"] and stub.meta["date"] == "2022-03"
    assert stub.meta["draft"] is True  # not published until translated
    report, _ = translation_status(site.config())
    assert "content/posts/metavers.fr.md" in report["en"].missing
    code, out = run(site, capsys, "translate-stub", "nope", "--lang", "en")
    assert code == 1 and "no article with key 'nope'" in out.err
