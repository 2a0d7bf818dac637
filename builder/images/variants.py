"""What a picture is made into: the widths, formats and qualities of its variants, the digest of those
settings, and `Picture`, the record of one processed picture and of its variants' file names.

Everything here is pure: the settings decide the names, so that a change of settings makes new files,
and both the cache folder and the output folder are named from the same record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

# Variant widths (a smaller source also keeps its own): the prose column at 1× on desktops (640 px) and on
# phones (about 665 device pixels), 2× and 3× screens, and 1200 for og:image.
WIDTHS = (400, 640, 680, 960, 1200, 1600)
QUALITY = {
    "avif": {"quality": 55, "speed": 8},
    "webp": {"quality": 80, "method": 4},
    "jpg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"compress_level": 9},
}
MAX_PIXELS = 60_000_000  # past this a picture is refused before its pixels are read (8000 × 7500)
COPIED = {"GIF": "gif"}  # formats copied as they are (animations kept); SVG is recognised by its text
AS_IS = ("gif", "svg")  # the extensions of the pictures copied as they are, with no variant


def modern_formats() -> tuple[str, ...]:
    """The formats served before the fallback: AVIF when this Pillow can write it, then WebP."""
    from PIL import features

    return tuple(name for name in ("avif", "webp") if features.check(name))


def settings() -> str:
    """A short digest of everything that shapes the variants: widths, qualities, formats, Pillow's version."""
    import PIL

    text = json.dumps([WIDTHS, QUALITY, modern_formats(), MAX_PIXELS, PIL.__version__, 3], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def variant_widths(width: int) -> list[int]:
    """The widths to make of a source this wide: those of WIDTHS below it, and its own up to the largest."""
    return [w for w in WIDTHS if w < min(width, WIDTHS[-1])] + [min(width, WIDTHS[-1])]


def stored(ext: str, widths, formats) -> list[tuple[str, int | None, str]]:
    """Every variant as (format, width, file name in the cache folder); a copied file has no width."""
    if ext in AS_IS:
        return [(ext, None, f"source.{ext}")]
    return [(e, w, f"{w}.{e}") for e in (*formats, ext) for w in widths]


@dataclass(frozen=True)
class Picture:
    """One picture as processed: its variants' widths and heights, their formats, the name they share."""

    path: str  # the source file, under content/
    name: str  # the hash in the variants' file names (content digest and settings)
    ext: str  # format of the fallback variant (jpg, png), or of the copied file (gif, svg)
    widths: tuple[int, ...]  # variant widths, smallest first (one for a copied file)
    heights: tuple[int, ...]  # the height of each variant
    formats: tuple[str, ...] = ()  # the formats served before the fallback (avif, webp); none for a copy

    @property
    def copied(self) -> bool:
        """Whether the file is copied as it is (GIF, SVG), with no variant."""
        return self.ext in AS_IS

    @property
    def width(self) -> int:
        """The width of the widest variant."""
        return self.widths[-1]

    @property
    def height(self) -> int:
        """The height of the widest variant."""
        return self.heights[-1]

    def file(self, ext: str, width: int | None) -> str:
        """The output path of one variant."""
        return f"img/{self.name}.{ext}" if self.copied else f"img/{self.name}-{width}.{ext}"

    def files(self) -> list[tuple[str, str]]:
        """Every variant as (output path, file name in the cache folder)."""
        return [
            (self.file(ext, width), name) for ext, width, name in stored(self.ext, self.widths, self.formats)
        ]

    def srcset(self, prefix: str, ext: str) -> str:
        """A srcset attribute's value for one format."""
        return ", ".join(f"{prefix}{self.file(ext, w)} {w}w" for w in self.widths)

    def fallback(self, near: int = 800) -> int:
        """The index of the fallback variant an `<img src>` names: the widest not past `near`."""
        fitting = [i for i, w in enumerate(self.widths) if w <= near]
        return fitting[-1] if fitting else 0


def picture(path: str, digest: str, info: dict) -> Picture:
    """The Picture a cache folder's description stands for."""
    name = hashlib.sha256(f"{digest}-{settings()}".encode()).hexdigest()[:16]
    return Picture(
        path, name, info["ext"], tuple(info["widths"]), tuple(info["heights"]), tuple(info["formats"])
    )
