"""`translate import`: write `<key>.<lang>.md` back from a PO or XLIFF file: the structure from the
original, the text from the file, the rest of the front matter as it was.

A package because the checks a file passes, the body and the front matter it gives, and the reading and
writing of the files are each a thing of their own. Every name other modules import from
`builder.translate.writeback` is re-exported here.
"""

from builder.translate.writeback.apply import Imported, import_files, prepare
from builder.translate.writeback.checks import EXPORT_AGAIN
from builder.translate.writeback.meta import REVIEW_NOTE

__all__ = ["EXPORT_AGAIN", "REVIEW_NOTE", "Imported", "import_files", "prepare"]
