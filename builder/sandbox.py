"""The output root is a sandbox: which path words and output paths are allowed, and where a path really leads.

Every slug, key, tag id and permalink becomes part of a path under output/. A word that is empty, `.` or
`..`, that holds a separator, a character a URL or file system treats specially, or that is longer than
file systems allow could make the build write (and later delete) outside the output folder, or over a
file another page writes. These checks run where the word is read (so the error names its file and line)
and once more on every output path before anything is written.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

FORBIDDEN = set("/\\?#%\0") | {chr(code) for code in range(32)} | {"\x7f"}
MAX_WORD_BYTES = 200  # below the 255 bytes of ext4 and APFS, leaving room for a staged name
SAFE_ASCII = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@-]+")  # printable ASCII without FORBIDDEN or spaces
MAX_PATH_BYTES = 3000  # well below PATH_MAX (4096) once the output folder is prefixed
_PLAIN_WORD = r"[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9._~!$&'()*+,;=:@-]*"  # SAFE_ASCII, not starting with "."
SAFE_PATH = re.compile(rf"{_PLAIN_WORD}(?:/{_PLAIN_WORD})*")  # such words between single slashes


def word_problem(word: str) -> str | None:
    """Why `word` cannot be one segment of an output path, or None when it can."""
    if not isinstance(word, str) or not word:
        return "is empty"
    if word in (".", ".."):
        return f"is '{word}', which names a folder of the file system, not a page"
    if word.isascii() and len(word) <= MAX_WORD_BYTES and SAFE_ASCII.fullmatch(word):
        return None  # the usual slug or file name, answered at once
    bad = sorted({c for c in word if c in FORBIDDEN or c.isspace()})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        return f"contains {shown}, which a URL or a file name cannot hold"
    if len(word.encode("utf-8")) > MAX_WORD_BYTES:
        return f"is {len(word.encode('utf-8'))} bytes long; file names are limited to {MAX_WORD_BYTES}"
    if word != unicodedata.normalize("NFC", word):
        return "is not in Unicode normal form C (retype it, or let the slug come from the title)"
    return None


def path_problem(rel: str) -> str | None:
    """Why `rel` (a file path under output/, with '/' separators) is not allowed, or None."""
    if rel.isascii() and len(rel) <= MAX_WORD_BYTES and SAFE_PATH.fullmatch(rel):
        return None  # the usual path (every word short, none empty or a dot), answered at once
    if not rel or rel.startswith("/") or len(rel.encode("utf-8")) > MAX_PATH_BYTES:
        return "is empty, absolute or too long"
    for part in rel.split("/"):
        problem = word_problem(part)
        if problem:
            return f"has a part that {problem}"
    return None


def folders_needed(paths) -> dict[str, str]:
    """Every folder the output paths (with '/' separators) need, each with the first path inside it: a
    path that is also one of these folders is a file standing where another output needs a folder."""
    folders: dict[str, str] = {}
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), path)
    return folders


def inside(root: str, path: str) -> bool:
    """Whether `path`, with every symbolic link of it that exists followed, lies inside the real `root`."""
    real_root = os.path.realpath(root)
    existing = path
    while not os.path.lexists(existing):
        parent = os.path.dirname(existing)
        if parent == existing:
            break
        existing = parent
    real = os.path.realpath(existing)
    return real == real_root or real.startswith(real_root + os.sep)


def read_regular(path: Path) -> bytes:
    """A file's bytes, or OSError when a folder, FIFO, socket or device stands in its place: opened the
    usual way, a FIFO would wait for ever for a writer."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, a socket or a device)", str(path))
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(handle)


def read_text(path: Path) -> str:
    """A settings file's text (config.toml, tags.toml, urls.toml), as `read_regular` reads it, with line
    ends made "\n" as `Path.read_text` makes them; bytes that are not UTF-8 raise UnicodeDecodeError."""
    return read_regular(path).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
