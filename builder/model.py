"""The frozen data that flows between build stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Mapping, NamedTuple


@dataclass(frozen=True)
class SourceFile:
    """A content file as read from disk."""

    path: str  # path relative to the project, for messages: content/posts/x.fr.md
    kind: str  # "post" or "page"
    key: str  # translation key: the file name before the language suffix
    lang: str  # language code from the name.<lang>.md suffix
    text: str | None  # decoded file text; None when the saved state vouches the file is unchanged
    digest: str  # hash of the file bytes
    stat: tuple[int, int] = (0, 0)  # size and modification time (ns), to skip reading an unchanged file


@dataclass(frozen=True, order=True)
class PostDate:
    """A publication date with the precision the evidence supports (a time of day, when one was given)."""

    year: int  # always known
    month: int | None = None  # None for a year-only date
    day: int | None = None  # None for a month- or year-only date
    time: str = ""  # "13:00" or "13:00:00" as written, when the front matter gives a time of day
    offset: str = ""  # "+02:00", "-05:00" or "Z" when the time has a time zone

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> date:
        """First day the date can mean, for ordering and the future-post check."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def moment(self) -> datetime:
        """The date and time as a timestamp (midnight UTC without a time; UTC without a time zone)."""
        clock = time.fromisoformat(self.time) if self.time else time()
        zone = timezone.utc if self.offset in ("", "Z") else datetime.strptime(self.offset, "%z").tzinfo
        return datetime.combine(self.start, clock, zone)

    @property
    def order(self) -> tuple[date, datetime]:
        """What orders posts: the day, then the instant (same-day posts with times come in time order)."""
        return self.start, self.moment.astimezone(timezone.utc).replace(tzinfo=None)

    def w3c(self) -> str:
        """The date as sitemaps take it: YYYY-MM-DD, with its time only when it has a time zone."""
        return self.iso() if self.offset or not self.time else self.iso().split("T", 1)[0]

    def iso(self) -> str:
        """Write the date back as YYYY, YYYY-MM or YYYY-MM-DD, with its time (and zone) when it has one."""
        if self.day:
            day = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
            return f"{day}T{self.time}{self.offset}" if self.time else day
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


class Heading(NamedTuple):
    """One entry of an article's table of contents (a named tuple: saved and loaded as a plain tuple)."""

    level: int  # 2 for ##, 3 for ###
    anchor: str  # id of the heading in the page
    title: str  # plain text of the heading


@dataclass(frozen=True)
class Rendered:
    """What Markdown produced from one body."""

    html: str  # the body as HTML
    toc: tuple[Heading, ...]  # section headings in order
    summary: str  # first paragraph as plain text
    words: int  # word count, for the reading time


@dataclass(frozen=True)
class Document:
    """One article or page in one language, parsed and rendered."""

    kind: str  # "post" or "page"
    key: str  # translation key shared by all language versions
    lang: str  # language code
    path: str  # source file, relative to the project
    title: str  # title as written
    slug: str  # URL slug in this language
    date: PostDate | None  # publication date (None for pages)
    tags: tuple[str, ...]  # tag ids
    summary: str  # front matter summary, else the first paragraph
    draft: bool  # left out unless building with drafts
    body: Rendered  # rendered body
    body_digest: str  # digest of the Markdown body, what translations record
    translation_of: str | None  # digest of the original's body this translation was made from
    image_alt: str | None  # alt text of the article's picture ("" marks it decorative)
    digest: str  # digest of the whole source file
    aliases: tuple[str, ...] = ()  # other URLs that redirect here (site-relative: /fr/old/path/)
    updated: PostDate | None = None  # when the text last changed in substance (feeds' <updated>)
    image_src: str | None = None  # the article's picture (front matter image.src), beside its source file
    image_caption: str | None = None  # its caption (image.caption)
    search: bool = True  # in the search index (front matter search: false leaves it out)
    description: str = ""  # front matter description (the meta description; else the summary)
    authors: tuple[str, ...] = ()  # front matter author or authors (else the site's author)
    extra: Mapping = field(default_factory=dict, compare=False)  # front matter extra:, for templates as is


def doc_id(doc: Document) -> str:
    """A document's identity across builds: kind, key and language."""
    return f"{doc.kind}:{doc.key}:{doc.lang}"


@dataclass(frozen=True)
class Tag:
    """One tag of the vocabulary, labelled in each language."""

    id: str  # stable id used in front matter
    labels: Mapping[str, str]  # language code -> label
    slugs: Mapping[str, str]  # language code -> URL slug derived from the label


class PageId(NamedTuple):
    """What a page shows, independent of language: the link between a page and its translations.

    A named tuple rather than a dataclass: it is hashed a hundred thousand times per build.
    """

    kind: str  # home, post, page, tags, tag, archives, year, month, notfound
    key: str = ""  # article key, tag id, or year/month
    number: int = 1  # page number for paginated lists


@dataclass(frozen=True)
class Site:
    """Everything the site holds, assembled and cross-referenced by id."""

    posts: Mapping[str, tuple[Document, ...]]  # language -> published posts, newest first
    pages: Mapping[str, tuple[Document, ...]]  # language -> standalone pages (about…)
    translations: Mapping[tuple[str, str], Mapping[str, Document]]  # (kind, key) -> language -> document
    tags: Mapping[str, Tag]  # tag id -> tag
    tag_posts: Mapping[tuple[str, str], tuple[Document, ...]]  # (language, tag id) -> posts, newest first
    related: Mapping[tuple[str, str], tuple[Document, ...]]  # (language, key) -> related posts
    related_inputs: Mapping[
        str, str
    ]  # language -> digest of what its related lists come from (`related_inputs`)
    stale: Mapping[tuple[str, str], Document]  # (language, key) -> the original a stale translation lags
    assets: Mapping[str, str] = field(
        default_factory=dict
    )  # content files other than Markdown: path -> digest
    history: object = None  # urlhistory.History: content/urls.toml as read, with new entry ids
    pictures: Mapping[str, object] = field(default_factory=dict)  # asset path -> images.Picture it shows as
    unread: frozenset[str] = frozenset()  # keys of documents that could not be read (a build that fails)


class Entry(NamedTuple):
    """One page the site will have in one language, before its view data is shaped (a named tuple:
    thousands are made on every build, and a frozen dataclass is slow to make)."""

    page: PageId  # what the page shows
    lang: str  # language of the page
    url: str  # site-relative URL
    doc: Document | None = None  # the article or page shown, if any
    fallback: bool = False  # True when `doc` is another language's original shown in place of a translation
    posts: tuple[Document, ...] = ()  # the posts listed on this page
    pages: int = 1  # number of pages of the list this page belongs to


@dataclass(frozen=True)
class RenderJob:
    """A page to render: template, view data and where it goes."""

    path: str  # file under output/
    template: str  # template name in the theme
    lang: str  # language whose catalog renders the template
    context: Mapping  # view data, plain values only (hashed for incremental builds)
