"""Every UI string in the templates has a translation in every language's catalog."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parent.parent
THEME = REPO / "builder" / "themes" / "default"
METHODS = [("**/templates/**.html", "jinja2"), ("**/templates/**.xml", "jinja2")]
OPTIONS = {
    "**/templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"},
    "**/templates/**.xml": {"trim_blocks": "true", "lstrip_blocks": "true"},
}


def template_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(THEME), METHODS, options_map=OPTIONS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_templates_have_strings_to_translate():
    assert {"Skip to content", "%(count)s article", "Related articles"} <= template_messages()


def test_every_template_string_is_translated_in_every_catalog():
    wanted = template_messages()
    for lang in ("fr", "en"):
        with (THEME / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        translated = {
            (m.id[0] if isinstance(m.id, tuple) else m.id)
            for m in catalog
            if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
        }
        missing = wanted - translated
        assert not missing, f"{lang}: untranslated template strings: {sorted(missing)}"


def test_french_catalog_has_real_plural_forms():
    with (THEME / "locales" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    assert catalog.num_plurals == 2
    assert catalog["%(count)s article"].string == ("%(count)s article", "%(count)s articles")
