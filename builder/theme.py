"""The Jinja2 environment of a theme: strict, autoescaped, with gettext catalogs and a few filters."""

from __future__ import annotations

import hashlib
import io
import pickle
import re
from functools import lru_cache
from pathlib import Path

import jinja2

from builder.config import Config
from builder.errors import BuildError
from builder.i18n import translations, typography


# {% extends "x" %}, {% include "x" %}, {% import "x" as y %}, {% from "x" import y %}: the templates a template uses
REFERENCE = re.compile(r"""{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


def value_bytes(value) -> bytes:
    """Plain data as bytes that depend only on its values (pickled in fast mode: no memo, so no
    difference from which objects happen to be shared): what fingerprints and `memo` compare."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def _memo(cache: dict):
    """The template global `memo(macro, *args)`: a macro's output, rendered once per equal arguments.

    A card is the same on every list that shows its post (home, tags, month): list.html asks
    `memo(card, post, site.lang)` and renders each card once per language and process. A macro's
    output depends on its arguments and on the environment only, so equal arguments give equal output.
    """

    def memo(macro, *args):
        key = (macro.name, value_bytes(args))
        if key not in cache:
            cache[key] = macro(*args)
        return cache[key]

    return memo


MAX_RANGE = 100_000  # the most items `range()` gives in a template (Jinja's sandbox uses the same bound)


def bounded_range(*args: int) -> range:
    """`range` for templates: a range of millions of items is a mistake that would hang the build."""
    made = range(*args)
    if len(made) > MAX_RANGE:
        raise OverflowError(f"range() of {len(made):,} items in a template; the limit is {MAX_RANGE:,}")
    return made


class _Environment(jinja2.Environment):
    """Jinja's environment, looking `a.b` up as a key first when `a` is a dict.

    Views are plain dicts; stock Jinja tries an attribute first, and the AttributeError each lookup
    raises costs a third of a page's rendering. Keys win over dict methods (a view has no key named
    like one), which is also what a template author means by `post.title`.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


class Theme:
    """One Jinja2 environment per language over the theme's templates."""

    def __init__(self, config: Config):
        self.config = config
        self.folder = config.theme_dir / "templates"
        self.errors: list[BuildError] = []
        self.envs: dict[str, jinja2.Environment] = {}
        self.memos: dict[str, dict] = {}  # per language, macro outputs by name and arguments (see `_memo`)
        loader = jinja2.FileSystemLoader(str(self.folder))
        cache_dir = config.state_dir / "templates"
        cache_dir.mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir))  # compiled templates, checked against their source
        for language in config.languages:
            env = _Environment(loader=loader, autoescape=jinja2.select_autoescape(("html", "xml")),
                                     bytecode_cache=bytecode, auto_reload=False,  # theme_for renews it on change
                                     undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"],
                                     trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
            found = translations(config.theme_dir, language.code, language.locale)
            if isinstance(found, BuildError):
                self.errors.append(found)
                env.install_null_translations(newstyle=True)
            else:
                env.install_gettext_callables(lru_cache(maxsize=None)(found.gettext),
                                              lru_cache(maxsize=None)(found.ngettext), newstyle=True)
            env.globals["_"] = env.globals["gettext"]  # skip the alias's extra lookup: no context overrides it
            env.globals["range"] = bounded_range
            env.filters["typo"] = lambda text, lang=language.code: typography(text, lang)
            env.globals["memo"] = _memo(self.memos.setdefault(language.code, {}))  # per language: gettext differs
            self.envs[language.code] = env
        self._closures: dict[str, str] = {}
        self._digest: str | None = None

    def forget(self) -> None:
        """Drop remembered macro outputs (between builds of the dev server: they would only pile up)."""
        for cache in self.memos.values():
            cache.clear()

    def preload(self) -> None:
        """Compile every template now, in each language: forked workers then inherit them compiled.

        The bytecode cache is shared, so the second language loads what the first compiled. A template
        that fails to compile is left for `render` to report with its page.
        """
        for env in self.envs.values():
            for name in env.list_templates():
                try:
                    env.get_template(name)
                except jinja2.TemplateError:
                    pass

    def template_digest(self, name: str) -> str:
        """Digest of a template and every template it extends, includes or imports, plus the catalogs."""
        if name not in self._closures:
            seen, todo, digest = set(), [name], hashlib.sha256()
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                try:
                    source = (self.folder / current).read_text(encoding="utf-8")
                except OSError:
                    continue  # reported when the template is rendered
                digest.update(current.encode() + b"\0" + source.encode())
                todo.extend(REFERENCE.findall(source))
            for language in self.config.languages:
                catalog = self.config.theme_dir / "locales" / language.code / "LC_MESSAGES" / "messages.po"
                digest.update(catalog.read_bytes() if catalog.exists() else b"")
            self._closures[name] = digest.hexdigest()[:16]
        return self._closures[name]

    def digest(self) -> str:
        """Digest of the whole theme folder: templates, static files and catalogs (computed once).

        Templates and catalogs that are not UTF-8 are found here, and reported in `errors`.
        """
        if self._digest is None:
            digest = hashlib.sha256()
            for path in sorted(self.config.theme_dir.rglob("*")):
                if path.is_file():
                    data = path.read_bytes()
                    digest.update(str(path.relative_to(self.config.theme_dir)).encode() + b"\0" + data)
                    if path.suffix in (".html", ".xml", ".txt", ".po"):
                        self._check_text(path, data)
            self._digest = digest.hexdigest()[:16]
        return self._digest

    def _check_text(self, path: Path, data: bytes) -> None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.errors.append(BuildError(str(path.relative_to(self.config.root)), line,
                                          f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                                          "save it as UTF-8", kind="encoding"))


def template_error(exc: Exception, folder: Path) -> BuildError:
    """Turn a Jinja error into a BuildError naming the template and line."""
    import traceback

    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "?"
        return BuildError(_rel(name, folder), exc.lineno, f"template syntax error: {exc.message}",
                          "fix the tag at that line ({% … %}, {{ … }} must be closed)", kind="template")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    where = frames[-1] if frames else None
    if isinstance(exc, jinja2.UndefinedError):
        hint = "a variable or attribute the page does not have: check the name against the view data"
    elif isinstance(exc, RecursionError):
        exc = RecursionError("a macro, include or extends calls itself without end")
        hint = "give the recursion a condition that stops it"
    elif type(exc).__name__ == "TemplateTimeout":
        hint = "look for a loop over a huge range, or loops nested too deeply"
    else:
        hint = "fix the expression at that line"
    return BuildError(_rel(where.filename, folder) if where else "template", where.lineno if where else None,
                      f"template error: {exc}", hint, kind="template")


def _rel(name: str, folder: Path) -> str:
    path = Path(name)
    try:
        return str(Path("themes") / path.resolve().relative_to(folder.parent.parent.resolve()))
    except ValueError:
        return str(Path("themes") / folder.parent.name / "templates" / name)


_themes: dict[tuple, Theme] = {}


def theme_for(config: Config) -> Theme:
    """The theme for a build, kept between builds of one process (the dev server) while no theme file changed."""
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                         for p in config.theme_dir.rglob("*") if p.is_file()))
    key = (config.theme_dir, config.state_dir, tuple((l.code, l.locale) for l in config.languages), stamp)
    if key not in _themes:
        _themes.clear()
        _themes[key] = Theme(config)
    return _themes[key]
