"""Build the `Site`: published posts per language, translations grouped by key, tags, related posts."""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from types import MappingProxyType
from typing import Iterable, Mapping

from builder.config import Config
from builder.errors import BuildError
from builder.model import Document, Site, Tag


def published(doc: Document, config: Config) -> bool:
    """A draft or a post dated in the future stays out unless building with drafts."""
    if config.drafts:
        return True
    return not doc.draft and (doc.date is None or doc.date.start <= config.today)


def _newest_first(docs: Iterable[Document]) -> tuple[Document, ...]:
    return tuple(sorted(docs, key=lambda d: (d.date.order if d.date else d.date, d.key), reverse=True))


def original_language(translation_of: Mapping[str, str | None], default: str) -> str | None:
    """The language others translate from: a version with no translation_of, the default language first."""
    originals = sorted(
        (lang for lang, made_from in translation_of.items() if made_from is None),
        key=lambda lang: lang != default,
    )
    return originals[0] if originals else None


def original_of(versions: Mapping[str, Document], config: Config) -> Document | None:
    """The version others translate (see `original_language`)."""
    lang = original_language(
        {code: d.translation_of for code, d in versions.items()}, config.default_language
    )
    return versions[lang] if lang else None


def stale_translations(translations: Mapping[str, Mapping[str, Document]], config: Config):
    """Map (language, key) of each stale translation to the original it lags behind."""
    stale = {}
    for key, versions in translations.items():
        original = original_of(versions, config)
        for doc in versions.values():
            if original and doc.translation_of and doc.translation_of != original.body_digest:
                stale[(doc.lang, key[1])] = original
    return stale


def translation_anomalies(
    groups: Mapping[tuple[str, str], Mapping[str, tuple[str, str | None]]],
) -> list[BuildError]:
    """Translations that cannot be right, from (kind, key) -> language -> (file, translation_of).

    A file that says it translates something (`translation_of`) while no other version of its key exists
    translates nothing; versions that all say they are translations leave no original.
    """
    found = []
    for (_, key), versions in sorted(groups.items()):
        paths = sorted(path for path, _ in versions.values())
        if all(made_from for _, made_from in versions.values()):
            if len(versions) == 1:
                found.append(
                    BuildError(
                        paths[0],
                        None,
                        "a translation (translation_of is set) whose original does not exist",
                        f"add the original of '{key}', or remove translation_of if this file is the original",
                    )
                )
            else:
                found.append(
                    BuildError(
                        paths[0],
                        None,
                        f"{' and '.join(paths)} each say they translate the other (all have translation_of)",
                        "remove translation_of from the original",
                    )
                )
    return found


def related_posts(posts: tuple[Document, ...], count: int) -> dict[str, tuple[Document, ...]]:
    """Related articles: most shared tags first, then nearest in time.

    Candidates are the `window` posts nearest in time on each of the post's tags (found by bisection in
    each tag's date order), so the cost grows as n log n whatever the size of the vocabulary.
    """
    window = max(8, 3 * count)
    day = {doc.key: doc.date.start.toordinal() for doc in posts}
    tagset = {doc.key: frozenset(doc.tags) for doc in posts}
    by_key = {doc.key: doc for doc in posts}
    by_tag: dict[str, list[str]] = defaultdict(list)
    for doc in posts:
        for tag in doc.tags:
            by_tag[tag].append(doc.key)
    for keys in by_tag.values():
        keys.sort(key=lambda key: (day[key], key))
    days = {tag: [day[key] for key in keys] for tag, keys in by_tag.items()}
    result = {}
    for doc in posts:
        mine, when, candidates = tagset[doc.key], day[doc.key], set()
        for tag in doc.tags:
            index = bisect.bisect_left(days[tag], when)
            candidates.update(by_tag[tag][max(0, index - window) : index + window])
        candidates.discard(doc.key)
        ranked = sorted([(-len(mine & tagset[key]), abs(day[key] - when), key) for key in candidates])
        result[doc.key] = tuple(by_key[key] for _, _, key in ranked[:count])
    return result


def related_inputs(posts: tuple[Document, ...], count: int) -> str:
    """Digest of what related lists are computed from: each post's key, tags and date."""
    data = repr((count, [(d.key, d.tags, d.date.iso()) for d in posts]))
    return hashlib.sha256(data.encode()).hexdigest()


def assemble(
    documents: list[Document],
    tags: Mapping[str, Tag],
    config: Config,
    known_related: Mapping[str, tuple[str, Mapping[str, list[str]]]] | None = None,
) -> tuple[Site, list[BuildError]]:
    """Group and order the parsed documents into a Site.

    `known_related` (language -> inputs digest, key -> related keys) saved by a previous build is reused
    while no post's key, tags or date changed.
    """
    errors, seen = [], {}
    translations: dict[tuple[str, str], dict[str, Document]] = defaultdict(dict)
    for doc in sorted(documents, key=lambda d: d.path):
        if not published(doc, config):
            continue
        other = seen.get((doc.kind, doc.key, doc.lang))
        if other:
            errors.append(
                BuildError(
                    doc.path,
                    None,
                    f"{other.path} is already the '{doc.lang}' version of '{doc.key}'",
                    "give one of them another translation_key, or remove it",
                )
            )
            continue
        seen[(doc.kind, doc.key, doc.lang)] = doc
        translations[(doc.kind, doc.key)][doc.lang] = doc
    posts = {
        lang: _newest_first(d for (k, _, code), d in seen.items() if k == "post" and code == lang)
        for lang in config.codes
    }
    pages = {
        lang: tuple(
            sorted(
                (d for (k, _, code), d in seen.items() if k == "page" and code == lang), key=lambda d: d.key
            )
        )
        for lang in config.codes
    }
    tag_posts = defaultdict(list)
    for lang, docs in posts.items():
        for doc in docs:
            for tag in doc.tags:
                tag_posts[(lang, tag)].append(doc)
    related, related_digests = {}, {}
    for lang, docs in posts.items():
        known = (known_related or {}).get(lang)
        related_digests[lang] = related_inputs(docs, config.related_posts)
        if known and known[0] == related_digests[lang]:
            by_key = {d.key: d for d in docs}
            found = {key: tuple(by_key[k] for k in keys) for key, keys in known[1].items()}
        else:
            found = related_posts(docs, config.related_posts)
        related.update(((lang, key), value) for key, value in found.items())
    grouped = {key: MappingProxyType(versions) for key, versions in translations.items()}
    site = Site(
        posts=MappingProxyType(posts),
        pages=MappingProxyType(pages),
        translations=MappingProxyType(grouped),
        tags=MappingProxyType(dict(tags)),
        tag_posts=MappingProxyType({k: tuple(v) for k, v in tag_posts.items()}),
        related=MappingProxyType(related),
        related_inputs=MappingProxyType(related_digests),
        stale=MappingProxyType(stale_translations(grouped, config)),
    )
    return site, errors
