"""The SPARQL queries influencegraph ships (``*.rq`` files beside this module).

Reports built from the graph (corroboration status, evidence types, the dossier) take
their facts from these files, so anyone can run the very same query with another
SPARQL engine. Each file declares its own prefixes and documents its columns; the
entity a query is about is bound through ``Source.select(query, bindings)``, never pasted.

Example:
    >>> from influencegraph.queries import load_query
    >>> "SELECT" in load_query("corroboration-claims")
    True
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load_query(name: str) -> str:
    """The text of the shipped query ``name`` (``"evidence-types"`` or ``"evidence-types.rq"``).

    Raises ``FileNotFoundError`` for a name that is not shipped (a programming error).
    """
    filename = name if name.endswith(".rq") else f"{name}.rq"
    return (files(__name__) / filename).read_text(encoding="utf-8")


def query_names() -> list[str]:
    """The file names of every shipped query, sorted."""
    return sorted(p.name for p in files(__name__).iterdir() if p.name.endswith(".rq"))
