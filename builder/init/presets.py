"""What a new site says in each language `diptyque init` knows: its title and description, the about
page, the sample article (title, summary, body, slug) and its tag's label.

The texts are written once per language here; `builder.init.files` fills the files with them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    """What a new site says in one language."""

    name: str  # in the language switcher
    locale: str
    title: str  # the site's title when --title is not given
    description: str
    about_slug: str
    about_title: str
    about_body: str
    post_slug: str
    post_title: str
    post_summary: str
    post_body: str
    tag_label: str


PRESETS = {
    "fr": Preset(
        name="Français",
        locale="fr_FR",
        title="Mon carnet",
        description="Notes et chroniques, en français et en anglais.",
        about_slug="a-propos",
        about_title="À propos",
        about_body="Ce site rassemble mes notes et chroniques. Chaque page existe en français et en "
        "anglais : le sélecteur de langue, en haut de la page, mène à sa traduction.\n\n"
        "Remplacez ce texte par le vôtre dans `content/pages/about.fr.md`.\n",
        post_slug="bienvenue",
        post_title="Bienvenue",
        tag_label="Carnet",
        post_summary="Le premier article du site : comment écrire, traduire et publier.",
        post_body="Voici le premier article de ce site. Il est écrit en Markdown, dans "
        "`content/posts/bienvenue.fr.md`, et sa traduction anglaise est dans `bienvenue.en.md`.\n\n"
        "## Écrire\n\n"
        '`diptyque new "Mon titre"` crée un article (un brouillon) avec son en-tête rempli. '
        "`diptyque serve --watch` montre le site pendant que vous écrivez.\n\n"
        "## Traduire\n\n"
        "`diptyque translate-stub bienvenue --lang en` prépare la traduction d’un article ; "
        "`diptyque status` dit quelles traductions manquent ou sont en retard.\n\n"
        "## Publier\n\n"
        "`diptyque build` écrit le site dans `output/`, prêt à copier chez n’importe quel "
        "hébergeur. Voyez aussi la page [à propos](about.md).\n",
    ),
    "en": Preset(
        name="English",
        locale="en_US",
        title="My notebook",
        description="Notes and essays, in English and in French.",
        about_slug="about",
        about_title="About",
        about_body="This site gathers my notes and essays. Every page exists in English and in French: the "
        "language switcher at the top of the page leads to its translation.\n\n"
        "Replace this text with your own in `content/pages/about.en.md`.\n",
        post_slug="welcome",
        post_title="Welcome",
        tag_label="Notebook",
        post_summary="The site's first article: how to write, translate and publish.",
        post_body="This is the first article of this site. It is written in Markdown, in "
        "`content/posts/bienvenue.en.md`, and its French version is in `bienvenue.fr.md`.\n\n"
        "## Writing\n\n"
        '`diptyque new "My title"` creates an article (a draft) with its front matter filled in. '
        "`diptyque serve --watch` shows the site as you write.\n\n"
        "## Translating\n\n"
        "`diptyque translate-stub bienvenue --lang fr` prepares the translation of an article; "
        "`diptyque status` tells which translations are missing or out of date.\n\n"
        "## Publishing\n\n"
        "`diptyque build` writes the site into `output/`, ready to copy to any host. See also the "
        "[about](about.md) page.\n",
    ),
}
POST_KEY, ABOUT_KEY, TAG_ID = "bienvenue", "about", "notebook"
