"""Re-imports never undo a person's work: edits anywhere are kept, earlier imports are recognised, and an
existing file never receives another article's text."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from builder.frontmatter import body_digest, split
from builder.importer import digest, run_import

TESTS = Path(__file__).parent
ROOT = TESTS.parent
CORPUS = TESTS / "fixtures" / "corpus"
PREVIOUS = CORPUS / "previous"  # files as the previous importer wrote them (import_digest of the body only)
FILES = sorted(CORPUS.glob("*.txt"))
LONG = "Une très longue histoire de la transformation numérique des entreprises françaises, partie"
PARAGRAPH = "Un paragraphe assez long pour être un vrai paragraphe de texte, sur {topic}, avec des mots."


def content_dir(tmp_path: Path) -> Path:
    into = tmp_path / "content"
    (into / "posts").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "tags.toml", into / "tags.toml")
    return into


def run(files, into: Path, **options) -> tuple[int, str]:
    out = io.StringIO()
    return run_import([str(f) for f in files], str(into), out=out, **options), out.getvalue()


def count(output: str, label: str) -> int:
    return int(re.search(rf"^  {label}\s+(\d+)$", output, re.MULTILINE).group(1))


def texts(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def without_digest(text: str) -> str:
    return re.sub(r"^import_digest: .*\n", "", text, count=1, flags=re.MULTILINE)


# --- files written by the previous importer ---------------------------------------------------------------


def previous(into: Path, name: str, edit=lambda text: text) -> Path:
    path = into / "posts" / name
    path.write_text(edit((PREVIOUS / name).read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_an_unedited_file_of_the_previous_importer_is_recognised_and_updated(tmp_path):
    into = content_dir(tmp_path)
    before = previous(into, "allo-4-0.fr.md").read_text(encoding="utf-8")
    parsed = split(before, "x")
    assert parsed.meta["import_digest"] == body_digest(parsed.body)  # the previous format
    code, output = run(FILES, into)
    after = (into / "posts" / "allo-4-0.fr.md").read_text(encoding="utf-8")
    assert code == 0 and count(output, "updated") == 1 and count(output, "kept because edited") == 0
    assert without_digest(after) == without_digest(before)
    assert split(after, "x").meta["import_digest"] == digest.text_digest(after)
    code, output = run(FILES, into)
    assert count(output, "unchanged") == 42
    assert (into / "posts" / "allo-4-0.fr.md").read_text(encoding="utf-8") == after


@pytest.mark.parametrize(
    "edit, part",
    [
        (lambda text: text.replace("date: 2019-04", "date: 2019-04-03"), "date 2019-04-03 → 2019-04"),
        (
            lambda text: text.replace("tags: [industry, work]", "tags: [industry]"),
            "tags industry → industry, work",
        ),
        (lambda text: text.replace("L'industrie va-t-elle", "L’industrie va-t-elle", 1), "summary"),
    ],
)
def test_a_front_matter_edit_in_a_previous_importers_file_is_kept(tmp_path, edit, part):
    into = content_dir(tmp_path)
    before = previous(into, "allo-4-0.fr.md", edit).read_text(encoding="utf-8")
    code, output = run(FILES, into)
    assert code == 0 and (into / "posts" / "allo-4-0.fr.md").read_text(encoding="utf-8") == before
    assert count(output, "kept because edited") == 1 and count(output, "updated") == 0
    assert "written by an earlier importer" in output and part in output


def test_a_body_edit_in_a_previous_importers_file_is_kept(tmp_path):
    into = content_dir(tmp_path)
    path = previous(
        into, "allo-4-0.fr.md", lambda text: text.replace("De quoi réveiller", "De quoi vraiment réveiller")
    )
    before = path.read_text(encoding="utf-8")
    assert "vraiment réveiller" in before
    _, output = run(FILES, into)
    assert (into / "posts" / "allo-4-0.fr.md").read_text(encoding="utf-8") == before
    assert "allo-4-0.fr.md (it was edited since its import" in output


def test_a_previous_file_the_new_rules_would_change_is_kept_and_says_what_would_change(tmp_path):
    into = content_dir(tmp_path)
    crm = previous(into, "vous-y-croyez-encore-au-crm.fr.md").read_text(encoding="utf-8")
    linkedin = previous(into, "comment-j-ai-obtenu-100000-impressions-sur-linkedin-en-un-an.fr.md")
    linkedin = linkedin.read_text(encoding="utf-8")
    _, output = run(FILES, into)
    assert (into / "posts" / "vous-y-croyez-encore-au-crm.fr.md").read_text(encoding="utf-8") == crm
    assert "date 2018-08 → 2012" in output and "tags social-media, ai → social-media, marketing" in output
    run(FILES, into, force=True)
    crm_now = (into / "posts" / "vous-y-croyez-encore-au-crm.fr.md").read_text(encoding="utf-8")
    assert split(crm_now, "x").meta["date"] == "2012"
    assert (into / "posts" / "comment-j-ai-obtenu-100000-impressions-sur-linkedin-en-un-an.fr.md").read_text(
        encoding="utf-8"
    ) != linkedin


# --- the real content, as the editors leave it -----------------------------------------------------------


def real_content(tmp_path: Path) -> Path:
    into = tmp_path / "content"
    shutil.copytree(ROOT / "content", into, ignore=shutil.ignore_patterns(".*"))
    return into


def state(text: str) -> str:
    parsed = split(text, "x")
    return "unparsed" if not hasattr(parsed, "meta") else digest.state(text, parsed)


def test_reimporting_the_archives_over_the_real_content_changes_no_edited_file(tmp_path):
    into = real_content(tmp_path)
    posts = into / "posts"
    ours = sorted(p for p in posts.glob("*.fr.md") if "source:" in p.read_text(encoding="utf-8"))
    assert len(ours) >= 10
    # edits of our own, so edited files are there whatever the editors have done so far
    ours[0].write_text(
        re.sub(
            r"^date: .*$", "date: 2001-02", ours[0].read_text(encoding="utf-8"), count=1, flags=re.MULTILINE
        ),
        encoding="utf-8",
    )
    ours[1].write_text(
        ours[1].read_text(encoding="utf-8") + "\nUn paragraphe ajouté à la main.\n", encoding="utf-8"
    )
    before = texts(posts)
    edited = {
        name for name, text in before.items() if name.endswith(".fr.md") and state(text) != digest.UNEDITED
    }
    edited -= {name for name, text in before.items() if state(text) == digest.EARLIER}  # decided below
    report = tmp_path / "review.md"
    code, output = run(FILES, into, report_path=report)
    after = texts(posts)
    assert code == 0, output
    assert set(before) <= set(after)
    changed = {name for name in before if after[name] != before[name]}
    for name in changed:  # only unedited files change, and only their digest (same rules as when written)
        assert name.endswith(".fr.md") and state(before[name]) in (digest.UNEDITED, digest.EARLIER), name
        assert without_digest(after[name]) == without_digest(before[name]), name
    assert not changed & edited and {ours[0].name, ours[1].name} <= edited
    assert count(output, "updated") == len(changed)
    rows = dict(
        re.findall(
            r"^\| [^|]+ \| [^|]+ \| ([^ |]+) \|.*\| ([a-z ]*) \|$",
            report.read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    )
    for name in edited & {p.name for p in ours}:
        assert rows.get(name.removesuffix(".fr.md")) == "kept because edited", name
    assert "updated" not in {rows.get(name.removesuffix(".fr.md")) for name in edited}


# --- never another article's text in an existing file ----------------------------------------------------


def archive(tmp_path: Path, *articles: tuple[str, str]) -> Path:
    path = tmp_path / "blog.txt"
    path.write_text(
        "".join(f"{title}\n\n{PARAGRAPH.format(topic=topic)}\n\n\n" for title, topic in articles),
        encoding="utf-8",
    )
    return path


def article_of(path: Path) -> tuple[str, str]:
    parsed = split(path.read_text(encoding="utf-8"), "x")
    return parsed.meta["title"], parsed.body.strip()


@pytest.mark.parametrize("force", [False, True])
def test_an_article_leaving_the_archive_leaves_its_file_alone(tmp_path, force):
    into = content_dir(tmp_path)
    run([archive(tmp_path, ("Alpha", "alpha"), ("Titre", "le premier"), ("Titre", "le second"))], into)
    first, second = into / "posts" / "titre.fr.md", into / "posts" / "titre-2.fr.md"
    kept = {path.name: path.read_text(encoding="utf-8") for path in (first, second)}
    assert "le premier" in kept["titre.fr.md"] and "le second" in kept["titre-2.fr.md"]
    code, output = run([archive(tmp_path, ("Alpha", "alpha"), ("Titre", "le second"))], into, force=force)
    assert code == 0 and texts(into / "posts")["titre.fr.md"] == kept["titre.fr.md"]
    assert "le second" in article_of(second)[1]  # its own article, at its new place in the archive
    assert split(second.read_text(encoding="utf-8"), "x").meta["source"]["lines"] == [6, 8]
    assert count(output, "created") == 0 and sorted(texts(into / "posts")) == [
        "alpha.fr.md",
        "titre-2.fr.md",
        "titre.fr.md",
    ]


@pytest.mark.parametrize("force", [False, True])
def test_a_key_held_by_another_article_is_not_overwritten(tmp_path, force):
    into = content_dir(tmp_path)
    run([archive(tmp_path, (f"{LONG} un", "la première partie"))], into)
    files = sorted((into / "posts").glob("*.fr.md"))
    assert len(files) == 1
    held = files[0].read_text(encoding="utf-8")
    code, output = run([archive(tmp_path, (f"{LONG} deux", "la deuxième partie"))], into, force=force)
    assert code == 0 and files[0].read_text(encoding="utf-8") == held
    other = into / "posts" / f"{files[0].name.removesuffix('.fr.md')}-2.fr.md"
    assert "la deuxième partie" in article_of(other)[1]
    assert f"{files[0].name} holds another article" in output and f"written as {other.name}" in output
    code, output = run([archive(tmp_path, (f"{LONG} deux", "la deuxième partie"))], into, force=force)
    assert count(output, "unchanged") == 1 and count(output, "created") == 0


def test_a_hand_written_article_at_the_key_is_left_alone(tmp_path):
    into = content_dir(tmp_path)
    hand = into / "posts" / "titre.fr.md"
    hand.write_text("---\ntitle: Titre\ndate: 2020-01-02\n---\n\nÉcrit à la main.\n", encoding="utf-8")
    code, output = run([archive(tmp_path, ("Titre", "un sujet"))], into, force=True)
    assert code == 0 and hand.read_text(encoding="utf-8").endswith("Écrit à la main.\n")
    assert "un sujet" in article_of(into / "posts" / "titre-2.fr.md")[1] and "written by hand" in output


def test_a_title_changed_by_hand_still_identifies_its_file(tmp_path):
    into = content_dir(tmp_path)
    source = archive(tmp_path, ("Titre", "un sujet"), ("Autre", "autre chose"))
    run([source], into)
    path = into / "posts" / "titre.fr.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Titre", "title: Un meilleur titre"), encoding="utf-8"
    )
    _, output = run([source], into)
    assert "Un meilleur titre" in path.read_text(encoding="utf-8")
    assert count(output, "kept because edited") == 1
    run([source], into, force=True)
    assert article_of(path)[0] == "Titre" and sorted(p.name for p in (into / "posts").iterdir()) == [
        "autre.fr.md",
        "titre.fr.md",
    ]


def test_an_article_edited_in_the_archive_updates_its_own_file(tmp_path):
    into = content_dir(tmp_path)
    run([archive(tmp_path, ("Titre", "un sujet"), ("Autre", "autre chose"))], into)
    _, output = run([archive(tmp_path, ("Titre", "un sujet revu"), ("Autre", "autre chose"))], into)
    assert count(output, "updated") == 1 and "un sujet revu" in article_of(into / "posts" / "titre.fr.md")[1]
