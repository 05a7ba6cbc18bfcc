"""The whole influence network in memory, for many path searches over one graph.

:func:`~influencegraph.paths.find_paths` grows a neighbourhood from each end for every
question: right for one question, and for ``serve``. ``publish`` asks thousands (every
dossier lists its paths to each policy it reaches), so it reads the network once
(:func:`influence_network`) and searches it with the same search as ``find_paths``
(:meth:`InfluenceNetwork.every`). The answers are the same: a neighbourhood grown until it
holds every path of at most ``max_hops`` holds every path the whole network holds, and
the search keeps one hop per pair, the strongest, whatever the order edges come in.
What a dossier's entity reaches downstream (:meth:`InfluenceNetwork.reached`) is what
:func:`~influencegraph.paths.influence` lists, found without growing a neighbourhood.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
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
    time_walk,
)
from .projection import INFLUENCE_RELATIONS, Edge, edge_key, node_attributes


@dataclass
class InfluenceNetwork:
    """Every entity (``label``, ``type``, ``year``) and every influence edge between
    them, claims and authorship, as :class:`~influencegraph.projection.Neighbourhood`
    holds them; the adjacency (both ways), dates and hops to each goal are made once."""

    nodes: dict[str, dict[str, Any]]
    edges: dict[str, Edge]
    _adjacency: dict[str, dict[str, Edge]] = field(default_factory=dict, repr=False)
    _into: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _dates: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _togo: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._adjacency = best_edges(self.edges.values())
        into: dict[str, dict[str, None]] = {}
        for x, y, _ in self.edges.values():
            into.setdefault(y, {})[x] = None
        self._into = {y: list(xs) for y, xs in into.items()}
        self._dates = {iri: date_key(attrs["year"]) for iri, attrs in self.nodes.items()}

    def hops_to(self, goal: str, max_hops: int) -> dict[str, int]:
        """Fewest hops from each entity to ``goal``, for those at most ``max_hops`` away:
        :func:`~influencegraph.paths.hops_to` cut at ``max_hops`` (the search treats an
        entity further away as one that never arrives)."""
        distance = {goal: 0}
        queue = deque([goal])
        while queue:
            node = queue.popleft()
            if distance[node] == max_hops:
                continue
            for far in self._into.get(node, ()):
                if far not in distance:
                    distance[far] = distance[node] + 1
                    queue.append(far)
        return distance

    def reached(self, start: str, depth: int) -> set[str]:
        """Every entity :func:`~influencegraph.paths.influence` lists as a target
        downstream of ``start`` within ``depth`` hops (IRIs): reached along edges in
        layers of (entity, time state), never back in time, never back to ``start``."""

        def moves(node: str) -> Iterator[tuple[str, None]]:
            return ((far, None) for far in self._adjacency.get(node, {}))

        return {far for _, far, _ in time_walk(start, depth, moves, self._dates)}

    def every(
        self, start: str, goal: str, *, max_hops: int = DEFAULT_MAX_HOPS, limit: int = 50
    ) -> tuple[list[tuple[Edge, ...]], bool]:
        """What ``find_paths(mode="all")`` finds from ``start`` to ``goal`` (IRIs): every
        simple time-consistent path of at most ``max_hops``, shortest and strongest first,
        at most ``limit``, and whether more may exist."""
        if (goal, max_hops) not in self._togo:
            self._togo[goal, max_hops] = self.hops_to(goal, max_hops)
        shared = (self._adjacency, self._togo[goal, max_hops], self._dates)
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
