"""Links by source file resolve to the target page's URL in each language; a link to no file is an error."""

from __future__ import annotations

import pytest

from builder.errors import BuildFailed

POST = "---\ntitle: {title}\ndate: 2023-05\n---\n\n{body}\n"


def test_links_by_file_resolve_in_both_languages(site):
    site.write(
        "content/posts/liens.fr.md",
        POST.format(
            title="Liens",
            body="Voir [Mars](metavers.fr.md), [le point](sections.fr.md#premier-point), "
            "[bonjour](bonjour.md) et [à propos](about.md).",
        ),
    )
    site.write(
        "content/posts/liens.en.md",
        POST.format(
            title="Links",
            body="See [hello](bonjour.md), [the French](bonjour.fr.md) and [Mars](metavers.md).",
        ),
    )
    site.build()
    french = {a.text: a["href"] for a in site.html("/fr/2023/liens/").select(".post-body a, article a")}
    assert french["Mars"] == "/fr/2022/rendez-vous-sur-mars/"
    assert french["le point"].endswith("/#premier-point")
    assert french["bonjour"] == "/fr/2024/ia-une-ambition/"
    assert french["à propos"].startswith("/fr/") and french["à propos"].endswith("/")
    english = {a.text: a["href"] for a in site.html("/en/2023/links/").select("article a")}
    assert english["hello"].startswith("/en/2024/")
    assert english["the French"] == "/fr/2024/ia-une-ambition/"
    assert english["Mars"] == "/en/2022/rendez-vous-sur-mars/"  # no English version: the fallback page
    feed = (site.output / "en" / "atom.xml").read_text(encoding="utf-8")
    assert ".md" not in feed and "https://diptyque.example/en/2024/" in feed


@pytest.mark.parametrize(
    "target,expect",
    [("nulle-part.fr.md", "no article or page"), ("relation.de.md", "no 'de' version of 'relation'")],
)
def test_a_link_to_no_file_is_an_error_with_its_line(built, target, expect):
    built.write(
        "content/posts/liens.fr.md", POST.format(title="Liens", body=f"Texte.\n\nVoir [ici]({target}).")
    )
    with pytest.raises(BuildFailed) as caught:
        built.build()
    error = next(e for e in caught.value.errors if e.path == "content/posts/liens.fr.md")
    assert expect in error.message and error.line == 8


def test_relative_links_on_a_fallback_page_lead_where_they_do_on_the_original(site):
    site.write(
        "content/posts/liens.fr.md",
        POST.format(
            title="Liens",
            body="## Haut\n\nVoir [l'IA](../../2024/ia-une-ambition/), [ici](#haut) et [accueil](/fr/).",
        ),
    )
    site.build()
    french = {a.text: a["href"] for a in site.html("/fr/2023/liens/").select("article p a")}
    assert french["l’IA"] == "../../2024/ia-une-ambition/"  # as written, on the page it was written for
    english = {a.text: a["href"] for a in site.html("/en/2023/liens/").select("article p a")}
    assert english["l’IA"] == "/fr/2024/ia-une-ambition/"  # not /en/2024/ia-une-ambition/, which is no page
    assert (site.output / "fr/2024/ia-une-ambition/index.html").exists()
    assert english["ici"] == "#haut" and english["accueil"] == "/fr/"
