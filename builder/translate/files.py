"""Writing files whole or not at all, and the fingerprint of a translation file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

NO_FILE = "none"  # the fingerprint recorded when there is no translation yet


def fingerprint(text: str | None) -> str:
    """A short digest of a whole file, to tell whether it was edited since an export."""
    if text is None:
        return NO_FILE
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
