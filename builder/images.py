"""Pictures beside articles: found and checked, resized into AVIF, WebP and original-format variants, cached
by content, and marked up as `<picture>`.

A picture lives next to the article that shows it, shared by every language version: in
`content/posts/<key>/` (a folder named like the article's key) or in `content/posts/` itself. Both the
French and the English file write `![…](photo.jpg)` with their own alt text; front matter
`image: {src: photo.jpg, alt: "…", caption: "…"}` names the article's hero picture.

Each picture is processed once per content and settings (EXIF orientation applied, colours converted to
sRGB, every piece of metadata dropped, a few widths never wider than the source) into the state folder,
`.diptyque/images/<digest>-<settings>/`, and its variants are staged from there as `img/<hash>-<width>.<ext>`:
the hash changes with the content, so hosts may cache the files forever. SVG and GIF files are copied as
they are.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import os
import re
import shutil
import warnings
from dataclasses import dataclass, replace
from html import escape, unescape
from typing import Iterable, Mapping
from urllib.parse import unquote

from builder.config import Config
from builder.discover import NAME, nfc
from builder.errors import BuildError
from builder.frontmatter import field_line
from builder.i18n import typography
from builder.model import Document, Site
from builder.parallel import pool, workers
from builder.sandbox import inside

WIDTHS = (400, 800, 1200, 1600)  # variant widths; a smaller source also keeps its own width
QUALITY = {
    "avif": {"quality": 55, "speed": 8},
    "webp": {"quality": 80, "method": 4},
    "jpg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"compress_level": 9},
}
MAX_PIXELS = 60_000_000  # past this a picture is refused before its pixels are read (8000 × 7500)
SIZES = "(min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)"  # the prose column of the default theme
COPIED = {"GIF": "gif"}  # formats copied as they are (animations kept); SVG is recognised by its text
PARALLEL_IMAGES = 3  # from this many pictures to process, workers share them
MIME = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
ALONE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>", re.IGNORECASE)
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/)")
SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
RASTER_MAGIC = (b"\xff\xd8", b"\x89PNG", b"GIF8", b"RIFF")


def modern_formats() -> tuple[str, ...]:
    """The formats served before the fallback: AVIF when this Pillow can write it, then WebP."""
    from PIL import features

    return tuple(name for name in ("avif", "webp") if features.check(name))


def settings() -> str:
    """A short digest of everything that shapes the variants: widths, qualities, formats, Pillow's version."""
    import PIL

    text = json.dumps([WIDTHS, QUALITY, modern_formats(), MAX_PIXELS, PIL.__version__, 2], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


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
        return self.ext in ("gif", "svg")

    @property
    def width(self) -> int:
        return self.widths[-1]

    @property
    def height(self) -> int:
        return self.heights[-1]

    def file(self, ext: str, width: int) -> str:
        """The output path of one variant."""
        return f"img/{self.name}.{ext}" if self.copied else f"img/{self.name}-{width}.{ext}"

    def files(self) -> list[tuple[str, str]]:
        """Every variant as (output path, file name in the cache folder)."""
        if self.copied:
            return [(self.file(self.ext, self.width), f"source.{self.ext}")]
        return [(self.file(ext, w), f"{w}.{ext}") for ext in (*self.formats, self.ext) for w in self.widths]

    def srcset(self, prefix: str, ext: str) -> str:
        """A srcset attribute's value for one format."""
        return ", ".join(f"{prefix}{self.file(ext, w)} {w}w" for w in self.widths)

    def fallback(self, near: int = 800) -> int:
        """The index of the fallback variant an `<img src>` names: the widest not past `near`."""
        fitting = [i for i, w in enumerate(self.widths) if w <= near]
        return fitting[-1] if fitting else 0


# Finding the pictures an article shows


def attributes(tag: str) -> dict[str, str | None]:
    """The attributes of one HTML start tag, unescaped."""
    found = {}
    for match in ATTR.finditer(tag[4:-1].rstrip("/")):
        value = next((v for v in match.groups()[1:] if v is not None), "")  # a bare attribute is empty
        found.setdefault(match[1].lower(), unescape(value))
    return found


def local(src: str | None) -> bool:
    """Whether an image source names a file beside the article (no scheme, host or site path)."""
    return bool(src) and not EXTERNAL.match(src)


def folders(doc_path: str, key: str) -> list[str]:
    """Where a picture of an article may be: its key's folder, then the article's own folder."""
    folder = os.path.dirname(doc_path)
    match = NAME.match(nfc(os.path.basename(doc_path)))
    keys = dict.fromkeys(k for k in (match["key"] if match else None, key) if k)
    return [f"{folder}/{k}" for k in keys] + [folder]


def locate(doc_path: str, key: str, src: str, assets: Mapping[str, str]) -> str | None:
    """The asset a picture's source names, looked for in the article's key folder, then beside it."""
    path = nfc(unquote(src.split("#", 1)[0].split("?", 1)[0]))
    if not path or ".." in path.split("/"):
        return None
    for folder in folders(doc_path, key):
        candidate = os.path.normpath(f"{folder}/{path}")
        if candidate in assets:
            return candidate
    return None


def canonical(doc: Document, assets: Mapping[str, str]) -> Document:
    """The document with each picture's source written relative to its folder (`key/photo.jpg`), so link
    checks and views find the file wherever of the two places it is."""
    html = doc.body.html
    if "<img" not in html:
        return doc
    folder = os.path.dirname(doc.path)

    def rewrite(match: re.Match) -> str:
        tag = match[0]
        src = attributes(tag).get("src")
        found = locate(doc.path, doc.key, src, assets) if local(src) else None
        if found is None:
            return tag
        written = escape(os.path.relpath(found, folder), quote=True)
        return re.sub(r"""\ssrc\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", f' src="{written}"', tag, count=1)

    moved = IMG.sub(rewrite, html)
    return doc if moved == html else replace(doc, body=replace(doc.body, html=moved))


@dataclass(frozen=True)
class Use:
    """One place a picture is shown: the document, what it wrote, and whether it is the hero."""

    doc: Document
    src: str  # as written (in the body or in image.src)
    hero: bool


def uses(doc: Document) -> Iterable[tuple[Use, dict]]:
    """Every picture of a document beside it: the hero first, then the body's, with their attributes."""
    if doc.image_src:
        yield Use(doc, doc.image_src, True), {"alt": doc.image_alt}
    if "<img" in doc.body.html:
        for match in IMG.finditer(doc.body.html):
            found = attributes(match[0])
            if local(found.get("src")):
                yield Use(doc, found["src"], False), found


def _source_text(config: Config, path: str) -> str:
    try:
        return (config.root / path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def line_of(config: Config, use: Use) -> int | None:
    """The line of the source that names a picture (front matter image: for the hero)."""
    text = _source_text(config, use.doc.path)
    if use.hero:
        return field_line(text, "image")
    for name in written(use):
        for pattern in (f"]({name}", f'"{name}"', f"'{name}'", name):
            for number, line in enumerate(text.split("\n"), start=1):
                if pattern in line:
                    return number
    return None


def written(use: Use) -> list[str]:
    """The ways the source may write a picture's name: as the body has it, then without its folders
    (`canonical` put the key's folder before a name written bare)."""
    parts = use.src.split("/")
    return [use.src] + ["/".join(parts[i:]) for i in range(1, len(parts))]


def _nearest(use: Use, assets: Mapping[str, str]) -> str:
    """A hint naming the file nearest to a missing picture's name."""
    names = set()
    for folder in folders(use.doc.path, use.doc.key):  # as the article would write them
        names.update(os.path.relpath(path, folder) for path in assets if path.startswith(folder + "/"))
    close = difflib.get_close_matches(use.src, sorted(names), n=1, cutoff=0.4)
    if close:
        return f"did you mean {close[0]}?"
    return (
        f"put the file in {folders(use.doc.path, use.doc.key)[0]}/ or beside the article, "
        "and write its name as the source"
    )


def problem(use: Use, assets: Mapping[str, str], config: Config) -> tuple[str | None, BuildError | None]:
    """The asset a use shows, or the error saying why it cannot be shown."""
    where = "image.src" if use.hero else "picture"
    path = unquote(use.src.split("#", 1)[0].split("?", 1)[0])
    if ".." in path.replace("\\", "/").split("/"):
        return None, BuildError(
            use.doc.path,
            line_of(config, use),
            f"the {where} {use.src} goes up a folder ('..')",
            "put the picture beside the article (or in its key's folder), write its name",
        )
    found = locate(use.doc.path, use.doc.key, use.src, assets)
    if found is None:
        return None, BuildError(
            use.doc.path, line_of(config, use), f"the {where} {use.src} does not exist", _nearest(use, assets)
        )
    if not inside(str(config.root), str(config.root / found)):
        return None, BuildError(
            use.doc.path,
            line_of(config, use),
            f"the {where} {found} is a symbolic link leading outside the site",
            "copy the picture into the site instead of linking to it",
        )
    return found, None


def _alt_warning(use: Use, found: dict, config: Config) -> str | None:
    """A warning for a picture with no alt text (alt="" in HTML or front matter marks it decorative)."""
    alt = found.get("alt")
    if alt:
        return None
    line = line_of(config, use)
    if use.hero:
        if alt == "":
            return None
        hint = 'add alt: "…" to image (alt: "" marks a decorative picture)'
    elif alt is None or any(f"![]({name}" in _source_text(config, use.doc.path) for name in written(use)):
        hint = (
            "write what it shows between the brackets, ![Une photo](photo.jpg); "
            '<img alt=""> marks it decorative'
        )
    else:
        return None
    where = f"{use.doc.path}:{line}" if line else use.doc.path
    return f"{where}: the picture {use.src} has no alt text; {hint}"


# Processing


def cache_folder(config: Config, digest: str) -> str:
    """Where the variants of one content digest are kept between builds."""
    return os.path.join(config.state_dir, "images", f"{digest}-{settings()}")


def variant_widths(width: int) -> list[int]:
    """The widths to make of a source this wide: those of WIDTHS below it, and its own up to the largest."""
    return [w for w in WIDTHS if w < min(width, WIDTHS[-1])] + [min(width, WIDTHS[-1])]


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


def _write(folder: str, make) -> None:
    """Fill a cache folder through a temporary one renamed at the end: a folder that exists is complete."""
    temp = f"{folder}.tmp-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    os.makedirs(temp)
    try:
        make(temp)
        try:
            os.rename(temp, folder)
        except OSError:  # made meanwhile by another build: the same bytes
            shutil.rmtree(temp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


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
            _write(folder, lambda temp: _save_info(temp, "svg", [size[0]], [size[1]], (), data))
            return {"ext": "svg", "widths": [size[0]], "heights": [size[1]], "formats": []}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            return _too_big(image.width, image.height)
        if image.format in COPIED:
            ext = COPIED[image.format]
            _write(folder, lambda temp: _save_info(temp, ext, [image.width], [image.height], (), data))
            return {"ext": ext, "widths": [image.width], "heights": [image.height], "formats": []}
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


def _too_big(width: int, height: int) -> dict:
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

    def make(temp: str) -> None:
        current = image
        for width, height in sorted(zip(widths, heights, strict=True), reverse=True):
            if (width, height) != current.size:
                current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            current.info.clear()
            for ext in (*formats, fallback):
                target = current.convert("RGB") if ext == "jpg" else current
                target.save(os.path.join(temp, f"{width}.{ext}"), _PIL_FORMAT[ext], **QUALITY[ext])
        _save_info(temp, fallback, widths, heights, formats, None)

    _write(folder, make)
    return {"ext": fallback, "widths": widths, "heights": heights, "formats": list(formats)}


_PIL_FORMAT = {"avif": "AVIF", "webp": "WEBP", "jpg": "JPEG", "png": "PNG"}


def _save_info(temp: str, ext: str, widths, heights, formats, data: bytes | None) -> None:
    if data is not None:
        with open(os.path.join(temp, f"source.{ext}"), "wb") as handle:
            handle.write(data)
    info = {"ext": ext, "widths": list(widths), "heights": list(heights), "formats": list(formats)}
    with open(os.path.join(temp, "info.json"), "w", encoding="utf-8") as handle:
        json.dump(info, handle)


_KNOWN: dict[str, dict] = {}  # cache folder -> its info.json, for the processes that build again (serve)


def cached(folder: str) -> dict | None:
    """The description of a cache folder's variants, when they are all there (each file is looked for: a
    state folder may have been removed since this process last read it)."""
    try:
        info = _KNOWN.get(folder)
        if info is None:
            with open(os.path.join(folder, "info.json"), encoding="utf-8") as handle:
                info = json.load(handle)
        names = (
            [f"source.{info['ext']}"]
            if info["ext"] in ("gif", "svg")
            else [f"{w}.{e}" for e in (*info["formats"], info["ext"]) for w in info["widths"]]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(os.path.isfile(os.path.join(folder, name)) for name in names):
        return None
    _KNOWN[folder] = info
    return info


def _process_all(jobs: list[tuple[str, str]]) -> list[dict]:
    """Process pictures, in worker processes when there are several."""
    count = workers()
    if len(jobs) >= PARALLEL_IMAGES and count > 1:
        with pool(min(count, len(jobs))) as executor:
            return list(executor.map(process, *zip(*jobs, strict=True)))
    return [process(source, folder) for source, folder in jobs]


def picture(path: str, digest: str, info: dict) -> Picture:
    """The Picture a cache folder's description stands for."""
    name = hashlib.sha256(f"{digest}-{settings()}".encode()).hexdigest()[:16]
    return Picture(
        path, name, info["ext"], tuple(info["widths"]), tuple(info["heights"]), tuple(info["formats"])
    )


def attach(site: Site, config: Config, warnings_: list[str]) -> tuple[Site, list[BuildError]]:
    """Check every picture the published documents show, process those the cache lacks, and put them on
    the Site (`site.pictures`); a picture that is missing, unsafe or unreadable is an error with its line."""
    docs = [doc for versions in site.translations.values() for doc in versions.values()]
    errors, first, pictures = [], {}, {}
    for doc in sorted(docs, key=lambda d: d.path):
        for use, found in uses(doc):
            asset, error = problem(use, site.assets, config)
            if error:
                errors.append(error)
                continue
            first.setdefault(asset, use)
            warning = _alt_warning(use, found, config)
            if warning:
                warnings_.append(warning)
    todo = []
    for asset in sorted(first):
        folder = cache_folder(config, site.assets[asset])
        info = cached(folder)
        if info is None:
            todo.append((asset, folder))
        else:
            pictures[asset] = picture(asset, site.assets[asset], info)
    results = _process_all([(str(config.root / asset), folder) for asset, folder in todo])
    for (asset, folder), info in zip(todo, results, strict=True):
        if "error" in info:
            use = first[asset]
            errors.append(
                BuildError(
                    use.doc.path, line_of(config, use), f"the picture {asset} {info['error']}", info["hint"]
                )
            )
        else:
            _KNOWN[folder] = info
            pictures[asset] = picture(asset, site.assets[asset], info)
    return replace(site, pictures=pictures), list(dict.fromkeys(errors))


def digests(docs: dict[str, str], site: Site) -> dict[str, str]:
    """Each document's digest with those of the pictures it shows, so a changed picture reshapes its pages."""
    if not site.pictures:
        return docs
    shown = {}
    for versions in site.translations.values():
        for doc in versions.values():
            names = sorted({p.name for p in _shown(doc, site.pictures)})
            if names:
                shown[f"{doc.kind}:{doc.key}:{doc.lang}"] = ",".join(names)
    return {ref: f"{digest}:img:{shown[ref]}" if ref in shown else digest for ref, digest in docs.items()}


def _shown(doc: Document, pictures: Mapping[str, Picture]) -> list[Picture]:
    found = []
    for use, _ in uses(doc):
        asset = locate(doc.path, doc.key, use.src, pictures)
        if asset:
            found.append(pictures[asset])
    return found


# Markup


def hero(doc: Document, pictures: Mapping[str, Picture], prefix: str) -> dict | None:
    """The hero picture of a document as templates use it, or None."""
    if not doc.image_src:
        return None
    asset = locate(doc.path, doc.key, doc.image_src, pictures)
    if asset is None:
        return None
    caption = typography(doc.image_caption, doc.lang) if doc.image_caption else None
    return view(pictures[asset], doc.image_alt or "", prefix, caption)


def view(found: Picture, alt: str, prefix: str, caption: str | None = None) -> dict:
    """A picture as plain values for a template: its sources per format, its fallback, its size."""
    index = found.fallback()
    sources = (
        []
        if found.copied
        else [{"type": MIME[ext], "srcset": found.srcset(prefix, ext)} for ext in found.formats]
    )
    return {
        "sources": sources,
        "src": prefix + found.file(found.ext, found.widths[index]),
        "srcset": None if found.copied else found.srcset(prefix, found.ext),
        "sizes": SIZES,
        "width": found.width,
        "height": found.height,
        "alt": alt,
        "caption": caption,
    }


def social(doc: Document, pictures: Mapping[str, Picture], base_url: str) -> dict | None:
    """The hero as an Open Graph image (absolute URL, about 1200 pixels wide), or None for none or an SVG."""
    asset = locate(doc.path, doc.key, doc.image_src, pictures) if doc.image_src else None
    if asset is None or pictures[asset].ext == "svg":
        return None
    found = pictures[asset]
    index = found.fallback(1200)
    return {
        "url": base_url + found.file(found.ext, found.widths[index]),
        "width": found.widths[index],
        "height": found.heights[index],
        "type": MIME[found.ext],
        "alt": doc.image_alt or "",
    }


def _attrs(values: dict[str, str | None]) -> str:
    """HTML attributes, values escaped; those whose value is None are left out."""
    return "".join(f' {k}="{escape(v, quote=True)}"' for k, v in values.items() if v is not None)


def markup(data: dict, extra: dict | None = None, hero_picture: bool = False) -> str:
    """The `<picture>` element of a picture view, `extra` attributes (class, id, title) on its `<img>`."""
    img = {
        "src": data["src"],
        "srcset": data["srcset"],
        "sizes": data["sizes"] if data["srcset"] else None,
        "width": str(data["width"]),
        "height": str(data["height"]),
        "alt": data["alt"],
        **(extra or {}),
    }
    img.update(
        {"fetchpriority": "high", "decoding": "async"}
        if hero_picture
        else {"loading": "lazy", "decoding": "async"}
    )
    sizes = escape(data["sizes"])
    sources = "".join(
        f'<source type="{s["type"]}" srcset="{escape(s["srcset"])}" sizes="{sizes}">' for s in data["sources"]
    )
    return f"<picture>{sources}<img{_attrs(img)}></picture>"


def feed_markup(data: dict, extra: dict | None = None) -> str:
    """A picture for a feed reader: one `<img>` with an absolute URL and its size."""
    img = {
        "src": data["src"],
        "width": str(data["width"]),
        "height": str(data["height"]),
        "alt": data["alt"],
        **(extra or {}),
    }
    return f"<img{_attrs(img)}>"


SET_BY_US = (
    "src",
    "alt",
    "title",
    "width",
    "height",
    "loading",
    "decoding",
    "srcset",
    "sizes",
    "fetchpriority",
)


def _element(
    tag: str, doc: Document, pictures: Mapping[str, Picture], prefix: str, feed: bool, captioned: bool
) -> tuple[str, str | None] | None:
    """One `<img>` of a body as its picture markup, with its title (kept on the image unless `captioned`)."""
    found = attributes(tag)
    src = found.get("src")
    asset = locate(doc.path, doc.key, src, pictures) if local(src) else None
    if asset is None:
        return None
    title = found.get("title") or None
    extra = {k: v for k, v in found.items() if k not in SET_BY_US}
    if title and not captioned:
        extra["title"] = title
    data = view(pictures[asset], found.get("alt") or "", prefix)
    return (feed_markup(data, extra) if feed else markup(data, extra)), title


def body(html: str, doc: Document, pictures: Mapping[str, Picture], prefix: str, feed: bool = False) -> str:
    """A rendered body with each picture beside its article made a `<picture>` (a plain `<img>` in feeds);
    a picture with a title, alone in its paragraph, becomes a `<figure>` with that title as its caption."""
    if "<img" not in html or not pictures:
        return html

    def alone(match: re.Match) -> str:
        made = _element(match[1], doc, pictures, prefix, feed, captioned=True)
        if made is None:
            return match[0]
        element, title = made
        if not title:
            return f"<p>{element}</p>"
        caption = escape(typography(title, doc.lang), quote=False)
        return f"<figure>{element}<figcaption>{caption}</figcaption></figure>"

    def inline(match: re.Match) -> str:
        made = _element(match[0], doc, pictures, prefix, feed, captioned=False)
        return match[0] if made is None else made[0]

    return IMG.sub(inline, ALONE.sub(alone, html))
