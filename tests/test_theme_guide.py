"""docs/themes.md: its reference of template variables matches the data templates really get, and its
override example (the `override` fixture site) adds its footer line to every page and changes nothing else."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from conftest import REPO, copy_site

import builder.parallel
from builder.theme import Theme

GUIDE = REPO / "docs" / "themes.md"
CARD = {"title", "url", "summary", "minutes"}  # what a `card` of the guide has (a `doc` has its `html` too)
DATE = {"iso", "text", "precision"}  # and a `date`
OPAQUE = {"page.jsonld", "search.tags"}  # documented as a whole (JSON-LD; a mapping by tag id)
ROOT_KINDS = {"redirect.html": "chooser", "sitemap.xml": "sitemap", "robots.txt": "robots"}
NOTE = re.compile(r'<p class="site-note">[^<]*</p>\n')


def guide_section(title: str) -> str:
    """The text of one section of the guide, up to the next heading of the same level or above."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(title)
    level = title.split(" ")[0]
    ends = [text.find("\n" + "#" * n + " ", start + len(title)) for n in range(1, len(level) + 1)]
    end = min([i for i in ends if i != -1], default=len(text))
    return text[start:end]


def table_rows(section: str) -> list[list[str]]:
    """The cells of a Markdown table's body rows."""
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:] if not set(row[0].strip()) <= set("-:")]


def documented_kinds() -> dict[str, set[str]]:
    """Variables by kind, as the guide lists them."""
    rows = table_rows(guide_section("### Variables by kind"))
    return {row[0].strip("`"): set(re.findall(r"`([^`]+)`", row[2])) for row in rows}


def documented_fields() -> set[str]:
    """Every field the guide's reference lists."""
    return {row[0].strip("`") for row in table_rows(guide_section("### Fields"))}


@pytest.fixture(scope="module")
def contexts(tmp_path_factory, monkeypatch_module):
    """The data every template got while building the basic fixture, with one translation made stale."""
    site = copy_site("basic", tmp_path_factory.mktemp("guide"))
    original = site.root / "content/posts/bonjour.fr.md"
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("Deuxième paragraphe", "Un paragraphe réécrit"), encoding="utf-8")
    seen = []
    render = Theme.render

    def recording(self, lang, name, context):
        seen.append((name, context))
        return render(self, lang, name, context)

    monkeypatch_module.setattr(Theme, "render", recording)
    monkeypatch_module.setattr(builder.parallel, "WORKERS", 1)  # render in this process, where it is recorded
    site.build(use_cache=False)
    return seen


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def kind_of(name: str, context: dict) -> str:
    return ROOT_KINDS.get(name) or context["page"]["kind"]


def is_card(value: dict) -> bool:
    """Whether a dict is a post's card (lists, related articles, previous and next)."""
    return CARD <= set(value) and "html" not in value


def fields(value, path: str, found: set[str]) -> None:
    """Add the path of every field under a value to `found`, cards and dates under `card.` and `date.`."""
    if path in OPAQUE:
        return
    if isinstance(value, dict):
        prefix = "card" if is_card(value) else "date" if set(value) == DATE else path
        for key, item in value.items():
            found.add(f"{prefix}.{key}" if prefix else key)
            fields(item, f"{prefix}.{key}" if prefix else key, found)
    elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for item in value:
            fields(item, "card" if is_card(item) else f"{path}[]", found)


def test_every_kind_gets_the_variables_the_guide_lists(contexts):
    seen = defaultdict(set)
    for name, context in contexts:
        seen[kind_of(name, context)] |= set(context)
    assert dict(seen) == documented_kinds()


def test_the_guide_lists_every_field_templates_get_and_no_other(contexts):
    found: set[str] = set()
    for _, context in contexts:
        fields(context, "", found)
    top = {key for _, context in contexts for key in context}
    documented = documented_fields()
    missing, extra = sorted(found - top - documented), sorted(documented - found)
    assert not missing, f"fields templates get that docs/themes.md does not list: {missing}"
    assert not extra, f"fields docs/themes.md lists that no template gets: {extra}"


def test_the_guide_shows_the_override_fixture_as_it_is():
    guide = GUIDE.read_text(encoding="utf-8")
    override = REPO / "tests" / "fixtures" / "sites" / "override"
    assert (override / "templates" / "base.html").read_text(encoding="utf-8") in guide
    catalog = (override / "locales" / "fr" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert catalog.split("\n", 1)[1] in guide  # all but its first comment line


@pytest.fixture(scope="module")
def override_and_basic(tmp_path_factory):
    """The override fixture and the basic one it copies, both built."""
    into = tmp_path_factory.mktemp("override")
    sites = copy_site("override", into), copy_site("basic", into)
    for site in sites:
        site.build(use_cache=False)
    return sites


def test_the_override_adds_its_footer_line_to_every_page_in_each_language(override_and_basic):
    override, _ = override_and_basic
    pages = [p for p in override.output.rglob("*.html") if b'<footer class="colophon">' in p.read_bytes()]
    assert len(pages) > 30
    wanted = {
        "fr": "Textes et photographies de Jeanne Exemple.",
        "en": "Texts and photographs by Jeanne Exemple.",
    }
    for path in pages:
        document = override.html("/" + path.relative_to(override.output).as_posix())
        note = document.select("footer.colophon p.site-note")
        assert [p.get_text() for p in note] == [wanted[document.html["lang"]]], path
        assert document.select("footer.colophon p")[0] != note[0]  # after what the default theme puts there


def test_the_override_changes_nothing_else(override_and_basic):
    override, basic = override_and_basic
    mine, theirs = override.snapshot(), basic.snapshot()
    assert set(mine) == set(theirs)
    changed = [
        path
        for path, data in mine.items()
        if (NOTE.sub("", data.decode()).encode() if path.endswith(".html") else data) != theirs[path]
    ]
    assert not changed
    pages = [path for path, data in mine.items() if b'<footer class="colophon">' in data]
    assert len(pages) > 30 and all(len(NOTE.findall(mine[path].decode())) == 1 for path in pages)
