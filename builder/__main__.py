"""Run the command line as `python -m builder`."""

from builder.cli import run

run()
