"""The translation status report as text for people (`diptyque status`) and as plain data for scripts
(`diptyque status --json`), each with the pages whose URLs the URL history still holds."""

from __future__ import annotations

from builder.config import Config
from builder.status.model import LanguageStatus, total_problems
from builder.urlhistory import gone as urls_gone
from builder.urlhistory import gone_lines


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
    total = total_problems(report)
    lines += gone_lines(config)  # pages whose URLs content/urls.toml still holds
    lines.append(
        f"total: {total} problem{'s' if total != 1 else ''}"
        + (" — the edition is complete" if not total else "")
    )
    return "\n".join(lines)


def _language_json(status: LanguageStatus, name: str) -> dict:
    """One language of the JSON report."""
    return {
        "name": name,
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


def status_json(report: dict[str, LanguageStatus], config: Config) -> dict:
    """The report as plain data for scripts (the shape `status --json` prints; see README)."""
    languages = {code: _language_json(status, config.language(code).name) for code, status in report.items()}
    total = total_problems(report)
    gone = [{"url": url, **ref._asdict()} for url, ref in urls_gone(config)]  # pages whose URLs are kept
    return {"languages": languages, "problems": total, "complete": total == 0, "gone": gone}
