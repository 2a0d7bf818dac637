"""Pictures beside articles: found and checked, resized into AVIF, WebP and original-format variants, cached
by content, and marked up as `<picture>`.

Both the French and the English file of an article write `![…](photo.jpg)` with their own alt text;
front matter `image: {src: photo.jpg, alt: "…", caption: "…"}` names the article's hero picture. Each
picture is processed once per content and settings into the state folder, and its variants are staged
from there as `img/<hash>-<width>.<ext>`.

This package's entry is the build's picture stage, `attach` (and `digests`, which makes a changed
picture reshape its pages); its modules hold the parts:

- `variants`: the settings of the variants and `Picture`, the record of one processed picture;
- `sources`: the `<img>` tags and hero of a document, and the asset each names;
- `checks`: the errors and warnings about them, with their lines;
- `processing`: one picture made into its variants (in worker processes too);
- `cache`: the state folder's cache of variants;
- `elements`: template values and `<picture>` markup.
"""

from __future__ import annotations

from dataclasses import replace

from builder.config import Config
from builder.errors import BuildError
from builder.images.cache import KNOWN, cache_folder, cached, remember
from builder.images.checks import alt_warning, line_of, problem
from builder.images.elements import body, feed_markup, hero, markup, social, view
from builder.images.processing import process
from builder.images.sources import Use, canonical, shown, uses
from builder.images.variants import Picture, picture
from builder.model import Document, Site
from builder.parallel import pool, workers

__all__ = [
    "PARALLEL_IMAGES",
    "Picture",
    "attach",
    "body",
    "cache_folder",
    "canonical",
    "digests",
    "feed_markup",
    "hero",
    "markup",
    "process",
    "social",
    "view",
]

PARALLEL_IMAGES = 3  # from this many pictures to process, workers share them
_KNOWN = KNOWN  # the cache folders this process has read or filled (tests clear it)


def _published(site: Site) -> list[Document]:
    """Every document of the site, in every language."""
    return [doc for versions in site.translations.values() for doc in versions.values()]


def _process_all(jobs: list[tuple[str, str]]) -> list[dict]:
    """Process pictures, in worker processes when there are several."""
    count = workers()
    if len(jobs) >= PARALLEL_IMAGES and count > 1:
        with pool(min(count, len(jobs))) as executor:
            return list(executor.map(process, *zip(*jobs, strict=True)))
    return [process(source, folder) for source, folder in jobs]


def _checked(site: Site, config: Config, warnings_: list[str]) -> tuple[dict[str, Use], list[BuildError]]:
    """The first use of each asset the documents show, and the errors of the uses that cannot be shown."""
    errors, first = [], {}
    for doc in sorted(_published(site), key=lambda d: d.path):
        for use, found in uses(doc):
            asset, error = problem(use, site.assets, config)
            if error:
                errors.append(error)
                continue
            first.setdefault(asset, use)
            warning = alt_warning(use, found, config)
            if warning:
                warnings_.append(warning)
    return first, errors


def attach(site: Site, config: Config, warnings_: list[str]) -> tuple[Site, list[BuildError]]:
    """Check and process (unless cached) every picture the documents show, and put them on the Site."""
    first, errors = _checked(site, config, warnings_)  # missing, unsafe, unreadable: errors with their lines
    pictures, todo = {}, []
    for asset in sorted(first):
        folder = cache_folder(config, site.assets[asset])
        info = cached(folder)
        if info is None:
            todo.append((asset, folder))
        else:
            pictures[asset] = picture(asset, site.assets[asset], info)
    results = _process_all([(str(config.root / asset), folder) for asset, folder in todo])
    for (asset, folder), info in zip(todo, results, strict=True):
        if "error" in info:
            use = first[asset]
            errors.append(
                BuildError(
                    use.doc.path, line_of(config, use), f"the picture {asset} {info['error']}", info["hint"]
                )
            )
        else:
            remember(folder, info)
            pictures[asset] = picture(asset, site.assets[asset], info)
    return replace(site, pictures=pictures), list(dict.fromkeys(errors))


def digests(docs: dict[str, str], site: Site) -> dict[str, str]:
    """Each document's digest with those of the pictures it shows, so a changed picture reshapes its pages."""
    if not site.pictures:
        return docs
    marks = {}
    for doc in _published(site):
        names = sorted({site.pictures[asset].name for asset in shown(doc, site.pictures)})
        if names:
            marks[f"{doc.kind}:{doc.key}:{doc.lang}"] = ",".join(names)
    return {ref: f"{digest}:img:{marks[ref]}" if ref in marks else digest for ref, digest in docs.items()}
