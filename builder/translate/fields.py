"""Change some fields of a file's front matter and leave every other line as it was written."""

from __future__ import annotations

import re
from typing import Any

import yaml

from builder.frontmatter import FENCE, Parsed, dump, split

DELETE = object()  # a change that removes the field
TOP_LEVEL = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _spans(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level field -> (first line, line after its last) within the front matter lines."""
    spans, current = {}, None
    for index, line in enumerate(lines):
        match = TOP_LEVEL.match(line)
        if match:
            current = match.group(1)
            spans[current] = (index, index + 1)
        elif current is not None and (line[:1] in (" ", "\t", "-") or not line.strip()):
            spans[current] = (spans[current][0], index + 1)
    return spans


def _dumped(name: str, value: Any) -> list[str]:
    """One field written as YAML, the way `frontmatter.dump` writes it (lists and mappings inline)."""
    inline = None if isinstance(value, (list, dict)) else False
    text = yaml.safe_dump(
        {name: value}, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=inline
    )
    return text.rstrip("\n").split("\n")


def _edited(block: list[str], changes: dict[str, Any]) -> list[str]:
    """The front matter lines with each changed field rewritten, removed or added at the end."""
    spans = _spans(block)
    replaced = {spans[name][0]: (spans[name][1], value) for name, value in changes.items() if name in spans}
    out, index = [], 0
    while index < len(block):
        if index in replaced:
            end, value = replaced[index]
            trailing = [line for line in block[index:end] if not line.strip()]
            out += ([] if value is DELETE else _dumped(block[index].split(":")[0], value)) + trailing
            index = end
        else:
            out.append(block[index])
            index += 1
    for name, value in changes.items():
        if name not in spans and value is not DELETE:
            out += _dumped(name, value)
    return out


def update(text: str, parsed: Parsed, changes: dict[str, Any], body: str) -> str:
    """`text` (a whole file, split as `parsed`) with front matter `changes` made and `body` as its body.

    Fields whose value does not change keep their lines byte for byte. Should the edited block not read
    back as the intended fields, the whole front matter is written anew (`frontmatter.dump`).
    """
    changes = {name: value for name, value in changes.items() if (parsed.meta.get(name, DELETE) != value)}
    head = text.split("\n")[: parsed.body_line - 1]
    lines = [head[0], *_edited(head[1:-1], changes), FENCE]
    result = "\n".join(lines) + "\n" + body
    expected = {name: value for name, value in {**parsed.meta, **changes}.items() if value is not DELETE}
    check = split(result, "check")
    if isinstance(check, Parsed) and check.meta == expected and check.body == body:
        return result
    return dump(expected, body)
