"""Build the translation status report: read every article and page with its versions, sort each
translation into up to date, stale, untracked, draft or missing, and add the tags, UI strings and glossary
terms each language lacks."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from babel.messages.pofile import read_po

from builder.assemble import original_language, translation_anomalies
from builder.config import Config
from builder.discover import discover
from builder.errors import BuildError
from builder.frontmatter import split
from builder.i18n import catalog_path
from builder.parse import Meta, parse_meta
from builder.sandbox import read_text
from builder.status.model import LanguageStatus, Stale, Untracked
from builder.taxonomy import TAGS_FILE, load_tags, unlisted, untranslated
from builder.translate.glossary import Miss, Term, check, load_terms
from builder.urlhistory.reading import problems as history_problems

Versions = dict[str, tuple[str, Meta, str]]  # language -> (path, front matter, file text)


def catalog_gaps(config: Config, lang: str) -> list[str]:
    """Message ids whose translation is empty or fuzzy in a language's catalog."""
    path = catalog_path(config.theme_dir, lang)
    if not path.exists():
        return ["(no catalog)"]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=config.language(lang).locale)
    gaps = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            gaps.append(message.id[0] if isinstance(message.id, tuple) else message.id)
    return gaps


def article_versions(config: Config) -> tuple[dict[tuple[str, str], Versions], list[BuildError]]:
    """Every article and page, by (kind, key), with its versions."""
    sources, errors = discover(config)
    tags, tag_errors = load_tags(config)
    errors += tag_errors
    groups: dict[tuple[str, str], Versions] = defaultdict(dict)
    for source in sources:
        meta = parse_meta(source, tags)
        if isinstance(meta, list):
            errors += meta
        else:
            groups[(source.kind, meta.key)][source.lang] = (source.path, meta, source.text)
    return groups, errors


def _glossary_text(meta: Meta) -> str:
    """What the glossary check reads: the body first (so line numbers hold), then the title and summary."""
    return f"{meta.body}\n{meta.title}\n{meta.summary}"


def _glossary(
    terms: list[Term], original: tuple[str, Meta, str], translation: tuple[str, Meta, str]
) -> list[Miss]:
    """Glossary misses of one translation, with lines in the original's file."""
    misses = check(
        terms, (original[0], _glossary_text(original[1])), (translation[0], _glossary_text(translation[1]))
    )
    parsed = split(original[2], original[0])
    offset = parsed.body_line - 1 if not isinstance(parsed, BuildError) else 0
    lines = original[1].body.count("\n") + 1
    return [
        miss._replace(line=miss.line + offset if miss.line and miss.line <= lines else None)
        for miss in misses
    ]


def _compare(
    config: Config, report: dict[str, LanguageStatus], versions: Versions, terms: list[Term]
) -> None:
    """Sort each translation of one article into up to date, stale, untracked, draft or missing."""
    source = original_language(
        {lang: m.translation_of for lang, (_, m, _) in versions.items()}, config.default_language
    )
    if source is None or versions[source][1].draft:
        return  # a draft original needs no translation yet
    original_path, original, _ = versions[source]
    digest = original.body_digest
    changed = datetime.fromtimestamp((config.root / original_path).stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    for code in config.codes:
        found = versions.get(code)
        if code == source:
            continue
        status = report[code]
        if found is None or found[1].draft:
            status.missing.append(original_path)
            if found is not None:
                status.drafts[original_path] = found[0]
            continue
        path, meta, _ = found
        if meta.translation_of is None:
            status.untracked.append(Untracked(path, original_path, digest))
        elif meta.translation_of != digest:
            status.stale.append(Stale(path, original_path, changed, meta.translation_of, digest))
        else:
            status.current.append((path, original_path))
        status.glossary += _glossary(terms, versions[source], found)


def _anomalies(report: dict[str, LanguageStatus], groups: dict[tuple[str, str], Versions]) -> None:
    """List under its language each translation that cannot be right (no original, two originals…)."""
    paths = {path: lang for versions in groups.values() for lang, (path, _, _) in versions.items()}
    for anomaly in translation_anomalies(
        {
            group: {lang: (path, meta.translation_of) for lang, (path, meta, _) in versions.items()}
            for group, versions in groups.items()
        }
    ):
        report[paths[anomaly.path]].anomalies.append(f"{anomaly.path}: {anomaly.message}")


def _tags(config: Config, report: dict[str, LanguageStatus], groups: dict[tuple[str, str], Versions]) -> None:
    """List the tags with no label in a language, and the tags articles use that tags.toml lacks."""
    tags, errors = load_tags(config)
    if errors:  # reported with the articles' errors (`article_versions`): nothing to compare
        return
    tags_path = config.content_dir / TAGS_FILE
    if tags_path.exists():
        for tag_id, code in untranslated(read_text(tags_path), config):
            report[code].tags.append(tag_id)
    used = (tag for versions in groups.values() for _, meta, _ in versions.values() for tag in meta.tags)
    for tag_id in unlisted(used, tags):  # used by articles, missing from tags.toml
        for code in config.codes:
            report[code].tags.append(tag_id)


def translation_status(config: Config) -> tuple[dict[str, LanguageStatus], list[BuildError]]:
    """Compare every article and page with its translations."""
    groups, errors = article_versions(config)
    report = {code: LanguageStatus() for code in config.codes}
    _anomalies(report, groups)
    terms, unreadable = load_terms(config.content_dir)
    errors = errors + unreadable + history_problems(config)
    for versions in groups.values():
        _compare(config, report, versions, terms)
    _tags(config, report, groups)
    for code in config.codes:
        report[code].strings = catalog_gaps(config, code)
    return report, errors
