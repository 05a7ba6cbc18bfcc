"""The ``influencegraph`` command line: parse options, call one library function, print.

Where the graph comes from is chosen once, before the command:
``influencegraph [--data FILE]... | --store DIR | --endpoint URL COMMAND``.
Library errors become one-line messages: exit 2 for a user error (bad file, name or
query), exit 1 for a failed check.

The group and what commands share live in :mod:`.app`; each other module holds the
commands of one kind and registers them on the group when imported.
"""

import gc

from . import checks, data, edit, outputs, query, trace  # noqa: F401  (register commands)
from .app import cli

__all__ = ["cli", "main"]


GC_THRESHOLD = 50_000
"""Allocations between collections of the youngest objects in a command (Python's default
is 700). A command builds many objects that stay until it ends (rows, edges, hops) and
frees few: collecting them less often saved 0.1-0.3 s of CPU in 3 s on a depth-2
``influence`` from a hub (bench/hub.py)."""


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    cli(prog_name="influencegraph")
