"""The commands of writing and translating: `status`, `new`, `translate-stub` and `translate` (the PO and
XLIFF round trip with translators)."""

from __future__ import annotations

from pathlib import Path

from builder.cli.registry import arg, command, load_config, report
from builder.errors import BuildError, BuildFailed
from builder.sandbox import inside


@command(
    arg("--strict", action="store_true", help="exit non-zero if anything is missing, stale, untracked"),
    arg("--diff", metavar="KEY", help="show the blocks of KEY's original changed since its translation"),
    arg("--lang", help="only this language (the translation's, with --diff)"),
    arg("--json", action="store_true", help="print the report as JSON, for scripts"),
)
def cmd_status(args) -> int:
    """Show, per language, missing, stale and untracked translations and untranslated tags and UI strings."""
    import json

    from builder.status import format_status, status_json, translation_status
    from builder.translate.diff import diff_report

    try:
        config = load_config(args)
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
        status, errors = translation_status(config)
    except BuildFailed as failure:
        return report(failure)
    if errors:
        return report(BuildFailed(errors))
    if args.lang:
        status = {args.lang: status[args.lang]}
    print(
        json.dumps(status_json(status, config), ensure_ascii=False, indent=2)
        if args.json
        else format_status(status, config)
    )
    return 1 if args.strict and any(s.problems for s in status.values()) else 0


@command(
    arg("title", help="the article's title"),
    arg("--lang", default=None, help="language of the article (default: the site's default language)"),
)
def cmd_new(args) -> int:
    """Create an article with its front matter filled in (as a draft)."""
    from datetime import date

    from builder.scaffold import new_article

    try:
        config = load_config(args)
        path = new_article(config, args.title, args.lang or config.default_language, date.today())
    except BuildFailed as failure:
        return report(failure)
    print(f"created {path.relative_to(config.root)}")
    return 0


@command(
    arg("key", help="the article's key: its file name before .<lang>.md"),
    arg("--lang", required=True, help="language of the translation to create"),
)
def cmd_translate_stub(args) -> int:
    """Create a translation file from the original, with translation_of set, for a translator to fill."""
    from builder.scaffold import translation_stub

    try:
        config = load_config(args)
        path = translation_stub(config, args.key, args.lang)
    except BuildFailed as failure:
        return report(failure)
    print(f"created {path.relative_to(config.root)} (a draft: translate it, then remove 'draft: true')")
    return 0


def _translate_export(config, args) -> int:
    """Write a PO or XLIFF file per article to translate; name each with its segment counts."""
    from builder.translate.articles import keys_to_translate
    from builder.translate.export import export

    keys = keys_to_translate(config) if args.all else args.items
    out = Path(args.out) if args.out else config.root / "translations"
    if not args.out and (not inside(str(config.root), str(out)) or (out.is_symlink() and not out.is_dir())):
        return report(
            BuildFailed(
                [
                    BuildError(
                        "translations",
                        None,
                        "is a symbolic link leading outside the site (or to nothing): nothing was exported",
                        "make translations/ a folder of the site, or give --out DIR",
                    )
                ]
            )
        )
    for path, count, fuzzy in export(config, keys, args.lang, args.format, out, args.force):
        print(f"wrote {path} ({count} segments, {fuzzy} fuzzy)")
    return 0


def _translate_import(config, args) -> int:
    """Write the translations of the given PO or XLIFF files into content/; name what needs review."""
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
    arg(
        "--force",
        action="store_true",
        help="import over a translation edited since the export; export over a file that differs",
    ),
)
def cmd_translate(args) -> int:
    """Export translations as PO or XLIFF files for translators, or import them back into content/."""

    try:
        config = load_config(args)
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
        return report(failure)
