"""Diptyque: a bilingual French/English static blog generator."""

__version__ = "0.1.0"
