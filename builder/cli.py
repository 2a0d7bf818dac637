"""The `diptyque` command line: each command a small function whose docstring is its help."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

COMMANDS = {}


def command(*arguments):
    """Register a function as a sub-command with its argparse arguments."""

    def register(function):
        COMMANDS[function.__name__.replace("_", "-").removeprefix("cmd-")] = (function, arguments)
        return function

    return register


def arg(*names, **options):
    return names, options


def _load(args):
    from builder.config import load

    return load(Path(args.root).resolve())


def _report(failure) -> int:
    errors = failure.errors
    print(
        f"error: {len(errors)} problem{'s' if len(errors) != 1 else ''} found, nothing was written:",
        file=sys.stderr,
    )
    for error in errors:
        print(f"  {error}", file=sys.stderr)
    return 1


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
        config = _load(args).with_options(drafts=args.drafts, base_url=args.base_url, strict=args.strict)
        result = build(config, use_cache=not args.no_cache)
    except BuildFailed as failure:
        return _report(failure)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.kept:
        shown = ", ".join(result.kept[:8]) + (
            f" and {len(result.kept) - 8} more" if len(result.kept) > 8 else ""
        )
        print(
            f"kept {len(result.kept)} file{'s' if len(result.kept) != 1 else ''} Diptyque did not write: "
            f"{shown}",
            file=sys.stderr,
        )
    elapsed = (time.perf_counter() - start) * 1000
    print(
        f"{result.pages} pages · {result.rendered} rendered · {len(result.written)} written · "
        f"{len(result.removed)} removed · {elapsed:.0f} ms"
    )
    if args.profile:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<18} {seconds * 1000:8.1f} ms")
    return 0


@command(
    arg("files", nargs="+", metavar="FILE", help="plain-text archives to convert"),
    arg("--into", default="content", help="content folder to write to (default: content)"),
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
        into=Path(args.into),
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
        config = _load(args).with_options(drafts=args.drafts)
    except BuildFailed as failure:
        return _report(failure)
    return run_server(config, host=args.host, port=args.port, watch=args.watch, open_browser=args.open)


@command(
    arg("--strict", action="store_true", help="exit non-zero if anything is missing, stale, untracked"),
    arg("--diff", metavar="KEY", help="show the blocks of KEY's original changed since its translation"),
    arg("--lang", help="only this language (the translation's, with --diff)"),
    arg("--json", action="store_true", help="print the report as JSON, for scripts"),
)
def cmd_status(args) -> int:
    """Show, per language, missing, stale and untracked translations and untranslated tags and UI strings."""
    import json

    from builder.errors import BuildError, BuildFailed
    from builder.status import format_status, status_json, translation_status
    from builder.translate.diff import diff_report

    try:
        config = _load(args)
        if args.lang is not None and args.lang not in config.codes:
            raise BuildFailed(
                [
                    BuildError(
                        "--lang",
                        None,
                        f"unknown language '{args.lang}'",
                        f"use one of: {', '.join(config.codes)}",
                    )
                ]
            )
        if args.diff:
            print(diff_report(config, args.diff, args.lang))
            return 0
        report, errors = translation_status(config)
    except BuildFailed as failure:
        return _report(failure)
    if errors:
        return _report(BuildFailed(errors))
    if args.lang:
        report = {args.lang: report[args.lang]}
    print(
        json.dumps(status_json(report, config), ensure_ascii=False, indent=2)
        if args.json
        else format_status(report, config)
    )
    return 1 if args.strict and any(s.problems for s in report.values()) else 0


@command(
    arg("title", help="the article's title"),
    arg("--lang", default=None, help="language of the article (default: the site's default language)"),
)
def cmd_new(args) -> int:
    """Create an article with its front matter filled in (as a draft)."""
    from datetime import date

    from builder.errors import BuildFailed
    from builder.scaffold import new_article

    try:
        config = _load(args)
        path = new_article(config, args.title, args.lang or config.default_language, date.today())
    except BuildFailed as failure:
        return _report(failure)
    print(f"created {path.relative_to(config.root)}")
    return 0


@command(
    arg("key", help="the article's key: its file name before .<lang>.md"),
    arg("--lang", required=True, help="language of the translation to create"),
)
def cmd_translate_stub(args) -> int:
    """Create a translation file from the original, with translation_of set, for a translator to fill."""
    from builder.errors import BuildFailed
    from builder.scaffold import translation_stub

    try:
        config = _load(args)
        path = translation_stub(config, args.key, args.lang)
    except BuildFailed as failure:
        return _report(failure)
    print(f"created {path.relative_to(config.root)} (a draft: translate it, then remove 'draft: true')")
    return 0


def _translate_export(config, args) -> int:
    from builder.translate.articles import keys_to_translate
    from builder.translate.export import export

    keys = keys_to_translate(config) if args.all else args.items
    out = Path(args.out) if args.out else config.root / "translations"
    for path, count, fuzzy in export(config, keys, args.lang, args.format, out):
        print(f"wrote {path} ({count} segments, {fuzzy} fuzzy)")
    return 0


def _translate_import(config, args) -> int:
    from builder.translate.writeback import import_files

    for item in import_files(config, [Path(f) for f in args.items], args.allow_fuzzy, args.force):
        review = f" as a draft: review {', '.join(item.review)}" if item.review else ""
        print(f"wrote {item.path.relative_to(config.root)}{review}")
    return 0


@command(
    arg("action", choices=["export", "import"], help="export: write PO/XLIFF files; import: read back"),
    arg("items", nargs="*", metavar="KEY|FILE", help="article keys to export, or files to import"),
    arg("--lang", help="language of the translations to export (required for export)"),
    arg("--format", choices=["po", "xliff"], default="po", help="format of the export (default: po)"),
    arg("--out", metavar="DIR", help="folder to export into (default: translations/ in the project)"),
    arg("--all", action="store_true", help="export every article and page (but draft originals)"),
    arg("--allow-fuzzy", action="store_true", help="import fuzzy or untranslated segments (as a draft)"),
    arg("--force", action="store_true", help="import over a translation edited since the export"),
)
def cmd_translate(args) -> int:
    """Export translations as PO or XLIFF files for translators, or import them back into content/."""
    from builder.errors import BuildError, BuildFailed

    try:
        config = _load(args)
        problem = None
        if args.action == "export" and not args.lang:
            problem = BuildError(
                "--lang", None, "export needs the language to translate into", "add --lang en"
            )
        elif not args.items and not (args.action == "export" and args.all):
            hint = "give article keys (or --all)" if args.action == "export" else "give .po or .xlf files"
            problem = BuildError(args.action, None, "nothing to " + args.action, hint)
        if problem:
            raise BuildFailed([problem])
        return (_translate_export if args.action == "export" else _translate_import)(config, args)
    except BuildFailed as failure:
        return _report(failure)


@command(
    arg("folder", metavar="DIR", help="folder of the new site (created if missing)"),
    arg("--languages", default="fr,en", help="language codes, the default first (default: fr,en)"),
    arg("--title", help="the site's title in every language (default: one per language)"),
    arg("--force", action="store_true", help="write into a folder that is not empty"),
)
def cmd_init(args) -> int:
    """Create a new bilingual site, ready to build: config, tags, about pages, an article, its translation."""
    from builder.errors import BuildFailed
    from builder.init import create_site

    folder = Path(args.root, args.folder)
    try:
        written = create_site(folder, languages=args.languages, title=args.title, force=args.force)
    except BuildFailed as failure:
        return _report(failure)
    print(f"created {len(written)} files in {folder}; next: cd {folder} && diptyque build")
    return 0


@command(
    arg("action", choices=["prune"], help="prune: forget URLs of content/urls.toml"),
    arg("urls", nargs="+", metavar="URL", help="URLs as the file writes them: /fr/2019/mon-article/"),
)
def cmd_urls(args) -> int:
    """Forget chosen URLs of the URL history (a page gone for good: its old URL then answers 404)."""
    from builder.errors import BuildFailed
    from builder.urlhistory import PATH, prune

    try:
        forgotten, errors = prune(_load(args), args.urls)
    except BuildFailed as failure:
        return _report(failure)
    if errors:
        return _report(BuildFailed(errors))
    print(f"forgot {len(forgotten)} URL{'s' if len(forgotten) != 1 else ''} of {PATH}; commit it")
    return 0


def parser() -> argparse.ArgumentParser:
    """Build the argument parser from the registered commands."""
    main_parser = argparse.ArgumentParser(
        prog="diptyque", description="Diptyque: a bilingual French/English static blog generator."
    )
    main_parser.add_argument("--root", default=".", help="project folder holding config.toml (default: .)")
    sub = main_parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (function, arguments) in COMMANDS.items():
        help_text = function.__doc__.strip()
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        command_parser.add_argument(
            "--root", default=argparse.SUPPRESS, help="project folder holding config.toml (default: .)"
        )
        for names, options in arguments:
            command_parser.add_argument(*names, **options)
        command_parser.set_defaults(handler=function)
    return main_parser


def _terminate(signum, frame):
    """SIGTERM cleans up as Ctrl-C does: staged files are dropped, output/ is left as it was."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    import signal

    args = parser().parse_args(argv)
    if not getattr(args, "handler", None):
        parser().print_help()
        return 2
    if threading_main():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interrupted; output/ is as it was before this build", file=sys.stderr)
        return 130
    except OSError as exc:  # a file the checks above did not foresee: say which, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"error: {where}{exc.strerror or exc}\n    hint: check that the file exists, is readable and is "
            "of the right kind (a file, not a folder)",
            file=sys.stderr,
        )
        return 1
    except UnicodeDecodeError as exc:
        print(
            f"error: a file is not UTF-8 ({exc.reason} at byte {exc.start})\n    hint: save the file the "
            "command reads as UTF-8",
            file=sys.stderr,
        )
        return 1
    except (RecursionError, MemoryError) as exc:
        print(
            f"error: the input is nested too deeply or is too large ({type(exc).__name__})\n    hint: look "
            "for a front matter or Markdown block nested thousands of levels deep",
            file=sys.stderr,
        )
        return 1


def threading_main() -> bool:
    """Whether this is the main thread (signal handlers can be installed only there)."""
    import threading

    return threading.current_thread() is threading.main_thread()
