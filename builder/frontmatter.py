"""Split a Markdown file into its front matter (YAML between ---, or TOML between +++) and body, and write
them back (as YAML)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

from builder.errors import BuildError

FENCE = "---"
TOML_FENCE = "+++"  # Hugo's and Zola's TOML front matter
TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Parsed:
    """A file's front matter and body, with the line the body starts on."""

    meta: dict[str, Any]  # the YAML mapping
    body: str  # the Markdown after the closing fence
    body_line: int  # 1-based line number of the first body line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader (libyaml's when present) that keeps dates as strings, so 2020-05 and 2020-05-13 keep
    their precision, and refuses a key given twice (YAML would keep the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the field '{key}' is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _alias(block: str) -> int | None:
    """The 0-based line of the first anchor or alias in a YAML block, or None.

    Front matter needs neither, and a few hundred bytes of nested aliases expand to gigabytes (a
    "billion laughs"): they are refused before the block is built.
    """
    if "&" not in block and "*" not in block:
        return None
    for event in yaml.parse(block, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return event.start_mark.line
    return None


# Drop the timestamp resolver: "2020-05-13" stays a string and the build parses it itself.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split(text: str, path: str) -> Parsed | BuildError:
    """Split `text` into front matter and body; return a BuildError for malformed input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines[0].rstrip() == TOML_FENCE:
        return _split_toml(lines, path)
    if not lines or lines[0].rstrip() != FENCE:
        return BuildError(
            path,
            1,
            "the file does not start with a '---' front matter block",
            "begin the file with '---', the YAML fields (title, date…), then '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            break
    else:
        return BuildError(
            path,
            1,
            "the front matter block is never closed",
            "add a line holding only '---' after the last YAML field",
        )
    block = "\n".join(lines[1:index])
    try:
        alias = _alias(block)
        if alias is not None:
            return BuildError(
                path,
                alias + 2,
                "YAML anchors and aliases (&name, *name) are not allowed in front matter",
                "write the value out in full",
            )
        meta = yaml.load(block, Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return BuildError(
            path,
            line,
            f"malformed YAML in the front matter: {problem}",
            "check quoting and indentation; quote values that contain ': ' or start with a symbol",
        )
    if not isinstance(meta, dict):
        return BuildError(
            path, 2, "the front matter is not a mapping of fields", "write one 'field: value' per line"
        )
    body = "\n".join(lines[index + 1 :])
    return Parsed(meta=meta, body=body, body_line=index + 2)


def _split_toml(lines: list[str], path: str) -> Parsed | BuildError:
    """Split a file whose front matter is TOML between +++ lines."""
    for index in range(1, len(lines)):
        if lines[index].rstrip() == TOML_FENCE:
            break
    else:
        return BuildError(
            path,
            1,
            "the TOML front matter block is never closed",
            "add a line holding only '+++' after the last TOML field",
        )
    try:
        meta = tomllib.loads("\n".join(lines[1:index]))
    except tomllib.TOMLDecodeError as exc:
        named = TOML_LINE.search(str(exc))
        found = getattr(exc, "lineno", None) or (named and named.group(1))
        return BuildError(
            path,
            int(found) + 1 if found else 1,
            f"malformed TOML in the front matter: {exc}",
            'check quoting: text values need quotes (title = "…"), dates do not',
        )
    return Parsed(meta=meta, body="\n".join(lines[index + 1 :]), body_line=index + 2)


def field_line(text: str, field: str) -> int | None:
    """Return the 1-based line on which a top-level front matter field is set, for error messages."""
    lines = text.split("\n")
    fence = lines[0].rstrip() if lines else FENCE
    toml = re.compile(rf"(?:{re.escape(field)}|\"{re.escape(field)}\")\s*=|\[{re.escape(field)}\]")
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == fence:
            return None
        if line.startswith(f"{field}:") if fence == FENCE else toml.match(line.strip()):
            return number
    return None


YAML_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})


def _plain(value: Any) -> Any:
    """Replace the characters YAML reads as line breaks (NEL, LS, PS) by spaces, so values round-trip."""
    if isinstance(value, str):
        return value.translate(YAML_BREAKS)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def dump(meta: dict[str, Any], body: str) -> str:
    """Write front matter and body back as one file, in a stable, diff-friendly form."""
    block = yaml.safe_dump(
        _plain(meta), allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=None
    )
    body = body.lstrip("\n")
    if body and not body.endswith("\n"):
        body += "\n"
    return f"{FENCE}\n{block}{FENCE}\n\n{body}"


def body_digest(body: str) -> str:
    """Fingerprint an article body (surrounding blank lines ignored), for edit and staleness checks."""
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()[:16]
