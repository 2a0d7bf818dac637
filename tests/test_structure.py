"""The code's shape: no import cycle between builder's modules."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "builder"


def imports() -> dict[str, set[str]]:
    """Module -> builder modules it imports at module level."""
    files = {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in PACKAGE.rglob("*.py")
    }
    found = {}
    for name, path in files.items():
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("builder"):
                deps |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in files else node.module
                    for a in node.names
                }
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("builder")}
        found[name] = deps - {name}
    return found


def test_no_import_cycle():
    graph, cycles = imports(), []

    def visit(module: str, path: list[str]) -> None:
        for dep in graph.get(module, ()):
            if dep in path:
                cycles.append(path[path.index(dep) :] + [dep])
            elif len(path) < 40:
                visit(dep, path + [dep])

    for module in graph:
        visit(module, [module])
    assert not cycles, f"import cycles: {cycles[:3]}"
