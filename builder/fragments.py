"""`{% cache key, … %}…{% endcache %}`: a template fragment rendered once per key and language in a build.

A list of cards renders each post's card on every page that lists it (home pages, tags, archives): the
same HTML, dozens of times. A theme wraps the card in `{% cache post.url %}` and the first render of each
key is reused, as Hugo's `partialCached` does. The fragment's output must depend only on its keys and the
page's language (each language has its own environment, so its own fragments). Templates the fragment
loads are recorded for every page that reuses it, so an edit to them still renders those pages again.
Fragments live for one build: `Theme.begin` empties them.
"""

from __future__ import annotations

from jinja2 import nodes
from jinja2.exceptions import TemplateRuntimeError
from jinja2.ext import Extension


class FragmentCache(Extension):
    """The `cache` tag: keys are expressions (strings, numbers, booleans), the body the fragment."""

    tags = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        self.fragments: dict[tuple, tuple[str, frozenset[str]]] = {}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        call = self.call_method("_fragment", [where, nodes.List(keys)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, where: str, keys: list, caller) -> str:
        """The fragment of these keys: rendered now the first time, with the templates it loaded."""
        key = (where, *keys)
        try:
            hash(key)
        except TypeError:
            raise TemplateRuntimeError(
                f"{where}: a cache key must be a string, a number or a boolean, not {keys!r}"
            ) from None
        env = self.environment
        found = self.fragments.get(key)
        if found is None:
            outer = env.recorded
            env.recorded = None if outer is None else set()
            try:
                text = caller()
                loads = frozenset(env.recorded or ())
            finally:
                inner, env.recorded = env.recorded, outer
                if outer is not None and inner:
                    outer.update(inner)
            found = self.fragments[key] = (text, loads)
        elif env.recorded is not None:
            env.recorded.update(found[1])
        return found[0]

    def forget(self) -> None:
        """Drop every fragment: a new build renders them again from its own views."""
        self.fragments.clear()
