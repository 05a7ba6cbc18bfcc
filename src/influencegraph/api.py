"""The Python API for notebooks and scripts: ``import influencegraph as ig``.

A thin facade over the library's modules, each method one call, returning the same typed
results (dataclasses) the command line prints. In Jupyter, results show as HTML tables,
a dossier as its page and a network view inline.

Example:
    >>> import influencegraph as ig
    >>> g = ig.open()                                  # the bundled graph
    >>> [h.kind for h in g.path("All Together Now", "ICS").paths[0].hops]
    ['endorses']
    >>> g.show("PHF").entity["label"]
    'Paul Hamlyn Foundation'
    >>> len(g.rank(by="in-degree", top=3).entries)
    3
    >>> g.sparql("ASK { igd:the-challenge a ig:Organisation }").boolean
    True
    >>> g.to_networkx().number_of_edges() > 20
    True
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network

    from .connections import ConnectionResult
    from .dossier import Dossier
    from .facts import EntityFacts
    from .graph import PathLike, QueryResult, Source
    from .names import SearchHit
    from .paths import InfluenceResult, PathResult
    from .ranking import Ranking
    from .render import Page
    from .stats import Stats
    from .validate import Violation


def open(
    data: PathLike | Iterable[PathLike] | None = None,
    *,
    store: PathLike | None = None,
    endpoint: str | None = None,
    default_graph: str | None = None,
    timeout: float = 30.0,
) -> InfluenceGraph:
    """Open a graph: RDF files (``data``), an on-disk store made by ``influencegraph load``
    (``store``), or a SPARQL endpoint (``endpoint``, with ``default_graph`` if the data sits
    in a named graph); the bundled graph when none is given. Oxigraph answers every read.

    Raises :class:`~influencegraph.errors.SourceError` (or ``DataFileError`` for a bad file).
    """
    from .graph import open_source

    files = [data] if isinstance(data, (str, os.PathLike)) else list(data or [])
    return InfluenceGraph(
        open_source(
            files, store=store, endpoint=endpoint, timeout=timeout, default_graph=default_graph
        )
    )


class InfluenceGraph:
    """One opened graph and the questions the command line asks of it."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def __repr__(self) -> str:
        return f"<InfluenceGraph {self.source.describe()}>"

    def path(
        self,
        origin: str,
        goal: str,
        *,
        max_hops: int = 6,
        mode: Literal["shortest", "strongest", "all"] = "shortest",
        limit: int = 50,
    ) -> PathResult:
        """Directed, time-consistent influence paths from ``origin`` to ``goal`` (by label)."""
        from .paths import find_paths

        return find_paths(self.source, origin, goal, max_hops=max_hops, mode=mode, limit=limit)

    def influence(
        self,
        name: str,
        *,
        direction: Literal["downstream", "upstream"] = "downstream",
        depth: int = 3,
    ) -> InfluenceResult:
        """What ``name`` influenced (downstream) or what influenced it (upstream), by hop."""
        from .paths import influence

        return influence(self.source, name, direction=direction, depth=depth)

    def connections(self, a: str, b: str, *, max_hops: int = 6) -> ConnectionResult:
        """The shortest connections between two entities through any relation."""
        from .connections import find_connections

        return find_connections(self.source, a, b, max_hops=max_hops)

    def rank(self, *, by: str = "pagerank", type: str | None = None, top: int = 10) -> Ranking:
        """The most influential entities by ``by`` (pagerank, reach, betweenness, in-degree)."""
        from .ranking import rank

        return rank(self.source, by=by, entity_type=type, top=top)

    def show(self, name: str) -> EntityFacts:
        """Every fact about one entity, with evidence, sources and corroboration status."""
        from .facts import entity_facts

        return entity_facts(self.source, name)

    def search(self, text: str, *, limit: int = 10) -> list[SearchHit]:
        """Entities whose labels (or identifiers) best match ``text``."""
        from .names import search

        return search(self.source, text, limit=limit)

    def dossier(self, name: str) -> Dossier:
        """The impact dossier of an organisation, person, group or project."""
        from .dossier import build_dossier

        return build_dossier(self.source, name)

    def stats(self) -> Stats:
        """Entities by type and claims by kind and by claimant."""
        from .stats import graph_stats

        return graph_stats(self.source)

    def validate(self) -> list[Violation]:
        """SHACL shapes and time order: the violations (an empty list when valid)."""
        from .graph import whole_graph
        from .validate import validate_graph

        return validate_graph(whole_graph(self.source))

    def sparql(self, query: str, *, bind: Iterable[str] = (), timeout: float = 5.0) -> QueryResult:
        """A read-only SPARQL query, checked and bounded as ``influencegraph sparql`` does;
        ``bind`` takes ``NAME=VALUE`` texts (a label, an IRI, a literal)."""
        from .sparql import run_query

        return run_query(self.source, query, bind=bind, timeout=timeout)

    def to_networkx(self, *, relations: Literal["influence", "all"] = "influence") -> nx.MultiGraph:
        """The graph for networkx: influence claims and authorship as a ``MultiDiGraph``, or
        every relation (memberships, parts, links too) as a ``MultiGraph``."""
        from .projection import influence_graph, relation_graph

        if relations == "all":
            return relation_graph(self.source)
        return influence_graph(self.source)

    def viz(
        self,
        *,
        around: str | None = None,
        depth: int | None = None,
        types: Iterable[str] = (),
        since: int | None = None,
        path: tuple[str, str] | None = None,
    ) -> Page:
        """The interactive network page (shown inline in Jupyter; ``write_page`` saves it)."""
        from .render import viz_page

        return viz_page(
            self.source, around=around, depth=depth, types=types, since=since, path=path
        )

    def to_pyvis(self, **viz_options: Any) -> Network:
        """The network view as a ``pyvis.network.Network``, for those who know pyvis. Its
        own ``show`` loads vis-network from a CDN; the page :meth:`viz` makes does not."""
        from .render import to_pyvis

        return to_pyvis(self.viz(**viz_options))
