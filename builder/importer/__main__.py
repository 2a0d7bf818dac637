"""Run the importer alone: `python -m builder.importer FILE... [--into content] [--dry-run] [--force] …`."""

from __future__ import annotations

import argparse

from builder.importer import run_import


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the import."""
    parser = argparse.ArgumentParser(
        prog="python -m builder.importer", description="Import plain-text blog archives as Markdown articles."
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="plain-text archive(s) to import")
    parser.add_argument("--into", default="content", help="content directory (default: content)")
    parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    parser.add_argument("--force", action="store_true", help="overwrite articles edited since their import")
    parser.add_argument("--explain", action="store_true", help="show the keywords behind each tag and date")
    parser.add_argument("--report", metavar="FILE", help="also write the review report as Markdown")
    args = parser.parse_args(argv)
    return run_import(args.files, args.into, args.dry_run, args.force, args.explain, report_path=args.report)


if __name__ == "__main__":
    raise SystemExit(main())
