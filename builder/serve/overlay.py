"""The error overlay: what a page of the dev server shows over itself while the last build failed.

Each error's file, line, message and hint, with the lines of source around it; plain HTML with inline
styles, so no theme can hide or restyle it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from pathlib import Path

from builder.errors import BuildError

OVERLAY_ID = "__diptyque-overlay"
CONTEXT = 3  # lines of source shown before and after the line of an error

STYLE = {
    "box": "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;"
    "background:rgba(20,20,24,.94);color:#f4f4f5;font:15px/1.5 system-ui,sans-serif;text-align:left",
    "error": "max-width:60rem;margin:0 auto 1.5rem;padding:1rem 1.25rem;border-left:4px solid #f87171;"
    "background:#27272a;border-radius:4px",
    "where": "font:600 14px/1.4 ui-monospace,monospace;color:#fca5a5",
    "hint": "color:#a7f3d0",
    "code": "margin:.75rem 0 0;padding:.5rem 0;background:#18181b;border-radius:4px;overflow:auto;"
    "font:13px/1.5 ui-monospace,monospace",
    "line": "display:block;padding:0 .75rem;white-space:pre",
    "bad": "display:block;padding:0 .75rem;white-space:pre;background:#7f1d1d;color:#fff",
}


def problems(count: int) -> str:
    """Return '1 problem' or 'n problems'."""
    return f"{count} problem{'s' if count != 1 else ''}"


def context_lines(text: str, line: int | None, radius: int = CONTEXT) -> list[tuple[int, str, bool]]:
    """Return (number, text, is_the_error_line) for the lines around `line` of a file's text."""
    lines = text.splitlines()
    if not line or line < 1 or line > len(lines):
        return []
    first, last = max(1, line - radius), min(len(lines), line + radius)
    return [(n, lines[n - 1], n == line) for n in range(first, last + 1)]


def read_sources(errors: Iterable[BuildError], root: Path) -> dict[str, str]:
    """Read the text of each file named by an error (inside the project only), for the overlay's context."""
    texts, top = {}, root.resolve()
    for error in errors:
        if not error.line or error.path in texts:
            continue
        path = (top / error.path).resolve()
        if path.is_relative_to(top) and path.is_file():
            try:
                texts[error.path] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                pass
    return texts


def overlay_html(errors: Iterable[BuildError], sources: Mapping[str, str]) -> str:
    """Render the error overlay: each error's file, line, message, hint and source context."""
    errors = list(errors)
    parts = [
        (
            f'<div id="{OVERLAY_ID}" role="alertdialog" aria-modal="true" '
            f'aria-labelledby="{OVERLAY_ID}-title" style="{STYLE["box"]}"><h1 id="{OVERLAY_ID}-title" '
            f'style="font-size:1.4rem;max-width:60rem;'
            f'margin:0 auto 1rem">Build failed: {problems(len(errors))}</h1><p style="max-width:60rem;'
            f'margin:0 auto 1.5rem;color:#d4d4d8">The last good version of the site is still served. Save a '
            f"fix and this page reloads.</p>"
        )
    ]
    parts += [error_html(error, sources.get(error.path, "")) for error in errors]
    parts.append("</div>")
    return "".join(parts)


def error_html(error: BuildError, source: str) -> str:
    """Render one error of the overlay: where, kind, message, hint, and its lines of `source`."""
    where = f"{error.path}:{error.line}" if error.line else error.path
    parts = [
        f'<section class="diptyque-error" data-kind="{html.escape(error.kind)}" '
        f'style="{STYLE["error"]}">'
        f'<div style="{STYLE["where"]}">{html.escape(where)} · {html.escape(error.kind)}</div>'
        f'<p style="margin:.4rem 0">{html.escape(error.message)}</p>'
    ]
    if error.hint:
        parts.append(f'<p style="{STYLE["hint"]};margin:.4rem 0">hint: {html.escape(error.hint)}</p>')
    lines = context_lines(source, error.line)
    if lines:
        width = len(str(lines[-1][0]))
        rows = "".join(
            f'<span style="{STYLE["bad" if bad else "line"]}">{n:>{width}} │ {html.escape(text)}</span>'
            for n, text, bad in lines
        )
        parts.append(f'<pre style="{STYLE["code"]}"><code>{rows}</code></pre>')
    parts.append("</section>")
    return "".join(parts)
