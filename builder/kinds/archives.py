"""Archives of a language: the index of years and months, a page per year and per month."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from builder.i18n import month_name
from builder.kinds.base import Kind, cards, single
from builder.model import Entry, PageId


def _words(config, lang) -> str:
    return f"/{lang}/{config.language(lang).paths['archives']}/"


def _index_url(config, lang, page, doc=None, tag=None) -> str:
    return _words(config, lang)


def _period_url(config, lang, page, doc=None, tag=None) -> str:
    return f"{_words(config, lang)}{page.key}/"


def _periods(site, config, lang, kind: str) -> list[Entry]:
    """A page per year ("2019") or month ("2019/04") that has posts."""
    found = defaultdict(list)
    for doc in site.posts[lang]:
        if kind == "year":
            found[f"{doc.date.year:04d}"].append(doc)
        elif doc.date.month:
            found[f"{doc.date.year:04d}/{doc.date.month:02d}"].append(doc)
    return [
        Entry(PageId(kind, key), lang, _period_url(config, lang, PageId(kind, key)), posts=tuple(docs))
        for key, docs in found.items()
    ]


def shape_index(views, entry, view) -> None:
    years, locale = [], views.config.language(entry.lang).locale
    for year, docs in groupby(views.listed(entry), key=lambda d: d.date.year):
        docs = list(docs)
        months = sorted({d.date.month for d in docs if d.date.month}, reverse=True)
        years.append(
            {
                "text": f"{year:04d}",
                "url": views.link("year", entry.lang, f"{year:04d}"),
                "count": len(docs),
                "months": [
                    {
                        "text": month_name(year, m, locale),
                        "count": sum(d.date.month == m for d in docs),
                        "url": views.link("month", entry.lang, f"{year:04d}/{m:02d}"),
                    }
                    for m in months
                ],
            }
        )
    view["years"] = years


def shape_year(views, entry, view) -> None:
    locale, months, posts = views.config.language(entry.lang).locale, [], views.listed(entry)
    for month, docs in groupby(posts, key=lambda d: d.date.month):
        key = f"{entry.page.key}/{month:02d}" if month else ""
        months.append(
            {
                "text": month_name(int(entry.page.key), month, locale) if month else entry.page.key,
                "url": views.link("month", entry.lang, key) if month else None,
                "posts": [views.card(d, entry.lang) for d in docs],
            }
        )
    view["year"] = {"text": entry.page.key, "count": len(posts), "months": months}
    view["page"]["title"] = entry.page.key


def shape_month(views, entry, view) -> None:
    year, month = (int(p) for p in entry.page.key.split("/"))
    view["period"] = {
        "text": month_name(year, month, views.config.language(entry.lang).locale),
        "year_url": views.link("year", entry.lang, f"{year:04d}"),
    }
    view["page"]["title"] = view["period"]["text"]
    cards(views, entry, view)


ARCHIVES = Kind(
    "archives",
    "archives.html",
    lambda site, config, lang: [single(ARCHIVES, config, lang, site.posts[lang])],
    _index_url,
    shape_index,
)
YEAR = Kind(
    "year",
    "archive.html",
    lambda site, config, lang: _periods(site, config, lang, "year"),
    _period_url,
    shape_year,
    fallbacks=lambda page: [PageId("archives"), PageId("home")],
)
MONTH = Kind(
    "month",
    "list.html",
    lambda site, config, lang: _periods(site, config, lang, "month"),
    _period_url,
    shape_month,
    fallbacks=lambda page: [PageId("year", page.key.split("/")[0]), PageId("archives"), PageId("home")],
)
