"""The build state saved between builds: each output's fingerprint and the Markdown cache."""

from __future__ import annotations

import marshal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from builder.markdown import EXTENSIONS, VERSION
from builder.model import Heading, Rendered
from builder.writer import write_atomic

FORMAT = 5  # bump when the layout below changes
STAMP = f"{FORMAT}:{VERSION}:{','.join(EXTENSIONS)}:{sys.version_info[:2]}"  # marshal is per Python version
FILE = "state.bin"


@dataclass
class State:
    """Fingerprints of the last good build and rendered Markdown by body digest."""

    outputs: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint of its inputs
    markdown: dict[str, Rendered] = field(default_factory=dict)  # "<lang>:<digest>" -> rendered body
    sources: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # content path -> size, mtime_ns, digest
    metas: dict[str, tuple] = field(default_factory=dict)  # file digest -> validated front matter (parse.meta_record)
    refs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # output path -> documents its view shows
    docs: dict[str, str] = field(default_factory=dict)  # document id -> digest of its source file
    structure: str = ""  # digest of what views use besides documents (pages.structure)


def load_state(folder: Path) -> State:
    """Read the saved state; a missing, corrupt or foreign one is ignored with a warning."""
    path = folder / FILE
    if not path.exists():
        return State()
    try:
        data = marshal.loads(path.read_bytes())
        if not isinstance(data, dict) or data.get("stamp") != STAMP:
            raise ValueError(f"made by another version ({data.get('stamp')})")
        markdown = {key: Rendered(html=html, toc=tuple(Heading(*h) for h in toc), summary=summary, words=words)
                    for key, (html, toc, summary, words) in data["markdown"].items()}
        sources = {path: tuple(value) for path, value in data["sources"].items()}
        return State(outputs=dict(data["outputs"]), markdown=markdown, sources=sources, metas=dict(data["metas"]),
                     refs={path: tuple(ids) for path, ids in data["refs"].items()}, docs=dict(data["docs"]),
                     structure=data["structure"])
    except (ValueError, KeyError, TypeError, AttributeError, EOFError) as exc:
        print(f"warning: ignoring the saved build state {path} ({exc}); doing a full build", file=sys.stderr)
        return State()


def save_state(folder: Path, state: State, previous: State | None = None) -> None:
    """Save the state atomically; skip the write when nothing differs from `previous`."""
    if (previous is not None and previous.outputs == state.outputs and previous.sources == state.sources
            and previous.markdown.keys() == state.markdown.keys() and previous.structure == state.structure
            and previous.docs == state.docs):
        return
    data = {"stamp": STAMP, "outputs": state.outputs, "sources": state.sources, "metas": state.metas,
            "refs": {path: list(ids) for path, ids in state.refs.items()}, "docs": state.docs,
            "structure": state.structure,
            "markdown": {key: (r.html, [(h.level, h.anchor, h.title) for h in r.toc], r.summary, r.words)
                         for key, r in state.markdown.items()}}
    write_atomic(folder / FILE, marshal.dumps(data))
