"""How two entities are linked through any relation, whichever way the relations point.

Relations followed: influence claims, authorship (publisher/creator), memberships and
posts (W3C ORG, with the role), sub-organisations, part-of, and inferred links (shown as
inferred, with their reason). Only the shortest connections are listed; each hop keeps
the relation's real direction (``subject relation object``) and its evidence and source.

Like ``path``, the two ends grow towards each other hop by hop instead of loading the
whole graph (:class:`influencegraph.projection.Meeting`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, ClassVar

from .errors import InfluenceGraphError
from .graph import Source
from .names import Entity, resolve
from .output import Tabular, plural
from .paths import DEFAULT_MAX_HOPS, bfs_distances, entity_dict
from .projection import Edge, edge_key, meeting

_PREFERENCE = {"membership": 0, "part of": 1, "sub-organisation of": 1}
"""Which of several relations between the same two entities a hop shows first: stated
before inferred, then posts and structure (they say most plainly who is who), then claims."""


@dataclass(frozen=True)
class Link:
    """One hop of a connection: ``subject relation object`` as the graph states it."""

    step: int
    subject: str
    relation: str
    object: str
    also: tuple[str, ...]
    inferred: bool
    reason: str | None
    evidence: str | None
    source: str | None
    claimant: str | None
    subject_iri: str
    object_iri: str

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON keys, in this order; ``also`` lists other relations of the pair."""
        return {
            "step": self.step,
            "subject": self.subject,
            "relation": self.relation,
            "object": self.object,
            "also": list(self.also),
            "inferred": self.inferred,
            "reason": self.reason,
            "evidence": self.evidence,
            "source": self.source,
            "claimant": self.claimant,
            "subject_iri": self.subject_iri,
            "object_iri": self.object_iri,
        }


LINK_COLUMNS = [
    "path",
    "step",
    "subject",
    "relation",
    "object",
    "also",
    "inferred",
    "reason",
    "evidence",
    "source",
]


@dataclass
class ConnectionResult(Tabular):
    """The shortest connections between two entities (maybe none)."""

    COLUMNS: ClassVar[Sequence[str]] = LINK_COLUMNS

    a: dict[str, Any]
    b: dict[str, Any]
    max_hops: int
    connections: list[list[Link]] = field(default_factory=list)
    truncated: bool = False

    def message(self) -> str:
        return (
            f"no connection between {self.a['label']!r} and {self.b['label']!r} "
            f"within {plural(self.max_hops, 'hop')}"
        )

    def as_dict(self) -> dict[str, Any]:
        """Stable keys: from, to, max_hops, truncated, paths[] of {path, length, hops[]}."""
        return {
            "from": self.a,
            "to": self.b,
            "max_hops": self.max_hops,
            "truncated": self.truncated,
            "paths": [
                {"path": n, "length": len(links), "hops": [link.as_dict() for link in links]}
                for n, links in enumerate(self.connections, 1)
            ],
        }

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"path": n, **{k: v for k, v in link.as_dict().items() if k in LINK_COLUMNS}}
            for n, links in enumerate(self.connections, 1)
            for link in links
        ]


def _pairs(edges: dict[str, Edge]) -> dict[frozenset[str], list[Edge]]:
    """Undirected pair -> its edges, the one to show first."""
    pairs: dict[frozenset[str], list[Edge]] = {}
    for edge in edges.values():
        if edge[0] != edge[1]:
            pairs.setdefault(frozenset(edge[:2]), []).append(edge)
    for group in pairs.values():
        group.sort(
            key=lambda e: (
                e[2]["inferred"],
                _PREFERENCE.get(e[2]["kind"], 2),
                e[2]["relation"],
                edge_key(e),
            )
        )
    return pairs


def shortest_routes(
    a: str, b: str, neighbours: dict[str, set[str]], limit: int, labels: dict[str, str]
) -> tuple[list[list[str]], bool]:
    """Every shortest sequence of entities from ``a`` to ``b`` (at most ``limit``)."""
    da, db = bfs_distances(a, neighbours), bfs_distances(b, neighbours)
    if b not in da:
        return [], False
    length = da[b]
    routes: list[list[str]] = []
    stack = [[a]]
    while stack and len(routes) <= limit:
        route = stack.pop()
        node = route[-1]
        if node == b:
            routes.append(route)
            continue
        step = len(route)
        ahead = [
            far
            for far in neighbours.get(node, ())
            if da.get(far) == step and db.get(far) == length - step
        ]
        for far in sorted(ahead, key=lambda n: labels.get(n, n), reverse=True):
            stack.append([*route, far])
    return routes[:limit], len(routes) > limit


def find_connections(
    source: Source,
    a_name: str,
    b_name: str,
    *,
    max_hops: int = DEFAULT_MAX_HOPS,
    limit: int = 20,
    max_nodes: int | None = None,
) -> ConnectionResult:
    """The shortest connections between two entities through any relation.

    Returns up to ``limit`` connections, all of the same (fewest) number of hops, at most
    ``max_hops``. Where several relations link the same two entities, the hop shows one
    (stated before inferred, posts and structure before claims) and lists the rest in
    ``also``. ``max_nodes`` caps how many entities are fetched (best effort: past the
    cap, a longer connection may be reported, or none).

    Example:
        >>> result = find_connections(source, "Anthony Heath", "The Challenge")  # doctest: +SKIP
        >>> [link.relation for link in result.connections[0]]  # doctest: +SKIP
        ['Chair of', 'Member of', 'Research Manager of', 'same organisation as (inferred)']
    """
    if max_hops < 1:
        raise InfluenceGraphError("max_hops must be at least 1")
    a, b = resolve(source, a_name), resolve(source, b_name)
    if a.iri == b.iri:
        raise InfluenceGraphError(f"{a.label!r} is named twice; name two entities")
    meet = meeting(source, a.iri, b.iri, directed=False, relations="all", max_nodes=max_nodes)
    while True:
        pairs = _pairs(meet.edges)
        neighbours: dict[str, set[str]] = {}
        for pair in pairs:
            x, y = tuple(pair)
            neighbours.setdefault(x, set()).add(y)
            neighbours.setdefault(y, set()).add(x)
        length = bfs_distances(a.iri, neighbours).get(b.iri)
        bound = min(meet.budget, max_hops)
        if (length is not None and length <= bound) or bound >= max_hops or not meet.grow():
            break
    nodes = meet.nodes
    result = ConnectionResult(_end(a, nodes), _end(b, nodes), max_hops)
    if length is None or length > max_hops:
        return result
    labels = {iri: attrs["label"] for iri, attrs in nodes.items()}
    routes, result.truncated = shortest_routes(a.iri, b.iri, neighbours, limit, labels)
    for route in routes:
        links = []
        for step, (x, y) in enumerate(pairwise(route), 1):
            first, *rest = pairs[frozenset((x, y))]
            s, o, attrs = first
            links.append(
                Link(
                    step,
                    labels[s],
                    attrs["relation"],
                    labels[o],
                    tuple(e[2]["relation"] for e in rest),
                    bool(attrs["inferred"]),
                    attrs["reason"],
                    attrs["evidence"],
                    attrs["source"],
                    attrs["claimant"],
                    s,
                    o,
                )
            )
        result.connections.append(links)
    return result


def _end(entity: Entity, nodes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return entity_dict(entity, nodes.get(entity.iri, {}).get("year"))
