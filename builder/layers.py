"""The theme chain: the site's own templates and catalogs, its theme, what that theme extends, the default.

Templates, static files and message catalogs resolve child first (Pelican's layered lookup, Zola's
site-over-theme rule). A theme is a folder `themes/<name>/` of the site, or one shipped inside the
package (`builder/themes/<name>/`, the default theme among them), holding `templates/`, `static/`,
`locales/` (each optional) and an optional `theme.toml` with `extends = "<parent>"`. Every chain ends at
the packaged default theme, so a theme with only `base.html` works.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from builder.errors import BuildError, toml_line
from builder.sandbox import read_text

PACKAGE_THEMES = Path(__file__).resolve().parent / "themes"
DEFAULT = "default"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Layer:
    """One layer of the chain, child first."""

    name: str  # "site" for the site's own folders, else the theme's name (also its template prefix)
    folder: Path  # the layer's folder: the site root, or the theme's folder
    static: bool = True  # whether its static/ goes to output/static/ (the site's static/ goes to the root)

    @property
    def templates(self) -> Path:
        return self.folder / "templates"

    @property
    def locales(self) -> Path:
        return self.folder / "locales"


def theme_folder(root: Path, name: str) -> Path | None:
    """Where a theme lives: the site's themes/ first, then the package's."""
    for base in (root / "themes", PACKAGE_THEMES):
        if (base / name).is_dir():
            return base / name
    return None


def resolve(root: Path, theme: str) -> tuple[tuple[Layer, ...], list[str | BuildError]]:
    """The chain for a site and its theme, child first, and the problems found: sentences about the
    `theme` setting, or errors in a theme's own theme.toml."""
    layers, problems, name = [Layer("site", root, static=False)], [], theme
    while name is not None:
        if any(layer.name == name for layer in layers[1:]):
            problems.append(
                f"theme '{name}' extends itself (through {' → '.join(layer.name for layer in layers[1:])})"
            )
            break
        folder = theme_folder(root, name)
        if folder is None:
            problems.append(f"theme '{name}' not found in themes/ or among the packaged themes")
            break
        layers.append(Layer(name, folder))
        parent, problem = _parent(folder, root)
        if problem:
            problems.append(problem)
        name = parent if parent is not None else (DEFAULT if name != DEFAULT else None)
    return tuple(layers), problems


def _parent(folder: Path, root: Path) -> tuple[str | None, BuildError | None]:
    """The theme a theme extends, from its theme.toml; or the error in that file."""
    path = folder / "theme.toml"
    if not path.exists():
        return None, None
    shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    def problem(message: str, line: int | None = None) -> BuildError:
        hint = 'theme.toml holds extends = "<theme>", name and description; fix or remove the file'
        return BuildError(shown, line, message, hint, kind="config")

    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        return None, problem(f"cannot be read as TOML: {exc}", toml_line(exc))
    except UnicodeDecodeError as exc:
        return None, problem(f"the file is not UTF-8 ({exc.reason})")
    except OSError as exc:
        return None, problem(f"cannot be read: {exc.strerror or exc}")
    unknown = sorted(set(data) - {"extends", "name", "description"})
    if unknown:
        return None, problem(f"unknown key '{unknown[0]}' (allowed: extends, name, description)")
    parent = data.get("extends")
    if parent is not None and (not isinstance(parent, str) or not NAME.fullmatch(parent)):
        return None, problem('extends should be a theme\'s name, such as "default"')
    return parent, None


def files(layers: tuple[Layer, ...], part: str, hidden: bool = False) -> dict[str, Path]:
    """Every file under `part` ("static", "templates", "locales") of the layers, by path, child first.

    Hidden files and folders are left out unless `hidden` (a site's static/ keeps `.well-known/`).
    """
    found: dict[str, Path] = {}
    for layer in layers:
        if part == "static" and not layer.static:
            continue
        base = layer.folder / part
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                rel = path.relative_to(base).as_posix()
                if (
                    path.is_file()
                    and rel not in found
                    and (hidden or not any(p[0] == "." for p in rel.split("/")))
                ):
                    found[rel] = path
    return found


def dangling(layers: tuple[Layer, ...], root: Path) -> list[BuildError]:
    """An error for each link among the layers' templates, static files and catalogs that leads nowhere:
    the lookup would pass it by for the parent's file, and the site would silently lose its override."""
    errors = []
    for layer in layers:
        for part in ("templates", "static", "locales"):
            base = layer.folder / part
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*")):
                if path.is_symlink() and not path.exists():
                    try:
                        shown = str(path.relative_to(root))
                    except ValueError:
                        shown = str(path)
                    errors.append(
                        BuildError(
                            shown,
                            None,
                            f"a symbolic link to {path.readlink()}, which does not exist",
                            "point the link at a file, or remove it",
                            kind="template",
                        )
                    )
    return errors
