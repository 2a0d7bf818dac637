"""The URL history in content/urls.toml: every URL the site has published, and the page it belongs to.

When a page's URL changes (a slug, a date under a `{year}` permalink, the permalink pattern, a tag label,
a localized path word), its old URLs stay in the history and become redirects to the page's current URL.
The file also keeps each article's Atom entry id, fixed when the article was first published.

    [urls]
    "/fr/2019/allo-4-0/" = ["post", "allo-4-0", "fr"]
    "/fr/page/2/" = ["home", "", "fr", 2]

    [ids]
    "allo-4-0.fr" = "tag:diptyque.example,2019:allo-4-0.fr"

One line per URL, sorted: readable, diff-friendly, and two branches that each add URLs merge without a
conflict most of the time. The build rewrites the file only when a URL appeared or moved, after a
successful commit of output/; a build with drafts, or into another output folder (the dev server),
reads it and never writes it.

Modules: record (Ref, History, entry ids), reading (the file parsed, its errors with their lines),
writing (what changed, the file's text, prune), lasting (the build's use of it: redirects, link check,
the write after commit, the pages gone for `diptyque status`).
"""

from __future__ import annotations

from builder.urlhistory.lasting import Lasting, arrange, commit, gone, gone_lines, with_redirects
from builder.urlhistory.reading import load, parse
from builder.urlhistory.record import FILE, PATH, History, Ref
from builder.urlhistory.writing import Moves, prune, reconcile, render

__all__ = [
    "FILE",
    "PATH",
    "History",
    "Lasting",
    "Moves",
    "Ref",
    "arrange",
    "commit",
    "gone",
    "gone_lines",
    "load",
    "parse",
    "prune",
    "reconcile",
    "render",
    "with_redirects",
]
