"""One measured process: wall time, peak memory of its process tree and CPU time, for every benchmark.

Diptyque runs from a copy of the `builder` package taken when the benchmark starts (`freeze`): every
figure of one run then measures the same code, however long the run and whatever is edited meanwhile.
The copy's modules are compiled to bytecode once, as `pip install` does for an installed package: with
PYTHONDONTWRITEBYTECODE set (as here), every run would otherwise compile them again.
"""

from __future__ import annotations

import compileall
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FROZEN: list[Path] = []  # the folder holding the copy of `builder` that Diptyque runs from, once frozen


@dataclass
class Run:
    """What one process cost and printed."""

    seconds: float  # wall time, start to exit
    peak: int  # MiB: highest resident memory of the process tree (proportional set size)
    cpu: float  # user + system seconds of the process and the children it waited for
    out: str  # its standard output


def tree_memory(pid: int) -> int:
    """Memory (KiB) of a process and all its descendants, read from /proc.

    Proportional set size: a page shared by forked workers counts once in the total, not once per process.
    """
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return total


def freeze(into: Path, tries: int = 20, pause: float = 30.0) -> Path:
    """Copy the `builder` package (default theme included) into `into`, make Diptyque runs use it, and return
    `into`. A copy that cannot be imported (a file caught mid-edit) is taken again after `pause` seconds."""
    if FROZEN:
        return FROZEN[0]
    for attempt in range(tries):
        shutil.rmtree(into / "builder", ignore_errors=True)
        shutil.copytree(REPO / "builder", into / "builder", ignore=shutil.ignore_patterns("__pycache__"))
        compileall.compile_dir(into / "builder", quiet=1)
        check = subprocess.run(
            [sys.executable, "-c", "import builder.cli, builder.build, builder.stages"],
            cwd=into,
            capture_output=True,
            text=True,
        )
        if check.returncode == 0:
            FROZEN.append(into)
            sys.path.insert(0, str(into))  # this process too (the dev-server benchmark builds in process)
            return into
        if attempt + 1 < tries:
            print(f"{REPO / 'builder'} does not import yet; copying it again in {pause:.0f} s", flush=True)
            time.sleep(pause)
    raise RuntimeError(
        f"{REPO / 'builder'} does not import: fix it, then run the benchmark again\n"
        f"{check.stderr.strip()[-2000:]}"
    )


def package() -> Path:
    """The `builder` package that Diptyque runs from: the frozen copy, or the checkout's before `freeze`."""
    return (FROZEN[0] if FROZEN else REPO) / "builder"


def diptyque(root: Path, *args: str) -> list[str]:
    """The command line of `diptyque --root ROOT build ARGS`, run from the package that `package` names."""
    return [sys.executable, "-m", "builder", "--root", str(root), "build", *args]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def watch(command: list[str], what: str, memory: bool = True) -> Run:
    """Run `command` to its end, sampling its tree's memory every 10 ms (with `memory`); `what` names it if
    it fails.

    Sampling is not free: reading /proc/PID/smaps_rollup walks the page tables of every process of the
    tree, and every 10 ms that took about 40% of one of this machine's two cores during a Diptyque build
    (three processes of 300-800 MiB), less during Hugo's (one process). Runs that time a build therefore
    sample nothing (`memory=False`: peak 0), and separate runs measure the memory.

    Every run starts after `sync`, untimed: a run would otherwise pay for writing back the pages that the
    run before it left dirty (a full build of Hugo's leaves about 50 MB), which favours whichever tool
    follows a run that wrote little.
    """
    os.sync()
    cpu, began = _cpu(), time.perf_counter()
    where = {"cwd": FROZEN[0], "env": {**os.environ, "PYTHONPATH": str(FROZEN[0])}} if FROZEN else {}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **where)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], tree_memory(process.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    if memory:
        sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - began
    if memory:
        sampler.join()
    if process.returncode:
        raise RuntimeError(
            f"{what} failed (exit {process.returncode}): {' '.join(command)}\n{err.strip()[-2000:]}"
        )
    return Run(elapsed, peak[0] // 1024, _cpu() - cpu, out)


def set_aside(path: Path, trash: Path) -> None:
    """Move a folder into `trash` (deleted when the benchmark ends) instead of deleting it now."""
    if path.exists():
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{sum(1 for _ in trash.iterdir())}-{path.name}")
