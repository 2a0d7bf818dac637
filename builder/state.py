"""The build state saved between builds: each output's fingerprint, what it read, and the Markdown cache.

What a page's view read is a tuple of dependency keys (`refs`, recorded by the views' reader), and the
digest of every key in that build (`deps`, builder/pages.py): the next build shapes a page again only
when one of its keys has another digest.

Two parts, so that a small change writes little: `state.bin` (fingerprints, dependencies, front matter;
rewritten whole) and the Markdown cache, `markdown.bin` plus `markdown.log`, to which new renderings
are appended until it is worth rewriting the base.
"""

from __future__ import annotations

import marshal
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from builder.markdown import EXTENSIONS, VERSION
from builder.model import Rendered
from builder.parallel import workers
from builder.versions import versions
from builder.writer import write_atomic

FORMAT = 10  # bump when the layout below changes
# marshal is per Python version; cached HTML is per Markdown version and extension
STAMP = f"{FORMAT}:{VERSION}:{','.join(e.__name__ for e in EXTENSIONS)}:{versions()}"
FILE, CACHE, LOG = "state.bin", "markdown.bin", "markdown.log"
LOG_LIMIT = 8 * 1024 * 1024  # past this, the log is folded into a new base


@dataclass
class State:
    """Fingerprints of the last good build and rendered Markdown by body digest."""

    outputs: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint of its inputs
    markdown: dict[str, Rendered] = field(default_factory=dict)  # "<lang>:<digest>" -> rendered body
    sources: dict[str, tuple[int, int, str]] = field(
        default_factory=dict
    )  # content path -> size, mtime_ns, digest
    metas: dict[str, dict] = field(
        default_factory=dict
    )  # path and file digest -> front matter (parse.meta_record)
    refs: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # output path -> dependency keys its view read (builder/pages.py)
    templates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # output path -> templates it loaded
    deps: dict[str, str] = field(default_factory=dict)  # dependency key -> its digest in that build
    related: dict[str, tuple[str, dict[str, list[str]]]] = field(
        default_factory=dict
    )  # language -> inputs, lists


_memory: dict[
    Path, tuple[tuple, State]
] = {}  # state folder -> (its files' sizes and mtimes, the state they hold)
_writing: list[threading.Thread] = []  # a save still running in the background
_ahead: dict[Path, tuple[int, dict]] = {}  # state folder -> child writing its Markdown cache, and that cache


def _stamps(folder: Path) -> tuple:
    found = []
    for name in (FILE, CACHE, LOG):
        try:
            info = (folder / name).stat()
            found.append((info.st_size, info.st_mtime_ns))
        except FileNotFoundError:
            found.append(None)
    return tuple(found)


def finish_saving() -> None:
    """Wait for a background save, and a Markdown cache written ahead, to be on disk."""
    while _writing:
        _writing.pop().join()
    for folder in list(_ahead):
        _written_ahead(folder)


def _rewrites(folder: Path, known: dict[str, Rendered], new: int) -> bool:
    """Whether a save with `new` renderings that `known` (the last cache) lacks writes the cache's base
    whole (else it appends them to the log): when there was none, when many bodies are new, or when the
    log has grown large."""
    log = folder / LOG
    return not known or new > 256 or (log.exists() and log.stat().st_size > LOG_LIMIT)


def _write_cache(folder: Path, markdown: dict[str, Rendered]) -> None:
    records = {key: _record(rendered) for key, rendered in markdown.items()}
    write_atomic(folder / CACHE, marshal.dumps({"stamp": STAMP, "records": records}))
    (folder / LOG).unlink(missing_ok=True)


def write_cache_ahead(folder: Path, markdown: dict[str, Rendered], previous: State) -> None:
    """Start writing the Markdown cache now, in a forked child, when the save will write it whole (a cold
    build): it is known after the parse stage, and the serial stages that follow leave a core idle.
    `save_state` then waits for the child instead of writing the cache itself (as Redis's BGSAVE writes
    a snapshot from a fork). Only from a single-threaded process on more than one core.

    A build that fails after this leaves the new cache beside the old state: renderings are filed by
    body digest and version stamp, so the next build finds in it only what is still true."""
    new = sum(key not in previous.markdown for key in markdown)
    if workers() < 2 or folder in _ahead or not _rewrites(folder, previous.markdown, new):
        return
    folder.mkdir(parents=True, exist_ok=True)
    pid = os.fork()
    if pid == 0:  # the child: write, then leave at once (no exit handlers, no buffers of the parent's)
        code = 1
        try:
            _write_cache(folder, markdown)
            code = 0
        finally:
            os._exit(code)
    _ahead[folder] = (pid, markdown)


def _written_ahead(folder: Path) -> dict[str, Rendered] | None:
    """Wait for the child writing `folder`'s Markdown cache; the cache it wrote, or None if it failed."""
    pid, markdown = _ahead.pop(folder, (0, None))
    if not pid:
        return None
    try:
        status = os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped by someone else: whether it wrote is unknown
        return None
    return markdown if os.waitstatus_to_exitcode(status) == 0 else None


def _record(rendered: Rendered) -> tuple:
    return rendered.html, tuple(map(tuple, rendered.toc)), rendered.summary, rendered.words


def _read_markdown(folder: Path) -> dict[str, Rendered]:
    """The Markdown cache: the base, then every complete record appended to the log."""
    data = marshal.loads((folder / CACHE).read_bytes())
    if not isinstance(data, dict) or data.get("stamp") != STAMP:
        raise ValueError("Markdown cache made by another version")
    records = dict(data["records"])
    if (folder / LOG).exists():
        with (folder / LOG).open("rb") as log:
            while True:
                try:
                    records.update(marshal.load(log))
                except (EOFError, ValueError, TypeError):
                    break  # the end, or a record cut short by an interrupted write: keep what came before
    return {key: Rendered(html, toc, summary, words) for key, (html, toc, summary, words) in records.items()}


def load_state(folder: Path) -> State:
    """Read the saved state; a missing, corrupt or foreign one is ignored with a warning.

    A process that saved or read the files keeps the state in memory and reuses it while they are
    unchanged (the dev server: no reading of large files on every save).
    """
    finish_saving()
    stamps = _stamps(folder)
    if stamps[0] is None:
        return State()
    if folder in _memory and _memory[folder][0] == stamps:
        return _memory[folder][1]
    try:
        data = marshal.loads((folder / FILE).read_bytes())
        if not isinstance(data, dict) or data.get("stamp") != STAMP:
            raise ValueError(
                f"made by another version ({data.get('stamp') if isinstance(data, dict) else '?'})"
            )
        markdown = _read_markdown(folder) if stamps[1] else {}
        state = State(
            outputs=dict(data["outputs"]),
            markdown=markdown,
            sources=dict(data["sources"]),
            metas=dict(data["metas"]),
            refs=dict(data["refs"]),
            templates=dict(data["templates"]),
            deps=dict(data["deps"]),
            related=dict(data["related"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError) as exc:
        print(
            f"warning: ignoring the saved build state in {folder} ({exc}); doing a full build",
            file=sys.stderr,
        )
        return State()
    _memory[folder] = (stamps, state)
    return state


def save_state(
    folder: Path, state: State, previous: State | None = None, background: bool = False, then=None
) -> None:
    """Save the state; write only what differs from `previous` (the state this build started from).

    With `background`, the files are written by a thread while the caller goes on (the dev server tells
    the browser at once); the next load waits for it. `then` is called once the state is on disk.
    """
    previous, ahead = previous or State(), _written_ahead(folder)
    known = previous.markdown
    new = {key: rendered for key, rendered in state.markdown.items() if key not in known}
    small = (
        state.outputs,
        state.sources,
        state.refs,
        state.templates,
        state.deps,
        state.related,
    )
    if not new and small == (
        previous.outputs,
        previous.sources,
        previous.refs,
        previous.templates,
        previous.deps,
        previous.related,
    ):
        if then is not None:
            then()
        return
    data = {
        "stamp": STAMP,
        "outputs": state.outputs,
        "sources": state.sources,
        "metas": state.metas,
        "refs": state.refs,
        "templates": state.templates,
        "deps": state.deps,
        "related": state.related,
    }
    log = folder / LOG
    rewrite = _rewrites(folder, known, len(new))
    merged = dict(state.markdown) if rewrite else {**known, **new}

    def write() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if rewrite and ahead is not state.markdown:
            _write_cache(folder, state.markdown)
        elif new and not rewrite:
            with log.open("ab") as stream:
                stream.write(marshal.dumps({key: _record(rendered) for key, rendered in new.items()}))
                stream.flush()
                os.fsync(stream.fileno())
        write_atomic(folder / FILE, marshal.dumps(data))
        _memory[folder] = (
            _stamps(folder),
            State(
                outputs=state.outputs,
                markdown=merged,
                sources=state.sources,
                metas=state.metas,
                refs=state.refs,
                templates=state.templates,
                deps=state.deps,
                related=state.related,
            ),
        )
        if then is not None:
            then()

    finish_saving()
    if background:
        _writing.append(threading.Thread(target=write, name="diptyque-save-state"))
        _writing[-1].start()
    else:
        write()
