"""Translation status (`diptyque status`): what is missing, stale or untranslated, per language.

A package because what the report holds, how it is built from the content, and how it is shown (text
or JSON) are each a thing of their own. Every name other modules import from `builder.status` is
re-exported here.
"""

from builder.status.compare import Versions, article_versions, catalog_gaps, translation_status
from builder.status.model import LanguageStatus, Stale, Untracked, total_problems
from builder.status.output import format_status, status_json

__all__ = [
    "LanguageStatus",
    "Stale",
    "Untracked",
    "Versions",
    "article_versions",
    "catalog_gaps",
    "format_status",
    "status_json",
    "total_problems",
    "translation_status",
]
