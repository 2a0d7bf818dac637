"""Every file of a new site, made from the presets and the options: `config.toml` (a comment on every
key), the tag vocabulary, an about page and a sample article in each language (the translation with its
`translation_of` set), `.gitignore`, a short README and a favicon.

These functions only make texts and bytes; `builder.init.create_site` writes them.
"""

from __future__ import annotations

import json
import struct
import zlib
from datetime import date

from builder.config import DEFAULT_PATHS
from builder.frontmatter import body_digest
from builder.init.presets import ABOUT_KEY, POST_KEY, PRESETS, TAG_ID

GITIGNORE = "# What builds write: the site, and the saved build state.\noutput/\n.diptyque/\n"

README = """\
# {title}

A bilingual blog made with Diptyque.

```sh
diptyque serve --watch   # the site at http://127.0.0.1:8000/, rebuilt as you save
diptyque build           # the site in output/, ready for any static host
diptyque status          # missing and out-of-date translations
```

- `config.toml`: the site's settings, one comment per key.
- `content/posts/<key>.<lang>.md`: articles; files that share `<key>` are translations of each other.
- `content/pages/<key>.<lang>.md`: standalone pages (about).
- `content/tags.toml`: the tags, a label per language.
- `static/`: files copied as they are to the root of the site (`favicon.ico`, `CNAME`, `.well-known/`).
- `templates/`, `themes/`: optional; a template here overrides the packaged theme's.
"""


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


COMMENT_COLUMN = 34  # where the comments of config.toml start, when the setting is shorter


def commented(rows: list[tuple[str, str]]) -> str:
    """Lines of TOML, each followed by its comment, the comments aligned."""
    return "".join(
        f"{code.ljust(COMMENT_COLUMN - 2)}  # {comment}\n" if comment else f"{code}\n"
        for code, comment in rows
    )


def config_text(languages: list[str], title: str | None) -> str:
    """config.toml for the languages, the first being the default."""
    rows = [
        (
            "# Diptyque site configuration: a comment on every key. Errors name the line and suggest a fix.",
            "",
        ),
        ('base_url = "https://example.org/"', "the address the site is served from, path included"),
        (
            f"default_language = {toml_string(languages[0])}",
            "the root page's fallback, and hreflang x-default",
        ),
        ("posts_per_page = 10", "articles per page on the home, tag and archive lists"),
        ('permalink = "{year}/{slug}/"', "an article's address under /<lang>/; also {month} {day} {key}"),
        ('theme = "default"', "the theme shipped with Diptyque, or a folder under themes/"),
        (
            'missing_translation = "fallback"',
            '"fallback": the original, with a notice; "home": the home page',
        ),
        ("toc_min_headings = 3", "an article with this many sections gets a table of contents"),
        ("related_posts = 3", "related articles shown under each article"),
        ("feed_entries = 20", "entries in each Atom feed"),
    ]
    for code in languages:
        preset, words, name = PRESETS[code], DEFAULT_PATHS[code], title or PRESETS[code].title
        rows += [
            ("", ""),
            (f"[languages.{code}]", ""),
            (f"name = {toml_string(preset.name)}", "the language's name in the switcher"),
            (f"locale = {toml_string(preset.locale)}", "Babel locale: dates, plural rules"),
            (f"title = {toml_string(name)}", "the site's title in this language"),
            (f"description = {toml_string(preset.description)}", "home page and feeds, under 160 characters"),
            (f"author = {toml_string(name)}", "the author's name, for feeds and structured data"),
            (
                f'menu = ["home", "tags", "archives", "page:{ABOUT_KEY}"]',
                'navigation, in order; also { title = "…", url = "https://…" }',
            ),
            ("", ""),
            (f"[languages.{code}.paths]", "the words of this language's addresses"),
            (f"tags = {toml_string(words['tags'])}", f"/{code}/{words['tags']}/<tag>/"),
            (f"archives = {toml_string(words['archives'])}", f"/{code}/{words['archives']}/2025/"),
            (
                f"page = {toml_string(words['page'])}",
                f"/{code}/{words['page']}/2/ (lists after their first page)",
            ),
        ]
    return commented(rows)


def tags_text(languages: list[str]) -> str:
    """content/tags.toml with the sample article's tag."""
    labels = "".join(f"{code} = {toml_string(PRESETS[code].tag_label)}\n" for code in languages)
    return (
        "# The tag vocabulary: one table per tag id, a label per language; addresses come from the "
        f"labels.\n\n[{TAG_ID}]\n{labels}"
    )


def front_matter(fields: dict) -> str:
    """YAML front matter; strings and lists written as JSON, which YAML reads, dates and numbers bare."""
    lines = [
        f"{key}: {value if isinstance(value, date | int) else json.dumps(value, ensure_ascii=False)}"
        for key, value in fields.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def document(fields: dict, body: str, original_body: str | None) -> str:
    """A content file; a translation records the digest of its original's body."""
    if original_body is not None:
        fields = {**fields, "translation_of": body_digest(original_body)}
    return front_matter(fields) + body


def site_files(languages: list[str], title: str | None, today: date) -> dict[str, str | bytes]:
    """Every file of a new site, by path relative to its folder."""
    original = PRESETS[languages[0]]
    files: dict[str, str | bytes] = {
        "config.toml": config_text(languages, title),
        "content/tags.toml": tags_text(languages),
        ".gitignore": GITIGNORE,
        "README.md": README.format(title=title or original.title),
        "static/favicon.ico": favicon(),
    }
    for code in languages:
        preset, translated = PRESETS[code], code != languages[0]
        files[f"content/pages/{ABOUT_KEY}.{code}.md"] = document(
            {"title": preset.about_title, "slug": preset.about_slug},
            preset.about_body,
            original.about_body if translated else None,
        )
        files[f"content/posts/{POST_KEY}.{code}.md"] = document(
            {
                "title": preset.post_title,
                "date": today,
                "slug": preset.post_slug,
                "tags": [TAG_ID],
                "summary": preset.post_summary,
            },
            preset.post_body,
            original.post_body if translated else None,
        )
    return files


def favicon() -> bytes:
    """A 32×32 icon, two panels side by side (a diptych), as a PNG inside an ICO file."""
    size, ink = 32, (138, 42, 27, 255)
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            inside = 5 <= y < 27 and (4 <= x < 15 or 17 <= x < 28)
            row += bytes(ink if inside else (0, 0, 0, 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        """One PNG chunk: its length, kind, data and CRC."""
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(png), 22)  # the image starts at byte 22
    return struct.pack("<HHH", 0, 1, 1) + entry + png
