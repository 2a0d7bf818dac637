"""Processing one picture into its cache folder: EXIF orientation applied, colours converted to sRGB,
every piece of metadata dropped, a few widths never wider than the source, each saved in AVIF, WebP and
its original format; SVG and GIF files are copied as they are.

`process` runs in worker processes too: it takes and returns plain values, and a picture it cannot
use comes back as {"error": …, "hint": …} rather than as an exception.
"""

from __future__ import annotations

import io
import os
import re
import warnings

from builder.images.cache import describe, fill, save_info
from builder.images.sources import attributes
from builder.images.variants import COPIED, MAX_PIXELS, QUALITY, WIDTHS, modern_formats, variant_widths

SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
RASTER_MAGIC = (b"\xff\xd8", b"\x89PNG", b"GIF8", b"RIFF")
PIL_FORMAT = {"avif": "AVIF", "webp": "WEBP", "jpg": "JPEG", "png": "PNG"}


ORIENTATION = 0x0112  # the EXIF tag


def _srgb(image):
    """The image in sRGB: converted from its embedded colour profile, when it has a usable one."""
    from PIL import ImageCms

    icc = image.info.get("icc_profile")
    if not icc:
        return image
    mode = "RGBA" if "A" in image.mode else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels are taken as sRGB


def _plain(image):
    """RGB, or RGBA when the picture has transparency: the modes every encoder takes."""
    alpha = "A" in image.mode or "transparency" in image.info
    if image.mode.startswith(("I", "F")):  # 16-bit or float grey: brought to 8 bits
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGBA" if alpha else "RGB")


def _svg_size(data: bytes) -> tuple[int, int] | str:
    """An SVG's size from its width and height, else its viewBox; or what is wrong with it."""
    tag = SVG_TAG.search(data[:65536])
    found = attributes(tag[0].decode("utf-8", "replace").replace("<svg", "<img", 1))
    sizes = [re.fullmatch(r"\s*([\d.]+)\s*(?:px)?\s*", found.get(k) or "") for k in ("width", "height")]
    box = (found.get("viewbox") or "").replace(",", " ").split()
    try:
        width, height = (float(m[1]) for m in sizes) if all(sizes) else (float(box[2]), float(box[3]))
    except (IndexError, ValueError):
        return "has neither width and height in pixels nor a viewBox: its size is unknown"
    if width <= 0 or height <= 0:
        return "has a size of zero"
    return max(1, round(width)), max(1, round(height))


def process(source: str, folder: str) -> dict:
    """Make a picture's variants into `folder`; return what they are, or {"error": …, "hint": …}."""
    from PIL import Image, UnidentifiedImageError

    try:
        with open(source, "rb") as handle:
            data = handle.read()
        if SVG_TAG.search(data[:4096]) and not data.startswith(RASTER_MAGIC):
            size = _svg_size(data)
            if isinstance(size, str):
                return {"error": f"{size}", "hint": "give the <svg> element a viewBox, or fix the file"}
            return _copy(folder, "svg", size, data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            return _too_big(image.width, image.height)
        if image.format in COPIED:
            return _copy(folder, COPIED[image.format], image.size, data)
        _reduce(image)
        image.load()
        return _variants(image, folder)
    except Image.DecompressionBombError as exc:
        sizes = re.findall(r"\d+", str(exc))
        return _too_big(int(sizes[0]), 1) if sizes else {"error": "is too large", "hint": "resize it"}
    except UnidentifiedImageError:
        return {
            "error": "is not an image (or not in a format Pillow reads)",
            "hint": "export it as JPEG, PNG, WebP, GIF or SVG",
        }
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return {
            "error": f"cannot be read: it is damaged or cut short ({exc})",
            "hint": "export the picture again",
        }


def _reduce(image) -> None:
    """Have a large JPEG decoded at a half, quarter or eighth of its size when still wider than the widest
    variant once turned upright: a 4000-pixel photo then takes a third less time and memory."""
    if image.format != "JPEG":
        return
    turned = image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)  # a quarter turn: height becomes width
    width, height = image.size[::-1] if turned else image.size
    if width >= 2 * WIDTHS[-1]:
        wanted = (WIDTHS[-1], -(-height * WIDTHS[-1] // width))  # upright, rounded up
        image.draft(image.mode, wanted[::-1] if turned else wanted)


def _copy(folder: str, ext: str, size: tuple[int, int], data: bytes) -> dict:
    """Keep a picture served as it is (SVG, GIF) in its cache folder; return its description."""
    info = describe(ext, [size[0]], [size[1]], ())
    fill(folder, lambda temp: save_info(temp, info, data))
    return info


def _too_big(width: int, height: int) -> dict:
    """The error for a picture past MAX_PIXELS (`height` 1 when only its pixel count is known)."""
    shown = f"{width} × {height} pixels" if height > 1 else f"{width} pixels"
    return {
        "error": f"is too large to process ({shown}; the limit is {MAX_PIXELS:,} pixels)",
        "hint": f"resize it to at most {WIDTHS[-1] * 2} pixels wide before adding it",
    }


def _variants(image, folder: str) -> dict:
    """Orient, convert and resize a raster picture, then save every variant; return their description."""
    from PIL import Image, ImageOps

    source_format = image.format
    image = _plain(_srgb(ImageOps.exif_transpose(image)))
    fallback = "png" if source_format == "PNG" or image.mode == "RGBA" else "jpg"
    image.info.clear()  # EXIF, GPS, XMP, comments and profiles stay behind
    formats = modern_formats()
    widths = variant_widths(image.width)
    heights = [max(1, round(image.height * w / image.width)) for w in widths]
    info = describe(fallback, widths, heights, formats)

    def make(temp: str) -> None:
        """Save every variant into `temp`, widest first, each resized from the one before."""
        current = image
        for width, height in sorted(zip(widths, heights, strict=True), reverse=True):
            if (width, height) != current.size:
                current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            current.info.clear()
            for ext in (*formats, fallback):
                target = current.convert("RGB") if ext == "jpg" else current
                target.save(os.path.join(temp, f"{width}.{ext}"), PIL_FORMAT[ext], **QUALITY[ext])
        save_info(temp, info, None)

    fill(folder, make)
    return info
