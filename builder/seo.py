"""What search engines and social previews read: alternates, Open Graph, JSON-LD."""

from __future__ import annotations

from builder.config import Config
from builder.model import Document, Entry
from builder.urls import absolute


def og_locale(config: Config, lang: str) -> str:
    """Open Graph wants a full locale: fr_FR, en_US."""
    locale = config.language(lang).locale
    return locale if "_" in locale else f"{locale}_{locale.upper()}"


def alternates(entry: Entry, versions: list[Entry], config: Config) -> list[dict]:
    """hreflang links: every real translation of the page (fallbacks excluded) plus x-default."""
    if entry.fallback:
        return []
    real = sorted((e for e in versions if not e.fallback), key=lambda e: config.codes.index(e.lang))
    if len(real) < 2:
        return []
    links = [{"hreflang": e.lang, "href": absolute(config, e.url)} for e in real]
    default = next((e for e in real if e.lang == config.default_language), real[0])
    return links + [{"hreflang": "x-default", "href": absolute(config, default.url)}]


def authors(doc: Document, default: str) -> dict | list[dict]:
    """JSON-LD author: the front matter's author or authors, else the site's author."""
    people = [{"@type": "Person", "name": name} for name in (doc.authors or (default,))]
    return people[0] if len(people) == 1 else people


def blog_posting(
    entry: Entry, doc: Document, versions: list[Entry], config: Config, image: str | None
) -> dict:
    """JSON-LD BlogPosting linking the language versions with workTranslation / translationOfWork."""
    language = config.language(doc.lang)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "@id": absolute(config, entry.url),
        "url": absolute(config, entry.url),
        "mainEntityOfPage": absolute(config, entry.url),
        "headline": doc.title,
        "description": doc.description or doc.summary,
        "inLanguage": doc.lang,
        "wordCount": doc.body.words,
        "keywords": [],
        "author": authors(doc, language.author),
        "publisher": {"@type": "Organization", "name": language.title},
    }
    if doc.date:
        data["datePublished"] = doc.date.iso()
    if doc.updated:
        data["dateModified"] = doc.updated.iso()
    if image:
        data["image"] = image
    real = [e for e in versions if not e.fallback and e.lang != entry.lang]
    refs = [{"@type": "BlogPosting", "@id": absolute(config, e.url), "inLanguage": e.lang} for e in real]
    if refs and doc.translation_of:
        data["translationOfWork"] = refs[0] if len(refs) == 1 else refs
    elif refs:
        data["workTranslation"] = refs
    return data
