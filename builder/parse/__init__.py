"""Front matter checked and turned into the fields of a `Document`.

A package because the work has four parts that read best apart: the dates (`dates`), the readers of single
values (`fields`), the check of a whole file (`validate`) and the `Meta` it yields with its saved form
(`meta`). The names other modules use are re-exported here.
"""

from builder.parse.dates import parse_date
from builder.parse.fields import alias_url
from builder.parse.meta import Meta, make_document, meta_from_record, meta_record, notices
from builder.parse.validate import FIELDS, parse_meta

__all__ = [
    "FIELDS",
    "Meta",
    "alias_url",
    "make_document",
    "meta_from_record",
    "meta_record",
    "notices",
    "parse_date",
    "parse_meta",
]
