"""Content-hashed names for the files under output/static/: what `asset()` gives templates.

Every file the build writes under `static/` (the theme chain's `static/` folders, and a site's own
`static/static/`, which wins) is also written under a name that carries a digest of its bytes,
`static/style.<hash>.css`, so hosts may cache it for a year: a new content is a new name. Templates link
it with `{{ asset('style.css') }}`, the hashed root-relative URL. The plain name is written too, for
templates that link it by hand and for a script that imports another file of the theme by a relative URL.

A page records each asset it links among the templates it loaded (as `asset:<name>`), so its fingerprint
holds the asset's digest: a changed stylesheet renders again exactly the pages that link it.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path

from builder.config import Config
from builder.layers import Layer, files

FOLDER = "static/"  # the theme's files under output/
DIGITS = 12  # hex digits of the digest in a hashed name
RECORD = "asset:"  # prefix of an asset among the names a render recorded
HASHED = rf"\.[0-9a-f]{{{DIGITS}}}\."  # what a hashed name has before its extension, for server configs


def static_sources(config: Config) -> dict[str, Path]:
    """The static files of the output (path under output/ -> source): the theme chain's, then the site's."""
    sources = {f"{FOLDER}{rel}": path for rel, path in files(config.layers, "static").items()}
    site_static = config.root / "static"
    if site_static.is_dir():
        sources.update(files((Layer("site", config.root),), "static", hidden=True))
    return sources


def hashed_path(rel: str, data: bytes) -> str:
    """The hashed name of an output: `static/style.css` -> `static/style.<digest>.css`."""
    folder, name = posixpath.split(rel)
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:DIGITS]
    hashed = f"{stem}.{digest}.{ext}" if dot and stem else f"{name}.{digest}"
    return posixpath.join(folder, hashed)


class UnknownAsset(LookupError):
    """A template asked for an asset the theme chain does not have."""


class Assets:
    """The files under output/static/ by name, each read and hashed once, on first use."""

    def __init__(self, config: Config):
        self.config = config
        self.sources = {
            rel[len(FOLDER) :]: path for rel, path in static_sources(config).items() if rel.startswith(FOLDER)
        }
        self._paths: dict[str, str] = {}

    def path(self, name: str) -> str:
        """The hashed output path of `static/<name>`; UnknownAsset when the chain has no such file."""
        if name not in self._paths:
            source = self.sources.get(name.lstrip("/"))
            if source is None:
                raise UnknownAsset(
                    f"asset('{name}'): no file static/{name} in the theme chain; put it in a theme's "
                    f"static/ folder (or the site's static/static/), or fix the name"
                )
            self._paths[name] = hashed_path(FOLDER + name.lstrip("/"), source.read_bytes())
        return self._paths[name]

    def url(self, name: str) -> str:
        """The root-relative URL of an asset's hashed file ("/static/style.<digest>.css")."""
        return self.config.base_path + self.path(name)

    def digest(self, name: str) -> str:
        """What a page that links the asset depends on: its hashed path, or "missing"."""
        try:
            return self.path(name)
        except (UnknownAsset, OSError):
            return "missing"

    def stamp(self) -> tuple:
        """Which files the assets are, with their sizes and times: a changed one calls for a new theme."""
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in self.sources.values())
