"""Stable bundle bytes: Pagefind's filter files rewritten with their values sorted.

Pagefind writes each filter's values in hash-map order, which changes from one run to the next: the filter
files, the metadata file naming them and the entry file naming that are rewritten with the values sorted,
so that the same pages always give the same bytes (an incremental build equals a cold one). The files are
gzip of b"pagefind_dcd" and CBOR; a layout this does not expect is left as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def canonical(bundle: Path) -> None:
    """Sort the values of every filter file of a bundle, renaming what changes and what names it."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        metas = {
            lang: bundle / f"pagefind.{info['hash']}.pf_meta" for lang, info in entry["languages"].items()
        }
        renamed = {}
        for path in sorted((bundle / "filter").glob("*.pf_filter")):
            name, value = _decoded(path)
            if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
                return
            data = _encoded(SIGNATURE + _cbor([value[0], sorted(value[1], key=lambda pair: pair[0])]))
            new = f"{name.split('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[: len(name.split('_', 1)[1])]}"
            path.unlink()
            (path.parent / f"{new}.pf_filter").write_bytes(data)
            renamed[name] = new
        text = entry_path.read_text(encoding="utf-8")
        for lang, meta in metas.items():
            raw = gzip_decompress(meta.read_bytes())
            for old, new in renamed.items():
                raw = raw.replace(_cbor(old), _cbor(new))
            data = _encoded(raw)
            old = entry["languages"][lang]["hash"]
            new = f"{lang}_{hashlib.sha256(data).hexdigest()[: len(old) - len(lang) - 1]}"
            meta.unlink()
            (bundle / f"pagefind.{new}.pf_meta").write_bytes(data)
            text = text.replace(f'"hash":"{old}"', f'"hash":"{new}"')
        entry_path.write_text(text, encoding="utf-8")
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return


def gzip_decompress(data: bytes) -> bytes:
    """A bundle file's content (gzip), with Pagefind's signature."""
    return gzip.decompress(data)


def _decoded(path: Path) -> tuple[str, object]:
    """A filter file's name (without extension) and its CBOR value."""
    raw = gzip_decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: no signature")
    value, end = _uncbor(raw, len(SIGNATURE))
    if end != len(raw):
        raise ValueError(f"{path.name}: trailing bytes")
    return path.name.removesuffix(".pf_filter"), value


def _encoded(raw: bytes) -> bytes:
    """Gzip with no time stamp, so the same content gives the same bytes."""
    return gzip.compress(raw, mtime=0)


def _head(major: int, number: int) -> bytes:
    """A CBOR item head in its shortest form."""
    if number < 24:
        return bytes([major << 5 | number])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | extra]) + number.to_bytes(size, "big")
    raise ValueError("number too large")


def _cbor(value) -> bytes:
    """CBOR of unsigned integers, text, byte strings and lists (what filter files hold)."""
    if isinstance(value, bool) or not isinstance(value, (int, str, bytes, list)):
        raise TypeError(f"cannot encode {type(value).__name__}")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    return _head(4, len(value)) + b"".join(_cbor(item) for item in value)


def _uncbor(raw: bytes, at: int):
    """Decode one CBOR item of the kinds `_cbor` writes; return it and where it ends."""
    major, info = raw[at] >> 5, raw[at] & 31
    at += 1
    if info >= 24:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]  # KeyError for indefinite lengths: not expected here
        number, at = int.from_bytes(raw[at : at + size], "big"), at + size
    else:
        number = info
    if major == 0:
        return number, at
    if major in (2, 3):
        data = raw[at : at + number]
        if len(data) != number:
            raise ValueError("truncated")
        return (data.decode("utf-8") if major == 3 else data), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _uncbor(raw, at)
            items.append(item)
        return items, at
    raise ValueError(f"unexpected CBOR major type {major}")
