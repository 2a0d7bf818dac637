"""`diptyque init`: a new site that builds at once with the packaged theme, in both languages."""

from __future__ import annotations

import tomllib

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.cli import main
from builder.frontmatter import body_digest


def init(folder, *options) -> int:
    """Run `diptyque init` as the command line does."""
    return main(["init", str(folder), *options])


def front_matter_and_body(path):
    """A content file's front matter (as YAML reads it) and its body."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def page(folder, url: str) -> BeautifulSoup:
    path = folder / "output" / url.lstrip("/") / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.fixture
def made(tmp_path):
    """A site made by `diptyque init`, built by `diptyque build` from inside its folder."""
    folder = tmp_path / "blog"
    assert init(folder, "--title", "Carnet d’essai") == 0
    assert main(["--root", str(folder), "build"]) == 0
    return folder


def test_init_writes_a_site_whose_build_has_both_languages(made):
    french, english = page(made, "/fr/"), page(made, "/en/")
    assert french.html["lang"] == "fr" and english.html["lang"] == "en"
    assert french.h1.get_text() == english.h1.get_text() == "Carnet d’essai"
    article = french.select_one("h2.card-title a")["href"]
    assert article.startswith("/fr/") and english.select_one("h2.card-title a")["href"].startswith("/en/")
    post = page(made, article)
    alternates = {link["hreflang"]: link["href"] for link in post.select('link[rel="alternate"][hreflang]')}
    assert set(alternates) == {"fr", "en", "x-default"}
    translation = page(made, alternates["en"].removeprefix("https://example.org"))
    assert translation.h1.get_text() == "Welcome" and not translation.select(".notice")
    assert translation.select_one('a[href="/en/about/"]')  # the link by file to about.md, in the article
    assert page(made, "/fr/a-propos/").h1.get_text() == "À propos"
    assert (made / "output" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (made / "output" / "sitemap.xml").exists() and (made / "output" / "fr" / "atom.xml").exists()


def test_the_translation_records_its_original_and_status_finds_nothing_missing(made, capsys):
    original, original_body = front_matter_and_body(made / "content" / "posts" / "bienvenue.fr.md")
    translated, _ = front_matter_and_body(made / "content" / "posts" / "bienvenue.en.md")
    assert translated["translation_of"] == body_digest(original_body)
    assert "translation_of" not in original and original["tags"] == translated["tags"] == ["notebook"]
    about, _ = front_matter_and_body(made / "content" / "pages" / "about.en.md")
    _, about_original = front_matter_and_body(made / "content" / "pages" / "about.fr.md")
    assert about["translation_of"] == body_digest(about_original)
    capsys.readouterr()
    assert main(["--root", str(made), "status", "--strict"]) == 0
    assert "0 problems" in capsys.readouterr().out


def test_config_has_a_comment_on_every_key_and_the_ignored_folders(made):
    text = (made / "config.toml").read_text(encoding="utf-8")
    settings = [line for line in text.splitlines() if "=" in line.split("#")[0]]
    assert len(settings) >= 20 and all(" # " in line for line in settings), settings
    config = tomllib.loads(text)
    assert config["default_language"] == "fr" and list(config["languages"]) == ["fr", "en"]
    assert config["languages"]["fr"]["paths"]["tags"] == "etiquettes"
    tags = tomllib.loads((made / "content" / "tags.toml").read_text(encoding="utf-8"))
    assert tags == {"notebook": {"fr": "Carnet", "en": "Notebook"}}
    assert (made / ".gitignore").read_text(encoding="utf-8").split("\n")[1:3] == ["output/", ".diptyque/"]
    assert "diptyque build" in (made / "README.md").read_text(encoding="utf-8")


def test_init_refuses_a_folder_that_is_not_empty_unless_forced(tmp_path, capsys):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert init(folder) == 1
    assert "is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert init(folder, "--force") == 0
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine" and (folder / "config.toml").exists()
    (folder / "config.toml").write_text("broken", encoding="utf-8")
    assert init(folder, "--force") == 0 and "base_url" in (folder / "config.toml").read_text(encoding="utf-8")


def test_init_names_a_dangling_link_and_does_not_write_through_links(tmp_path, capsys):
    (tmp_path / "blog").symlink_to(tmp_path / "nowhere")
    assert init(tmp_path / "blog") == 1
    error = capsys.readouterr().err
    assert "is a symbolic link to" in error and "nowhere" in error and "File exists" not in error
    assert not (tmp_path / "nowhere").exists()
    folder, outside = tmp_path / "taken", tmp_path / "outside.toml"
    folder.mkdir()
    outside.write_text("mine", encoding="utf-8")
    (folder / "config.toml").symlink_to(outside)
    assert init(folder, "--force") == 1
    assert "config.toml: is a symbolic link" in capsys.readouterr().err
    assert outside.read_text(encoding="utf-8") == "mine" and sorted(p.name for p in folder.iterdir()) == [
        "config.toml"
    ]


def test_init_refuses_a_file_and_unknown_languages(tmp_path, capsys):
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert init(tmp_path / "file") == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert init(tmp_path / "new", "--languages", "fr,xx") == 1
    error = capsys.readouterr().err
    assert "--languages" in error and "fr,en" in error and not (tmp_path / "new").exists()


@pytest.mark.parametrize("languages, default", [("en,fr", "en"), ("en", "en")])
def test_init_with_other_languages_builds_with_the_first_as_default(tmp_path, languages, default):
    folder = tmp_path / "site"
    assert init(folder, "--languages", languages) == 0
    assert main(["--root", str(folder), "build"]) == 0
    codes = languages.split(",")
    assert tomllib.loads((folder / "config.toml").read_text(encoding="utf-8"))["default_language"] == default
    for code in codes:
        assert page(folder, f"/{code}/").html["lang"] == code
    original, _ = front_matter_and_body(folder / "content" / "posts" / f"bienvenue.{codes[0]}.md")
    assert "translation_of" not in original
    assert not (folder / "output" / "fr").exists() if codes == ["en"] else (folder / "output" / "fr").is_dir()


def test_init_escapes_the_title_in_toml(tmp_path):
    title = 'Le "vrai" carnet \\ de C#'
    assert init(tmp_path / "quoted", "--title", title) == 0
    config = tomllib.loads((tmp_path / "quoted" / "config.toml").read_text(encoding="utf-8"))
    assert config["languages"]["fr"]["title"] == config["languages"]["en"]["title"] == title
    assert config["languages"]["en"]["author"] == title


def test_init_help_is_its_docstring(capsys):
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    assert "Create a new bilingual site, ready to build" in capsys.readouterr().out
