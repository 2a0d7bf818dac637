"""The Jinja2 pieces Diptyque adds: a dict-first, load-recording environment, the chain's loader, a
bounded `range` and the templates' gettext."""

from __future__ import annotations

import io
import pickle
from functools import lru_cache

import jinja2
from markupsafe import Markup


def value_bytes(value) -> bytes:
    """Plain data as bytes that depend only on its values (pickled in fast mode: no memo, so no
    difference from which objects happen to be shared): what fingerprints compare."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


MAX_RANGE = 100_000  # the most items `range()` gives in a template (Jinja's sandbox uses the same bound)


def bounded_range(*args: int) -> range:
    """`range` for templates: a range of millions of items is a mistake that would hang the build."""
    made = range(*args)
    if len(made) > MAX_RANGE:
        raise OverflowError(f"range() of {len(made):,} items in a template; the limit is {MAX_RANGE:,}")
    return made


def gettext_callables(translations) -> dict:
    """`gettext` and `ngettext` for templates, doing what Jinja's newstyle ones do (the translation, marked
    safe where autoescaping is on, formatted with the call's variables) without the second `Context.call`
    Jinja's make to reach the catalog, for every string of every page (about sixteen a page). A text
    without "%" and no variables is what formatting would give back, so it is returned as it is."""
    single = lru_cache(maxsize=None)(translations.gettext)
    plural = lru_cache(maxsize=None)(translations.ngettext)

    def done(context, text: str, variables: dict):
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables if variables or "%" in text else text

    @jinja2.pass_context
    def gettext(context, string: str, /, **variables):
        return done(context, single(string), variables)

    @jinja2.pass_context
    def ngettext(context, singular: str, plurals: str, num: int, /, **variables):
        variables.setdefault("num", num)
        return done(context, plural(singular, plurals, num), variables)

    return {"gettext": gettext, "ngettext": ngettext}


class Environment(jinja2.Environment):
    """Jinja's environment, looking `a.b` up as a key first when `a` is a dict, and recording every
    template a render asks for.

    Views are plain dicts; stock Jinja tries an attribute first, and the AttributeError each lookup
    raises costs a third of a page's rendering. Keys win over dict methods (a view has no key named
    like one), which is also what a template author means by `post.title`. `extends`, `include`,
    `import` and `from` all load through `get_template` or `select_template`, whatever form their name
    takes (a string, a list, an expression): while `recorded` is a set, each name asked for is added,
    found or not, so a page is rendered again when any of them changes or appears.
    """

    recorded: set | None = None

    def make_globals(self, d):
        """A template's globals as a plain dict over the environment's, not Jinja's ChainMap: every
        render copies them into its context and every import compares their keys, which a ChainMap makes
        Python-level loops (about 5% of the render stage). The theme sets its globals once, before any
        template is loaded, so a snapshot loses nothing."""
        return {**self.globals, **(d or {})}

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def get_template(self, name, parent=None, globals=None):
        if self.recorded is not None and isinstance(name, str):
            self.recorded.add(self.join_path(name, parent) if parent else name)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        if self.recorded is not None and not isinstance(names, jinja2.Undefined):
            self.recorded.update(
                self.join_path(n, parent) if parent else n for n in names if isinstance(n, str)
            )
        return super().select_template(names, parent, globals)


def loader(layers) -> jinja2.BaseLoader:
    """Templates child first; `<theme>/name.html` reaches one theme's own (to extend what you override)."""
    folders = [str(layer.templates) for layer in layers if layer.templates.is_dir()]
    prefixed = {
        layer.name: jinja2.FileSystemLoader(str(layer.templates))
        for layer in layers[1:]
        if layer.templates.is_dir()
    }
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(folders), jinja2.PrefixLoader(prefixed)])
