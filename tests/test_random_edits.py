"""Seeded random edit sequences: after every edit, the incremental build equals a cold build, byte for byte.

Every kind of input is edited: titles, bodies, dates, tags, slugs, summaries, drafts, articles and
translations added and deleted, page front matter, templates (including how they include each other, by
lists and expressions, and templates that appear where a list include looked before), catalogs, config
values, tag labels, the theme's and the site's static files, aliases, `updated`, hand edits of
content/urls.toml, a picture beside the articles (drawn anew, shown in a body or as a hero), keys other
generators write (description, author, extra, unknown keys, dates with times, tag ids missing from tags.toml).
4 sequences of 50 edits.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import TODAY, copy_site

from builder.build import build
from builder.config import load
from builder.frontmatter import dump, split

EDITS_PER_SEQUENCE = 50
TAGS = ["ai", "data", "metaverse", "marketing", "innovation", "customer-relationship", "social-media"]
WORDS = "numérique client données réseau marque idée travail avenir ville presse".split()


class Editor:
    """Random edits of a fixture site, each leaving it valid."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng, self.count = root, rng, 0
        self.theme = root / "themes" / "default"

    def posts(self) -> list[Path]:
        return sorted((self.root / "content" / "posts").glob("*.md"))

    def edit_file(self, path: Path, change) -> None:
        parsed = split(path.read_text(encoding="utf-8"), str(path))
        meta, body = dict(parsed.meta), parsed.body
        meta, body = change(meta, body)
        path.write_text(dump(meta, body), encoding="utf-8")

    def unique(self) -> str:
        self.count += 1
        return f"{self.rng.choice(WORDS)} {self.count}"

    def apply(self) -> str:
        kind = self.rng.choice([name for name in dir(self) if name.startswith("e_")])
        getattr(self, kind)()
        return kind

    def _post(self) -> Path:
        return self.rng.choice(self.posts())

    def e_title(self):
        self.edit_file(self._post(), lambda m, b: ({**m, "title": f"Titre {self.unique()}"}, b))

    def e_body(self):
        self.edit_file(self._post(), lambda m, b: (m, b + f"\n\nParagraphe {self.unique()} : oui !\n"))

    def e_heading(self):
        self.edit_file(self._post(), lambda m, b: (m, b + f"\n\n## Partie {self.unique()}\n\nTexte.\n"))

    def e_date(self):
        year, month = self.rng.randint(2018, 2024), self.rng.choice([None, 1, 4, 9, 12])
        when = f"{year}-{month:02d}" if month else f"{year}"
        self.edit_file(self._post(), lambda m, b: ({**m, "date": when}, b))

    def e_tags(self):
        tags = self.rng.sample(TAGS, self.rng.randint(0, 3))
        self.edit_file(self._post(), lambda m, b: ({**m, "tags": tags}, b))

    def e_slug(self):
        def change(meta, body):
            if "slug" in meta and self.rng.random() < 0.5:
                return {k: v for k, v in meta.items() if k != "slug"}, body
            return {**meta, "slug": f"lien-{self.count + 1}"}, body

        self.count += 1
        self.edit_file(self._post(), change)

    def e_summary(self):
        self.edit_file(self._post(), lambda m, b: ({**m, "summary": f"Résumé {self.unique()}"}, b))

    def e_draft(self):
        self.edit_file(self._post(), lambda m, b: ({**m, "draft": not m.get("draft", False)}, b))

    def e_search(self):
        self.edit_file(self._post(), lambda m, b: ({**m, "search": not m.get("search", True)}, b))

    def e_alias(self):
        """Aliases added, changed or removed: redirect pages and _redirects follow."""

        def change(meta, body):
            if meta.get("aliases") and self.rng.random() < 0.4:
                return {k: v for k, v in meta.items() if k != "aliases"}, body
            return {**meta, "aliases": [f"ancien-{self.count}/", f"/vieux-{self.count}.html"]}, body

        self.count += 1
        self.edit_file(self._post(), change)

    def e_updated(self):
        """The `updated` date (the feeds' <updated>), set or removed, never before the date."""

        def change(meta, body):
            if "updated" in meta or str(meta.get("date", ""))[:4] > "2025":
                return {k: v for k, v in meta.items() if k != "updated"}, body
            return {**meta, "updated": f"2025-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}"}, body

        self.edit_file(self._post(), change)

    def e_writing_keys(self):
        """Keys other generators write: description, author(s), extra, an unknown key, a date with a time."""

        def change(meta, body):
            key = self.rng.choice(["description", "author", "extra", "categories", "time"])
            if key == "time":
                day = f"20{self.rng.randint(18, 24)}-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}"
                meta = {k: v for k, v in meta.items() if k != "updated"}
                return {**meta, "date": f"{day} 1{self.rng.randint(0, 9)}:30:00 +0200"}, body
            if key in meta and self.rng.random() < 0.4:
                return {k: v for k, v in meta.items() if k != key}, body
            value = {
                "description": f"Description {self.unique()}",
                "categories": [self.unique()],
                "author": self.rng.choice([f"Auteur {self.unique()}", ["Ada", f"Bob {self.count}"]]),
                "extra": {"cover": f"{self.unique()}.png"},
            }[key]
            return {**meta, key: value}, body

        self.edit_file(self._post(), change)

    def e_unlisted_tag(self):
        """A tag id missing from tags.toml: published with its id as label (a warning)."""

        def change(meta, body):
            return {**meta, "tags": [*(meta.get("tags") or [])[:2], f"nouveau-{self.count}"]}, body

        self.count += 1
        self.edit_file(self._post(), change)

    def e_history(self):
        """content/urls.toml edited by hand: a URL forgotten, an old URL added for a page, an id changed."""
        path = self.root / "content" / "urls.toml"
        lines = path.read_text(encoding="utf-8").split("\n")
        urls = [i for i, line in enumerate(lines) if line.startswith('"/')]
        ids = [i for i, line in enumerate(lines) if '= "tag:' in line]
        choice = self.rng.choice(["forget", "add", "id"])
        if choice == "forget" and urls:
            del lines[self.rng.choice(urls)]
        elif choice == "id" and ids:
            index = self.rng.choice(ids)
            lines[index] = re.sub(r",\d{4}:", f",{self.rng.randint(2000, 2017)}:", lines[index])
        else:
            key = self.rng.choice(self.posts()).name.split(".")[0]
            lines.insert(
                lines.index("[urls]") + 1,
                f'"/fr/vieux/{self.unique().replace(" ", "-")}/" = ["post", "{key}", "fr"]',
            )
        path.write_text("\n".join(lines), encoding="utf-8")

    def e_delete(self):
        posts = self.posts()
        if len(posts) > 4:
            self.rng.choice(posts).unlink()

    def e_add(self):
        lang = self.rng.choice(["fr", "en"])
        meta = {
            "title": f"Nouveau {self.unique()}",
            "date": f"{self.rng.randint(2018, 2024)}-0{self.rng.randint(1, 9)}",
            "tags": self.rng.sample(TAGS, 2),
        }
        (self.root / "content" / "posts" / f"nouveau-{self.count}.{lang}.md").write_text(
            dump(meta, f"Un texte {self.unique()}.\n"), encoding="utf-8"
        )

    def e_translation(self):
        originals = [
            p
            for p in self.posts()
            if p.name.endswith(".fr.md") and not p.with_name(p.name.replace(".fr.md", ".en.md")).exists()
        ]
        if originals:
            source = self.rng.choice(originals)
            meta = {
                "title": f"Translated {self.unique()}",
                "date": split(source.read_text(), "x").meta.get("date"),
                "translation_of": self.rng.choice(["0123456789abcdef", None]),
            }
            source.with_name(source.name.replace(".fr.md", ".en.md")).write_text(
                dump({k: v for k, v in meta.items() if v}, "An English text.\n"), encoding="utf-8"
            )

    def e_page(self):
        lang = self.rng.choice(["fr", "en"])
        path = self.root / "content" / "pages" / f"about.{lang}.md"
        self.edit_file(path, lambda m, b: ({**m, "title": f"À propos {self.unique()}"}, b + "\nEncore.\n"))

    def e_page_date(self):
        """A page given a full date: the sitemap shows it (a value read outside the page's own view)."""
        lang = self.rng.choice(["fr", "en"])
        path = self.root / "content" / "pages" / f"about.{lang}.md"
        when = f"{self.rng.randint(2019, 2024)}-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}"
        self.edit_file(path, lambda m, b: ({**m, "date": when}, b))

    def e_template_text(self):
        template = self.rng.choice(sorted((self.theme / "templates").glob("*.html")))
        text = template.read_text(encoding="utf-8")
        marker = f"<!-- {self.unique()} -->"
        template.write_text(
            text.replace("{% endblock %}", marker + "{% endblock %}", 1)
            if "{% endblock %}" in text
            else text + marker + "\n",
            encoding="utf-8",
        )

    def e_template_include(self):
        """Change how templates include each other: a list include, an expression, a template appearing."""
        post, extra = self.theme / "templates" / "post.html", self.theme / "templates" / "_extra.html"
        choice = self.rng.choice(["list", "expression", "create-missing", "edit-extra", "remove"])
        text = post.read_text(encoding="utf-8")
        if not extra.exists():
            extra.write_text("<p>extra</p>\n", encoding="utf-8")
        block = "{% block main %}"
        if choice == "list" and "_maybe" not in text:
            post.write_text(text.replace(block, block + '{% include ["_maybe.html", "_extra.html"] %}', 1))
        elif choice == "expression" and '"_ex" ~' not in text:
            post.write_text(text.replace(block, block + '{% include "_ex" ~ "tra.html" %}', 1))
        elif choice == "create-missing":
            (self.theme / "templates" / "_maybe.html").write_text(f"<p>maybe {self.unique()}</p>\n")
        elif choice == "edit-extra":
            extra.write_text(f"<p>extra {self.unique()}</p>\n", encoding="utf-8")
        elif choice == "remove":
            (self.theme / "templates" / "_maybe.html").unlink(missing_ok=True)

    def e_catalog(self):
        lang = self.rng.choice(["fr", "en"])
        catalog = self.theme / "locales" / lang / "LC_MESSAGES" / "messages.po"
        text = catalog.read_text(encoding="utf-8")
        target = 'msgstr "Archives"'
        catalog.write_text(
            text.replace(target, f'msgstr "Archives {self.unique()}"', 1)
            if target in text
            else text.replace('msgstr "Archives ', 'msgstr "Archives', 1),
            encoding="utf-8",
        )

    def e_config(self):
        config = self.root / "config.toml"
        key, value = self.rng.choice(
            [
                ("posts_per_page", self.rng.randint(1, 4)),
                ("related_posts", self.rng.randint(0, 3)),
                ("toc_min_headings", self.rng.randint(1, 4)),
                ("feed_entries", self.rng.randint(1, 5)),
                ("missing_translation", self.rng.choice(['"fallback"', '"home"'])),
            ]
        )
        lines = [
            f"{key} = {value}" if line.startswith(f"{key} ") else line
            for line in config.read_text(encoding="utf-8").split("\n")
        ]
        config.write_text("\n".join(lines), encoding="utf-8")

    def e_tag_label(self):
        tags = self.root / "content" / "tags.toml"
        lines = tags.read_text(encoding="utf-8").split("\n")
        labels = [i for i, line in enumerate(lines) if line.startswith(("fr = ", "en = "))]
        index = self.rng.choice(labels)
        lines[index] = lines[index].split("=")[0] + f'= "Étiquette {self.unique()}"'
        tags.write_text("\n".join(lines), encoding="utf-8")

    def e_picture(self):
        """A picture beside the articles: drawn anew, shown in a body or as a hero, or no longer shown."""
        picture = self.root / "content" / "posts" / "photo.png"
        choice = self.rng.choice(["draw", "body", "hero", "unshow"]) if picture.exists() else "draw"
        if choice == "draw":
            from PIL import Image

            shade = self.rng.randrange(256)
            Image.new("RGB", (self.rng.choice([48, 96]), 32), (shade, 90, 255 - shade)).save(picture)
        elif choice == "body":
            self.edit_file(self._post(), lambda m, b: (m, b + f"\n\n![Image {self.unique()}](photo.png)\n"))
        elif choice == "hero":
            hero = {"src": "photo.png", "alt": self.unique()}
            self.edit_file(self._post(), lambda m, b: ({**m, "image": hero}, b))
        else:
            self.edit_file(
                self._post(),
                lambda m, b: (
                    {k: v for k, v in m.items() if k != "image"},
                    "\n".join(line for line in b.split("\n") if "(photo.png)" not in line),
                ),
            )

    def e_static(self):
        folder = self.rng.choice([self.root / "static", self.theme / "static"])
        folder.mkdir(exist_ok=True)
        name = self.rng.choice(["a.txt", "b.css", "deep/c.txt", "style.css", "_headers", "static/style.css"])
        target = folder / name
        if target.exists() and self.rng.random() < 0.3 and name != "style.css":
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"/* {self.unique()} */\n")


def snapshot(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_keep_incremental_equal_to_cold(tmp_path, seed):
    rng = random.Random(seed)
    site = copy_site("basic", tmp_path / "site")
    cold_root = tmp_path / "cold"
    config = load(site.root).with_options(today=TODAY)
    build(config)
    editor = Editor(site.root, rng)
    for step in range(EDITS_PER_SEQUENCE):
        kind = editor.apply()
        build(load(site.root).with_options(today=TODAY))
        shutil.rmtree(cold_root, ignore_errors=True)
        shutil.copytree(site.root, cold_root, ignore=shutil.ignore_patterns("output", ".diptyque"))
        build(load(cold_root).with_options(today=TODAY), use_cache=False)
        assert snapshot(site.output) == snapshot(cold_root / "output"), f"seed {seed}, edit {step}: {kind}"
