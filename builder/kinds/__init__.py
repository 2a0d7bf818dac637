"""Page kinds, one module each; `KINDS` is the one list. Adding a kind is one module and one line here."""

from __future__ import annotations

from builder.kinds import archives, document, feed, home, notfound, tags

KINDS = (home.KIND, feed.KIND, document.POST, document.PAGE, tags.INDEX, tags.TAG, tags.TAGFEED,
         archives.ARCHIVES, archives.YEAR, archives.MONTH, notfound.KIND)
BY_NAME = {kind.name: kind for kind in KINDS}
