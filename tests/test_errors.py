"""Bad input: every problem reported with file, line and hint; output/ left exactly as it was."""

from __future__ import annotations

import pytest

from builder.cli import main
from builder.errors import BuildFailed

POST = "content/posts/{}.fr.md"


def failing(site, **options):
    """Build, expecting failure; check output/ did not change; return the errors."""
    before = site.snapshot()
    with pytest.raises(BuildFailed) as caught:
        site.build(**options)
    assert site.snapshot() == before, "a failed build changed output/"
    return caught.value.errors


def only(errors, path):
    found = [e for e in errors if e.path == path]
    assert found, f"no error for {path} in {errors}"
    return found[0]


def test_malformed_yaml(built):
    built.write(POST.format("bad"), "---\ntitle: Bon\ndate: 2020-01-01\ntags: [ai\n---\n\nTexte.\n")
    error = only(failing(built), POST.format("bad"))
    assert "malformed YAML" in error.message and error.line in (4, 5) and error.hint


def test_missing_title(built):
    built.write(POST.format("bad"), "---\ndate: 2020-01-01\n---\n\nTexte.\n")
    error = only(failing(built), POST.format("bad"))
    assert error.message == "missing title" and "title:" in error.hint


def test_impossible_date(built):
    built.write(POST.format("bad"), "---\ntitle: T\ndate: 2021-02-30\n---\n\nTexte.\n")
    error = only(failing(built), POST.format("bad"))
    assert "not a real date" in error.message and error.line == 3


def test_unknown_tag_id_with_suggestion(built):  # a warning; an error with --strict
    built.write(POST.format("bad"), "---\ntitle: T\ndate: 2021-02-03\ntags: [metavers]\n---\n\nTexte.\n")
    error = only(failing(built, strict=True), POST.format("bad"))
    assert "tag id 'metavers' is not in content/tags.toml" in error.message and "metaverse" in error.hint
    assert error.line == 4


def test_unknown_language(built):
    built.write("content/posts/bad.de.md", "---\ntitle: T\ndate: 2021-02-03\n---\n\nText.\n")
    error = only(failing(built), "content/posts/bad.de.md")
    assert "unknown language 'de'" in error.message and "fr, en" in error.hint


@pytest.mark.parametrize("slug", ["a/b", "../../etc", "a..b"])
def test_slug_with_slash_or_dots(built, slug):
    built.write(POST.format("bad"), f"---\ntitle: T\ndate: 2021-02-03\nslug: '{slug}'\n---\n\nTexte.\n")
    error = only(failing(built), POST.format("bad"))
    assert "slug" in error.message and ("contains" in error.message) and error.line == 4


def test_two_pages_writing_the_same_url(built):
    built.write(POST.format("twin"), "---\ntitle: Rendez-vous sur Mars\ndate: 2022-05\n---\n\nAutre.\n")
    errors = failing(built)
    assert any(
        e.kind == "url"
        and "content/posts/metavers.fr.md" in e.message
        and "twin.fr.md" in e.message
        and "fr/2022/rendez-vous-sur-mars/index.html" in e.message
        for e in errors
    )


def test_template_syntax_error_names_template_and_line(built):
    template = built.root / "themes/default/templates/post.html"
    lines = template.read_text().splitlines()
    lines[4] = lines[4] + " {% if %}"
    template.write_text("\n".join(lines))
    error = failing(built)[0]
    assert error.kind == "template" and error.path.endswith("templates/post.html") and error.line == 5


def test_template_undefined_variable_names_template_and_line(built):
    template = built.root / "themes/default/templates/_macros.html"
    text = template.read_text().replace("{{ post.title }}", "{{ post.titel }}", 1)
    template.write_text(text)
    line = text[: text.index("post.titel")].count("\n") + 1
    errors = failing(built)
    assert len(errors) == 1, "the same template error is reported once, not once per page"
    assert (
        errors[0].path.endswith("templates/_macros.html")
        and errors[0].line == line
        and "titel" in errors[0].message
    )


def test_file_that_is_not_utf8(built):
    (built.root / POST.format("latin")).write_bytes(
        "---\ntitle: Été\ndate: 2020-01-01\n---\n\nÉté.\n".encode("cp1252")
    )
    error = only(failing(built), POST.format("latin"))
    assert error.kind == "encoding" and error.line == 2 and "UTF-8" in error.hint


def test_every_error_is_reported_at_once(built):
    built.write(POST.format("bad1"), "---\ndate: 2020-01-01\n---\n\nA.\n")
    built.write(POST.format("bad2"), "---\ntitle: T\ndate: 2020-13-01\ndraft: maybe\n---\n\nB.\n")
    errors = failing(built)
    assert {e.path for e in errors} == {POST.format("bad1"), POST.format("bad2")}
    assert len([e for e in errors if e.path == POST.format("bad2")]) == 2


def test_unknown_front_matter_field_suggests(built):
    built.write(POST.format("bad"), "---\ntitle: T\ndate: 2020-01-01\ntagz: [ai]\n---\n\nA.\n")
    error = only(failing(built, strict=True), POST.format("bad"))  # a warning; an error with --strict
    assert "unknown front matter field 'tagz'" in error.message and "'tags'" in error.hint


def test_config_errors_all_at_once_with_lines_and_suggestions(built):
    config = built.root / "config.toml"
    text = config.read_text()
    text = text.replace("posts_per_page = 2", "post_per_page = 2").replace('theme = "default"', "theme = 3")
    config.write_text(text)
    errors = failing(built)
    messages = {e.message: e for e in errors}
    assert messages["unknown key 'post_per_page'"].hint == "did you mean 'posts_per_page'?"
    assert messages["unknown key 'post_per_page'"].line == text.splitlines().index("post_per_page = 2") + 1
    assert any("'theme' should be a str" in m for m in messages)


def test_cli_exit_code_and_message(built, capsys):
    built.write(POST.format("bad"), "---\ndate: 2020-01-01\n---\n\nA.\n")
    code = main(["--root", str(built.root), "build"])
    err = capsys.readouterr().err
    assert code == 1 and "content/posts/bad.fr.md:1: missing title" in err and "nothing was written" in err


def test_one_run_names_the_problems_of_every_stage(built):
    """A file that cannot be read does not hide the problems of the others: a missing picture and a broken
    link in other articles are named in the same run, and a link to the unreadable file is not an error."""
    built.write(POST.format("casse"), "---\ntitle: [Cassé\ndate: 2021-01-01\n---\n\nTexte.\n")
    built.write(POST.format("image"), "---\ntitle: Image\ndate: 2021-02-01\n---\n\n![Une vue](vue.jpg)\n")
    built.write(
        POST.format("liens"),
        "---\ntitle: Liens\ndate: 2021-03-01\n---\n\n"
        "Voir [cassé](casse.fr.md) et [rien](nulle-part.fr.md).\n",
    )
    errors = failing(built)
    assert "malformed YAML" in only(errors, POST.format("casse")).message
    pictured = [e for e in errors if e.path == POST.format("image")]
    assert len(pictured) == 1 and "vue.jpg" in pictured[0].message  # not named again by the link check
    linked = [e for e in errors if e.path == POST.format("liens")]
    assert [e.message for e in linked] == ["link to nulle-part.fr.md: no article or page"]
