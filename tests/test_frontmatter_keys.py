"""Front matter as other generators write it: unknown keys warn (errors with --strict), common keys used,
dates with times and zones kept, TOML read, Jekyll file names dated, tags missing from tags.toml published.

The fixture `imported` holds posts written the way Hugo, Jekyll and Zola blogs write them."""

from __future__ import annotations

import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import copy_site

from builder.cli import main
from builder.errors import BuildFailed
from builder.frontmatter import split
from builder.model import PostDate
from builder.parse import parse_date

HUGO = "content/posts/hugo-deploy.en.md"
ZOLA = "content/posts/zola-traits.en.md"
JEKYLL = "content/posts/2013-05-06-welcome-to-jekyll.en.markdown"


@pytest.fixture
def imported(tmp_path):
    """The fixture of imported posts, not yet built."""
    return copy_site("imported", tmp_path)


def cli_build(site, capsys, *options) -> tuple[int, list[str]]:
    """Build through the command line; return its exit code and its warning lines."""
    code = main(["--root", str(site.root), "build", *options])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if line.startswith("warning: ")]


def jsonld(page: BeautifulSoup) -> dict:
    return json.loads(page.find("script", type="application/ld+json").string)


def test_imported_posts_build_with_warnings_only(imported, capsys):
    code, warnings = cli_build(imported, capsys)
    assert code == 0
    expected = [
        f"{JEKYLL}:2: unknown front matter field 'layout'",
        f"{JEKYLL}:5: unknown front matter field 'categories'",
        f"{JEKYLL}:10: a Liquid tag {{% highlight ruby %}}",
        f"{HUGO}:8: unknown front matter field 'categories'",
        f"{HUGO}:9: tag id 'ci' is not in content/tags.toml",
        f"{HUGO}:36: a Hugo shortcode {{{{< youtube",
        f"{ZOLA}:7: tag id 'programming'",
        "content/posts/notes.txt: a file in content/posts that no article shows or links to",
    ]
    for start in expected:
        assert any(line.startswith(f"warning: {start}") for line in warnings), start
    assert (imported.output / "en" / "2013" / "welcome-to-jekyll" / "index.html").exists()  # .markdown read


def test_strict_turns_the_warnings_into_errors(imported, capsys):
    code, _ = cli_build(imported, capsys, "--strict")
    assert code != 0 and not (imported.output / "en").exists()
    with pytest.raises(BuildFailed) as failed:
        imported.build(strict=True)
    errors = {(e.path, e.line) for e in failed.value.errors}
    assert {(HUGO, 8), (HUGO, 36), (JEKYLL, 2), (ZOLA, 7), ("content/posts/notes.txt", None)} <= errors


def test_a_misspelt_key_names_the_nearest_known_one(imported, capsys):
    imported.write(
        "content/posts/typo.en.md", "---\ntittle: Typo\ntitle: Typo\ndate: 2021-01-01\n---\n\nA.\n"
    )
    _, warnings = cli_build(imported, capsys)
    line = next(w for w in warnings if "typo.en.md" in w)
    assert line.startswith("warning: content/posts/typo.en.md:2: unknown front matter field 'tittle'")
    assert "did you mean 'title'?" in line


def test_the_structure_is_what_the_authors_wrote(imported):
    imported.build()
    prose = imported.html("/en/2019/deploying-a-hugo-site-with-github-actions/").select_one(".prose")
    lists = prose.find_all("ul", recursive=False)
    assert [li.contents[0].strip() for li in lists[0].find_all("li", recursive=False)] == [
        "no server to maintain",
        "builds are reproducible",
    ]
    assert [li.get_text() for li in lists[0].select("li ul li")] == ["same Hugo version", "same theme commit"]
    assert [li.get_text() for li in lists[1].find_all("li")] == ["a few minutes per build"]
    steps = prose.find("ol")
    assert "language-yaml" in steps.li.select_one("div.highlight")["class"]  # the fence inside the item
    assert steps.li.select_one("pre").get_text().startswith("name: deploy\non:\n  push:")
    assert [td.get_text() for td in prose.select("tbody td")] == ["Build", "42s", "Publish", "8s"]
    assert prose.select_one(".footnote li").get_text().strip().startswith("The first run takes longer")
    zola = imported.html("/en/2020/traits-in-rust-from-the-ground-up/").select_one(".prose")
    firsts = [pre.get_text().split("\n")[0] for pre in zola.select("pre")]
    assert firsts == ["trait Speak {", "impl Speak for Dog {"]
    assert zola.select_one("del").get_text() == "never" and len(zola.select(".task-list-item")) == 2
    assert zola.find("code", string="Vec<`T`>") is not None


def test_description_author_and_updated(imported):
    imported.build()
    page = imported.html("/en/2019/deploying-a-hugo-site-with-github-actions/")
    assert (
        page.find("meta", attrs={"name": "description"})["content"]
        == "A workflow that builds and publishes the site on every push."
    )
    data = jsonld(page)
    assert data["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert data["datePublished"] == "2019-03-11T13:00:00-05:00"
    assert data["dateModified"] == "2019-04-02T09:15:00-05:00"
    french = jsonld(imported.html("/fr/2019/deployer-un-site-hugo-avec-github-actions/"))
    assert [a["name"] for a in french["author"]] == ["Jane Doe", "Jean Dupont"]
    assert french["description"].startswith("Chaque envoi sur main")  # no description: the summary
    jekyll = jsonld(imported.html("/en/2013/welcome-to-jekyll/"))
    assert jekyll["author"] == {"@type": "Person", "name": "Diptyque"}  # none given: the site's
    feed = feedparser.parse((imported.output / "en" / "atom.xml").read_bytes())
    entries = {e.title: e for e in feed.entries}
    hugo = entries["Deploying a Hugo site with GitHub Actions"]
    assert hugo.author == "Jane Doe" and hugo.updated == "2019-04-02T09:15:00-05:00"
    assert hugo.published == "2019-03-11T13:00:00-05:00"
    assert entries["Traits in Rust, from the ground up"].updated == "2020-06-15T00:00:00+00:00"
    sitemap = BeautifulSoup((imported.output / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    lastmod = {u.loc.get_text(): u.lastmod.get_text() for u in sitemap.find_all("url") if u.lastmod}
    assert (
        lastmod["https://diptyque.example/en/2019/deploying-a-hugo-site-with-github-actions/"]
        == "2019-04-02T09:15:00-05:00"
    )
    assert lastmod["https://diptyque.example/en/2020/traits-in-rust-from-the-ground-up/"] == "2020-06-15"


def test_extra_reaches_the_templates_as_is(imported):
    post = imported.root / "themes" / "default" / "templates" / "post.html"
    post.write_text(
        post.read_text(encoding="utf-8").replace(
            "{% block main %}",
            '{% block main %}{% if doc.extra %}<p id="extra">{{ doc.extra.cover }} {{ doc.extra.toc }}</p>'
            "{% endif %}",
        ),
        encoding="utf-8",
    )
    imported.build()
    assert (
        imported.html("/en/2020/traits-in-rust-from-the-ground-up/").select_one("#extra").get_text()
        == "ferris.png True"
    )


def test_dates_keep_their_time_and_zone_and_order_same_day_posts(imported):
    assert parse_date("2019-03-11T13:00:00-05:00") == PostDate(2019, 3, 11, "13:00:00", "-05:00")
    assert parse_date("2013-05-06 02:12:52 +0200") == PostDate(2013, 5, 6, "02:12:52", "+02:00")
    assert parse_date("2020-06-01T09:30Z").iso() == "2020-06-01T09:30Z"
    assert parse_date("2024-03").iso() == "2024-03" and "not a real date" in parse_date("2024-02-30T10:00")
    assert "not a real date" in parse_date("2024-02-03T25:00") and "no day" in parse_date("2024-02 10:00")
    imported.build()
    home = imported.html("/en/")
    titles = [h.get_text(strip=True) for h in home.select(".card-title")]
    assert titles[-3:] == ["Dated by its file name", "Later the same day", "Welcome to Jekyll!"]
    page = imported.html("/en/2013/welcome-to-jekyll/")
    time = page.select_one(".post-head time")
    assert time["datetime"] == "2013-05-06T02:12:52+02:00" and time.get_text() == "May 6, 2013"
    dated = imported.html("/en/2013/dated-by-its-file-name/").select_one(".post-head time")
    assert dated["datetime"] == "2013-05-07"  # from the file name 2013-05-07-no-date.en.md
    feed = feedparser.parse((imported.output / "en" / "atom.xml").read_bytes())
    assert {e.title: e.published for e in feed.entries}["Later the same day"] == "2013-05-06T18:40:00+02:00"


def test_toml_front_matter_is_read_with_line_numbers(imported):
    text = (imported.root / ZOLA).read_text(encoding="utf-8")
    parsed = split(text, ZOLA)
    assert parsed.meta["title"] == "Traits in Rust, from the ground up" and parsed.body_line == 14
    imported.write(
        "content/posts/bad.en.md", '+++\ntitle = "Bad"\ndate = 2020-01-01\ntags = [rust\n+++\n\nA.\n'
    )
    with pytest.raises(BuildFailed) as failed:
        imported.build()
    error = next(e for e in failed.value.errors if e.path == "content/posts/bad.en.md")
    assert "malformed TOML" in error.message and error.line in (4, 5)
    imported.write("content/posts/bad.en.md", '+++\ntitle = "Bad"\ndate = 2020-01-01\n\nText.\n')
    with pytest.raises(BuildFailed, match="TOML front matter block is never closed"):
        imported.build()


def test_a_tag_missing_from_the_vocabulary_is_published_and_listed_by_status(imported, capsys):
    imported.build()
    tags = imported.html("/en/2019/deploying-a-hugo-site-with-github-actions/").select(".post-head .tag")
    assert [t.get_text() for t in tags] == ["Hugo", "ci"]
    assert imported.file(tags[1]["href"]).exists()
    assert main(["--root", str(imported.root), "status"]) == 0
    out = capsys.readouterr().out
    assert "tag without a label: ci" in out and "tag without a label: programming" in out
    assert main(["--root", str(imported.root), "status", "--strict"]) == 1


def test_stray_files_warn_unless_an_article_uses_them(imported, capsys):
    text = (imported.root / ZOLA).read_text(encoding="utf-8")
    imported.write(ZOLA, text + "\nSee [my notes](notes.txt).\n")
    _, warnings = cli_build(imported, capsys)
    assert not any("notes.txt" in line for line in warnings)


def test_template_tags_in_code_are_not_reported(imported, capsys):
    imported.write(
        "content/posts/liquid.en.md",
        "---\ntitle: Liquid\ndate: 2021-01-01\n---\n\n"
        "Use `{% raw %}`.\n\n"
        '```liquid\n{% for post in site.posts %}\n```\n\nBut {{< ref "x" >}} here.\n',
    )
    _, warnings = cli_build(imported, capsys)
    found = [line for line in warnings if "liquid.en.md" in line]
    assert len(found) == 1 and found[0].startswith("warning: content/posts/liquid.en.md:12: a Hugo shortcode")


def test_a_hero_picture_in_the_article_folder_is_no_stray_file(imported, capsys):
    """`image: {src: photo.png}` finds the picture in content/posts/<key>/ as well as beside the article."""
    from PIL import Image

    folder = imported.root / "content" / "posts" / "photo-essay"
    folder.mkdir()
    Image.new("RGB", (640, 400), "#8a2a1b").save(folder / "photo.png")
    imported.write(
        "content/posts/photo-essay.en.md",
        "---\ntitle: A photo essay\ndate: 2021-02-03\nimage: {src: photo.png, alt: A red field}\n---\n"
        "\nText.\n",
    )
    _, warnings = cli_build(imported, capsys)
    assert not any("photo.png" in line for line in warnings), warnings
    page = imported.html("/en/2021/a-photo-essay/")
    assert page.find("meta", property="og:image")["content"].endswith(".png")
