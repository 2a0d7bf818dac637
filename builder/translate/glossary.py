"""The glossary check: a term of content/GLOSSARY.md in an original whose translation uses none of the
glossary's renderings. Deliberately conservative: a warning, never an error."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from builder.errors import BuildError, not_utf8
from builder.sandbox import read_text

GLOSSARY = "GLOSSARY.md"
HEADER = ("french", "english", "note")
SKIP_NOTE = "by context"  # rows whose rendering depends on the context are not checked
APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


@dataclass(frozen=True)
class Term:
    """One row of the glossary's terms table."""

    french: tuple[str, ...]  # the French forms
    english: tuple[str, ...]  # accepted English renderings
    line: int  # its line in GLOSSARY.md

    @property
    def label(self) -> str:
        return ", ".join(self.french)


class Miss(NamedTuple):
    """A glossary term found in an original whose translation does not use its rendering."""

    translation: str  # the translation's path
    original: str  # the original's path
    term: str  # the French term as the glossary gives it
    expected: tuple[str, ...]  # the renderings the translation could use
    line: int | None  # where the term first appears in the original

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return (
            f"{self.translation}: the original{where} says '{self.term}', the translation uses none of: "
            f"{', '.join(self.expected)} (content/{GLOSSARY})"
        )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _forms(cell: str, separators: str) -> tuple[str, ...]:
    """The forms a cell lists: split on the separators, parentheses opened as forms of their own."""
    cell = cell.translate(APOSTROPHES).replace('"', "")
    inner = re.findall(r"\(([^)]*)\)", cell)
    outer = re.sub(r"\([^)]*\)", " ", cell)
    forms = []
    for part in re.split(separators, outer) + [p for group in inner for p in re.split(separators, group)]:
        part = re.sub(r"^the\s+", "", " ".join(part.split()), flags=re.IGNORECASE)
        if len(part) > 1 and part not in forms:
            forms.append(part)
    return tuple(forms)


def load_terms(content_dir: Path) -> tuple[list[Term], list[BuildError]]:
    """The rows of the glossary's `| French | English | note |` table (none when there is no glossary), and
    the error of a glossary there that cannot be read."""
    path = content_dir / GLOSSARY
    shown = f"{content_dir.name}/{GLOSSARY}"
    try:
        text = read_text(path)  # not a FIFO's wait
    except FileNotFoundError:
        if os.path.islink(path):  # a link to nothing: a glossary meant to be there, not "no glossary"
            problem = "a symbolic link that leads nowhere"
            return [], [BuildError(shown, None, problem, "fix or remove the link")]
        return [], []
    except UnicodeDecodeError as exc:  # its object: the file's bytes
        return [], [not_utf8(exc.object, shown)]
    except OSError as exc:
        problem = f"cannot be read: {exc.strerror or exc}"
        return [], [BuildError(shown, None, problem, "make it a readable file")]
    terms, in_table = [], False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.lstrip().startswith("|"):
            in_table = False
            continue
        cells = _cells(line)
        if tuple(c.lower() for c in cells[:3]) == HEADER:
            in_table = True
        elif in_table and len(cells) >= 2 and not set(cells[0]) <= set("-: ") and SKIP_NOTE not in line:
            french = tuple(f for f in _forms(cells[0], r",") if "/" not in f)
            english = _forms(cells[1], r"[,/]")
            if french and english:
                terms.append(Term(french, english, number))
    return terms, []


def _french_pattern(form: str) -> re.Pattern:
    """A French form as a whole word (plural allowed); its case kept when it has capitals after the first."""
    body = re.escape(form[1:])
    first = f"[{re.escape(form[0].lower())}{re.escape(form[0].upper())}]"
    flags = 0 if any(c.isupper() for c in form[1:]) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){first}{body}[sx]?(?![\w-])", flags)


def _english_pattern(form: str) -> re.Pattern:
    """An English rendering as whole words, plural forms allowed."""
    stem = re.escape(form)
    plural = rf"(?:{stem}(?:s|es)?|{re.escape(form[:-1])}ies)" if form.endswith("y") else rf"{stem}(?:s|es)?"
    return re.compile(rf"(?<!\w){plural}(?!\w)", re.IGNORECASE)


def _first_line(text: str, term: Term) -> int | None:
    """The 1-based line of `text` where a French form of `term` first appears."""
    for number, line in enumerate(text.split("\n"), start=1):
        if any(_french_pattern(form).search(line) for form in term.french):
            return number
    return None


def check(terms: list[Term], original: tuple[str, str], translation: tuple[str, str]) -> list[Miss]:
    """Glossary terms of the original (path, text) that the translation (path, text) does not render."""
    source, target = original[1].translate(APOSTROPHES), translation[1].translate(APOSTROPHES)
    misses = []
    for term in terms:
        if not any(_french_pattern(form).search(source) for form in term.french):
            continue
        if any(_english_pattern(form).search(target) for form in term.english):
            continue
        misses.append(Miss(translation[0], original[0], term.label, term.english, _first_line(source, term)))
    return misses
