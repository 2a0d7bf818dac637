"""Pictures beside articles: `<picture>` markup, variants, metadata stripped, Open Graph, social cards, the
cache, bad input, and screenshots of an article with pictures in headless Chromium."""

from __future__ import annotations

import io
import json
import os
import random
import re
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ARGS, CHROMIUM, copy_site
from PIL import ExifTags, Image, ImageCms, features

from builder import cards, images
from builder.errors import BuildFailed

FR, EN = "/fr/2024/ia-une-ambition/", "/en/2024/ai-an-ambition/"
CARD_FR = "/fr/2021/les-histoires-d-amour-finissent-en-algorithmes/"
CARD_EN = "/en/2021/love-stories-end-in-algorithms/"
BASE = "https://diptyque.example/"
FR_BODY = """
Le 13 mars 2024, la Commission a remis son rapport ; un texte « équilibré »[^1] !

![Une photo tournée](photo.jpg)

![Un logo transparent](logo.png "Le logo : transparent")

Un schéma ![Un schéma](schema.svg) et une animation ![Une animation](anime.gif).

[^1]: Une note.
"""
EN_BODY = """
On 13 March 2024, the Commission handed over its report; a "balanced"[^1] text!

![A rotated photo](photo.jpg)

![A transparent logo](logo.png "The logo: transparent")

A diagram ![A diagram](schema.svg) and an animation ![An animation](anime.gif).

[^1]: A note.
"""


SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()  # made once: it holds its time


def gradient(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A picture with detail in it (a flat one would hide resizing mistakes)."""
    width, height = size
    image = Image.linear_gradient("L").resize(size)
    other = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    noise = Image.frombytes("L", size, random.Random(width * height).randbytes(width * height))
    picture = Image.merge("RGB", (image, other, noise))
    return picture.convert(mode) if mode != "RGB" else picture


def jpeg_with_exif(path: Path) -> None:
    """A 1200 × 800 JPEG taken sideways (EXIF orientation 6), with GPS data and an sRGB profile."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Camera"
    gps = ExifTags.GPS
    exif[ExifTags.IFD.GPSInfo] = {
        gps.GPSLatitudeRef: "N",
        gps.GPSLatitude: (48.0, 51.0, 24.0),
        gps.GPSLongitudeRef: "E",
        gps.GPSLongitude: (2.0, 21.0, 7.0),
    }
    gradient((1200, 800)).save(path, "JPEG", exif=exif.tobytes(), icc_profile=SRGB, quality=90)


def png_with_alpha(path: Path) -> None:
    image = gradient((360, 240), "RGBA")
    alpha = Image.new("L", image.size, 0)
    alpha.paste(255, (60, 40, 300, 200))
    image.putalpha(alpha)
    image.save(path, "PNG")


def huge_png_header(path: Path, width: int = 30_000, height: int = 30_000) -> None:
    """A PNG whose header says 30,000 × 30,000 pixels (its data is one pixel's)."""
    data = io.BytesIO()
    Image.new("L", (1, 1)).save(data, "PNG")
    raw = bytearray(data.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(raw[24:29])
    raw[16:29] = ihdr
    raw[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    path.write_bytes(bytes(raw))


def set_front(path: Path, extra: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", f"\n{extra}\n---\n", 1), encoding="utf-8")


def set_body(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    head = text.split("\n---\n", 1)[0]
    path.write_text(f"{head}\n---\n{body}", encoding="utf-8")


def picture_site(tmp_path) -> object:
    """The basic site with pictures: a hero in the article's key folder, a sideways JPEG there, a
    transparent PNG, an SVG and a GIF beside the articles; both language versions show them."""
    site = copy_site("basic", tmp_path)
    posts = site.root / "content" / "posts"
    (posts / "bonjour").mkdir()
    gradient((3000, 2000)).save(posts / "bonjour" / "grand.jpg", "JPEG", quality=90)
    jpeg_with_exif(posts / "bonjour" / "photo.jpg")
    png_with_alpha(posts / "logo.png")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
        '<circle cx="100" cy="50" r="48" fill="#8a2a1b"/></svg>'
    )
    (posts / "schema.svg").write_text(svg, encoding="utf-8")
    frames = [Image.new("P", (40, 30), color) for color in (1, 2)]
    frames[0].save(posts / "anime.gif", save_all=True, append_images=frames[1:], duration=200, loop=0)
    set_front(
        posts / "bonjour.fr.md",
        'image: {src: grand.jpg, alt: "Un grand paysage",\n        caption: "La vallée : au loin"}',
    )
    set_front(
        posts / "bonjour.en.md",
        'image: {src: grand.jpg, alt: "A wide landscape",\n        caption: "The valley"}',
    )
    set_body(posts / "bonjour.fr.md", FR_BODY)
    set_body(posts / "bonjour.en.md", EN_BODY)
    config = site.root / "config.toml"
    config.write_text("search = false\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = picture_site(tmp_path_factory.mktemp("pictures"))
    result = site.build()
    site.result = result
    return site


def pictures_of(soup: BeautifulSoup) -> list:
    return soup.select("main picture")


def test_pictures_have_sources_fallback_size_and_alt_per_language(built):
    modern = ["image/avif", "image/webp"] if features.check("avif") else ["image/webp"]
    for url, alts in (
        (FR, ["Un grand paysage", "Une photo tournée", "Un logo transparent"]),
        (EN, ["A wide landscape", "A rotated photo", "A transparent logo"]),
    ):
        soup = built.html(url)
        found = pictures_of(soup)
        assert [p.img["alt"] for p in found[:3]] == alts
        for picture in found[:3]:
            assert [s["type"] for s in picture.find_all("source")] == modern
            img = picture.img
            assert img["src"].startswith("/img/") and img["srcset"] and img["sizes"]
            largest = max(int(c.split()[1][:-1]) for c in img["srcset"].split(", "))
            with Image.open(built.output / img["src"].lstrip("/")) as fallback:
                assert fallback.format in ("JPEG", "PNG")
            assert int(img["width"]) == largest
            with Image.open(
                built.output / f"img/{img['src'].split('/')[-1].rsplit('-', 1)[0]}-{largest}."
                f"{img['src'].rsplit('.', 1)[1]}"
            ) as biggest:
                assert (int(img["width"]), int(img["height"])) == biggest.size
        hero, body = found[0].img, [p.img for p in found[1:]]
        assert hero["fetchpriority"] == "high" and not hero.get("loading") and hero["decoding"] == "async"
        assert all(img["loading"] == "lazy" and img["decoding"] == "async" for img in body)
        assert soup.select_one("figure.hero figcaption").text.startswith(("La vallée", "The valley"))
        every = soup.select("main img")
        assert all(img.get("width") and img.get("height") for img in every)
    figure = built.html(FR).select_one(".prose figure")
    assert figure.picture.img["alt"] == "Un logo transparent" and "title" not in figure.picture.img.attrs
    assert figure.figcaption.text == "Le logo\u00a0: transparent"


def test_svg_and_gif_are_copied_as_they_are(built):
    soup = built.html(FR)
    svg = soup.select_one('img[alt="Un schéma"]')
    gif = soup.select_one('img[alt="Une animation"]')
    assert (svg["width"], svg["height"]) == ("200", "100") and svg["src"].endswith(".svg")
    assert not svg.find_parent("picture").find("source")
    posts = built.root / "content" / "posts"
    assert (built.output / svg["src"].lstrip("/")).read_bytes() == (posts / "schema.svg").read_bytes()
    assert (built.output / gif["src"].lstrip("/")).read_bytes() == (posts / "anime.gif").read_bytes()
    assert (gif["width"], gif["height"]) == ("40", "30")


def variants(built) -> dict[str, Path]:
    return {p.name: p for p in (built.output / "img").iterdir() if not p.name.startswith("card-")}


def test_variants_are_no_wider_than_their_source_and_carry_no_metadata(built):
    soup = built.html(FR)
    sources = {
        "Un grand paysage": (3000, 2000),
        "Une photo tournée": (800, 1200),
        "Un logo transparent": (360, 240),
    }
    for alt, (width, height) in sources.items():
        picture = soup.select_one(f'img[alt="{alt}"]').find_parent("picture")
        sets = [s["srcset"] for s in picture.find_all("source")] + [picture.img["srcset"]]
        for srcset in sets:
            descriptors = [candidate.split()[1] for candidate in srcset.split(", ")]
            assert len(set(descriptors)) == len(descriptors)
            for candidate in srcset.split(", "):
                url, descriptor = candidate.split()
                with Image.open(built.output / url.lstrip("/")) as variant:
                    assert variant.width == int(descriptor[:-1]) <= width
                    assert abs(variant.height / variant.width - height / width) < 0.01  # upright, unstretched
                    assert not variant.getexif() and "exif" not in variant.info
                    assert "icc_profile" not in variant.info and "xmp" not in variant.info
                    if alt == "Un logo transparent" and variant.format == "PNG":
                        assert variant.mode == "RGBA" and variant.getpixel((0, 0))[3] == 0
    named = re.compile(r"[0-9a-f]{16}(-\d+)?\.(avif|webp|jpg|png|svg|gif)")
    assert all(named.fullmatch(name) for name in variants(built))
    for path in variants(built).values():
        assert b"GPS" not in path.read_bytes() and b"Camera" not in path.read_bytes()


def test_the_hero_is_the_open_graph_image_with_an_absolute_url(built):
    for url, alt in ((FR, "Un grand paysage"), (EN, "A wide landscape")):
        soup = built.html(url)
        meta = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
        assert meta["og:image"].startswith(BASE + "img/") and meta["og:image:alt"] == alt
        with Image.open(built.output / meta["og:image"][len(BASE) :]) as image:
            assert image.size == (int(meta["og:image:width"]), int(meta["og:image:height"])) == (1200, 800)
        assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert data["image"] == meta["og:image"]


def test_lists_show_the_hero_on_the_card(built):
    """The first picture among the first three cards is fetched first (it is likely what a reader sees
    first); the others load lazily."""
    pictures = built.html("/fr/").select("article.card picture")
    assert pictures and all(p.img["alt"] == "" for p in pictures)
    first, *others = pictures
    assert first.img["fetchpriority"] == "high" and not first.img.get("loading")
    assert all(p.img["loading"] == "lazy" and not p.img.get("fetchpriority") for p in others)


def test_an_article_without_a_picture_gets_a_card_per_language(built):
    urls = []
    for page in (CARD_FR, CARD_EN):
        soup = built.html(page)
        meta = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
        assert re.fullmatch(re.escape(BASE) + r"img/card-[0-9a-f]{16}\.jpg", meta["og:image"])
        with Image.open(built.output / meta["og:image"][len(BASE) :]) as image:
            assert image.size == (1200, 630)
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        urls.append(meta["og:image"])
    assert len(urls) == 2 and urls[0] != urls[1]
    assert not any("card-" in m["content"] for m in built.html(FR).find_all("meta", property="og:image"))


def test_card_text_is_the_title_with_french_typography():
    card = cards.Card("L’IA\u00a0: une ambition\u202f?", "Diptyque", "13 mars 2024", "fr")
    lines, _ = cards.title_lines(card.title)
    assert lines == ["L’IA\u00a0: une ambition\u202f?"]
    long = cards.Card("mot " * 80, "Diptyque", "", "fr")
    lines, _ = cards.title_lines(long.title)
    assert len(lines) == cards.MAX_LINES and lines[-1].endswith("…")
    with Image.open(io.BytesIO(cards.draw(card))) as image:
        assert image.size == (1200, 630)


def test_feeds_have_absolute_picture_and_footnote_urls(built):
    feed = BeautifulSoup((built.output / "fr" / "atom.xml").read_text(encoding="utf-8"), "xml")
    entry = next(e for e in feed.find_all("entry") if "ambition" in e.title.text)
    content = BeautifulSoup(entry.content.text, "html.parser")
    sources = [img["src"] for img in content.find_all("img")]
    assert sources and all(src.startswith(BASE + "img/") for src in sources)
    assert all(img.get("width") and img.get("height") for img in content.find_all("img"))
    hrefs = [a["href"] for a in content.find_all("a", href=True)]
    assert any("#fn" in href for href in hrefs)
    assert all(href.startswith(("http://", "https://")) for href in hrefs)


def test_favicon_touch_icon_and_theme_colours(built):
    for name in ("favicon.ico", "apple-touch-icon.png"):
        with Image.open(built.output / name) as icon:
            assert icon.format in ("ICO", "PNG")
    soup = built.html(FR)
    assert soup.find("link", rel="icon")["href"] == "/favicon.ico"
    assert {m["media"] for m in soup.find_all("meta", attrs={"name": "theme-color"})} == {
        "(prefers-color-scheme: light)",
        "(prefers-color-scheme: dark)",
    }


def test_a_site_favicon_wins_over_the_theme(tmp_path):
    site = copy_site("basic", tmp_path)
    (site.root / "static").mkdir()
    Image.new("RGBA", (32, 32), (0, 90, 0, 255)).save(site.root / "static" / "favicon.ico")
    site.build()
    with Image.open(site.output / "favicon.ico") as icon:
        assert icon.convert("RGBA").getpixel((16, 16)) == (0, 90, 0, 255)


def spy(monkeypatch, module, name: str) -> list:
    calls, original = [], getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_each_picture_is_processed_once_then_never_again(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "PARALLEL_IMAGES", 10**6)  # in this process, where the spy counts
    monkeypatch.setattr(cards, "PARALLEL_CARDS", 10**6)
    site = picture_site(tmp_path)
    processed, drawn = spy(monkeypatch, images, "process"), spy(monkeypatch, cards, "draw")
    cards._DRAWN.clear()
    site.build()
    names = sorted(Path(p).name for p in processed)
    assert names == ["anime.gif", "grand.jpg", "logo.png", "photo.jpg", "schema.svg"]
    assert drawn  # the articles without a picture
    processed.clear(), drawn.clear()
    post = site.root / "content" / "posts" / "bonjour.fr.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nUn paragraphe de plus.\n", encoding="utf-8")
    result = site.build()
    assert result.rendered and processed == [] and drawn == []
    before = site.snapshot()
    images._KNOWN.clear()
    cards._DRAWN.clear()
    site.build(use_cache=False)  # a cold build with the state folder's picture cache in place
    assert processed == [] and drawn == [] and site.snapshot() == before


def test_workers_make_the_same_files(tmp_path, monkeypatch):
    serial = picture_site(tmp_path / "serial")
    monkeypatch.setattr(images, "PARALLEL_IMAGES", 10**6)
    serial.build()
    monkeypatch.setattr(images, "PARALLEL_IMAGES", 1)
    monkeypatch.setattr(cards, "PARALLEL_CARDS", 1)
    cards._DRAWN.clear()
    images._KNOWN.clear()
    parallel = picture_site(tmp_path / "parallel")
    parallel.build()
    assert serial.snapshot() == parallel.snapshot()


def test_a_changed_picture_reshapes_the_pages_that_show_it(tmp_path):
    site = picture_site(tmp_path)
    site.build()
    old = site.html(FR).select_one('img[alt="Une photo tournée"]')["src"]
    gradient((640, 480)).save(site.root / "content" / "posts" / "bonjour" / "photo.jpg", "JPEG")
    site.build()
    new = site.html(FR).select_one('img[alt="Une photo tournée"]')
    assert new["src"] != old and (new["width"], new["height"]) == ("640", "480")
    assert not (site.output / old.lstrip("/")).exists()


def test_social_cards_can_be_turned_off(tmp_path):
    site = copy_site("basic", tmp_path)
    config = site.root / "config.toml"
    config.write_text("social_cards = false\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    site.build()
    assert not site.html(CARD_FR).find("meta", property="og:image")
    assert not (site.output / "img").exists()


# Bad input: each an error naming the Markdown file and line; output/ untouched.


def fails(site, expected_line: int | None = None) -> list:
    before = site.snapshot()
    with pytest.raises(BuildFailed) as caught:
        site.build()
    assert site.snapshot() == before
    errors = caught.value.errors
    assert errors and all(e.path == "content/posts/bonjour.fr.md" for e in errors)
    if expected_line is not None:
        assert errors[0].line == expected_line, errors[0]
    return errors


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def body_line(site, needle: str) -> int:
    text = (site.root / "content" / "posts" / "bonjour.fr.md").read_text(encoding="utf-8")
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


@pytest.fixture
def good(tmp_path):
    site = picture_site(tmp_path)
    site.build()
    return site


def test_a_missing_picture_names_the_nearest_file(good):
    post = good.root / "content" / "posts" / "bonjour.fr.md"
    post.write_text(post.read_text(encoding="utf-8").replace("](photo.jpg)", "](phto.jpg)"), encoding="utf-8")
    errors = fails(good, body_line(good, "phto.jpg"))
    assert "phto.jpg does not exist" in errors[0].message and "photo.jpg" in errors[0].hint


def test_a_missing_hero_is_an_error_on_the_image_line(good):
    post = good.root / "content" / "posts" / "bonjour.fr.md"
    replace_in(post, "src: grand.jpg", "src: grnad.jpg")
    errors = fails(good, body_line(good, "image:"))
    assert "grnad.jpg" in errors[0].message and "grand.jpg" in errors[0].hint


@pytest.mark.parametrize(
    "name, make, words",
    [
        ("coupe.jpg", lambda path, data: path.write_bytes(data[: len(data) // 2]), "damaged or cut short"),
        ("texte.png", lambda path, data: path.write_text("pas une image\n"), "is not an image"),
        ("immense.png", lambda path, data: huge_png_header(path), "too large"),
    ],
)
def test_unreadable_pictures_are_errors(good, name, make, words):
    photo = good.root / "content" / "posts" / "bonjour" / "photo.jpg"
    make(photo.with_name(name), photo.read_bytes())
    post = good.root / "content" / "posts" / "bonjour.fr.md"
    post.write_text(post.read_text(encoding="utf-8") + f"\n![Une autre]({name})\n", encoding="utf-8")
    errors = fails(good, body_line(good, name))
    assert words in errors[0].message and name in errors[0].message and errors[0].hint


def test_a_picture_linking_outside_the_site_is_an_error(good, tmp_path):
    outside = tmp_path / "ailleurs.jpg"
    gradient((100, 80)).save(outside, "JPEG")
    os.symlink(outside, good.root / "content" / "posts" / "lien.jpg")
    post = good.root / "content" / "posts" / "bonjour.fr.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n![Un lien](lien.jpg)\n", encoding="utf-8")
    errors = fails(good, body_line(good, "lien.jpg"))
    assert "symbolic link leading outside the site" in errors[0].message


def test_a_picture_path_going_up_is_an_error(good):
    post = good.root / "content" / "posts" / "bonjour.fr.md"
    replace_in(post, "\n[^1]", "\n![Plus haut](../pages/photo.jpg)\n\n[^1]")
    errors = fails(good, body_line(good, "../pages/photo.jpg"))
    assert "'..'" in errors[0].message


def test_a_hero_path_going_up_is_an_error(good):
    post = good.root / "content" / "posts" / "bonjour.fr.md"
    replace_in(post, "src: grand.jpg", "src: ../grand.jpg")
    errors = fails(good, body_line(good, "image:"))
    assert "'..'" in errors[0].message


def test_missing_alt_text_is_a_warning_and_empty_html_alt_is_decorative(good):
    post = good.root / "content" / "posts" / "bonjour.fr.md"
    text = post.read_text(encoding="utf-8").replace("![Une photo tournée](photo.jpg)", "![](photo.jpg)")
    post.write_text(text + '\n<img src="logo.png" alt="">\n', encoding="utf-8")
    result = good.build()
    mine = [w for w in result.warnings if "alt text" in w]
    line = body_line(good, "![](photo.jpg)")
    assert len(mine) == 1 and mine[0].startswith(f"content/posts/bonjour.fr.md:{line}:")


# Screenshots of an article with pictures, at 1280 and 390 px, light and dark.

LOADED = "[...document.images].every(i => i.complete && i.naturalWidth > 0)"


def watch(page) -> list[str]:
    """Failed requests and console errors of a page: what Lighthouse's best practices count (/favicon.ico)."""
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
    return failed


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
def test_screenshots_of_an_article_with_pictures(built):
    from playwright.sync_api import sync_playwright

    from builder.serve import start_server

    shots = Path(os.environ.get("DIPTYQUE_SHOTS") or built.root / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    server = start_server(built.config(), port=0, watch=False)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                for width, height in ((1280, 900), (390, 844)):
                    for scheme in ("light", "dark"):
                        size = {"width": width, "height": height}
                        page = browser.new_page(viewport=size, color_scheme=scheme)
                        failed = watch(page)
                        page.goto(server.url + FR.lstrip("/"))
                        page.evaluate("[...document.images].forEach(i => i.loading = 'eager')")
                        page.wait_for_function(LOADED)
                        page.screenshot(path=str(shots / f"article-{width}-{scheme}.png"), full_page=True)
                        current = page.evaluate("[...document.images].map(i => i.currentSrc)")
                        assert all("/img/" in src for src in current)
                        if features.check("avif"):
                            assert any(src.endswith(".avif") for src in current)
                        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                        assert not overflow, f"{width} px, {scheme}: the page scrolls sideways"
                        page.goto(server.url + "fr/")  # a list page: the cards' pictures, the icons
                        page.wait_for_load_state("networkidle")
                        assert failed == [], failed
                        page.close()
            finally:
                browser.close()
    finally:
        server.stop()
    assert len(list(shots.glob("article-*.png"))) == 4
