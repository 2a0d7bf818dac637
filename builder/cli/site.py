"""The commands that make and show the site: `build`, `import` (archives into content/) and `serve`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from builder.cli.registry import arg, command, load_config, report


@command(
    arg("--drafts", action="store_true", help="include drafts and future-dated posts"),
    arg("--base-url", help="override base_url, e.g. for a preview deploy"),
    arg("--no-cache", action="store_true", help="ignore the saved build state: a cold build"),
    arg(
        "--strict",
        action="store_true",
        help="fail on every warning (stale translations, unknown keys, template tags, stray files…)",
    ),
    arg("--profile", action="store_true", help="print the time spent in each stage"),
)
def cmd_build(args) -> int:
    """Build the site from content/ into output/."""
    from builder.build import build
    from builder.errors import BuildFailed

    start = time.perf_counter()
    try:
        config = load_config(args).with_options(
            drafts=args.drafts, base_url=args.base_url, strict=args.strict
        )
        result = build(config, use_cache=not args.no_cache)
    except BuildFailed as failure:
        return report(failure)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.kept:
        _print_kept(result.kept)
    elapsed = (time.perf_counter() - start) * 1000
    print(
        f"{result.pages} pages · {result.rendered} rendered · {len(result.written)} written · "
        f"{len(result.removed)} removed · {elapsed:.0f} ms"
    )
    if args.profile:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<18} {seconds * 1000:8.1f} ms")
    return 0


def _print_kept(kept) -> None:
    """Name, on stderr, the files of output/ the build kept because it did not write them."""
    shown = ", ".join(kept[:8]) + (f" and {len(kept) - 8} more" if len(kept) > 8 else "")
    print(
        f"kept {len(kept)} file{'s' if len(kept) != 1 else ''} Diptyque did not write: {shown}",
        file=sys.stderr,
    )


@command(
    arg("files", nargs="+", metavar="FILE", help="plain-text archives to convert"),
    arg("--into", default="content", help="content folder to write to, in the project (default: content)"),
    arg("--dry-run", action="store_true", help="print what would change, write nothing"),
    arg("--force", action="store_true", help="overwrite articles a person has edited since the import"),
    arg("--explain", action="store_true", help="show why each tag was chosen"),
    arg("--report", metavar="FILE", help="write the review report (Markdown) to FILE"),
)
def cmd_import(args) -> int:
    """Convert plain-text archives into Markdown articles under content/posts/."""
    from builder.importer import run_import

    options = {"report_path": Path(args.report)} if args.report else {}
    return run_import(
        [Path(f) for f in args.files],
        into=Path(args.root) / args.into,
        # a relative --into stays in the project; an absolute one is taken as given, its posts/ inside it
        project=Path(args.root if not Path(args.into).is_absolute() else args.into).resolve(),
        dry_run=args.dry_run,
        force=args.force,
        explain=args.explain,
        **options,
    )


@command(
    arg("--watch", action="store_true", help="rebuild on changes and reload the browser"),
    arg("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)"),
    arg("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)"),
    arg("--open", action="store_true", help="open the site in a browser"),
    arg("--drafts", action="store_true", help="include drafts and future-dated posts"),
)
def cmd_serve(args) -> int:
    """Serve the site locally; with --watch, rebuild what changed and reload the browser."""
    from builder.errors import BuildFailed
    from builder.serve import run_server

    try:
        config = load_config(args).with_options(drafts=args.drafts)
    except BuildFailed as failure:
        return report(failure)
    return run_server(config, host=args.host, port=args.port, watch=args.watch, open_browser=args.open)
