"""Cache-friendly assets: every stylesheet and script a page links is a file named by a digest of its bytes,
a changed stylesheet is a new URL in every page, and `_headers` gives hashed files a year and the rest
five minutes, with no path under two rules that set Cache-Control (Netlify and Cloudflare Pages add up the
headers of every rule a path matches)."""

from __future__ import annotations

import hashlib
import re
import shutil
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import Site

from builder.errors import BuildFailed

HASHED = re.compile(r"\.([0-9a-f]{12})(\.[^./]+)?$")
LONG = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300, must-revalidate"
NOT_SERVED = {"_headers", "_redirects"}  # read by the host, never served


def pages(site: Site) -> dict[str, BeautifulSoup]:
    """Every HTML file of the output, parsed, by path under output/."""
    return {
        p.relative_to(site.output).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "lxml")
        for p in sorted(site.output.rglob("*.html"))
    }


def linked(soup: BeautifulSoup) -> list[str]:
    """The stylesheets and scripts a page loads from a file."""
    return [tag["href"] for tag in soup.select("link[rel=stylesheet]")] + [
        tag["src"] for tag in soup.select("script[src]")
    ]


def served(site: Site, url: str, base: str = "/") -> bytes:
    """The bytes of the output file a root-relative URL names."""
    path = urlsplit(url).path
    assert path.startswith(base), url
    return (site.output / path[len(base) :]).read_bytes()


def stylesheet(site: Site, path: str = "fr/index.html") -> str:
    return BeautifulSoup(site.file("/" + path).read_text(encoding="utf-8"), "lxml").select_one(
        "link[rel=stylesheet]"
    )["href"]


def test_every_stylesheet_and_script_is_a_file_named_by_its_bytes(built):
    found = pages(built)
    assert len(found) > 20
    urls = set()
    for path, soup in found.items():
        links = linked(soup)
        assert links, f"{path} links no stylesheet"
        for url in links:
            name = HASHED.search(urlsplit(url).path)
            assert name, f"{path}: {url} carries no digest"
            data = served(built, url)
            assert hashlib.sha256(data).hexdigest()[:12] == name.group(1), f"{path}: {url} is not its bytes"
            urls.add(url)
    plain = {url: re.sub(r"\.[0-9a-f]{12}", "", url) for url in urls}
    assert set(plain.values()) == {"/static/style.css", "/static/search.js"}
    for url, name in plain.items():  # the plain name is written too, for templates that name it by hand
        assert served(built, name) == served(built, url)


def test_a_changed_stylesheet_is_a_new_url_everywhere_and_the_old_file_goes(built, tmp_path):
    old = stylesheet(built)
    css = built.root / "themes" / "default" / "static" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.new-rule { color: teal }\n", encoding="utf-8")
    built.build()
    new = stylesheet(built)
    assert new != old and b".new-rule" in served(built, new)
    assert not (built.output / old.lstrip("/")).exists()  # written by the build, so removed by it
    for path, soup in pages(built).items():
        assert old not in linked(soup), f"{path} still links {old}"
        assert new in linked(soup), f"{path} does not link {new}"
    cold = Site(tmp_path / "cold")
    shutil.copytree(built.root, cold.root, ignore=shutil.ignore_patterns("output", ".diptyque"))
    cold.build()
    assert built.snapshot() == cold.snapshot()  # the incremental build is the cold one, byte for byte


def test_a_site_stylesheet_over_the_themes_is_hashed_and_followed(built):
    before = stylesheet(built)
    built.write("static/static/style.css", "body { color: red }\n")
    built.build()
    first = stylesheet(built)
    assert first != before and served(built, first) == b"body { color: red }\n"
    built.write("static/static/style.css", "body { color: blue }\n")  # the same process, a new build
    built.build()
    assert served(built, stylesheet(built)) == b"body { color: blue }\n"
    assert not (built.output / first.lstrip("/")).exists()


def test_a_site_template_that_links_the_plain_name_keeps_working(site):
    site.write(
        "templates/404.html",
        '{% extends "default/404.html" %}{% block head %}'
        '<link rel="stylesheet" href="{{ site.root }}static/style.css">{% endblock %}\n',
    )
    site.build()
    hrefs = linked(site.html("/fr/404.html"))
    assert "/static/style.css" in hrefs
    hashed = [h for h in hrefs if HASHED.search(h)]
    assert hashed and served(site, "/static/style.css") == served(site, hashed[0])


def test_a_theme_script_imports_another_theme_file_by_a_relative_url(site):
    static = site.root / "themes" / "default" / "static"
    (static / "helper.js").write_text("export const answer = 42;\n")
    (static / "main.js").write_text('import { answer } from "./helper.js";\nconsole.log(answer);\n')
    site.write(
        "templates/404.html",
        '{% extends "default/404.html" %}{% block head %}'
        '<script type="module" src="{{ asset(\'main.js\') }}"></script>{% endblock %}\n',
    )
    site.build()
    main = [u for u in linked(site.html("/fr/404.html")) if "main." in u][0]
    assert HASHED.search(main)
    for specifier in re.findall(r'from "(\.[^"]+)"', served(site, main).decode()):
        assert served(site, urljoin(main, specifier)) == b"export const answer = 42;\n"


def test_an_unknown_asset_names_the_template_and_line(site):
    site.write(
        "templates/404.html",
        '{% extends "default/404.html" %}\n{% block head %}\n{{ asset("nowhere.css") }}{% endblock %}\n',
    )
    with pytest.raises(BuildFailed) as caught:
        site.build()
    said = str(caught.value)
    assert "templates/404.html:3" in said and "asset('nowhere.css')" in said and "static/" in said


def test_under_a_base_path_the_urls_and_rules_carry_it(site):
    config = site.root / "config.toml"
    config.write_text(config.read_text().replace('"https://diptyque.example/"', '"https://x.example/blog/"'))
    site.build()
    url = stylesheet(site)
    assert url.startswith("/blog/static/style.") and HASHED.search(url)
    assert served(site, url, base="/blog/") == (site.output / "static" / "style.css").read_bytes()
    rules = [path for path, _ in blocks(headers(site))]
    assert rules and all(path.startswith("/blog/") for path in rules)


# `_headers`, read as the two hosts read it


def headers(site: Site) -> str:
    return (site.output / "_headers").read_text(encoding="utf-8")


def blocks(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of a `_headers` file: each path with its (name, value) headers."""
    found = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t":
            name, value = line.strip().split(":", 1)
            found[-1][1].append((name.strip(), value.strip()))
        else:
            assert line.startswith("/"), line
            found.append((line.strip(), []))
    return found


def netlify(rule: str) -> re.Pattern:
    """How Netlify matches a rule's path (its CLI's documented behaviour: `*` as a whole segment matches
    the rest, `:name` one segment, trailing slashes optional, case ignored)."""
    parts = [p for p in rule.split("/") if p]
    if not parts:
        return re.compile(r"^/$")
    pattern = "^"
    for part in parts:
        if part.startswith(":"):
            pattern += "/([^/]+)/?"
        elif part == "*":
            pattern = pattern.removesuffix("/?") + "(?:|/|/(.*)/?)" if pattern != "^" else "^/?(.*)/?"
        else:
            pattern += "/" + re.escape(part) + "/?"
    return re.compile(pattern + "$", re.I)


def cloudflare(rule: str) -> re.Pattern:
    """How Cloudflare Pages matches a rule's path: `*` any characters, `:name` any but a slash."""
    pattern = ".*".join(re.escape(piece) for piece in rule.split("*"))
    pattern = re.sub(r":([A-Za-z]\w*)", "[^/]+", pattern)
    return re.compile(f"^{pattern}$")


def requests(site: Site) -> dict[str, str]:
    """Every URL a visitor may ask for, with the output file it serves."""
    found = {}
    for path in sorted(site.output.rglob("*")):
        rel = path.relative_to(site.output).as_posix()
        if path.is_file() and rel not in NOT_SERVED:
            found["/" + rel] = rel
            if path.name == "index.html":
                found["/" + rel[: -len("index.html")]] = rel
    return found


def cache_rules(text: str) -> list[tuple[str, str]]:
    return [(path, value) for path, named in blocks(text) for name, value in named if name == "Cache-Control"]


@pytest.mark.parametrize("host", [netlify, cloudflare])
def test_headers_give_each_file_one_lifetime_that_fits_its_name(built, host):
    text = headers(built)
    rules = [(host(path), path, value) for path, value in cache_rules(text)]
    assert len(blocks(text)) <= 100  # Cloudflare Pages reads at most 100 rules
    hashed = plain = 0
    for url, rel in requests(built).items():
        matching = [(path, value) for pattern, path, value in rules if pattern.match(url)]
        assert len(matching) <= 1, f"{url} matches {matching}: the host would send both"
        digest = HASHED.search(rel) or rel.startswith("img/") or re.search(r"/(fragment|index|filter)/", rel)
        if digest and not rel.endswith(".html"):
            assert matching and matching[0][1] == LONG, f"{url} is hashed but gets {matching}"
            hashed += 1
        elif rel.endswith((".html", ".xml", ".txt")) or rel.startswith("static/"):
            assert matching and matching[0][1] == SHORT, f"{url} keeps its name but gets {matching}"
            plain += 1
    assert hashed > 20 and plain > 50
    every = [named for path, named in blocks(text) if path == "/*"]
    assert every and ("X-Content-Type-Options", "nosniff") in every[0]
    assert ("Referrer-Policy", "strict-origin-when-cross-origin") in every[0]
    assert not any(name == "Cache-Control" for name, _ in every[0])


def test_the_sites_own_headers_come_first_and_are_not_repeated(site):
    own = "/fr/*\n  X-Frame-Options: DENY\n\n/*\n  Referrer-Policy: no-referrer\n"
    site.write("static/_headers", own)
    site.build()
    text = headers(site)
    assert text.startswith(own.rstrip("\n") + "\n\n")
    generated = text[len(own) :]
    assert "Referrer-Policy" not in generated and "X-Content-Type-Options: nosniff" in generated
    assert LONG in generated and SHORT in generated
    site.write("static/_headers", "/*\n  Cache-Control: no-cache\n")  # the site takes caching in hand
    site.build()
    assert cache_rules(headers(site)) == [("/*", "no-cache")]
    (site.root / "static" / "_headers").unlink()
    site.build()
    assert headers(site).startswith("# Generated by the build")


def test_an_unhashed_site_file_among_the_pictures_gives_up_their_year(site):
    site.write("static/img/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.build()
    rules = dict(cache_rules(headers(site)))
    assert "/img/*" not in rules and rules["/img/logo.svg"] == SHORT


def test_a_site_headers_file_that_is_not_utf8_names_itself(site):
    (site.root / "static").mkdir(exist_ok=True)
    (site.root / "static" / "_headers").write_bytes(b"/*\n  X-Note: caf\xe9\n")
    with pytest.raises(BuildFailed, match=r"static/_headers: is not UTF-8"):
        site.build()
