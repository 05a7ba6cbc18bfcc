"""Files in an rdflib graph: what editing, SHACL validation and serialising work on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .base import QueryResult, Source, Triple

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import ResultRow
    from rdflib.term import Identifier, Node


class MemorySource(Source):
    """An rdflib in-memory graph: the default for the bundled seed graph and small files."""

    def __init__(self, graph: Graph, paths: list[Path] | None = None) -> None:
        self.graph = graph
        self.paths = paths or []

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        return self._evaluate(sparql, bindings)

    def select_bound(self, sparql: str, var: str, values: Iterable[Node]) -> list[dict[str, Any]]:
        """Run ``sparql`` once per value with ``?var`` bound. The parsed query is cached
        (rdflib's parser costs 5-30 ms, far more than answering on a small graph), so each
        value costs only its evaluation."""
        rows: list[dict[str, Any]] = []
        for value in dict.fromkeys(values):
            rows += self._evaluate(sparql, {var: value}).as_dicts()
        return rows

    def _evaluate(self, sparql: str, bindings: Mapping[str, Node] | None) -> QueryResult:
        from ..vocab import sparql_prefixes

        init = {k: cast("Identifier", v) for k, v in (bindings or {}).items()}
        result = self.graph.query(_prepared(sparql_prefixes() + sparql), initBindings=init)
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars or []]
            return QueryResult(
                "SELECT", variables, [tuple(cast("ResultRow", row)) for row in result]
            )
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        return QueryResult(result.type, graph=result.graph)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        return iter(self.graph.triples(pattern))

    def add(self, triples: Iterable[Triple]) -> None:
        for triple in triples:
            self.graph.add(triple)

    def describe(self) -> str:
        return ", ".join(str(p) for p in self.paths) or "an in-memory graph"


@lru_cache(maxsize=64)
def _prepared(sparql: str) -> Any:
    """Parse and translate a query once: rdflib spends more time preparing the shipped
    queries (e.g. 0.2 s for the largest) than running them on the seed graph."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(sparql)
