"""The `diptyque` command line: each command a small function whose docstring is its help.

A package because the commands are many: the registry they join (`registry`), the commands that make
and show the site (`site`), those of writing and translating (`writing`), those of the project (`project`),
and the parser and entry point (`program`). The entry point is `builder.cli:run`, which runs `main`.
"""

from builder.cli.program import main, parser, run, threading_main
from builder.cli.registry import COMMANDS, arg, command

__all__ = ["COMMANDS", "arg", "command", "main", "parser", "run", "threading_main"]
