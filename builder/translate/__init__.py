"""The translator's workflow: what changed in an original since its translation (`status --diff`), PO and
XLIFF files to translate in (`translate export` / `translate import`), the glossary check, and the dev
server's translation page.

Modules: blocks (a body as blocks), articles (an original and its translation), history (the original a
translation was made from, found in git), align (pairing blocks then, now and translated), segments (what
is translated), diff, formats (PO/XLIFF through translate-toolkit), export, writeback (import), fields
(front matter edits that keep the other lines), files (whole-file writes), glossary, page.
"""
