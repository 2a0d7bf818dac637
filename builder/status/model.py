"""What the translation status report holds for each language: missing, stale and untracked translations,
untranslated tags and UI strings, impossible translations and glossary warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from builder.translate.glossary import Miss


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
        """The number of problems: everything listed but up-to-date translations and glossary warnings."""
        return (
            len(self.missing)
            + len(self.stale)
            + len(self.untracked)
            + len(self.tags)
            + len(self.strings)
            + len(self.anomalies)
        )


def total_problems(report: dict[str, LanguageStatus]) -> int:
    """The number of problems over every language."""
    return sum(status.problems for status in report.values())
