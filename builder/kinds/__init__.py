"""Page kinds, one module each; `KINDS` is the one list. Adding a kind is one module and one line here."""

from __future__ import annotations

from builder.kinds import archives, document, feed, home, notfound, redirect, search, tags

KINDS = search.with_header(
    (
        home.KIND,
        feed.KIND,
        document.POST,
        document.PAGE,
        tags.INDEX,
        tags.TAG,
        tags.TAGFEED,
        archives.ARCHIVES,
        archives.YEAR,
        archives.MONTH,
        notfound.KIND,
        redirect.KIND,
    )
)  # each shapes the header's search link too; search page last
BY_NAME = {kind.name: kind for kind in KINDS}
