"""A theme chain ready to render: a strict, autoescaped Jinja2 environment per language, with catalogs."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2

from builder.assets import RECORD, Assets
from builder.catalogs import catalog_problems
from builder.config import Config
from builder.environment import Environment, bounded_range, gettext_callables, loader
from builder.errors import BuildError, ErrorKind, not_utf8
from builder.fragments import FragmentCache
from builder.i18n import catalog_path, translations, typography
from builder.layers import dangling, files


def merged_translations(layers, lang: str, locale: str, root: Path):
    """One language's catalog: each layer's, the child's entries over the parent's (errors name the files
    relative to the site at `root`)."""
    from babel.support import Translations

    def load(folder: Path):
        return translations(folder, lang, locale, display_path(catalog_path(folder, lang), root))

    found = [load(layer.folder) for layer in reversed(layers) if catalog_path(layer.folder, lang).exists()]
    if not found:
        return load(layers[-1].folder)  # the error naming the missing catalog
    errors = [t for t in found if isinstance(t, BuildError)]
    if errors or len(found) == 1:
        return errors[0] if errors else found[0]
    merged = Translations()
    for catalog in found:
        merged.merge(catalog)
    merged.plural = found[0].plural
    return merged


class Theme:
    """One Jinja2 environment per language over the theme chain's templates."""

    def __init__(self, config: Config):
        self.config, self.layers = config, config.layers
        self.folder = config.theme_dir / "templates"
        self.errors: list[BuildError] = []
        self.envs: dict[str, jinja2.Environment] = {}
        self.assets = Assets(config)
        self.loader = loader(self.layers)
        # compiled templates, checked against their source
        cache_dir, bytecode = config.state_dir / "templates", None
        if os.path.lexists(cache_dir) and not cache_dir.is_dir():
            self.errors.append(
                BuildError(
                    display_path(cache_dir, config.root),
                    None,
                    "a file stands where the build keeps its compiled templates",
                    "remove it: the build makes a folder there",
                    kind=ErrorKind.OUTPUT,
                )
            )
        else:
            cache_dir.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir))
        for language in config.languages:
            env = Environment(
                loader=self.loader,
                autoescape=jinja2.select_autoescape(("html", "xml")),
                bytecode_cache=bytecode,
                auto_reload=False,  # theme_for renews it on change
                cache_size=-1,  # a dict, not Jinja's locked LRU: every include and import looks a template up
                undefined=jinja2.StrictUndefined,
                extensions=["jinja2.ext.i18n", FragmentCache],
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )
            for layer in self.layers:
                path = catalog_path(layer.folder, language.code)
                if path.exists():
                    self.errors += catalog_problems(path, language.locale, display_path(path, config.root))
            found = merged_translations(self.layers, language.code, language.locale, config.root)
            if isinstance(found, BuildError):
                self.errors.append(found)
                env.install_null_translations(newstyle=True)
            else:
                env.install_gettext_callables(found.gettext, found.ngettext, newstyle=True)
                env.globals.update(gettext_callables(found))
            env.globals["_"] = env.globals["gettext"]  # skip the alias's lookup: no context overrides it
            env.globals["range"] = bounded_range
            env.globals["asset"] = self.asset
            env.filters["typo"] = lambda text, lang=language.code: typography(text, lang)
            self.envs[language.code] = env
        self._sources: dict[str, str] = {}
        self._catalogs: dict[str, str] = {}
        self._digest: str | None = None

    def begin(self) -> None:
        """Start a build's rendering: no `{% cache %}` fragment of an earlier build is reused."""
        for env in self.envs.values():
            env.extensions[FragmentCache.identifier].forget()

    def preload(self) -> None:
        """Compile every template now, in each language: forked workers then inherit them compiled.

        The bytecode cache is shared, so the second language loads what the first compiled. A template
        that fails to compile is left for `render` to report with its page.
        """
        for env in self.envs.values():
            for name in env.list_templates():
                try:
                    env.get_template(name)
                except (jinja2.TemplateError, UnicodeDecodeError):
                    pass

    @jinja2.pass_environment
    def asset(self, env, name: str) -> str:
        """`asset('style.css')` in a template: the URL of the file's hashed copy, recorded for the page."""
        url = self.assets.url(name)
        if env.recorded is not None:
            env.recorded.add(RECORD + name)
        return url

    def source_digest(self, name: str) -> str:
        """Digest of the template a name resolves to in the chain (which file, and its text), or "missing";
        for an asset a page links (`asset:style.css`), its hashed name."""
        if name not in self._sources:
            if name.startswith(RECORD):
                self._sources[name] = self.assets.digest(name[len(RECORD) :])
                return self._sources[name]
            try:
                source, filename, _ = self.loader.get_source(self.envs[self.config.codes[0]], name)
                self._sources[name] = hashlib.sha256(f"{filename}\0{source}".encode()).hexdigest()[:16]
            except jinja2.TemplateNotFound:
                self._sources[name] = "missing"
            except (OSError, UnicodeDecodeError):
                self._sources[name] = "unreadable"
        return self._sources[name]

    def catalog_digest(self, lang: str) -> str:
        """Digest of every layer's catalog of a language: what gettext gives a page."""
        if lang not in self._catalogs:
            digest = hashlib.sha256()
            for layer in self.layers:
                path = catalog_path(layer.folder, lang)
                digest.update(path.read_bytes() if path.exists() else b"-")
            self._catalogs[lang] = digest.hexdigest()[:16]
        return self._catalogs[lang]

    def render(self, lang: str, name: str, context) -> tuple[str, tuple[str, ...]]:
        """Render a template; return the text and every template name the render asked for."""
        env = self.envs[lang]
        env.recorded = {name}
        try:
            return env.get_template(name).render(**context), tuple(sorted(env.recorded))
        finally:
            env.recorded = None

    def digest(self) -> str:
        """Digest of every file of the chain: templates, static files (with the site's static/static/, which
        wins) and catalogs (computed once).

        Templates and catalogs that are not UTF-8 are found here, and reported in `errors`.
        """
        if self._digest is None:
            self.errors += dangling(self.layers, self.config.root)  # links the lookups pass by
            digest = hashlib.sha256()
            for part in ("templates", "static", "locales"):
                found = self.assets.sources if part == "static" else files(self.layers, part)
                for rel, path in sorted(found.items()):
                    data = path.read_bytes()
                    digest.update(f"{part}/{rel}\0{path}\0".encode() + data)
                    if path.suffix in (".html", ".xml", ".txt", ".po"):
                        self._check_text(path, data)
            self._digest = digest.hexdigest()[:16]
        return self._digest

    def _check_text(self, path: Path, data: bytes) -> None:
        error = not_utf8(data, display_path(path, self.config.root))
        if error is not None and error not in self.errors:  # a catalog's may be there from its loading
            self.errors.append(error)


def display_path(path: Path, root: Path) -> str:
    """A path for messages: relative to the site when inside it, else absolute."""
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def template_error(exc: Exception, root: Path) -> BuildError:
    """Turn a Jinja error into a BuildError naming the template and line."""
    import traceback

    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "?"
        return BuildError(
            display_path(Path(name), root),
            exc.lineno,
            f"template syntax error: {exc.message}",
            "fix the tag at that line ({% … %}, {{ … }} must be closed)",
            kind="template",
        )
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))
    ]
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
    return BuildError(
        display_path(Path(where.filename), root) if where else "template",
        where.lineno if where else None,
        f"template error: {exc}",
        hint,
        kind="template",
    )


_themes: dict[tuple, Theme] = {}


def theme_for(config: Config) -> Theme:
    """The theme for a build, kept between builds of one process (serve) while no theme file changed."""
    stamp = tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size)
        for part in ("templates", "locales")
        for p in files(config.layers, part).values()
    ) + Assets(config).stamp() + tuple(dangling(config.layers, config.root))
    key = (
        config.layers,
        config.state_dir,
        tuple((lang.code, lang.locale) for lang in config.languages),
        stamp,
    )
    if key not in _themes:
        _themes.clear()
        _themes[key] = Theme(config)
    return _themes[key]
