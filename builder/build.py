"""The build entry point, shared by the CLI and the dev server: stop at once when nothing changed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from builder.config import Config
from builder.inputs import forget, remember, signature, unchanged


@dataclass
class BuildResult:
    """What a build did, for the summary line and the dev server."""

    pages: int = 0  # pages in the site (static files not counted)
    rendered: int = 0  # pages whose inputs changed and were rendered again
    written: tuple[str, ...] = ()  # files written
    removed: tuple[str, ...] = ()  # files removed
    kept: tuple[str, ...] = ()  # files in the output folder that Diptyque did not write, left alone
    files: tuple[str, ...] = ()  # every file of the site, under the output folder
    warnings: list[str] = field(default_factory=list)  # stale translations and the like
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


def build(config: Config, *, use_cache: bool = True, background_save: bool = False) -> BuildResult:
    """Build the site into its output folder; raise BuildFailed with every error, leaving it untouched.

    When no input file, setting or code changed since the last good build and its files are all in
    place, nothing is read, rendered or written: the check costs a few milliseconds. `background_save`
    lets a long-running caller (the dev server) go on while the build state is written to disk.
    """
    start = time.perf_counter()
    from builder.errors import BuildFailed
    from builder.writer import check_folders

    unusable = check_folders(config.output_dir, config.state_dir, config.root)
    if unusable:
        raise BuildFailed(unusable)
    mark, stats = signature(config)
    record = unchanged(config, mark) if use_cache else None
    if record and not (config.strict and record["warnings"]):
        return BuildResult(pages=record["pages"], files=tuple(record["files"]), warnings=list(record["warnings"]),
                           timings={"check": time.perf_counter() - start})
    from builder.pipeline import run

    try:
        result = run(config, use_cache=use_cache, background_save=background_save, stats=stats)
    except BaseException:
        forget(config)
        raise
    remember(config, mark, list(result.files), result.pages, result.warnings)
    return result
