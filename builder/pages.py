"""List every page of the site, per language; and the digest of every dependency key a view can record.

Views read the site only through `builder.views.Views`, which records a key for each thing read:

- `settings`: config.toml and the theme chain's files (a change reshapes every page);
- `doc:<kind>:<key>:<lang>`: a document's own data (its file, the pictures it shows, whether it is stale);
- `title:<kind>:<key>:<lang>`: a document's title alone (menus and the about link show only that);
- `dates:<kind>:<key>:<lang>`: a document's date and updated date alone (the sitemap shows only those);
- `group:<kind>|<key>`: which languages a document has (links by file);
- `page-keys`: the keys of the standalone pages (the default menu);
- `page:<kind>|<key>|<number>|<lang>`: a page of the index: its URL, fallback flag and the document it shows;
- `pages:<kind>|<key>|<lang>`: how many pages a paginated list has;
- `list:<kind>|<key>|<number>|<lang>`: which posts a list page holds, in order, with their dates;
- `posts:<lang>`: every published post of a language, in order, with its date;
- `neighbours:<lang>|<key>`: the newer and older posts of a post;
- `related:<lang>|<key>`: a post's related posts;
- `tag:<id>` (its labels and slugs), `tags` (every tag id), `tags-index:<lang>` (the tags a language uses,
  with their counts), `tag-count:<lang>|<id>`;
- `about:<lang>`: which standalone page the header links as "about";
- `history:<key>.<lang>`: a post's Atom entry id, from content/urls.toml;
- `index`: every page of the site with its digest (the sitemap).

`dependency_digests` gives each key present in this build its digest (an absent key has none). A page is
shaped again only when a key its view recorded last time has another digest now (builder/produce.py).
"""

from __future__ import annotations

import hashlib

from builder.config import Config
from builder.kinds import BY_NAME, KINDS
from builder.model import Document, Entry, PageId, Site, doc_id

SETTINGS = "settings"
INDEX = "index"
PAGE_KEYS = "page-keys"
TAGS = "tags"


def site_entries(site: Site, config: Config) -> list[Entry]:
    """Every page of every language, kind by kind (see builder/kinds)."""
    return [entry for lang in config.codes for kind in KINDS for entry in kind.entries(site, config, lang)]


def page_key(page: PageId, lang: str) -> str:
    """The dependency key of a page of the index."""
    return f"page:{page.kind}|{page.key}|{page.number}|{lang}"


def list_key(page: PageId, lang: str) -> str:
    """The dependency key of the posts a list page holds."""
    return f"list:{page.kind}|{page.key}|{page.number}|{lang}"


def count_key(page: PageId, lang: str) -> str:
    """The dependency key of the number of pages of the list a page belongs to."""
    return f"pages:{page.kind}|{page.key}|{lang}"


def used_tags(site: Site, lang: str) -> list[tuple[str, int]]:
    """The tags a language uses, in vocabulary order, with how many posts each has."""
    return [
        (tag_id, len(site.tag_posts[(lang, tag_id)]))
        for tag_id in site.tags
        if (lang, tag_id) in site.tag_posts
    ]


def neighbours(posts: tuple[Document, ...], position: int | None) -> tuple[Document | None, Document | None]:
    """The newer and older posts beside the one at `position` of a language's posts (None at the ends)."""
    newer = posts[position - 1] if position else None
    older = posts[position + 1] if position is not None and position + 1 < len(posts) else None
    return newer, older


def first_pages(entries: list[Entry]) -> dict[str, str]:
    """Per language, the key of its first standalone page, which the header links as "about"."""
    found: dict[str, str] = {}
    for entry in entries:
        if entry.page.kind == "page":
            found.setdefault(entry.lang, entry.page.key)
    return found


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _shown(entry: Entry) -> str:
    return doc_id(entry.doc) if entry.doc else ""


def _page_digests(entries: list[Entry]) -> dict[str, str]:
    """`page:`, `pages:` and `index`."""
    pages = {page_key(e.page, e.lang): f"{e.url}|{e.fallback:d}|{_shown(e)}" for e in entries}
    counts = {count_key(e.page, e.lang): str(e.pages) for e in entries}
    return {**pages, **counts, INDEX: _hash("\n".join(f"{key}={value}" for key, value in pages.items()))}


def _list_digests(site: Site, entries: list[Entry]) -> dict[str, str]:
    """`posts:` and `list:` (a tuple of posts shared by several pages is hashed once)."""
    marks = {
        id(d): f"{doc_id(d)}@{d.date.iso() if d.date else ''}" for docs in site.posts.values() for d in docs
    }
    hashed: dict[int, str] = {}

    def digest(posts: tuple[Document, ...]) -> str:
        if id(posts) not in hashed:
            hashed[id(posts)] = _hash(",".join(marks.get(id(d)) or doc_id(d) for d in posts))
        return hashed[id(posts)]

    found = {f"posts:{lang}": digest(docs) for lang, docs in site.posts.items()}
    found.update((list_key(e.page, e.lang), digest(e.posts)) for e in entries if e.posts)
    return found


def _tag_digests(site: Site, config: Config) -> dict[str, str]:
    """`tag:`, `tags`, `tags-index:` and `tag-count:`."""
    found = {
        f"tag:{tag.id}": repr((tuple(tag.labels.items()), tuple(tag.slugs.items())))
        for tag in site.tags.values()
    }
    found[TAGS] = ",".join(site.tags)
    for lang in config.codes:
        used = used_tags(site, lang)
        found[f"tags-index:{lang}"] = repr(used)
        found.update((f"tag-count:{lang}|{tag_id}", str(count)) for tag_id, count in used)
    return found


def _post_digests(site: Site) -> dict[str, str]:
    """`neighbours:` and `related:`."""
    found = {}
    for lang, posts in site.posts.items():
        for position, doc in enumerate(posts):
            newer, older = neighbours(posts, position)
            found[f"neighbours:{lang}|{doc.key}"] = f"{newer and doc_id(newer)}|{older and doc_id(older)}"
    for (lang, key), related in site.related.items():
        found[f"related:{lang}|{key}"] = ",".join(doc_id(d) for d in related)
    return found


def _document_digests(site: Site, entries: list[Entry]) -> dict[str, str]:
    """`group:`, `page-keys`, `title:`, `dates:` and `about:`."""
    found = {f"group:{kind}|{key}": ",".join(versions) for (kind, key), versions in site.translations.items()}
    found[PAGE_KEYS] = ",".join(key for kind, key in sorted(site.translations) if kind == "page")
    for versions in site.translations.values():
        found.update((f"title:{doc_id(doc)}", doc.title) for doc in versions.values())
        found.update((f"dates:{doc_id(doc)}", f"{doc.date!r}|{doc.updated!r}") for doc in versions.values())
    found.update((f"about:{lang}", key) for lang, key in first_pages(entries).items())
    return found


def dependency_digests(
    site: Site, entries: list[Entry], config: Config, settings: str, docs: dict[str, str]
) -> dict[str, str]:
    """The digest of every dependency key of this build (families in the module's docstring).

    `settings` digests config.toml and the theme; `docs` maps each document id to the
    digest of its own data (`document_digests`, with the pictures it shows).
    """
    found = {SETTINGS: settings}
    found.update((f"doc:{ref}", digest) for ref, digest in docs.items())
    found.update(_page_digests(entries))
    found.update(_list_digests(site, entries))
    found.update(_tag_digests(site, config))
    found.update(_post_digests(site))
    found.update(_document_digests(site, entries))
    found.update(
        (f"history:{key}", value) for key, value in (site.history.ids if site.history else {}).items()
    )
    return found


def settings_digest(config: Config, theme_digest: str) -> str:
    """The `settings` key's digest: config.toml as read and the theme chain's files."""
    return _hash(f"{config!r}\0{theme_digest}")


def counterpart(find, page: PageId, lang: str) -> Entry:
    """The page a visitor switching to `lang` lands on: the same page, else the nearest one that exists.

    `find(page, lang)` looks a page up in the index (the views' reader, which records each page it tries).
    """
    candidates = [page, PageId(page.kind, page.key, 1), *BY_NAME[page.kind].fallbacks(page), PageId("home")]
    for candidate in candidates:
        found = find(candidate, lang)
        if found is not None:
            return found
    raise KeyError((page, lang))


def document_digests(site: Site) -> dict[str, str]:
    """Digest of each document's own data as views show it: its source file, and whether it is stale."""
    digests = {}
    for versions in site.translations.values():
        for doc in versions.values():
            original = site.stale.get((doc.lang, doc.key))
            digests[doc_id(doc)] = doc.digest + (f":stale:{original.lang}" if original else "")
    return digests
