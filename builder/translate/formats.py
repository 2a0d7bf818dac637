"""Exchange files for translators, PO and XLIFF 1.2, written and read through translate-toolkit's stores."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree
from translate.storage import po, xliff
from translate.storage.poparser import PoParseError

from builder.errors import BuildError, not_utf8
from builder.translate.segments import Segment

META_UNIT = "diptyque"  # the XLIFF unit (translate="no") that carries what the PO header carries
HEADER = "X-Diptyque-"  # PO header fields: X-Diptyque-Key, X-Diptyque-Original…
META = ("key", "kind", "lang", "original", "original-digest", "translation-digest")
EXTENSIONS = {"po": ".po", "xliff": ".xlf"}
HINT = "use the file `diptyque translate export` wrote, edited in a PO or XLIFF editor"


@dataclass(frozen=True)
class Unit:
    """A segment as read back from an exchange file."""

    id: str
    source: str
    target: str
    fuzzy: bool
    line: int | None  # where it is in the exchange file


@dataclass(frozen=True)
class Exchange:
    """What an exchange file holds: which article it is for, and its segments."""

    meta: dict[str, str]  # key, kind, lang, original, original-digest, translation-digest
    units: list[Unit]


def write_po(meta: dict[str, str], source_lang: str, segments: list[Segment]) -> bytes:
    """A PO file: one entry per segment, msgctxt its id, fuzzy ones with the previous msgid."""
    store = po.pofile()
    store.updateheader(
        add=True,
        Language=meta["lang"],
        **{"X-Source-Language": source_lang},
        **{HEADER + name.title(): meta[name] for name in META},
    )
    for segment in segments:
        unit = store.addsourceunit(segment.source)
        unit.setcontext(segment.id)
        unit.target = segment.target
        unit.addnote(segment.note, origin="developer")
        if segment.line:
            unit.addlocation(f"{meta['original']}:{segment.line}")
        if segment.fuzzy:
            unit.markfuzzy(True)
            if segment.previous is not None:
                unit.prev_source = segment.previous
    return bytes(store)


def write_xliff(meta: dict[str, str], source_lang: str, segments: list[Segment]) -> bytes:
    """An XLIFF 1.2 file: a trans-unit per segment, fuzzy ones needs-review with the old source in a note."""
    store = xliff.xlifffile(sourcelanguage=source_lang, targetlanguage=meta["lang"])
    original = meta["original"]
    header = store.addsourceunit(
        "\n".join(f"{name}: {meta[name]}" for name in META), filename=original, createifmissing=True
    )
    header.setid(META_UNIT)
    header.marktranslatable(False)
    for segment in segments:
        unit = store.addsourceunit(segment.source, filename=original)
        unit.setid(segment.id)
        unit.addnote(segment.note, origin="developer")
        if segment.line:
            unit.addlocation(f"{original}:{segment.line}")
        if segment.target:
            unit.target = segment.target
        if segment.fuzzy:
            unit.set_state_n(unit.S_NEEDS_REVIEW)
            if segment.previous is not None:
                unit.addnote(f"the original was: {segment.previous}", origin="previous-source")
    store.removedefaultfile()
    return bytes(store)


def _po_line(text: str, context: str) -> int | None:
    """The line of an entry's msgctxt in a PO file."""
    match = re.search(rf'^msgctxt "{re.escape(context)}"', text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _meta_error(path: str, missing: list[str]) -> BuildError:
    return BuildError(path, 1, f"is not an export of Diptyque: no {', '.join(missing)} in its header", HINT)


def read_po(data: bytes, path: str) -> Exchange | BuildError:
    """The segments of a PO file, or an error naming the file and line."""
    bad = not_utf8(data, path)  # what an export writes: another charset is a save that changed it
    if bad:
        return replace(bad, hint="save it as UTF-8 (the PO editor's encoding setting), then import it again")
    try:
        store = po.pofile(data)
    except PoParseError as exc:
        line = re.search(r"line (\d+)", str(exc))
        return BuildError(path, int(line.group(1)) if line else None, f"malformed PO file: {exc}", HINT)
    except (UnicodeDecodeError, ValueError) as exc:
        return BuildError(path, None, f"malformed PO file: {exc}", HINT)
    header = store.parseheader()
    meta = {name: header.get(HEADER + name.title(), "") for name in META}
    missing = [HEADER + name.title() for name in META if name != "translation-digest" and not meta[name]]
    if missing:
        return _meta_error(path, missing)
    text = data.decode("utf-8", "replace")
    units = [
        Unit(
            unit.getcontext(),
            str(unit.source),
            str(unit.target or ""),
            unit.isfuzzy(),
            _po_line(text, unit.getcontext()),
        )
        for unit in store.units
        if not unit.isheader() and not unit.isobsolete()
    ]
    return Exchange(meta, units)


def read_xliff(data: bytes, path: str) -> Exchange | BuildError:
    """The segments of an XLIFF file, or an error naming the file and line."""
    try:
        store = xliff.xlifffile(data)
    except etree.XMLSyntaxError as exc:
        return BuildError(path, exc.lineno, f"malformed XLIFF file: {exc.msg}", HINT)
    except (ValueError, TypeError) as exc:
        return BuildError(path, None, f"malformed XLIFF file: {exc}", HINT)
    units, meta = [], {}
    for unit in store.units:
        uid = unit.getid().split(xliff.ID_SEPARATOR)[-1]
        if uid == META_UNIT:
            meta = dict(line.split(": ", 1) for line in str(unit.source).split("\n") if ": " in line)
            continue
        target = str(unit.target or "")
        units.append(
            Unit(
                uid, str(unit.source), target, bool(target) and _unfinished(unit), unit.xmlelement.sourceline
            )
        )
    missing = [name for name in META if name != "translation-digest" and not meta.get(name)]
    if missing:
        return _meta_error(path, [f"'{META_UNIT}' unit with {name}" for name in missing])
    return Exchange({name: meta.get(name, "") for name in META}, units)


def _unfinished(unit) -> bool:
    """Whether an XLIFF target is marked as not yet a translation: needs review, or a state before
    "translated" (new, needs-translation, needs-adaptation, needs-l10n)."""
    node = unit.getlanguageNode(lang=None, index=1)
    state = node.get("state") if node is not None else None
    return unit.isreview() or unit.statemap.get(state, unit.S_TRANSLATED) < unit.S_TRANSLATED


BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _is_xml(data: bytes) -> bool:
    """Whether a file's text starts with "<" (after a byte-order mark: an XLIFF saved as UTF-16 has one)."""
    for mark, codec in BOMS:
        if data.startswith(mark):
            return data[len(mark) : len(mark) + 400].decode(codec, "ignore").lstrip()[:1] == "<"
    return data.lstrip()[:1] == b"<"


def read_exchange(data: bytes, path: str) -> Exchange | BuildError:
    """A PO or XLIFF file, told apart by its content."""
    if _is_xml(data):
        return read_xliff(data, path)
    return read_po(data, path)
