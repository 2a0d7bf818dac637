"""Turn an archive's bytes into text: detect the encoding, drop a BOM, normalise line ends."""

from __future__ import annotations

from dataclasses import dataclass

from builder.errors import BuildError

# Bytes cp1252 leaves undefined: a file holding them is not cp1252 either.
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


@dataclass(frozen=True)
class Decoded:
    """An archive's text and what was done to read it."""

    text: str  # the text, with "\n" line ends and no BOM
    notes: tuple[str, ...]  # what was converted, for the user


SEPARATORS = {
    0x85: " ",
    0x2028: " ",
    0x2029: " ",
}  # invisible line separators: YAML and splitlines() break on them


def decode(data: bytes, name: str) -> Decoded | BuildError:
    """Decode an archive (UTF-8, else cp1252), refusing empty and binary files with a clear message."""
    notes: list[str] = []
    if not data.strip():
        return BuildError(
            name,
            None,
            "the file is empty (or holds only blank lines)",
            "check that the right file was given; nothing was imported from it",
            "encoding",
        )
    if b"\x00" in data[:65536]:
        return BuildError(
            name,
            None,
            "the file looks binary (it contains NUL bytes), not a text archive",
            "give the plain-text export of the blog (.txt)",
            "encoding",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append("removed a UTF-8 byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if any(byte in _CP1252_HOLES for byte in data):
            text = data.decode("latin-1")
            notes.append(
                f"not UTF-8 (first bad byte on line {line}); read as Latin-1 — check accented letters"
            )
        else:
            text = data.decode("cp1252")
            notes.append(f"not UTF-8 (first bad byte on line {line}); converted from Windows-1252 (cp1252)")
    if not text.strip():
        return BuildError(
            name,
            None,
            "the file is empty (or holds only blank lines)",
            "check that the right file was given; nothing was imported from it",
            "encoding",
        )
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f\v")
    if controls > max(8, len(text) // 100):
        return BuildError(
            name,
            None,
            "the file looks binary (too many control characters), not a text archive",
            "give the plain-text export of the blog (.txt)",
            "encoding",
        )
    if "\r" in text:
        notes.append("converted Windows (CRLF) or old Mac (CR) line ends")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(char in text for char in "\x85\u2028\u2029"):
        notes.append("replaced invisible line separators (NEL, LS, PS) by spaces")
        text = text.translate(SEPARATORS)
    return Decoded(text=text, notes=tuple(notes))
