"""Tag keywords: read from tags.toml, matched as whole words; the build reads that file and ignores them."""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.frontmatter import split
from builder.importer import run_import, tags
from builder.taxonomy import parse_tags, untranslated

ROOT = Path(__file__).parent.parent
CORPUS = Path(__file__).parent / "fixtures" / "corpus"
ARTICLE = "{title}\n\nUn premier paragraphe assez long pour être un vrai paragraphe : {body}\n"
FIXTURE = """\
[space]
fr = "Espace"
en = "Space"
keywords = ["fusée", "Mars", "orbit*", "station spatiale"]

[sea]
fr = "Mer"
en = "Sea"
keywords = ["bateau*", "océan"]

[none]
fr = "Sans mots"
en = "No keywords"
"""


@pytest.fixture(scope="module")
def vocabulary():
    found, errors = tags.load(ROOT / "content" / "tags.toml")
    assert not errors
    return found


def ids(title: str, body: str, vocabulary) -> tuple[str, ...]:
    return tags.choose(title, body, vocabulary).tags


def test_ai_is_not_found_inside_j_ai_but_ia_is(vocabulary):
    body = "J'ai écrit, j’ai publié, j'ai gagné des abonnés."
    assert "ai" not in ids("Comment j’ai obtenu des abonnés", body, vocabulary)
    assert "ai" in ids(
        "L’IA au travail", "L'IA change le travail, et l’IA générative plus encore.", vocabulary
    )
    assert "ai" not in ids("Les médias", "Un média, des médias, une immédiateté.", vocabulary)


def test_a_star_matches_a_word_prefix_and_phrases_span_any_space(vocabulary):
    keyword = tags.keyword("innov*")
    assert keyword.pattern.search("les innovations") and not keyword.pattern.search("une réinnovation")
    phrase = tags.keyword("note de lecture")
    assert phrase.pattern.search("Un livre, note de\xa0lecture") and phrase.pattern.search("NOTE DE LECTURE")
    assert tags.keyword("IA").pattern.search("l’IA") and not tags.keyword("IA").pattern.search("la via")


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdéèçxyz", min_size=2, max_size=8), st.text(alphabet="abcxyz", min_size=1, max_size=3)
)
def test_a_keyword_matches_whole_words_only(word, glue):
    pattern = tags.keyword(word).pattern
    assert pattern.search(f"avant {word} après") and pattern.search(f"({word.upper()}).")
    assert not pattern.search(f"{glue}{word}{glue}")


@pytest.mark.parametrize("bad", ["*", "in*nov", "", "   "])
def test_malformed_keywords_are_refused(bad):
    assert isinstance(tags.keyword(bad), str)


def test_the_linkedin_how_to_is_not_tagged_ai(vocabulary):
    from builder.importer.pipeline import plan

    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    article = next(a for a in plan(texts, vocabulary).articles if a.key.startswith("comment-j-ai-obtenu"))
    assert "ai" not in article.meta["tags"] and "social-media" in article.meta["tags"]


def run(files, into: Path, **options) -> tuple[int, str]:
    out = io.StringIO()
    return run_import([str(f) for f in files], str(into), out=out, **options), out.getvalue()


def test_keywords_come_from_the_content_folders_tags_toml(tmp_path):
    into = tmp_path / "content"
    into.mkdir()
    (into / "tags.toml").write_text(FIXTURE, encoding="utf-8")
    archive = tmp_path / "a.txt"
    body = "la fusée part en orbite, loin des bateaux."
    archive.write_text(ARTICLE.format(title="Une fusée vers Mars", body=body), encoding="utf-8")
    code, output = run([archive], into, explain=True)
    assert code == 0
    meta = split((into / "posts" / "une-fusee-vers-mars.fr.md").read_text(encoding="utf-8"), "x").meta
    assert meta["tags"] == ["space", "sea"]
    assert re.search(r"space \(score \d+\): fusée ×2 \(title 1\)", output) and "orbit* ×1" in output


def test_a_malformed_keyword_stops_the_run_naming_tags_toml_and_its_line(tmp_path):
    into = tmp_path / "content"
    into.mkdir()
    (into / "tags.toml").write_text(FIXTURE.replace('"océan"', '"oc*éan"'), encoding="utf-8")
    archive = tmp_path / "a.txt"
    archive.write_text(ARTICLE.format(title="Un titre", body="un bateau."), encoding="utf-8")
    code, output = run([archive], into)
    assert code == 1 and f"{into / 'tags.toml'}:9: keyword 'oc*éan'" in output
    assert not (into / "posts").exists()


def test_keywords_must_be_a_list_of_strings(tmp_path):
    _, errors = tags.parse(FIXTURE.replace('["bateau*", "océan"]', '"bateau"'), "tags.toml")
    assert len(errors) == 1 and errors[0].line == 9 and "should be a list of strings" in errors[0].message


def test_the_build_reads_tags_toml_with_keywords_and_ignores_them(site):
    config = site.config()
    found, errors = parse_tags(FIXTURE, config, "content/tags.toml")
    assert not errors and set(found) == {"space", "sea", "none"}
    assert dict(found["space"].labels) == {"fr": "Espace", "en": "Space"}
    assert untranslated(FIXTURE.replace('en = "Space"\n', ""), config) == [("space", "en")]
    text = (ROOT / "content" / "tags.toml").read_text(encoding="utf-8")
    found, errors = parse_tags(text, config, "content/tags.toml")
    assert not errors and untranslated(text, config) == []
    notes = found["reading-notes"]
    assert notes.labels["en"] == "Reading notes" and notes.slugs["en"] == "reading-notes"
    assert found["reading-notes"].labels["fr"] == "Notes de lecture"


def test_a_label_is_still_one_string_per_language(site):
    config = site.config()
    _, errors = parse_tags('[space]\nfr = ["Espace"]\nen = "Space"\n', config, "content/tags.toml")
    assert len(errors) == 1 and errors[0].line == 1 and "table of labels" in errors[0].message


def test_every_tag_of_the_site_has_keywords_and_keeps_its_id():
    data = tomllib.loads((ROOT / "content" / "tags.toml").read_text(encoding="utf-8"))
    assert list(data) == [
        "ai",
        "metaverse",
        "customer-relationship",
        "data",
        "social-media",
        "digital-transformation",
        "management",
        "innovation",
        "marketing",
        "work",
        "ethics",
        "retail",
        "education",
        "health",
        "media",
        "finance",
        "industry",
        "reading-notes",
    ]
    for tag_id, table in data.items():
        assert table["keywords"], tag_id
        assert all(isinstance(tags.keyword(word), tags.Keyword) for word in table["keywords"]), tag_id


def test_a_site_whose_tags_toml_holds_keywords_builds_its_tag_pages(site):
    path = site.root / "content" / "tags.toml"
    path.write_text((ROOT / "content" / "tags.toml").read_text(encoding="utf-8"), encoding="utf-8")
    site.build()
    labels = {li.a.get_text() for li in site.html("/en/tags/").select(".tag-cloud li")}
    assert {"Data", "Artificial intelligence"} <= labels and not any("keywords" in label for label in labels)
    assert site.file("/fr/etiquettes/donnees/").exists() and site.file("/en/tags/data/").exists()
