"""The templates' `gettext` and `ngettext` give what Jinja's own newstyle callables give, for every form a
template uses: `_()` with and without variables, `%` signs, `{% trans %}` with a count, with markup to
escape, with a variable named like a parameter, in autoescaped and plain-text templates."""

from __future__ import annotations

import jinja2
import pytest
from babel.support import Translations

from builder.environment import gettext_callables

TEMPLATES = [
    '{{ _("Skip to content") }}',
    '{{ _("100%% sure") }}',
    '{{ _("50% off") if false else _("page %(number)s", number=n) }}',
    '{{ _("page %(number)s", number="<b>") }}',
    '{{ gettext("Hello %(string)s", string=name) }}',
    "{% trans %}Plain {{ name }}{% endtrans %}",
    "{% trans count=n %}{{ count }} article{% pluralize %}{{ count }} articles{% endtrans %}",
    "{% trans count=n, tag=name %}{{ count }} in “{{ tag }}”{% pluralize %}{{ count }} in “{{ tag }}”"
    "{% endtrans %}",
    '{{ ngettext("%(num)d item", "%(num)d items", n) }}',
    '{{ ngettext("one", "many", n) }}',
]


class Catalog(Translations):
    """A catalog that marks what it translated with markup (a translation is trusted as safe HTML, its
    variables are not), so the test sees the lookups happen."""

    def gettext(self, message):
        return f"<b>{message}</b>"

    def ngettext(self, singular, plural, n):
        return f"<b>{singular if n == 1 else plural}</b>"


def _env(ours: bool, autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    catalog = Catalog()
    env.install_gettext_callables(catalog.gettext, catalog.ngettext, newstyle=True)
    if ours:
        env.globals.update(gettext_callables(catalog))
    env.globals["_"] = env.globals["gettext"]
    return env


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("source", TEMPLATES)
@pytest.mark.parametrize("n", [1, 3])
def test_the_templates_gettext_gives_what_jinjas_gives(source, autoescape, n):
    values = {"n": n, "name": "<i>Tom & Jerry</i>"}
    theirs = _env(False, autoescape).from_string(source).render(values)
    mine = _env(True, autoescape).from_string(source).render(values)
    assert mine == theirs
    assert "<b>" in mine  # the catalog was asked
