"""The ``influencegraph`` command line: parse options, call one library function, print.

Where the graph comes from is chosen once, before the command:
``influencegraph [--data FILE]... | --store DIR | --endpoint URL COMMAND``.
Library errors become one-line messages: exit 2 for a user error (bad file, name or
query), exit 1 for a failed check.

The group and what commands share live in :mod:`.app`; each other module holds the
commands of one kind and registers them on the group when imported.
"""

from . import checks, data, edit, outputs, query, trace  # noqa: F401  (register commands)
from .app import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influencegraph")
