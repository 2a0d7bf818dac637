"""The build state saved between builds: each output's fingerprint and the Markdown cache."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from builder.markdown import EXTENSIONS, VERSION
from builder.model import Heading, Rendered
from builder.writer import write_atomic

FORMAT = 2  # bump when the layout below changes
STAMP = f"{FORMAT}:{VERSION}:{','.join(EXTENSIONS)}"


@dataclass
class State:
    """Fingerprints of the last good build and rendered Markdown by body digest."""

    outputs: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint of its inputs
    markdown: dict[str, Rendered] = field(default_factory=dict)  # "<lang>:<digest>" -> rendered body


def load_state(folder: Path) -> State:
    """Read the saved state; a missing, corrupt or foreign one is ignored with a warning."""
    path = folder / "state.json"
    if not path.exists():
        return State()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("stamp") != STAMP:
            raise ValueError(f"made by another version ({data.get('stamp')})")
        markdown = {key: Rendered(html=v["html"], toc=tuple(Heading(**h) for h in v["toc"]), summary=v["summary"],
                                  words=v["words"]) for key, v in data["markdown"].items()}
        return State(outputs=dict(data["outputs"]), markdown=markdown)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        print(f"warning: ignoring the saved build state {path} ({exc}); doing a full build", file=sys.stderr)
        return State()


def save_state(folder: Path, state: State) -> None:
    """Save the state atomically."""
    data = {"stamp": STAMP, "outputs": state.outputs,
            "markdown": {key: {"html": r.html, "toc": [vars(h) for h in r.toc], "summary": r.summary, "words": r.words}
                         for key, r in state.markdown.items()}}
    write_atomic(folder / "state.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
