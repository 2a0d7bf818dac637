"""`{% cache %}` fragments: rendered once per key and language in a build, their template loads recorded
for every page that reuses them, forgotten between builds."""

from __future__ import annotations

import jinja2
import pytest

from builder.state import load_state
from builder.theme import Theme

PAGE = '{% cache key %}{% include "_inc.html" %}{{ n }}{% endcache %}|{{ n }}'


def _theme(site) -> Theme:
    site.write("templates/_inc.html", "inc-")
    site.write("templates/page_cached.html", PAGE)
    return Theme(site.config())


def test_a_fragment_is_rendered_once_per_key_and_reused(site):
    theme = _theme(site)
    first, loads = theme.render("fr", "page_cached.html", {"key": "a", "n": 1})
    again, loads_again = theme.render("fr", "page_cached.html", {"key": "a", "n": 2})
    other, _ = theme.render("fr", "page_cached.html", {"key": "b", "n": 3})
    assert (first, again, other) == ("inc-1|1", "inc-1|2", "inc-3|3")
    assert "_inc.html" in loads and "_inc.html" in loads_again  # the reuse records what the fragment loaded


def test_each_language_has_its_own_fragments(site):
    theme = _theme(site)
    theme.render("fr", "page_cached.html", {"key": "a", "n": 1})
    assert theme.render("en", "page_cached.html", {"key": "a", "n": 2})[0] == "inc-2|2"


def test_a_new_build_renders_fragments_again(site):
    theme = _theme(site)
    theme.render("fr", "page_cached.html", {"key": "a", "n": 1})
    theme.begin()
    assert theme.render("fr", "page_cached.html", {"key": "a", "n": 2})[0] == "inc-2|2"


def test_a_key_that_cannot_be_a_key_is_an_error_naming_the_template(site):
    theme = _theme(site)
    with pytest.raises(jinja2.TemplateRuntimeError, match=r"page_cached\.html:1: a cache key must be"):
        theme.render("fr", "page_cached.html", {"key": {"a": 1}, "n": 1})


def test_every_list_page_records_the_templates_its_cached_cards_load(built):
    """A card is rendered once per build and reused by later lists; each of them still records
    `_picture.html`, which only the card loads, so an edit to it renders them all again."""
    state = load_state(built.root / ".diptyque")
    lists = [path for path in state.templates if "list.html" in state.templates[path]]
    assert len(lists) > 4
    assert all("_picture.html" in state.templates[path] for path in lists)


def test_an_edit_to_a_template_only_cached_cards_load_renders_every_list_again(site):
    """Incremental output equals a cold build's after editing a template the card includes."""
    templates = site.root / "themes" / "default" / "templates"
    macros = templates / "_macros.html"
    text = macros.read_text(encoding="utf-8")
    macros.write_text(text.replace("</article>", '{% include "_card_extra.html" %}</article>', 1))
    (templates / "_card_extra.html").write_text("<span>X1</span>", encoding="utf-8")
    site.build()
    (templates / "_card_extra.html").write_text("<span>X2</span>", encoding="utf-8")
    site.build()
    incremental = site.snapshot()
    pages = [data for path, data in incremental.items() if path.endswith(".html")]
    assert sum(b"X2" in data for data in pages) > 4
    assert not any(b"X1" in data for data in pages)
    site.build(use_cache=False)
    assert site.snapshot() == incremental
