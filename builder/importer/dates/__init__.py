"""Date an article from the evidence its archive holds, with the precision that evidence supports.

A package because the words dates are written with, the dates an archive states, the dates a text
mentions in passing and the inference from all of them are each a thing of their own. Every name other
modules import from `builder.importer.dates` is re-exported here.
"""

from builder.importer.dates.infer import infer
from builder.importer.dates.mentions import Clues, clues
from builder.importer.dates.stated import RANK, Dated, explicit
from builder.importer.dates.words import MONTHS, WEEKDAYS, month_of

__all__ = ["MONTHS", "RANK", "WEEKDAYS", "Clues", "Dated", "clues", "explicit", "infer", "month_of"]
