"""The argument parser built from the registered commands, and `main`, which runs one and turns an
interruption or an unforeseen I/O problem into a message and an exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from builder.cli.registry import COMMANDS

# Each module registers its commands as it is imported: this order is the order of the commands in --help.
# isort: off
from builder.cli import site  # noqa: F401
from builder.cli import writing  # noqa: F401
from builder.cli import project  # noqa: F401

# isort: on

ROOT_HELP = "project folder holding config.toml (default: .)"


def parser() -> argparse.ArgumentParser:
    """Build the argument parser from the registered commands."""
    main_parser = argparse.ArgumentParser(
        prog="diptyque", description="Diptyque: a bilingual French/English static blog generator."
    )
    main_parser.add_argument("--root", default=".", help=ROOT_HELP)
    sub = main_parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (function, arguments) in COMMANDS.items():
        help_text = function.__doc__.strip()
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        command_parser.add_argument("--root", default=argparse.SUPPRESS, help=ROOT_HELP)
        for names, options in arguments:
            command_parser.add_argument(*names, **options)
        command_parser.set_defaults(handler=function)
    return main_parser


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line's arguments. The names a command takes in any number (keys, files, URLs) may also
    come after its options (`translate export --lang en KEY`), where argparse alone stops at the option."""
    main_parser = parser()
    args, extra = main_parser.parse_known_args(argv)
    spread = next(
        (
            names[0]
            for names, options in COMMANDS.get(getattr(args, "command", None) or "", (None, ()))[1]
            if options.get("nargs") in ("*", "+") and not names[0].startswith("-")
        ),
        None,
    )
    unknown = [word for word in extra if word.startswith("-")] if spread else extra
    if unknown:
        main_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if extra:
        setattr(args, spread, [*getattr(args, spread), *extra])
    return args


def _terminate(signum, frame):
    """SIGTERM cleans up as Ctrl-C does: staged files are dropped, output/ is left as it was."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    import signal

    args = _parse(argv)
    if not getattr(args, "handler", None):
        parser().print_help()
        return 2
    if threading_main():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interrupted; output/ is as it was before this build", file=sys.stderr)
        return 130
    except OSError as exc:  # a file the checks above did not foresee: say which, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"error: {where}{exc.strerror or exc}\n    hint: check that the file exists, is readable and is "
            "of the right kind (a file, not a folder)",
            file=sys.stderr,
        )
        return 1
    except UnicodeDecodeError as exc:
        print(
            f"error: a file is not UTF-8 ({exc.reason} at byte {exc.start})\n    hint: save the file the "
            "command reads as UTF-8",
            file=sys.stderr,
        )
        return 1
    except (RecursionError, MemoryError) as exc:
        print(
            f"error: the input is nested too deeply or is too large ({type(exc).__name__})\n    hint: look "
            "for a front matter or Markdown block nested thousands of levels deep",
            file=sys.stderr,
        )
        return 1


def run() -> None:
    """The `diptyque` program: `main`, then a prompt exit.

    A build leaves millions of objects behind; freeing them one by one as the interpreter shuts down took
    0.1 s of a 0.8 s rebuild. Once the command has returned (its files written and closed) and its output
    is flushed, a process with no other thread left exits at once instead. A thread still running (a state
    being saved) gets the usual shutdown, which waits for it.
    """
    import os
    import threading

    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing more can be told
        pass
    if threading.active_count() == 1:
        os._exit(code)
    raise SystemExit(code)


def threading_main() -> bool:
    """Whether this is the main thread (signal handlers can be installed only there)."""
    import threading

    return threading.current_thread() is threading.main_thread()
