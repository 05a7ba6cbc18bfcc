"""SELECT rows as plain strings, for code that reads a whole graph's worth of rows.

Converting every Oxigraph term to an rdflib term (what :meth:`Source.select` gives) took
most of the time of a bulk import's lookups and of ``dedupe`` on a big store; this asks an
Oxigraph graph directly and returns each row as a tuple of strings (``""`` for unbound),
in the order of the query's SELECT variables. Other sources go through ``select``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from .graph import Source
from .queries.text import with_term_values
from .vocab import sparql_prefixes

if TYPE_CHECKING:
    from rdflib.term import Node

BATCH = 5000
"""Values per VALUES block."""
_PREFIXES = sparql_prefixes()


def string_rows(
    source: Source, query: str, var: str | None = None, values: list[str] | None = None
) -> list[tuple[str, ...]]:
    """The rows of ``query``; with ``var``, for every one of ``values`` (N-Triples terms,
    bound in batches by a VALUES block at the start of the WHERE clause, written by
    :func:`~influencegraph.queries.text.with_term_values`, which refuses anything else)."""
    if var is not None and not values:
        return []
    store = getattr(source, "store", None)
    if store is None:
        if var is None:
            result = source.query(query)
            return [tuple("" if t is None else str(t) for t in row) for row in result.rows]
        from rdflib.util import from_n3

        names = re.findall(r"\?(\w+)", query.split("WHERE", 1)[0])  # plain variables only
        terms = [cast("Node", from_n3(v)) for v in values or []]
        rows = source.select_bound(query, var, terms)
        return [tuple(str(r[n]) if n in r else "" for n in names) for r in rows]
    batches = [values[i : i + BATCH] for i in range(0, len(values), BATCH)] if values else [[]]
    found: list[tuple[str, ...]] = []
    for batch in batches:
        text = _PREFIXES + (with_term_values(query, var, batch) if var else query)
        found += [
            tuple("" if t is None else t.value for t in solution) for solution in store.query(text)
        ]
    return found
