"""Render runs of bullet and numbered lines as Markdown lists, nested by indentation."""

from __future__ import annotations

from builder.importer import shapes
from builder.importer.escape import inline


def item(text: str) -> tuple[str, int, int, str] | None:
    """("ul"|"ol", indent, number, text) for a list line, else None."""
    found = shapes.numbered(text)
    if found:
        return "ol", found[0], found[1], found[2].strip()
    found_bullet = shapes.bullet(text)
    if found_bullet:
        return "ul", found_bullet[0], 0, found_bullet[1].strip()
    return None


def render(items: list[tuple[str, int, int, str]]) -> str:
    """Markdown for consecutive list items; deeper indentation becomes a nested list."""
    indents = sorted({indent for _, indent, _, _ in items})
    lines = []
    depth_kind: dict[int, str] = {}
    for kind, indent, number, text in items:
        level = indents.index(indent)
        depth_kind[level] = kind
        marker = f"{number}." if kind == "ol" else "-"
        lines.append(f"{'    ' * level}{marker} {inline(text)}")
    return "\n".join(lines)
