"""Guarantees under hostile and unlucky input: nothing written outside output/, nothing of the user's lost,
every problem a message naming the file (never a traceback), output/ unchanged after a failure."""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from builder.cli import main
from builder.errors import BuildFailed

POST = "content/posts/{}.fr.md"


def run(site, *args, capsys) -> tuple[int, str, str]:
    """Run the CLI on a site; return its exit status, stdout and stderr."""
    status = main(["--root", str(site.root), *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (links not followed) and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def fails_cleanly(site, capsys, *args, expect: str, path: str | None = None) -> str:
    """Build, expecting exit status 1, a message containing `expect` (naming `path`), output/ unchanged."""
    before = site.snapshot() if site.output.is_dir() else None
    status, _, err = run(site, "build", *args, capsys=capsys)
    assert status == 1, err
    assert expect in err, err
    assert "Traceback" not in err
    if path:
        assert path in err, err
    if before is not None:
        assert site.snapshot() == before, "a failed build changed output/"
    return err


# The sandbox: nothing outside output/


@pytest.fixture
def guarded(built, tmp_path):
    """A built site with a file beside its output folder, which no build may touch."""
    outside = built.root / "elsewhere"
    outside.mkdir()
    (outside / "index.html").write_text("mine")
    return built


@pytest.mark.parametrize(
    "front",
    [
        "slug: '.'",
        "slug: '..'",
        "slug: 'a?b'",
        "slug: 'a#b'",
        "slug: 'a%2e'",
        "slug: 'a\\\\b'",
        "slug: '" + "x" * 300 + "'",
        "translation_key: '../../elsewhere'",
        "translation_key: '..'",
    ],
)
def test_a_path_word_that_would_leave_output_is_an_error(guarded, capsys, front):
    guarded.write(POST.format("bad"), f"---\ntitle: T\ndate: 2021-02-03\n{front}\n---\n\nTexte.\n")
    err = fails_cleanly(guarded, capsys, expect="content/posts/bad.fr.md:4")
    assert "hint:" in err
    assert (guarded.root / "elsewhere" / "index.html").read_text() == "mine"


@pytest.mark.parametrize("permalink", ["../{slug}/", "{year}/../../{slug}/", "{year/{slug}/", "a?b/{slug}/"])
def test_a_permalink_that_would_leave_output_is_an_error(guarded, capsys, permalink):
    config = guarded.root / "config.toml"
    config.write_text(
        config.read_text().replace('permalink = "{year}/{slug}/"', f'permalink = "{permalink}"')
    )
    fails_cleanly(guarded, capsys, expect="config.toml:5: permalink")
    assert (guarded.root / "elsewhere" / "index.html").read_text() == "mine"


def test_a_tag_whose_path_would_leave_output_is_an_error(guarded, capsys):
    tags = guarded.root / "content" / "tags.toml"
    tags.write_text(tags.read_text() + '\n[".."]\nfr = "!!!"\nen = "!!!"\n')
    guarded.write(POST.format("bad"), "---\ntitle: T\ndate: 2021-02-03\ntags: ['..']\n---\n\nTexte.\n")
    fails_cleanly(guarded, capsys, expect="content/tags.toml")
    assert (guarded.root / "elsewhere" / "index.html").read_text() == "mine"


def test_a_page_on_the_path_of_another_kinds_file_is_a_collision(built, capsys):
    built.write("content/pages/feed.fr.md", "---\ntitle: Flux\nslug: atom.xml\n---\n\nTexte.\n")
    err = fails_cleanly(built, capsys, expect="output/fr/atom.xml")
    assert "content/pages/feed.fr.md" in err


def test_a_link_inside_output_leading_outside_is_never_followed(built, capsys, tmp_path):
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    shutil.rmtree(built.output / "fr" / "archives")
    (built.output / "fr" / "archives").symlink_to(elsewhere)
    run(built, "build", capsys=capsys)  # the state says the pages are there: a cold build must also refuse
    status, _, err = run(built, "build", "--no-cache", capsys=capsys)
    assert status == 1 and "symbolic link leading outside" in err and "Traceback" not in err
    assert tree(elsewhere) == {"keep.txt": b"keep"}


# Files the build did not make are never deleted


USER_FILES = {
    "CNAME": b"blog.example.org\n",
    ".well-known/security.txt": b"Contact: me\n",
    ".git/HEAD": b"ref: refs/heads/gh-pages\n",
    ".git/objects/ab/cdef": b"\x00blob",
}


@pytest.mark.parametrize("how", ["no-cache", "lost-state", "corrupt-state"])
def test_a_cold_build_keeps_what_a_person_put_in_output(built, capsys, how):
    for rel, data in USER_FILES.items():
        (built.output / rel).parent.mkdir(parents=True, exist_ok=True)
        (built.output / rel).write_bytes(data)
    state = built.root / ".diptyque"
    if how == "lost-state":
        shutil.rmtree(state)
    elif how == "corrupt-state":
        for name in os.listdir(state):
            if (state / name).is_file():
                (state / name).write_bytes(b"\x00garbage")
    status, out, err = run(built, "build", *(["--no-cache"] if how == "no-cache" else []), capsys=capsys)
    assert status == 0, err
    for rel, data in USER_FILES.items():
        assert (built.output / rel).read_bytes() == data
    if how != "no-cache":  # without a manifest, the build names what it left alone
        assert "kept 3 files Diptyque did not write: .git/, .well-known/, CNAME" in err


def test_pages_of_a_removed_article_are_removed_but_user_files_stay(built, capsys):
    (built.output / "CNAME").write_text("x")
    url = built.file("/fr/2022/rendez-vous-sur-mars/")
    assert url.exists()
    (built.root / POST.format("metavers")).unlink()
    status, _, err = run(built, "build", "--no-cache", capsys=capsys)
    assert status == 0, err
    assert not url.exists() and (built.output / "CNAME").read_text() == "x"


def test_output_as_a_link_to_a_shared_folder(site, capsys, tmp_path):
    shared = tmp_path / "www"
    shared.mkdir()
    (shared / "other-site.html").write_text("other")
    site.output.symlink_to(shared)
    status, _, err = run(site, "build", capsys=capsys)
    assert status == 0, err
    assert (shared / "fr" / "index.html").is_file() and (shared / "other-site.html").read_text() == "other"
    (site.root / POST.format("metavers")).unlink()
    shutil.rmtree(site.root / ".diptyque")
    assert run(site, "build", capsys=capsys)[0] == 0
    assert (shared / "other-site.html").read_text() == "other"


@pytest.mark.parametrize(
    "name,expect", [("output", "output folder is a file"), (".diptyque", "build state folder is a file")]
)
def test_a_file_where_a_folder_is_expected(site, capsys, name, expect):
    (site.root / name).write_text("not a folder")
    fails_cleanly(site, capsys, expect=expect)
    assert (site.root / name).read_text() == "not a folder"


def test_output_linked_to_nothing(site, capsys, tmp_path):
    site.output.symlink_to(tmp_path / "nowhere")
    fails_cleanly(site, capsys, expect="which is not a folder")


# Reading: every file gets a message, not a traceback


def test_no_content_folder_is_an_error_not_an_empty_site(built, capsys):
    shutil.rmtree(built.root / "content")
    fails_cleanly(built, capsys, expect="the content folder does not exist")
    status, _, err = run(built, "status", capsys=capsys)
    assert status == 1 and "content folder does not exist" in err


def test_config_toml_as_a_folder(built, capsys):
    (built.root / "config.toml").unlink()
    (built.root / "config.toml").mkdir()
    fails_cleanly(built, capsys, expect="config.toml cannot be read")


def test_a_fifo_in_content_is_skipped_with_a_warning(built, capsys):
    os.mkfifo(built.root / POST.format("pipe"))
    status, _, err = run(built, "build", "--no-cache", capsys=capsys)
    assert status == 0 and "content/posts/pipe.fr.md: not a regular file" in err


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_broken_links_in_content(built, capsys, kind):
    target = built.root / POST.format("a")
    if kind == "dangling":
        target.symlink_to(built.root / "nowhere.md")
    else:
        target.symlink_to(built.root / POST.format("b"))
        (built.root / POST.format("b")).symlink_to(target)
    fails_cleanly(built, capsys, expect="content/posts/a.fr.md: a symbolic link that leads nowhere")


def test_a_latin1_template_names_the_template(built, capsys):
    footer = built.root / "themes" / "default" / "templates" / "_notice.html"
    footer.write_bytes(footer.read_bytes() + "<!-- été -->\n".encode("latin-1"))
    fails_cleanly(built, capsys, expect="themes/default/templates/_notice.html:", path="not UTF-8")


def test_a_missing_include_names_the_template_that_includes_it(built, capsys):
    post = built.root / "themes" / "default" / "templates" / "post.html"
    post.write_text(
        post.read_text().replace("{% block", "{% include ['nope.html', 'gone.html'] %}{% block", 1)
    )
    err = fails_cleanly(built, capsys, expect="themes/default/templates/post.html")
    assert "does not exist" in err


@pytest.mark.parametrize(
    "body,expect",
    [
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "calls itself without end"),
        ("{% for i in range(10**12) %}{{ i }}{% endfor %}", "the limit is 100,000"),
    ],
)
def test_templates_that_never_end_are_stopped(built, capsys, body, expect):
    page = built.root / "themes" / "default" / "templates" / "page.html"
    page.write_text(page.read_text().replace("{% block main %}", "{% block main %}" + body, 1))
    fails_cleanly(built, capsys, expect=expect, path="themes/default/templates/page.html")


# Bounded resources and values that are what they look like


BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} "
        f"[*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(9)
    ]
)


@pytest.mark.parametrize(
    "front,line,expect",
    [
        (f"title: T\ndate: 2021\n{BOMB}", 4, "anchors and aliases"),
        ("title: T\ndate: 2021\ntitle: U", 4, "given twice"),
        ("title: T\ndate: 2021\ndraft: 'false'", 4, "'draft' should be true or false"),
        ("title: {a: 1}\ndate: 2021", 2, "the title should be text, not a mapping"),
        ("title: T\ndate: 2021\ntranslation_key: {a: 1}", 4, "'translation_key' should be text"),
        ("title: T\ndate: 2021\ntranslation_of: [1, 2]", 4, "'translation_of' should be text"),
    ],
)
def test_front_matter_values_are_what_they_look_like(built, capsys, front, line, expect):
    built.write(POST.format("bad"), f"---\n{front}\n---\n\nTexte.\n")
    fails_cleanly(built, capsys, expect=expect, path=f"content/posts/bad.fr.md:{line}")


@pytest.mark.parametrize(
    "line,expect",
    [
        ('base_url = "https://exa mple.org/"', "is not an absolute http(s) URL"),
        ('base_url = "example.org"', "is not an absolute http(s) URL"),
        ('theme = "../themes/default"', "should be a theme's name, not a path"),
    ],
)
def test_config_values_are_what_they_look_like(built, capsys, line, expect):
    config = built.root / "config.toml"
    key = line.split(" ")[0]
    text = "\n".join(line if row.startswith(key + " ") else row for row in config.read_text().split("\n"))
    config.write_text(text)
    fails_cleanly(built, capsys, expect=expect, path="config.toml:")


def test_a_full_disk_leaves_the_old_site(built, capsys, monkeypatch):
    import errno

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("builder.writer.write_atomic", full)
    monkeypatch.setattr("builder.writer.write_staged", full)
    built.write(POST.format("metavers"), "---\ntitle: Rendez-vous sur Mars\ndate: 2022-03\n---\n\nAutre.\n")
    fails_cleanly(built, capsys, expect="the disk is full")
    assert not (built.output / ".diptyque-staging").exists()


# Translations that cannot be right


def test_a_translation_without_original_is_reported(built, capsys):
    built.write(
        "content/posts/orphan.en.md", "---\ntitle: Orphan\ndate: 2021\ntranslation_of: abc\n---\n\nText.\n"
    )
    status, _, err = run(built, "build", capsys=capsys)
    assert status == 0 and "orphan.en.md: a translation (translation_of is set) whose original" in err
    assert run(built, "build", "--strict", capsys=capsys)[0] == 1
    status, out, _ = run(built, "status", "--strict", capsys=capsys)
    assert status == 1 and "orphan.en.md" in out


def test_two_files_each_claiming_to_translate_the_other(built, capsys):
    built.write("content/posts/pair.fr.md", "---\ntitle: Paire\ndate: 2021\ntranslation_of: abc\n---\n\nT.\n")
    built.write("content/posts/pair.en.md", "---\ntitle: Pair\ndate: 2021\ntranslation_of: def\n---\n\nT.\n")
    status, _, err = run(built, "build", capsys=capsys)
    assert status == 0 and "each say they translate the other" in err


def test_file_names_in_nfd_pair_with_their_nfc_original(built, capsys):
    built.write(
        "content/posts/" + unicodedata.normalize("NFC", "café.fr.md"),
        "---\ntitle: Le café\ndate: 2021-05\n---\n\nTexte.\n",
    )
    built.write(
        "content/posts/" + unicodedata.normalize("NFD", "café.en.md"),
        "---\ntitle: Coffee\ndate: 2021-05\n---\n\nText.\n",
    )
    status, _, err = run(built, "build", capsys=capsys)
    assert status == 0, err
    page = built.html("/en/2021/coffee/")
    assert page.find("link", hreflang="fr")["href"].endswith("/fr/2021/le-cafe/")


def test_failure_raises_build_failed_in_process(built):
    built.write(POST.format("bad"), "---\ntitle: T\ndate: 2021\nslug: '..'\n---\n\nTexte.\n")
    with pytest.raises(BuildFailed):
        built.build()


def test_a_template_past_its_time_budget_is_stopped(built, capsys, monkeypatch):
    monkeypatch.setattr("builder.render.PAGE_BUDGET", 0.5)  # the loop below would run for hours
    page = built.root / "themes" / "default" / "templates" / "page.html"
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    page.write_text(page.read_text().replace("{% block main %}", "{% block main %}" + loop, 1))
    err = fails_cleanly(built, capsys, expect="the template ran for more than", path="templates/page.html")
    assert "hint: look for a loop" in err


def test_a_catalog_placeholder_error_names_the_po_file_and_entry(built, capsys):
    catalog = built.root / "themes" / "default" / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("%(language)s")
    entry_end = text.index("msgstr", start)
    line = text[:entry_end].count("\n") + 1
    value_start = text.index("%(language)s", entry_end)
    catalog.write_text(
        text[:value_start] + "%(langue)s" + text[value_start + len("%(language)s") :], encoding="utf-8"
    )
    err = fails_cleanly(built, capsys, expect="themes/default/locales/fr/LC_MESSAGES/messages.po:")
    assert "placeholder" in err or "language" in err
    assert line > 0


@pytest.mark.parametrize("kind", ["latin1", "folder", "same-slug"])
def test_tags_toml_problems_are_reported(built, capsys, kind):
    tags = built.root / "content" / "tags.toml"
    if kind == "latin1":
        tags.write_bytes(tags.read_bytes() + '\n[cafe]\nfr = "Café"\nen = "Coffee"\n'.encode("latin-1"))
        fails_cleanly(built, capsys, expect="content/tags.toml", path="not UTF-8")
    elif kind == "folder":
        tags.unlink()
        tags.mkdir()
        fails_cleanly(built, capsys, expect="content/tags.toml: cannot be read")
    else:
        tags.write_text(tags.read_text() + '\n[data2]\nfr = "DONNÉES"\nen = "data"\n', encoding="utf-8")
        fails_cleanly(built, capsys, expect="have labels that give the same URL", path="content/tags.toml:")


@pytest.mark.parametrize(
    "body",
    [
        "\n".join("    " * depth + "- item" for depth in range(300)),
        "*" * 25_000 + "mot" + "*" * 25_000,
        "[a " * 10_000,
    ],
)
def test_markdown_nested_thousands_deep_is_an_error_naming_the_file(built, capsys, body):
    built.write(POST.format("deep"), f"---\ntitle: T\ndate: 2021\n---\n\nIntro.\n\n{body}\n")
    fails_cleanly(built, capsys, expect="content/posts/deep.fr.md:")
