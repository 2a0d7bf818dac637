"""Translation status: what is missing, stale or untranslated, per language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from babel.messages.pofile import read_po

from builder.assemble import original_language, translation_anomalies
from builder.config import Config
from builder.discover import discover
from builder.errors import BuildError
from builder.i18n import catalog_path
from builder.parse import Meta, parse_meta
from builder.taxonomy import TAGS_FILE, load_tags, untranslated


@dataclass
class LanguageStatus:
    """What one language lacks."""

    missing: list[str] = field(default_factory=list)  # original files with no translation (or only a draft one)
    stale: list[tuple[str, str, str]] = field(default_factory=list)  # (translation, original, when the original changed)
    tags: list[str] = field(default_factory=list)  # tag ids with no label in this language
    strings: list[str] = field(default_factory=list)  # catalog entries empty or fuzzy
    anomalies: list[str] = field(default_factory=list)  # translations that cannot be right (no original…)
    complete: int = 0  # up-to-date translations

    @property
    def problems(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.tags) + len(self.strings) + len(self.anomalies)


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


def translation_status(config: Config) -> tuple[dict[str, LanguageStatus], list[BuildError]]:
    """Compare every article and page with its translations."""
    sources, errors = discover(config)
    tags, tag_errors = load_tags(config)
    errors += tag_errors
    groups: dict[tuple[str, str], dict[str, tuple[str, Meta]]] = defaultdict(dict)
    for source in sources:
        meta = parse_meta(source, tags)
        if isinstance(meta, list):
            errors += meta
        else:
            groups[(source.kind, meta.key)][source.lang] = (source.path, meta)
    report = {code: LanguageStatus() for code in config.codes}
    paths = {path: lang for versions in groups.values() for lang, (path, _) in versions.items()}
    for anomaly in translation_anomalies({group: {lang: (path, meta.translation_of)
                                                  for lang, (path, meta) in versions.items()}
                                          for group, versions in groups.items()}):
        report[paths[anomaly.path]].anomalies.append(f"{anomaly.path}: {anomaly.message}")
    for versions in groups.values():
        source = original_language({lang: m.translation_of for lang, (_, m) in versions.items()},
                                   config.default_language)
        if source is None or versions[source][1].draft:
            continue  # a draft original needs no translation yet
        original_path, original = versions[source]
        digest = original.body_digest
        changed = datetime.fromtimestamp((config.root / original_path).stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        for code in config.codes:
            if code == source:
                continue
            found = versions.get(code)
            if found is None or found[1].draft:
                report[code].missing.append(original_path)
            elif found[1].translation_of is not None and found[1].translation_of != digest:
                report[code].stale.append((found[0], original_path, changed))
            else:
                report[code].complete += 1
    tags_path = config.content_dir / TAGS_FILE
    if tags_path.exists():
        for tag_id, code in untranslated(tags_path.read_text(encoding="utf-8"), config):
            report[code].tags.append(tag_id)
    for code in config.codes:
        report[code].strings = catalog_gaps(config, code)
    return report, errors


def format_status(report: dict[str, LanguageStatus], config: Config) -> str:
    """Human-readable report with a one-line total."""
    lines = []
    for code, status in report.items():
        name = config.language(code).name
        lines.append(f"{name} ({code}): {status.complete} up to date, {len(status.missing)} missing, "
                     f"{len(status.stale)} stale, {len(status.tags)} untranslated tags, "
                     f"{len(status.strings)} untranslated UI strings")
        lines += [f"  missing: {path}" for path in sorted(status.missing)]
        lines += [f"  stale:   {path} (the original {original} changed on {when})"
                  for path, original, when in sorted(status.stale)]
        lines += [f"  tag without a label: {tag}" for tag in status.tags]
        lines += [f"  UI string: {text!r}" for text in status.strings]
        lines += [f"  cannot be right: {text}" for text in status.anomalies]
    total = sum(s.problems for s in report.values())
    lines.append(f"total: {total} problem{'s' if total != 1 else ''}" + (" — the edition is complete" if not total else ""))
    return "\n".join(lines)
