"""Choose 2–5 tags per article from the vocabulary, by weighted keyword evidence that can be explained.

Each tag's keywords come from its `keywords = [...]` array in content/tags.toml: plain words or phrases
matched as whole words, case-insensitively; a keyword written in capitals ("IA") matches only in capitals;
a word ending in `*` matches any word starting with it ("innov*").
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from builder.errors import BuildError, toml_line

TITLE_WEIGHT = 3  # a keyword in the title counts as much as three in the body
MIN_TAGS, MAX_TAGS = 2, 5
KEYWORDS_FIELD = "keywords"
APOSTROPHE = "['’ʼ]"  # a straight or typographic apostrophe in a keyword matches any of them


@dataclass(frozen=True)
class Keyword:
    """One keyword of a tag, as written in tags.toml and as matched."""

    text: str  # as written, shown by --explain
    pattern: re.Pattern  # whole-word matcher
    needle: str  # casefolded text every match contains (a quick test before the matcher)
    exact: bool  # written in capitals: case matters


Vocabulary = dict[str, tuple[Keyword, ...]]  # tag id → its keywords, in tags.toml order


@dataclass(frozen=True)
class TagChoice:
    """The tags chosen for an article, with the evidence for each."""

    tags: tuple[str, ...]  # chosen tag ids, strongest first
    # (tag, score, ((keyword, title hits, body hits), …)) per chosen tag
    evidence: tuple[tuple[str, int, tuple[tuple[str, int, int], ...]], ...]


def _in_capitals(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def keyword(text: str) -> Keyword | str:
    """Compile one keyword into a whole-word matcher, or say what is wrong with it."""
    words = text.split()
    if not words:
        return "a keyword is empty"
    parts = []
    for word in words:
        stem = word.removesuffix("*")
        if not stem or "*" in stem:
            return f'keyword {text!r}: a * may only end a word ("innov*"), after at least one letter'
        matcher = re.sub(r"\\?['’ʼ]", APOSTROPHE, re.escape(stem))
        parts.append(matcher + (r"\w*" if word.endswith("*") else ""))
    exact = _in_capitals(text)
    needle = re.split(r"['’ʼ]", words[0].removesuffix("*"))[0]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", 0 if exact else re.IGNORECASE)
    return Keyword(text, pattern, needle if exact else needle.casefold(), exact)


def _line_of(text: str, tag: str, needle: str) -> int | None:
    """Line of `needle` inside the [tag] table of the TOML text (the table's line if not found)."""
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines, 1) if line.strip() == f"[{tag}]"), None)
    if start is None:
        return None
    for number in range(start, len(lines) + 1):
        if number > start and lines[number - 1].lstrip().startswith("["):
            break
        if needle in lines[number - 1]:
            return number
    return start


def _keywords(tag: str, table: object, text: str, path: str) -> tuple[tuple[Keyword, ...], list[BuildError]]:
    """One tag's compiled keywords, with an error for each that cannot be used."""
    if not isinstance(table, dict):
        return (), [
            BuildError(
                path,
                _line_of(text, tag, tag),
                f"tag '{tag}' should be a table",
                f'write [{tag}], its labels, then keywords = ["…", "…"]',
            )
        ]
    words = table.get(KEYWORDS_FIELD, [])
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        return (), [
            BuildError(
                path,
                _line_of(text, tag, KEYWORDS_FIELD),
                f"the keywords of tag '{tag}' should be a list of strings",
                'write keywords = ["intelligence artificielle", "IA", "algorithme*"]',
            )
        ]
    found, errors = [], []
    for word in words:
        compiled = keyword(word)
        if isinstance(compiled, str):
            errors.append(
                BuildError(
                    path,
                    _line_of(text, tag, f'"{word}"'),
                    compiled,
                    "write plain words or phrases; end a word with * to match a prefix",
                )
            )
        else:
            found.append(compiled)
    return tuple(found), errors


def parse(text: str, path: str) -> tuple[Vocabulary, list[BuildError]]:
    """Read the tag ids and their keywords from tags.toml text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, [
            BuildError(
                path,
                toml_line(exc),
                f"invalid TOML: {exc}",
                "fix the syntax at that line, then import again",
            )
        ]
    vocabulary: Vocabulary = {}
    errors: list[BuildError] = []
    for tag, table in data.items():
        vocabulary[tag], problems = _keywords(tag, table, text, path)
        errors += problems
    return vocabulary, errors


def load(path: Path) -> tuple[Vocabulary, list[BuildError]]:
    """Read content/tags.toml; a file that cannot be read is an error naming it."""
    if not path.is_file():
        return {}, [
            BuildError(
                str(path),
                None,
                "is not a regular file, so the tag vocabulary cannot be read",
                "make content/tags.toml a plain TOML file, or remove it to import without tags",
            )
        ]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return {}, [
            BuildError(
                str(path),
                None,
                f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                "save the file as UTF-8",
                "encoding",
            )
        ]
    except OSError as exc:
        return {}, [
            BuildError(
                str(path),
                None,
                f"cannot read the tag vocabulary ({exc.strerror or exc})",
                "make content/tags.toml a readable file, or remove it to import without tags",
            )
        ]
    return parse(text, str(path))


def _count(word: Keyword, text: str, folded: str) -> int:
    return len(word.pattern.findall(text)) if word.needle in (text if word.exact else folded) else 0


def _score(keywords: tuple[Keyword, ...], title: tuple[str, str], body: tuple[str, str]) -> tuple[int, tuple]:
    """A tag's score and its ((keyword, title hits, body hits), …), from (text, casefolded text) pairs."""
    hits = []
    for word in keywords:
        in_title, in_body = _count(word, *title), _count(word, *body)
        if in_title or in_body:
            hits.append((word.text, in_title, in_body))
    return sum(TITLE_WEIGHT * t + b for _, t, b in hits), tuple(hits)


def choose(title: str, body: str, vocabulary: Vocabulary, fallback: tuple[str, ...] = ()) -> TagChoice:
    """Score every tag (title hits weigh TITLE_WEIGHT) and keep the strong ones, MIN_TAGS to MAX_TAGS;
    too little evidence is completed from `fallback` (the neighbouring articles' tags)."""
    scored = []
    texts = (title, title.casefold()), (body, body.casefold())
    for tag, keywords in vocabulary.items():
        score, hits = _score(keywords, *texts)
        if score:
            scored.append((score, tag, hits))
    scored.sort(key=lambda item: (-item[0], item[1]))
    top = scored[0][0] if scored else 0
    kept = [item for item in scored if item[0] >= max(3, top * 0.3)][:MAX_TAGS]
    if len(kept) < MIN_TAGS:
        kept = scored[:MIN_TAGS]
    for tag in fallback:
        if len(kept) >= MIN_TAGS:
            break
        if tag not in {t for _, t, _ in kept} and tag in vocabulary:
            kept.append((0, tag, (("(no keyword: tag of the neighbouring articles)", 0, 0),)))
    return TagChoice(tuple(tag for _, tag, _ in kept), tuple((tag, score, hits) for score, tag, hits in kept))


def commonest(choices: list[TagChoice], vocabulary: Vocabulary) -> tuple[str, ...]:
    """Every tag id, the ones chosen most often first (then in tags.toml order): the last resort fallback."""
    counts = Counter(tag for choice in choices for tag in choice.tags)
    order = list(vocabulary)
    return tuple(sorted(order, key=lambda tag: (-counts[tag], order.index(tag))))


def explain(choice: TagChoice) -> list[str]:
    """One line per chosen tag: its score and the keywords (title hits, body hits) that chose it."""
    lines = []
    for tag, score, hits in choice.evidence:
        words = ", ".join(
            kw if not (t or b) else f"{kw} ×{t + b}" + (f" (title {t})" if t else "")
            for kw, t, b in sorted(hits, key=lambda h: -(TITLE_WEIGHT * h[1] + h[2]))
        )
        lines.append(f"{tag} (score {score}): {words}")
    return lines
