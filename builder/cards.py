"""Social cards: a 1200 × 630 picture per article and language for link previews, when it has no picture.

The card shows the title in the article's language with its typography, the site's name and the date in
the page's locale, set in Source Serif (the font ships with the `font-source-serif-pro` package). Cards
are drawn with Pillow once per content into the state folder (`.diptyque/images/cards/`), and staged
from there as `img/card-<hash>.jpg` (`social_cards = false` in config.toml turns them off).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from builder.config import Config
from builder.i18n import typography
from builder.parallel import pool, workers
from builder.writer import write_atomic

WIDTH, HEIGHT = 1200, 630
MARGIN = 88
VERSION = 2  # bump when the drawing below changes
QUALITY = 90  # JPEG quality, without chroma subsampling: the red accent and thin strokes stay crisp
COLOURS = {"bg": "#fbfaf7", "fg": "#1d1d1f", "muted": "#55575c", "accent": "#8a2a1b", "line": "#dedbd3"}
TITLE_SIZES = (76, 68, 60, 54, 48, 44)  # the largest that fits the title in MAX_LINES is used
MAX_LINES = 4
PARALLEL_CARDS = 16  # from this many cards to draw, workers share them
FONTS = {"title": "SourceSerifPro-Semibold.ttf", "text": "SourceSerifPro-Regular.ttf"}
BREAKABLE = " "  # only plain spaces break a line: no-break spaces keep French punctuation with its word


@dataclass(frozen=True)
class Card:
    """What one card shows."""

    title: str  # with the typography of its language
    site: str  # the site's name in the page's language
    date: str  # the date as the page writes it
    lang: str  # the language of the title

    @property
    def name(self) -> str:
        """A hash of everything drawn: the card's file name."""
        import PIL

        text = json.dumps([VERSION, self.title, self.site, self.date, self.lang, COLOURS, PIL.__version__])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def path(self) -> str:
        """The card's file under output/."""
        return f"img/card-{self.name}.jpg"


def card_for(views, entry) -> Card | None:
    """The card of an article's page, when cards are on and the article has no picture to show instead."""
    from builder.images import social

    config, doc = views.config, entry.doc
    if not config.social_cards or entry.page.kind != "post" or doc is None:
        return None
    if social(doc, views.site.pictures, "") is not None:
        return None
    when = views.date(doc, entry.lang)
    site = config.language(entry.lang).title
    return Card(typography(doc.title, doc.lang), site, when["text"] if when else "", doc.lang)


def og_image(card: Card, config: Config) -> dict:
    """A card as the page's Open Graph image."""
    return {
        "url": config.base_url + card.path,
        "width": WIDTH,
        "height": HEIGHT,
        "type": "image/jpeg",
        "alt": card.title,
    }


@lru_cache(maxsize=16)
def font(role: str, size: int):
    """The card's font at a size (the basic layout: the same glyph positions on every machine)."""
    from importlib.resources import files

    from PIL import ImageFont

    path = files("font_source_serif_pro") / "files" / FONTS[role]
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def wrap(text: str, face, width: int) -> list[str]:
    """Lines of at most `width` pixels, broken at plain spaces only (a word too long stays whole)."""
    lines, current = [], ""
    for word in text.split(BREAKABLE):
        candidate = f"{current} {word}" if current else word
        if current and face.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + ([current] if current else [])


def title_lines(title: str) -> tuple[list[str], object]:
    """The title's lines and font: the largest size at which it fits, else cut with an ellipsis."""
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        face = font("title", size)
        lines = wrap(title, face, width)
        if len(lines) <= MAX_LINES and all(face.getlength(line) <= width for line in lines):
            return lines, face
    lines = lines[:MAX_LINES]
    while lines[-1] and face.getlength(lines[-1] + " …") > width:
        lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
    lines[-1] += " …"
    return lines, face


@lru_cache(maxsize=8)
def background(site: str):
    """What every card of a site shows whatever the article: drawn once, copied for each card."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), COLOURS["bg"])
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=COLOURS["accent"])
    pen.rounded_rectangle((MARGIN, 70, MARGIN + 18, 112), 3, fill=COLOURS["accent"])  # the diptych
    pen.rounded_rectangle((MARGIN + 24, 70, MARGIN + 42, 112), 3, fill=COLOURS["accent"])
    pen.text((MARGIN + 64, 91), site, font=font("text", 34), fill=COLOURS["accent"], anchor="lm")
    pen.line((MARGIN, HEIGHT - 112, WIDTH - MARGIN, HEIGHT - 112), fill=COLOURS["line"], width=2)
    return image


def draw(card: Card) -> bytes:
    """The card as JPEG bytes (a tenth of the time PNG takes to encode, for a card that looks the same)."""
    from PIL import ImageDraw

    image = background(card.site).copy()
    pen = ImageDraw.Draw(image)
    lines, face = title_lines(card.title)
    step = round(face.size * 1.18)
    top = 150 + (HEIGHT - 150 - 130 - step * len(lines)) // 2
    for number, line in enumerate(lines):
        pen.text((MARGIN, top + number * step), line, font=face, fill=COLOURS["fg"], anchor="la")
    if card.date:
        pen.text((MARGIN, HEIGHT - 70), card.date, font=font("text", 32), fill=COLOURS["muted"], anchor="lm")
    data = io.BytesIO()
    image.save(data, "JPEG", quality=QUALITY, subsampling=0)
    return data.getvalue()


def cache_file(config: Config, card: Card) -> str:
    """Where a drawn card is kept between builds."""
    return os.path.join(config.state_dir, "images", "cards", f"{card.name}.jpg")


_DRAWN: dict[str, bytes] = {}  # card name -> JPEG bytes, the newest last: drawn cards this process keeps
KEEP = 512  # cards kept in memory (about 60 kB each), for the next builds of a long-running process


def _remember(name: str, data: bytes) -> None:
    _DRAWN.pop(name, None)
    _DRAWN[name] = data
    while len(_DRAWN) > KEEP:
        _DRAWN.pop(next(iter(_DRAWN)))


def ensure(cards: list[Card], config: Config) -> dict[str, str]:
    """Every card's file in the cache (path by card name), drawing those missing, in workers when many."""
    files = {card.name: cache_file(config, card) for card in cards}
    todo = list({card.name: card for card in cards if not os.path.isfile(files[card.name])}.values())
    for card in [card for card in todo if card.name in _DRAWN]:  # drawn earlier by this process
        write_atomic(Path(files[card.name]), _DRAWN[card.name])
    todo = [card for card in todo if card.name not in _DRAWN]
    count = workers()
    if len(todo) >= PARALLEL_CARDS and count > 1:
        with pool(count) as executor:
            drawn = list(executor.map(draw, todo, chunksize=4))
    else:
        drawn = [draw(card) for card in todo]
    for card, data in zip(todo, drawn, strict=True):
        write_atomic(Path(files[card.name]), data)
        _remember(card.name, data)
    return files
