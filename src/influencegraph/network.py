"""The whole influence network in memory, for many path searches over one graph.

:func:`~influencegraph.paths.find_paths` grows a neighbourhood from each end for every
question: right for one question, and for ``serve``. ``publish`` asks thousands (every
dossier lists its paths to each policy it reaches), so it reads the network once
(:func:`influence_network`) and searches it with the same search as ``find_paths``
(:meth:`InfluenceNetwork.every`). The answers are the same: a neighbourhood grown until it
holds every path of at most ``max_hops`` holds every path the whole network holds, and
the search keeps one hop per pair, the strongest, whatever the order edges come in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .graph import Source
from .paths import (
    DEFAULT_MAX_HOPS,
    Hop,
    InfluencePath,
    _Search,
    best_edges,
    date_key,
    hop_statuses,
    hops_to,
)
from .projection import INFLUENCE_RELATIONS, Edge, edge_key, node_attributes


@dataclass
class InfluenceNetwork:
    """Every entity (``label``, ``type``, ``year``) and every influence edge between
    them, claims and authorship, as :class:`~influencegraph.projection.Neighbourhood`
    holds them; the adjacency, dates and hops to each goal are made once."""

    nodes: dict[str, dict[str, Any]]
    edges: dict[str, Edge]
    _adjacency: dict[str, dict[str, Edge]] = field(default_factory=dict, repr=False)
    _dates: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _togo: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._adjacency = best_edges(self.edges.values())
        self._dates = {iri: date_key(attrs["year"]) for iri, attrs in self.nodes.items()}

    def every(
        self, start: str, goal: str, *, max_hops: int = DEFAULT_MAX_HOPS, limit: int = 50
    ) -> tuple[list[tuple[Edge, ...]], bool]:
        """What ``find_paths(mode="all")`` finds from ``start`` to ``goal`` (IRIs): every
        simple time-consistent path of at most ``max_hops``, shortest and strongest first,
        at most ``limit``, and whether more may exist."""
        if goal not in self._togo:
            self._togo[goal] = hops_to(goal, self.edges.values())
        shared = (self._adjacency, self._togo[goal], self._dates)
        return _Search(self.edges, self.nodes, start, goal, shared=shared).every(max_hops, limit)

    def paths(
        self,
        source: Source,
        start: str,
        goal: str,
        *,
        max_hops: int = DEFAULT_MAX_HOPS,
        limit: int = 50,
    ) -> list[InfluencePath]:
        """The paths :meth:`every` finds, as ``find_paths(mode="all").paths`` gives them:
        numbered, each hop with the corroboration status of its claim."""
        found, _ = self.every(start, goal, max_hops=max_hops, limit=limit)
        statuses = hop_statuses(source, (e for path in found for e in path))
        return [
            InfluencePath(
                n, tuple(Hop.from_edge(i, e, self.nodes, statuses) for i, e in enumerate(path, 1))
            )
            for n, path in enumerate(found, 1)
        ]


def influence_network(source: Source) -> InfluenceNetwork:
    """Read the whole influence network once: every entity but source documents, and
    every claim and authorship link between two of them (one edge per claim)."""
    nodes = node_attributes(source)
    edges: dict[str, Edge] = {}
    for relation in INFLUENCE_RELATIONS:
        for edge in relation.edges(source):
            if edge[0] in nodes and edge[1] in nodes:
                edges.setdefault(edge_key(edge), edge)
    return InfluenceNetwork(nodes, edges)
