"""The picture cache in the state folder: one folder per content digest and settings,
`.diptyque/images/<digest>-<settings>/`, holding a picture's variants and `info.json`, their description.

A folder is filled under a temporary name and renamed at the end, so a folder that exists is complete;
two builds that make the same folder at once make the same bytes. The variants are staged into output/
from here, so a picture is processed once per content and settings, across builds.
"""

from __future__ import annotations

import json
import os
import shutil

from builder.config import Config
from builder.images.variants import settings, stored

KNOWN: dict[str, dict] = {}  # cache folder -> its info.json, for the processes that build again (serve)


def cache_folder(config: Config, digest: str) -> str:
    """Where the variants of one content digest are kept between builds."""
    return os.path.join(config.state_dir, "images", f"{digest}-{settings()}")


def describe(ext: str, widths, heights, formats) -> dict:
    """The description of a picture's variants, as info.json holds it and `process` returns it."""
    return {"ext": ext, "widths": list(widths), "heights": list(heights), "formats": list(formats)}


def fill(folder: str, make) -> None:
    """Fill a cache folder through a temporary one renamed at the end: a folder that exists is complete."""
    temp = f"{folder}.tmp-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    os.makedirs(temp)
    try:
        make(temp)
        try:
            os.rename(temp, folder)
        except OSError:  # made meanwhile by another build: the same bytes
            shutil.rmtree(temp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def save_info(temp: str, info: dict, data: bytes | None) -> None:
    """Write a folder's info.json, and the source itself for a picture copied as it is (`data`)."""
    if data is not None:
        with open(os.path.join(temp, f"source.{info['ext']}"), "wb") as handle:
            handle.write(data)
    with open(os.path.join(temp, "info.json"), "w", encoding="utf-8") as handle:
        json.dump(info, handle)


def cached(folder: str) -> dict | None:
    """The description of a cache folder's variants, when each of their files is there."""
    try:  # each file is looked for: the state folder may have been removed since this process read it
        info = KNOWN.get(folder)
        if info is None:
            with open(os.path.join(folder, "info.json"), encoding="utf-8") as handle:
                info = json.load(handle)
        names = [name for _, _, name in stored(info["ext"], info["widths"], info["formats"])]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(os.path.isfile(os.path.join(folder, name)) for name in names):
        return None
    KNOWN[folder] = info
    return info


def remember(folder: str, info: dict) -> None:
    """Keep the description of a folder just filled, so this process need not read it again."""
    KNOWN[folder] = info
