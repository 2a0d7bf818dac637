"""The commands of the project itself: `init` (a new site, ready to build) and `urls` (its URL history)."""

from __future__ import annotations

from pathlib import Path

from builder.cli.registry import arg, command, load_config, report


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
        return report(failure)
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
        forgotten, errors = prune(load_config(args), args.urls)
    except BuildFailed as failure:
        return report(failure)
    if errors:
        return report(BuildFailed(errors))
    print(f"forgot {len(forgotten)} URL{'s' if len(forgotten) != 1 else ''} of {PATH}; commit it")
    return 0
