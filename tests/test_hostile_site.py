"""What a site's own files cannot do to a build: static files under names no URL holds or on the path of a
file the build makes, a file in output/ where the build needs a folder, a base template that never ends.
Each is an error naming the file, and output/ stays as it was."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest
from test_guarantees import fails_cleanly, run

from builder.render import render
from builder.theme import _themes
from builder.writer import JOURNAL, STAGING, TREE, recover


def put(site, rel: str, text: str = "x") -> None:
    path = site.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", ["sp ace.txt", "a%b.txt", "q?.txt", ".diptyque-staging/x"])
def test_a_static_file_the_build_cannot_publish_is_an_error(built, capsys, name):
    put(built, f"static/{name}")
    fails_cleanly(built, capsys, expect="cannot be published under this name", path=f"static/{name}")


@pytest.mark.parametrize("name", ["fr/index.html", "robots.txt", "sitemap.xml", "fr/atom.xml"])
def test_a_static_file_on_the_path_of_a_generated_file_is_an_error(built, capsys, name):
    put(built, f"static/{name}", "<p>mine</p>")
    for args in ((), ("--no-cache",)):  # the same answer every time, not whichever file came last
        fails_cleanly(
            built, capsys, *args, expect=f"output/{name} would be written twice", path=f"static/{name}"
        )


def test_a_file_where_the_build_needs_a_folder_is_found_before_anything_is_staged(built, capsys):
    shutil.rmtree(built.output / "fr")
    (built.output / "fr").write_text("a file of mine")
    fails_cleanly(built, capsys, expect="a file stands where the build needs a folder", path="output/fr")
    assert not (built.output / ".diptyque-staging").exists()  # no journal for the next build to replay
    (built.output / "fr").unlink()
    status, _, err = run(built, "build", capsys=capsys)
    assert status == 0, err
    assert (built.output / "fr" / "index.html").is_file()


def test_a_journal_tampered_with_moves_and_renames_nothing_out_of_output(tmp_path):
    output, state = tmp_path / "site" / "output", tmp_path / "site" / ".diptyque"
    outside = tmp_path / "site" / "mine"
    outside.mkdir(parents=True)
    (outside / "keep.txt").write_text("mine")
    (output / STAGING / TREE / "fr").mkdir(parents=True)
    (output / STAGING / TREE / "fr" / "index.html").write_text("new")
    state.mkdir()
    moves = ["../../../mine", "fr"]  # unchecked, the first would move site/mine to the folder above tmp_path
    journal = {"layout": "flat", "renames": ["../mine/keep.txt"], "moves": moves}
    journal.update(removals=[], manifest=["fr/index.html"])
    (output / STAGING / JOURNAL).write_text(json.dumps(journal))
    assert recover(output, state)
    assert (outside / "keep.txt").read_text() == "mine"  # neither moved into output/ nor elsewhere
    assert (output / "fr" / "index.html").read_text() == "new"  # the sound entry is carried out
    assert not (output / STAGING).exists() and not (tmp_path / "mine").exists()


def test_a_base_template_past_its_budget_stops_the_build_at_the_first_page(built, capsys, monkeypatch):
    monkeypatch.setattr("builder.render.PAGE_BUDGET", 0.3)  # each page would run for hours
    tried = []
    monkeypatch.setattr("builder.produce.render", lambda job, theme: tried.append(job) or render(job, theme))
    base = built.root / "themes" / "default" / "templates" / "base.html"
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    base.write_text(base.read_text().replace("{% block footer %}", "{% block footer %}" + loop, 1))
    fails_cleanly(built, capsys, expect="the template ran for more than", path="templates/base.html")
    assert len(tried) <= 2, tried  # a page, then a root file: not each page for 0.3 s (20 s in a real build)


def test_a_base_template_past_its_budget_stops_every_worker(built, capsys, monkeypatch, tmp_path):
    """Rendered in workers (as a site of 600 pages or more is), the first page past its budget stops the
    others too: each renders at most the page it was on."""
    monkeypatch.setattr("builder.render.PAGE_BUDGET", 0.3)
    monkeypatch.setattr("builder.produce.PARALLEL_PAGES", 1)
    monkeypatch.setattr("builder.parallel.WORKERS", 2)
    log = tmp_path / "tried.txt"

    def logged(job, theme):
        with open(log, "a", encoding="utf-8") as handle:  # appended from each worker process
            handle.write(job.path + "\n")
        return render(job, theme)

    monkeypatch.setattr("builder.produce.render", logged)
    base = built.root / "themes" / "default" / "templates" / "base.html"
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    base.write_text(base.read_text().replace("{% block footer %}", "{% block footer %}" + loop, 1))
    fails_cleanly(
        built, capsys, "--no-cache", expect="the template ran for more than", path="templates/base.html"
    )
    tried = log.read_text(encoding="utf-8").split()
    assert len([path for path in tried if "/" in path]) <= 2, tried  # the page each worker was on
    assert len(tried) <= 4, tried  # and the root files up to the first that uses base.html


@pytest.mark.parametrize("rel", ["config.toml", "content/tags.toml", "content/urls.toml"])
def test_a_fifo_in_place_of_a_settings_file_is_an_error_not_a_wait(built, capsys, rel):
    path = built.root / rel
    path.unlink(missing_ok=True)
    os.mkfifo(path)  # opened the usual way, it would wait for a writer for ever
    fails_cleanly(built, capsys, expect="not a regular file", path=rel)


def test_a_folder_in_place_of_a_page_is_found_by_an_incremental_build(built, capsys):
    (built.output / "robots.txt").unlink()
    (built.output / "robots.txt").mkdir()  # the state says the file is there and unchanged
    expect = "a folder stands where the build writes a file"
    fails_cleanly(built, capsys, expect=expect, path="output/robots.txt")


@pytest.mark.parametrize("command", [("build",), ("urls", "prune", "/fr/")])
def test_a_url_history_that_is_not_utf8_is_named_with_its_line(built, capsys, command):
    history = built.root / "content" / "urls.toml"
    history.write_bytes(history.read_bytes() + b"\n# \xff\n")
    line = history.read_bytes().count(b"\n")
    status, _, err = run(built, *command, capsys=capsys)
    assert status == 1 and "Traceback" not in err
    assert f"content/urls.toml:{line}: the file is not UTF-8" in err, err


@pytest.mark.parametrize(
    "text,line,expect",
    [
        ('extends = "default"\nname = "x\n', 2, "cannot be read as TOML"),
        ("extends = 5\n", None, "extends should be a theme's name"),
        ('colour = "red"\n', None, "unknown key 'colour'"),
    ],
)
def test_a_broken_theme_toml_is_named_with_its_line(built, capsys, text, line, expect):
    theme = built.root / "themes" / "carnet"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.toml").write_text(text, encoding="utf-8")
    config = built.root / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^theme = .*$", 'theme = "carnet"', text), encoding="utf-8")
    where = "themes/carnet/theme.toml" + (f":{line}" if line else "")
    err = fails_cleanly(built, capsys, expect=expect, path=where)
    assert "config.toml" not in err.split(expect)[0].splitlines()[-1]  # the theme's file, not the setting's


def test_a_broken_tags_toml_is_one_error_even_with_strict(built, capsys):
    tags = built.root / "content" / "tags.toml"
    tags.write_text("<<<<<<< HEAD\n" + tags.read_text(encoding="utf-8"), encoding="utf-8")
    err = fails_cleanly(built, capsys, "--strict", expect="content/tags.toml:1:", path="content/tags.toml")
    assert "1 problem found" in err, err  # not one more for each tag of each article


def test_an_article_linked_from_outside_the_site_is_not_read(built, capsys, tmp_path):
    secret = tmp_path / "elsewhere" / "secret.fr.md"
    secret.parent.mkdir()
    secret.write_text("---\ntitle: Secret\ndate: 2020-01-01\n---\n\nSECRET-OUTSIDE\n", encoding="utf-8")
    (built.root / "content" / "posts" / "fuite.fr.md").symlink_to(secret)
    expect = "symbolic link leading outside the site"
    fails_cleanly(built, capsys, expect=expect, path="content/posts/fuite.fr.md")
    inner = built.root / "notes" / "interne.fr.md"  # a link to a file of the site itself is fine
    inner.parent.mkdir()
    inner.write_text(secret.read_text(encoding="utf-8").replace("SECRET-OUTSIDE", "DEDANS"), encoding="utf-8")
    (built.root / "content" / "posts" / "fuite.fr.md").unlink()
    (built.root / "content" / "posts" / "interne.fr.md").symlink_to(inner)
    status, _, err = run(built, "build", capsys=capsys)
    assert status == 0, err
    assert "DEDANS" in (built.output / "fr" / "2020" / "secret" / "index.html").read_text(encoding="utf-8")


def test_a_static_file_linked_from_outside_the_site_is_not_published(built, capsys, tmp_path):
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("SECRET-OUTSIDE", encoding="utf-8")
    (built.root / "static").mkdir(exist_ok=True)
    (built.root / "static" / "notes.txt").symlink_to(secret)
    fails_cleanly(built, capsys, expect="symbolic link leading outside the site", path="static/notes.txt")


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_a_site_catalog_that_is_not_utf8_is_one_error_naming_it_and_its_line(built, capsys):
    catalog = built.root / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_bytes(HEADER.encode() + 'msgid "Tags"\nmsgstr "'.encode() + b'\xe9tiquettes"\n')
    err = fails_cleanly(
        built, capsys, expect="locales/fr/LC_MESSAGES/messages.po:6: the file is not UTF-8 (byte 0xe9)"
    )
    assert "1 problem found" in err and str(built.root) not in err


def test_a_catalog_with_broken_syntax_is_an_error_at_its_line_not_a_printed_warning(built, capsys):
    catalog = built.root / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(HEADER + 'msgid "Tags"\nmsgstr "x\nmsgid\n', encoding="utf-8")
    err = fails_cleanly(built, capsys, expect="locales/fr/LC_MESSAGES/messages.po:7: cannot read the catalog")
    assert "WARNING" not in err and "WARNING" not in capsys.readouterr().out


def test_a_page_on_the_url_of_the_tags_index_names_the_page_and_the_path_word(built, capsys):
    about = built.root / "content" / "pages" / "about.fr.md"
    about.write_text(re.sub(r"(?m)^slug: .*$", "slug: etiquettes", about.read_text(encoding="utf-8")))
    err = fails_cleanly(built, capsys, expect="the tags index of 'fr' (path word tags in config.toml)")
    assert "content/pages/about.fr.md: content/pages/about.fr.md and the tags index" in err
    assert "output/fr/etiquettes/index.html" in err and "or change that path word" in err


def test_two_kinds_of_page_given_one_path_word_is_an_error_of_config_toml(built, capsys):
    config = built.root / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('tags = "tags"', 'tags = "archives"', 1), encoding="utf-8")
    fails_cleanly(
        built, capsys, expect="tags and archives have the same path word, 'archives'", path="config.toml:"
    )


def test_a_template_override_that_is_a_dangling_link_is_an_error_not_the_themes_file(built, capsys):
    (built.root / "templates").mkdir()
    (built.root / "templates" / "post.html").symlink_to(built.root / "nowhere.html")
    fails_cleanly(built, capsys, expect="a symbolic link to", path="templates/post.html")


def test_a_file_in_place_of_the_compiled_templates_folder_is_an_error_naming_it(built, capsys):
    _themes.clear()  # a new process: the dev server keeps its compiled templates in memory
    shutil.rmtree(built.root / ".diptyque" / "templates")
    (built.root / ".diptyque" / "templates").write_text("mine")
    fails_cleanly(
        built,
        capsys,
        expect="a file stands where the build keeps its compiled templates",
        path=".diptyque/templates",
    )
    assert (built.root / ".diptyque" / "templates").read_text() == "mine"


@pytest.mark.parametrize("name, folder", [("fr", "fr"), ("robots.txt/a", "robots.txt")])
def test_a_static_file_in_the_way_of_a_folder_is_named_as_the_cause(built, capsys, name, folder):
    put(built, f"static/{name}")
    err = fails_cleanly(
        built,
        capsys,
        expect=f"output/{folder} would be a file, and a folder for output/{folder}/",
        path=f"static/{name}",
    )
    assert "1 problem found" in err
