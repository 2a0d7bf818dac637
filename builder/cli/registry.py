"""The registry of sub-commands, and what every command does the same way: load the config of --root,
and print a failure's problems.

Commands import what they need inside their function, so that `diptyque --help` stays quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

COMMANDS = {}


def command(*arguments):
    """Register a function as a sub-command with its argparse arguments."""

    def register(function):
        """Add `function` to COMMANDS under its name without `cmd_`, with - for _."""
        COMMANDS[function.__name__.replace("_", "-").removeprefix("cmd-")] = (function, arguments)
        return function

    return register


def arg(*names, **options):
    """One argparse argument of a command: its names and options."""
    return names, options


def load_config(args):
    """The validated config of the project folder given by --root."""
    from builder.config import load

    return load(Path(args.root).resolve())


def report(failure) -> int:
    """Print every problem of a BuildFailed to stderr; return the exit status 1."""
    errors = failure.errors
    print(
        f"error: {len(errors)} problem{'s' if len(errors) != 1 else ''} found, nothing was written:",
        file=sys.stderr,
    )
    for error in errors:
        print(f"  {error}", file=sys.stderr)
    return 1
