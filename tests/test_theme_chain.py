"""The theme chain: a site's templates and a theme that extends the default override it child first; the
default theme ships inside the package, so a site anywhere builds with an installed Diptyque."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import REPO, copy_site


def chained(site, tmp_path):
    """The basic site without its copy of the default theme, using a theme `mine` that extends it."""
    shutil.rmtree(site.root / "themes" / "default")
    mine = site.root / "themes" / "mine"
    (mine / "templates").mkdir(parents=True)
    (mine / "theme.toml").write_text('extends = "default"\n')
    (mine / "templates" / "base.html").write_text(
        '{% extends "default/base.html" %}'
        '{% block footer %}<p class="mine">mine</p>{{ super() }}{% endblock %}\n'
    )
    (mine / "locales" / "en" / "LC_MESSAGES").mkdir(parents=True)
    (mine / "locales" / "en" / "LC_MESSAGES" / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Tags"\nmsgstr "Topics"\n'
    )
    config = site.root / "config.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    return site


def test_a_theme_with_only_base_html_extends_the_default(site, tmp_path):
    chained(site, tmp_path).build()
    page = site.html("/en/2024/ai-an-ambition/")
    assert page.select_one("p.mine").text == "mine" and page.select_one("article")  # the default's blocks too
    assert [a.text for a in page.select("nav.menu a")][1] == "Topics"  # the child's catalog entry wins
    french = site.html("/fr/")
    assert [a.text for a in french.select("nav.menu a")][1] == "Étiquettes"  # the rest comes from the default
    assert (
        site.output / "static" / "style.css"
    ).is_file()  # a child without static/ keeps the parent's files


def test_site_templates_and_static_files_override_the_theme(site, tmp_path):
    (site.root / "templates").mkdir()
    (site.root / "templates" / "404.html").write_text(
        '{% extends "default/404.html" %}{% block main %}<p id="lost">lost</p>{% endblock %}\n'
    )
    (site.root / "static" / ".well-known").mkdir(parents=True)
    (site.root / "static" / "CNAME").write_text("blog.example.org\n")
    (site.root / "static" / ".well-known" / "security.txt").write_text("Contact: me\n")
    (site.root / "static" / "static").mkdir()
    (site.root / "static" / "static" / "style.css").write_text("body { color: red }\n")
    site.build()
    assert site.html("/fr/404.html").select_one("#lost").text == "lost"
    assert (site.output / "CNAME").read_text() == "blog.example.org\n"
    assert (site.output / ".well-known" / "security.txt").read_text() == "Contact: me\n"
    assert (site.output / "static" / "style.css").read_text() == "body { color: red }\n"  # the site wins


def test_an_unknown_or_cyclic_theme_is_a_config_error(site):
    import pytest

    from builder.errors import BuildFailed

    (site.root / "themes" / "a").mkdir()
    (site.root / "themes" / "a" / "theme.toml").write_text('extends = "b"\n')
    (site.root / "themes" / "b").mkdir()
    (site.root / "themes" / "b" / "theme.toml").write_text('extends = "a"\n')
    config = site.root / "config.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "a"'))
    with pytest.raises(BuildFailed) as caught:
        site.build()
    assert "extends itself" in str(caught.value) and "config.toml:" in str(caught.value)
    config.write_text(config.read_text().replace('theme = "a"', 'theme = "nowhere"'))
    with pytest.raises(BuildFailed, match="theme 'nowhere' not found"):
        site.build()


def test_a_site_outside_the_repository_builds_from_the_installed_package(tmp_path):
    """Build a wheel, unpack it elsewhere, and build a site that has no themes/ with it."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(wheels.glob("diptyque-*.whl"))
    installed = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "builder/themes/default/templates/base.html" in names
        assert "builder/themes/default/locales/fr/LC_MESSAGES/messages.po" in names
        archive.extractall(installed)
    site = copy_site("basic", tmp_path / "elsewhere")
    shutil.rmtree(site.root / "themes")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from builder.cli import main; sys.exit(main())",
            "--root",
            str(site.root),
            "build",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup((site.output / "fr" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert page.html["lang"] == "fr" and page.select("article, .card")
    assert Path(installed / "builder" / "themes" / "default").is_dir()
