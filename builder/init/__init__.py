"""`diptyque init`: a new bilingual site, ready to build with the packaged theme.

It writes `config.toml` (a comment on every key), the tag vocabulary, an about page in each language, one
sample article and its translation (with `translation_of` set), a `static/` folder with a favicon,
`.gitignore` and a short README. The options are checked and the files written here; the presets
(`builder.init.presets`) say what the site says in each language, and `builder.init.files` makes the
files' contents.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from builder.errors import BuildError, BuildFailed
from builder.init.files import site_files
from builder.init.presets import PRESETS

__all__ = ["check_folder", "check_languages", "create_site", "site_files"]


def check_languages(text: str) -> list[str]:
    """The language codes of --languages, or BuildFailed naming what is wrong."""
    codes = [code.strip() for code in text.split(",") if code.strip()]
    unknown = [code for code in codes if code not in PRESETS]
    if not codes or unknown or len(set(codes)) != len(codes):
        hint = f"give one or two of {', '.join(PRESETS)}, the default first: --languages fr,en"
        raise BuildFailed([BuildError("--languages", None, f"cannot make a site in {text!r}", hint)])
    return codes


def _refuse(folder: Path, message: str, hint: str) -> BuildFailed:
    """The failure of `diptyque init` for a folder it cannot write the site into."""
    return BuildFailed([BuildError(str(folder), None, message, hint)])


def check_folder(folder: Path, force: bool) -> None:
    """Refuse a file in place of the folder, or a folder that already holds something (unless forced)."""
    if folder.is_symlink() and not folder.exists():
        raise _refuse(
            folder,
            f"is a symbolic link to {os.readlink(folder)}, which does not exist",
            "create the folder it leads to, or give the path of a new or empty folder",
        )
    if folder.exists() and not folder.is_dir():
        raise _refuse(folder, "is a file, not a folder", "give the path of a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise _refuse(
            folder,
            "is not empty",
            "give a new or empty folder, or add --force to write the site's files "
            "over those of the same name (other files are left as they are)",
        )


def _through_link(folder: Path, rel: str) -> bool:
    """Whether the file `rel` of a new site, or a folder on its way, is a symbolic link under `folder`."""
    path = folder
    for part in Path(rel).parts:
        path = path / part
        if path.is_symlink():
            return True
    return False


def create_site(
    folder: Path,
    languages: str = "fr,en",
    title: str | None = None,
    force: bool = False,
    today: date | None = None,
) -> list[Path]:
    """Write a new site into `folder`; return the files written."""
    codes = check_languages(languages)
    check_folder(folder, force)
    files = site_files(codes, title, today or date.today())
    linked = [rel for rel in files if _through_link(folder, rel)]
    if linked:  # with --force: a link among the files to replace would have them written elsewhere
        raise BuildFailed(
            [
                BuildError(
                    str(folder / rel),
                    None,
                    "is a symbolic link (or lies in a linked folder): the site's file would be written where "
                    "it leads",
                    "remove the link, or init into another folder",
                )
                for rel in linked
            ]
        )
    written = []
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
