"""What answers a request target: the private folder, the safe path, the file, redirect or 404 page, its type.

Path logic only, no socket: hostile targets (`..`, NUL bytes, symlinks leading out) are refused here, where
they can be tested one by one.
"""

from __future__ import annotations

import mimetypes
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}


def serve_folder(root: Path) -> Path:
    """Return the private folder the dev server builds into (never the deploy folder)."""
    return root / ".diptyque" / "serve" / "site"


def url_path(raw: str) -> str | None:
    """Turn a request target into a safe relative path ('' for the root), or None when it must be refused."""
    path = unquote(raw.split("?", 1)[0].split("#", 1)[0], errors="strict")
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return None
    segments = path.split("/")
    if any(s in ("..", ".") for s in segments) or path.startswith("//"):
        return None
    return path.lstrip("/")


def locate(folder: Path, rel: str, languages: tuple[str, ...] = ()) -> tuple[HTTPStatus, Path | None]:
    """Say what answers `rel`: a file (200), a redirect to its folder (301), the 404 page, a refusal (403)."""
    top = folder.resolve()
    try:
        found = find(top, rel)
    except OSError:  # a name longer than the file system allows, for one: there is no such page
        found = None
    return found or not_found(top, rel, languages)


def find(top: Path, rel: str) -> tuple[HTTPStatus, Path | None] | None:
    """Return the file under `top` that answers `rel` (200), a redirect (301), a refusal (403), or None."""
    target = (top / rel).resolve()
    if not target.is_relative_to(top):
        return HTTPStatus.FORBIDDEN, None  # a symlink leading outside the folder
    if target.is_dir():
        if rel and not rel.endswith("/"):
            return HTTPStatus.MOVED_PERMANENTLY, None
        target = (target / "index.html").resolve()
    if target.is_file() and target.is_relative_to(top):
        return HTTPStatus.OK, target
    return None


def not_found(top: Path, rel: str, languages: tuple[str, ...]) -> tuple[HTTPStatus, Path | None]:
    """Return the 404 page for `rel`: its language's, else the site's, else none."""
    first = rel.split("/", 1)[0]
    for page in ([top / first / "404.html"] if first in languages else []) + [top / "404.html"]:
        if page.is_file() and page.resolve().is_relative_to(top):
            return HTTPStatus.NOT_FOUND, page
    return HTTPStatus.NOT_FOUND, None


def content_type(path: Path) -> str:
    """Return the Content-Type of a file, with UTF-8 for text."""
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
