"""The versions of Python, Diptyque and every library that shapes the output: a new one means a cold build."""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache

# Distributions whose code changes what a build writes (names as their dist-info folders spell them).
LIBRARIES = (
    "diptyque",
    "markdown",
    "jinja2",
    "babel",
    "pyyaml",
    "python_slugify",
    "text_unidecode",
    "pymdown_extensions",
    "pygments",
    "pillow",
    "pagefind",
    "markupsafe",
)
DIST_INFO = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+?)-(?P<version>[^-]+)\.dist-info$")


@lru_cache(maxsize=1)
def versions() -> str:
    """One string naming Python's version and each installed library's, read off the dist-info folder names.

    Listing the folders of sys.path costs a millisecond, where importing the libraries to ask them would
    cost the no-change build its speed.
    """
    found = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            match = DIST_INFO.match(name)
            if match:
                key = match["name"].lower().replace("-", "_").replace(".", "_")
                if key in LIBRARIES and key not in found:
                    found[key] = match["version"]
    return ";".join([sys.version.split()[0], *(f"{name}={found.get(name, '-')}" for name in LIBRARIES)])
