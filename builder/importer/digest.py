"""The import digest: a fingerprint of all the importer wrote, so a change anywhere counts as an edit."""

from __future__ import annotations

import hashlib

from builder.frontmatter import FENCE, Parsed, body_digest

FIELD = "import_digest"
UNEDITED, EARLIER, EDITED, MISSING = "unedited", "earlier", "edited", "missing"


def _without_digest(text: str) -> str:
    """The text with the front matter's import_digest line taken out."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return text
    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() == FENCE), len(lines))
    kept = [
        line for index, line in enumerate(lines) if not (0 < index < end and line.startswith(f"{FIELD}:"))
    ]
    return "\n".join(kept)


def text_digest(text: str) -> str:
    """Fingerprint a whole article file, front matter and body, all but its import_digest line."""
    return hashlib.sha256(_without_digest(text).encode("utf-8")).hexdigest()[:16]


def state(text: str, parsed: Parsed) -> str:
    """How a file stands against its import_digest: UNEDITED, EARLIER (written by the previous importer,
    whose digest covered the body only, and body not edited since), EDITED, or MISSING (no digest)."""
    stored = parsed.meta.get(FIELD)
    if stored is None:
        return MISSING
    if str(stored) == text_digest(text):
        return UNEDITED
    if str(stored) == body_digest(parsed.body):
        return EARLIER
    return EDITED
