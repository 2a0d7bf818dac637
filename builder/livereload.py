"""The names `builder.livereload` has always offered; they now live in the dev server's package
(`builder.serve`); tests and the benchmark import them from here.

The script, hub and event stream are in `builder.serve.livereload`, the error overlay in
`builder.serve.overlay`.
"""

from builder.serve.livereload import (
    CHECK,
    EVENTS_PATH,
    RETRY,
    SCRIPT,
    STREAMS,
    Hub,
    inject,
    output_url,
    script,
    sse,
    stream,
)
from builder.serve.overlay import CONTEXT, OVERLAY_ID, STYLE, context_lines, overlay_html, read_sources

__all__ = [
    "CHECK",
    "CONTEXT",
    "EVENTS_PATH",
    "OVERLAY_ID",
    "RETRY",
    "SCRIPT",
    "STREAMS",
    "STYLE",
    "Hub",
    "context_lines",
    "inject",
    "output_url",
    "overlay_html",
    "read_sources",
    "script",
    "sse",
    "stream",
]
