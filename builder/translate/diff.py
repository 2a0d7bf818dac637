"""`status --diff`: the blocks of an original that changed since its translation was made, beside the
translation's block at the same place, as plain text for the terminal."""

from __future__ import annotations

from builder.config import Config
from builder.translate.align import ADDED, CHANGED, REMOVED, SAME, Pair, word_diff
from builder.translate.articles import find_article, translation_languages
from builder.translate.segments import Comparison, compare

WIDTH = 15  # width of the labels column


def _row(label: str, text: str | None) -> list[str]:
    """A labelled text, its further lines indented under the first."""
    lines = (text if text is not None else "(none)").split("\n")
    return [f"  {label:<{WIDTH}}| {lines[0]}"] + [f"  {'':<{WIDTH}}| {line}" for line in lines[1:]]


def _where(comparison: Comparison, pair: Pair) -> str:
    """The block's kind and line in the original now (or then, for a removed block)."""
    block = pair.now or pair.then
    original = comparison.article.original
    if pair.now is None:
        return f"{block.label}, was at line {block.line} of the body"
    return f"{block.label}, line {original.parsed.body_line + block.line - 1} of {original.path}"


def _pair(comparison: Comparison, pair: Pair) -> list[str]:
    """The lines shown for one changed, added, removed or unknown block."""
    title = {CHANGED: "changed", ADDED: "added", REMOVED: "removed"}.get(pair.state, "block")
    lines = [f"{title}: {_where(comparison, pair)}"]
    if pair.state in (CHANGED, REMOVED):
        lines += _row("original then", pair.then.text)
    if pair.state != REMOVED:
        lines += _row("original now", pair.now.text)
    if pair.state == CHANGED:
        lines += _row("change", word_diff(pair.then.text, pair.now.text))
    translation = pair.translation.text if pair.translation else None
    if pair.state == ADDED:
        translation = None
    lines += _row("translation", translation)
    return lines + [""]


def _heading(comparison: Comparison, lang: str) -> list[str]:
    """What is compared with what, and the digest to set once the translation is updated."""
    article = comparison.article
    original, translation = article.original, article.translation
    state = comparison.state
    shown = translation.path if translation else f"{original.path.rsplit('/', 1)[0]}/{article.target.name}"
    label = "up to date" if state == "current" else state
    lines = [f"{shown} ({lang}): {label}, a translation of {original.path}"]
    if state in ("stale", "untracked") or state == "draft" and translation.translation_of != original.digest:
        lines.append(f"once it is updated, set translation_of: {original.digest}")
    return lines


def _changes(comparison: Comparison) -> list[str]:
    """The changed, added and removed blocks, with a count."""
    changed = [pair for pair in comparison.pairs if pair.state != SAME]
    found = comparison.found
    counts = {state: sum(1 for p in changed if p.state == state) for state in (CHANGED, ADDED, REMOVED)}
    lines = [
        (
            f"made from {comparison.article.original.path} as of commit {found.revision[:10]}: "
            f"{counts[CHANGED]} block(s) changed, {counts[ADDED]} added, {counts[REMOVED]} removed since"
        )
    ]
    if not comparison.aligned:
        lines.append(
            "note: the translation's blocks do not match that version's: they are paired by position"
        )
    return lines + [""] + [line for pair in changed for line in _pair(comparison, pair)]


def format_diff(comparison: Comparison, lang: str) -> str:
    """The report for one translation."""
    lines = _heading(comparison, lang)
    state, found = comparison.state, comparison.found
    if state == "missing":
        lines.append(
            "there is no translation yet: write one with `diptyque translate-stub` or "
            "`diptyque translate export`"
        )
    elif comparison.article.translation.translation_of == comparison.article.original.digest:
        lines.append("the original has not changed since the translation was made: nothing to show")
    elif found.parsed is None:
        lines += [
            f"the version it was made from is unknown: {found.reason}",
            "the whole original follows, each block beside the translation's at the same place",
            "",
        ]
        lines += [line for pair in comparison.pairs for line in _pair(comparison, pair)]
    else:
        lines += _changes(comparison)
    return "\n".join(lines).rstrip("\n")


def diff_report(config: Config, key: str, lang: str | None) -> str:
    """`status --diff KEY`: for each translation of `key` (or only the one into `lang`)."""
    codes = [lang] if lang is not None else translation_languages(config, key)
    return "\n\n".join(format_diff(compare(config, find_article(config, key, code)), code) for code in codes)
