"""The :class:`Source` interface every command reads the graph through, and
its back-end-neutral :class:`QueryResult`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, Union

from ..queries import text as sparql_text  # a module: queries.text imports graph.terms

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

PathLike = Union[str, "os.PathLike[str]"]
Triple = tuple["Node", "Node", "Node"]
_Row = TypeVar("_Row")

VALUES_BATCH = 200
"""Values per ``VALUES`` block in :meth:`Source.select_bound`, so that a query to a remote
endpoint stays a modest size."""


@dataclass
class QueryResult:
    """A back-end-neutral SPARQL result with rdflib terms."""

    kind: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def _repr_html_(self) -> str:
        """In Jupyter: the solutions as a table, an ASK's answer, a graph's size."""
        from ..output import html_table
        from ..sparql import term_text

        if self.kind == "ASK":
            return f"<p>{'true' if self.boolean else 'false'}</p>"
        if self.graph is not None:
            return f"<p>{self.kind}: {len(self.graph)} triples</p>"
        rows = [
            {v: term_text(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows
        ]
        return html_table(rows, self.variables, f"{len(rows)} rows")

    def as_dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by variable name (unbound variables left out)."""
        return [
            {
                var: value
                for var, value in zip(self.variables, row, strict=True)
                if value is not None
            }
            for row in self.rows
        ]


class Source:
    """Where the graph comes from. Subclasses implement ``query``, ``triples`` and ``add``."""

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL query, with variables pre-bound to terms (never pasted into the text)."""
        raise NotImplementedError

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        """Triples matching a pattern (``None`` matches anything)."""
        raise NotImplementedError

    def add(self, triples: Iterable[Triple]) -> None:
        """Add triples to the source."""
        raise NotImplementedError

    def select(
        self, sparql: str, bindings: Mapping[str, Node] | None = None
    ) -> list[dict[str, Any]]:
        """Run a SELECT and return one dict per row (unbound variables are left out)."""
        return self.query(sparql, bindings).as_dicts()

    def select_bound(self, sparql: str, var: str, values: Iterable[Node]) -> list[dict[str, Any]]:
        """Run a SELECT over many values of ``?var`` at once: the rows for all of them.

        ``sparql`` leaves ``?var`` unbound. This default sends one query per batch of
        :data:`VALUES_BATCH` values, with a ``VALUES ?var { ... }`` block
        (:func:`values_block`) at the start of the WHERE clause and in the query's
        ``VALUES ?var { UNDEF }`` slots (:func:`~influencegraph.queries.text.fill`): one
        round trip per batch for a
        store or an endpoint. Values that cannot be written safely are skipped: no query
        could match them.
        """
        return self.answer_each(
            self.select, sparql_text.bound_queries(sparql, var, values, VALUES_BATCH)
        )

    def select_text(
        self,
        sparql: str,
        var: str | None = None,
        iris: Iterable[str] | None = None,
        *,
        ordered: bool = True,
    ) -> list[dict[str, str]]:
        """Run a SELECT and return each row's terms as text (``str()`` of the rdflib
        term: an IRI, a literal's lexical form; unbound variables left out), with ``?var``
        bound to each of ``iris`` as :meth:`select_bound` binds it. For callers that read
        only text from many rows: a back end may answer without building rdflib terms.

        The rows come in :meth:`select_bound`'s order; with ``ordered=False`` a caller
        that does not depend on it lets a local store bind more IRIs per query."""
        if var is None or iris is None:
            return _as_text(self.select(sparql))
        from rdflib import URIRef

        return _as_text(self.select_bound(sparql, var, [URIRef(iri) for iri in iris]))

    def select_filled_text(
        self, sparql: str, var: str, iris: Iterable[str], *, batch: int = VALUES_BATCH
    ) -> list[dict[str, str]]:
        """:meth:`select_filled` for a one-variable slot filled with IRIs given as text,
        each row's terms read as text (as :meth:`select_text` reads them)."""
        from rdflib import URIRef

        return _as_text(self.select_filled(sparql, var, [URIRef(i) for i in iris], batch=batch))

    def select_filled(
        self,
        sparql: str,
        key: str | tuple[str, ...],
        values: Iterable[Any],
        *,
        batch: int = VALUES_BATCH,
    ) -> list[dict[str, Any]]:
        """Run a SELECT whose parameter slot ``key`` (a variable, or a tuple of them for a
        ``VALUES (?a ?b)`` slot) is filled with ``values`` (terms, or tuples of terms), in
        batches of ``batch``: the rows for all of them (:func:`~influencegraph.queries.text.fill`).
        """
        return self.answer_each(self.select, sparql_text.filled_queries(sparql, key, values, batch))

    def answer_each(self, answer: Callable[[str], list[_Row]], queries: list[str]) -> list[_Row]:
        """The rows ``answer`` gives for each of ``queries``, in the queries' order: the
        batches of :meth:`select_bound` and :meth:`select_filled`. One at a time here; a
        local store answers them side by side (``OxigraphSource``)."""
        return [row for query in queries for row in answer(query)]

    def holds(self, predicate: str) -> bool:
        """False only when the graph certainly has no triple with ``predicate`` (an IRI):
        a query's OPTIONAL detail on it can then be left out. True here, since asking an
        endpoint would cost a round trip; a local store looks it up."""
        return True

    def describe(self) -> str:
        """A short human description (for messages)."""
        return type(self).__name__


def _as_text(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Rows of rdflib terms as rows of their text (``str()`` of each term)."""
    return [{name: str(term) for name, term in row.items()} for row in rows]
