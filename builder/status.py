"""Translation status: what is missing, stale or untranslated, per language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from babel.messages.pofile import read_po

from builder.assemble import original_language, translation_anomalies
from builder.config import Config
from builder.discover import discover
from builder.errors import BuildError
from builder.frontmatter import split
from builder.i18n import catalog_path
from builder.parse import Meta, parse_meta
from builder.taxonomy import TAGS_FILE, load_tags, unlisted, untranslated
from builder.translate.glossary import Miss, Term, check, load_terms
from builder.urlhistory import gone as urls_gone
from builder.urlhistory import gone_lines


class Stale(NamedTuple):
    """A translation made from an older version of its original."""

    translation: str  # its path
    original: str  # the original's path
    changed: str  # when the original was last modified (YYYY-MM-DD HH:MM)
    translation_of: str  # the digest the translation records
    digest: str  # the original's digest now: what translation_of should be once the translation is updated


class Untracked(NamedTuple):
    """A translation with no translation_of: whether it is up to date is unknown."""

    translation: str
    original: str
    digest: str  # the original's digest now, to set once the translation is checked against it


@dataclass
class LanguageStatus:
    """What one language lacks."""

    missing: list[str] = field(default_factory=list)  # originals with no translation (or only a draft one)
    drafts: dict[str, str] = field(default_factory=dict)  # original -> its draft translation
    stale: list[Stale] = field(default_factory=list)
    untracked: list[Untracked] = field(default_factory=list)
    current: list[tuple[str, str]] = field(default_factory=list)  # up-to-date (translation, original)
    tags: list[str] = field(default_factory=list)  # tag ids with no label in this language
    strings: list[str] = field(default_factory=list)  # catalog entries empty or fuzzy
    anomalies: list[str] = field(default_factory=list)  # translations that cannot be right (no original…)
    glossary: list[Miss] = field(default_factory=list)  # glossary terms not rendered (warnings, not problems)

    @property
    def complete(self) -> int:
        """The number of up-to-date translations."""
        return len(self.current)

    @property
    def problems(self) -> int:
        return (
            len(self.missing)
            + len(self.stale)
            + len(self.untracked)
            + len(self.tags)
            + len(self.strings)
            + len(self.anomalies)
        )


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


Versions = dict[str, tuple[str, Meta, str]]  # language -> (path, front matter, file text)


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


def translation_status(config: Config) -> tuple[dict[str, LanguageStatus], list[BuildError]]:
    """Compare every article and page with its translations."""
    groups, errors = article_versions(config)
    report = {code: LanguageStatus() for code in config.codes}
    paths = {path: lang for versions in groups.values() for lang, (path, _, _) in versions.items()}
    for anomaly in translation_anomalies(
        {
            group: {lang: (path, meta.translation_of) for lang, (path, meta, _) in versions.items()}
            for group, versions in groups.items()
        }
    ):
        report[paths[anomaly.path]].anomalies.append(f"{anomaly.path}: {anomaly.message}")
    terms = load_terms(config.content_dir)
    for versions in groups.values():
        _compare(config, report, versions, terms)
    tags_path = config.content_dir / TAGS_FILE
    if tags_path.exists():
        for tag_id, code in untranslated(tags_path.read_text(encoding="utf-8"), config):
            report[code].tags.append(tag_id)
    used = (tag for versions in groups.values() for _, meta, _ in versions.values() for tag in meta.tags)
    for tag_id in unlisted(used, load_tags(config)[0]):  # used by articles, missing from tags.toml
        for code in config.codes:
            report[code].tags.append(tag_id)
    for code in config.codes:
        report[code].strings = catalog_gaps(config, code)
    return report, errors


def _language_lines(status: LanguageStatus) -> list[str]:
    """The detail lines of one language."""
    lines = [
        f"  missing: {path}" + (f" (only a draft: {status.drafts[path]})" if path in status.drafts else "")
        for path in sorted(status.missing)
    ]
    lines += [
        f"  stale:   {s.translation} (the original {s.original} changed on {s.changed}; "
        f"once updated, set translation_of: {s.digest})"
        for s in sorted(status.stale)
    ]
    lines += [
        f"  untracked: {u.translation} has no translation_of, so whether it is up to date is unknown "
        f"(check it against {u.original}, then set translation_of: {u.digest})"
        for u in sorted(status.untracked)
    ]
    lines += [f"  tag without a label: {tag}" for tag in status.tags]
    lines += [f"  UI string: {text!r}" for text in status.strings]
    lines += [f"  cannot be right: {text}" for text in status.anomalies]
    return lines + [f"  glossary (warning): {miss}" for miss in status.glossary]


def format_status(report: dict[str, LanguageStatus], config: Config) -> str:
    """Human-readable report with a one-line total."""
    lines = []
    for code, status in report.items():
        name = config.language(code).name
        lines.append(
            f"{name} ({code}): {status.complete} up to date, {len(status.missing)} missing, "
            f"{len(status.stale)} stale, {len(status.untracked)} untracked, {len(status.tags)} "
            f"untranslated tags, {len(status.strings)} untranslated UI strings"
        )
        lines += _language_lines(status)
    total = sum(s.problems for s in report.values())
    lines += gone_lines(config)  # pages whose URLs content/urls.toml still holds
    lines.append(
        f"total: {total} problem{'s' if total != 1 else ''}"
        + (" — the edition is complete" if not total else "")
    )
    return "\n".join(lines)


def status_json(report: dict[str, LanguageStatus], config: Config) -> dict:
    """The report as plain data for scripts (the shape `status --json` prints; see README)."""
    languages = {}
    for code, status in report.items():
        languages[code] = {
            "name": config.language(code).name,
            "up_to_date": [{"translation": t, "original": o} for t, o in sorted(status.current)],
            "missing": [{"original": o, "draft": status.drafts.get(o)} for o in sorted(status.missing)],
            "stale": [
                {
                    "translation": s.translation,
                    "original": s.original,
                    "changed": s.changed,
                    "translation_of": s.translation_of,
                    "set_translation_of": s.digest,
                }
                for s in sorted(status.stale)
            ],
            "untracked": [
                {"translation": u.translation, "original": u.original, "set_translation_of": u.digest}
                for u in sorted(status.untracked)
            ],
            "untranslated_tags": list(status.tags),
            "untranslated_strings": list(status.strings),
            "anomalies": list(status.anomalies),
            "glossary": [{**m._asdict(), "expected": list(m.expected)} for m in status.glossary],
            "problems": status.problems,
        }
    total = sum(s.problems for s in report.values())
    gone = [{"url": url, **ref._asdict()} for url, ref in urls_gone(config)]  # pages whose URLs are kept
    return {"languages": languages, "problems": total, "complete": total == 0, "gone": gone}
