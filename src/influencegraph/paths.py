"""Influence paths between two entities, and what one entity influenced (or was influenced by).

An influence path follows directed influence edges: every influence claim
(influencer -> target, PROV qualified influence) and authorship (publisher or creator ->
work, kind ``publishes``, strength 1.0). Each kind has a documented strength
(:data:`influencegraph.vocab.INFLUENCE_KINDS`); a path's **strength** is the product of its
hops' strengths, so the **strongest** path maximises that product (equivalently, it
minimises the sum of ``-log(strength)``); the **shortest** path has the fewest hops, the
strongest of those on a tie.

**Time rule.** A path never goes back in time: no dated entity on it (``dcterms:issued``)
is earlier than a dated entity before it, compared at their shared precision
(:func:`influencegraph.validate.runs_backwards`, so ``2018`` and ``2018-03`` agree).
Undated entities do not constrain. The rule holds along the whole path, not only hop by
hop: a 2019 report -> an undated organisation -> a 2018 strategy is refused.

Nothing here loads the whole graph: the two ends grow towards each other hop by hop
(:class:`influencegraph.projection.Meeting`) until the neighbourhood fetched so far is
known to hold every path of the length wanted.

Kept as one module: ``find_paths`` and ``influence`` share the time rule, the hop records
and the statuses of the hops they show; the search itself (:class:`_Search`) is the one long
part, and is one algorithm.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

from .dates import date_parts
from .errors import InfluenceGraphError
from .graph import Source
from .names import Entity, resolve
from .output import Tabular, plural
from .projection import Edge, Meeting, edge_key, expand, meeting
from .vocab import INFLUENCE_KINDS

Mode = Literal["shortest", "strongest", "all"]

DEFAULT_MAX_HOPS = 6
"""How many hops ``path`` and ``connections`` look through unless told otherwise."""

HINT_MAX_ENTITIES = 5_000
"""The hints after "no influence path" look at most this many entities around the two."""

MAX_PARTIAL_PATHS = 200_000
"""``--all`` stops (and says the list is truncated) beyond this many partial paths."""

TIME_RULE = (
    "no dated entity on a path is earlier than a dated entity before it, compared "
    "at their shared precision (2018 and 2018-03 agree); undated entities do not "
    "constrain"
)
"""The time rule in words, repeated in JSON output."""

# ---------------------------------------------------------------- the time rule

DateKey = tuple[int, ...]
TimeState = tuple[DateKey | None, DateKey | None, DateKey | None]
"""The latest date seen so far at each precision (year, year-month, full date)."""

NO_DATES: TimeState = (None, None, None)
T = TypeVar("T")


def date_key(year: str | None, *, reverse: bool = False) -> DateKey:
    """``"2018-03"`` -> (2018, 3); negated when walking against time (upstream)."""
    parts = date_parts(year) if year else ()
    return tuple(-p for p in parts) if reverse else parts


def admits(state: TimeState, key: DateKey) -> bool:
    """True when an entity dated ``key`` may come next after the dates summed up in ``state``.

    Same as checking :func:`~influencegraph.validate.runs_backwards` against every dated
    entity seen so far: the latest of each precision decides, at the shared precision.
    """
    if not key:
        return True
    for latest in state:
        if latest is not None:
            shared = min(len(latest), len(key))
            if latest[:shared] > key[:shared]:
                return False
    return True


def after(state: TimeState, key: DateKey) -> TimeState:
    """The time state once an entity dated ``key`` has been passed."""
    if not key:
        return state
    slot = min(len(key), 3) - 1
    latest = state[slot]
    if latest is not None and latest >= key:
        return state
    new = list(state)
    new[slot] = key
    return (new[0], new[1], new[2])


def time_walk(
    start: str,
    depth: int,
    moves: Callable[[str], Iterable[tuple[str, T]]],
    dates: Mapping[str, DateKey],
) -> Iterator[tuple[int, str, T]]:
    """Every move of a walk from ``start`` of at most ``depth`` steps that keeps the time
    rule, as (step, entity reached, what ``moves`` gave with it): walked in layers of
    (entity, time state), so an entity met again in another time state goes on from
    there too; never back to ``start``. ``moves(entity)`` gives (next entity, item)."""
    layer = {(start, after(NO_DATES, dates.get(start, ())))}
    seen = set(layer)
    for step in range(1, depth + 1):
        following = set()
        for node, state in layer:
            for far, item in moves(node):
                key = dates.get(far, ())
                if far == start or not admits(state, key):
                    continue
                yield step, far, item
                nxt = (far, after(state, key))
                if nxt not in seen:
                    seen.add(nxt)
                    following.add(nxt)
        layer = following


# ---------------------------------------------------------------- results


def entity_dict(entity: Entity, year: str | None = None) -> dict[str, Any]:
    """An entity as JSON: label, type, year, iri."""
    return {"label": entity.label, "type": entity.type, "year": year, "iri": entity.iri}


def years_text(start: str | None, end: str | None) -> str:
    """``"2018 -> 2018"``; an undated end shows as ``-``."""
    return f"{start or '-'} -> {end or '-'}"


@dataclass(frozen=True)
class Hop:
    """One influence edge on a path: who influenced what, how, and the evidence for it."""

    step: int
    influencer: str
    kind: str
    target: str
    influencer_year: str | None
    target_year: str | None
    strength: float
    evidence: str | None
    source: str | None
    claimant: str | None
    inferred: bool
    reason: str | None
    influencer_iri: str
    target_iri: str
    status: str | None = None
    """Corroboration status of the claim behind the hop (None for authorship)."""

    @classmethod
    def from_edge(
        cls,
        step: int,
        edge: Edge,
        nodes: dict[str, dict[str, Any]],
        statuses: Mapping[str, str] | None = None,
    ) -> Hop:
        x, y, attrs = edge
        return cls(
            step=step,
            influencer=nodes[x]["label"],
            kind=attrs["relation"],
            target=nodes[y]["label"],
            influencer_year=nodes[x]["year"],
            target_year=nodes[y]["year"],
            strength=float(attrs["strength"]),
            evidence=attrs["evidence"],
            source=attrs["source"],
            claimant=attrs["claimant"],
            inferred=bool(attrs["inferred"]),
            reason=attrs["reason"],
            influencer_iri=x,
            target_iri=y,
            status=(statuses or {}).get(attrs.get("claim") or ""),
        )

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON keys, in this order."""
        return {
            "step": self.step,
            "influencer": self.influencer,
            "kind": self.kind,
            "target": self.target,
            "influencer_year": self.influencer_year,
            "target_year": self.target_year,
            "strength": self.strength,
            "evidence": self.evidence,
            "source": self.source,
            "claimant": self.claimant,
            "inferred": self.inferred,
            "reason": self.reason,
            "influencer_iri": self.influencer_iri,
            "target_iri": self.target_iri,
            "status": self.status,
        }

    def row(self) -> dict[str, Any]:
        """The flat table/CSV fields of this hop."""
        return {
            "step": self.step,
            "influencer": self.influencer,
            "kind": self.kind,
            "target": self.target,
            "years": years_text(self.influencer_year, self.target_year),
            "evidence": self.evidence,
            "source": self.source,
            "claimant": self.claimant,
            "status": self.status,
        }


HOP_COLUMNS = [
    "step",
    "influencer",
    "kind",
    "target",
    "years",
    "evidence",
    "source",
    "claimant",
    "status",
]


def hop_statuses(
    source: Source, edges: Iterable[Edge], rows: Iterable[Mapping[str, Any]] | None = None
) -> dict[str, str]:
    """Corroboration status of the claims behind these edges (see
    :mod:`influencegraph.corroboration`), keyed by claim IRI. ``rows``: the claims read
    while growing the neighbourhood the edges come from
    (:attr:`~influencegraph.projection.Neighbourhood.claim_rows`), so they are not read
    again."""
    from .corroboration import status_labels

    kinds = {kind.name for kind in INFLUENCE_KINDS}
    return status_labels(
        source,
        [a["claim"] for _, _, a in edges if a.get("claim") and a.get("kind") in kinds],
        rows=rows,
    )


@dataclass(frozen=True)
class InfluencePath:
    """A time-consistent chain of hops from one entity to another."""

    number: int
    hops: tuple[Hop, ...]

    @property
    def strength(self) -> float:
        """The product of the hops' strengths."""
        return math.prod(hop.strength for hop in self.hops)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.number,
            "length": len(self.hops),
            "strength": round(self.strength, 6),
            "hops": [hop.as_dict() for hop in self.hops],
        }


PATH_COLUMNS = ["path", "strength", *HOP_COLUMNS]


@dataclass
class PathResult(Tabular):
    """The paths found from ``origin`` to ``goal`` (maybe none), and how they were sought."""

    COLUMNS: ClassVar[Sequence[str]] = PATH_COLUMNS

    origin: dict[str, Any]
    goal: dict[str, Any]
    mode: Mode
    max_hops: int
    paths: list[InfluencePath] = field(default_factory=list)
    truncated: bool = False
    hint: str | None = None

    def message(self) -> str:
        """Why nothing was found, with a hint where another command can help."""
        text = (
            f"no influence path from {self.origin['label']!r} to {self.goal['label']!r} "
            f"within {plural(self.max_hops, 'hop')}"
        )
        return text + (f"\n{self.hint}" if self.hint else "")

    def as_dict(self) -> dict[str, Any]:
        """Stable keys: from, to, mode, max_hops, time_rule, truncated, paths[].hops[]."""
        return {
            "from": self.origin,
            "to": self.goal,
            "mode": self.mode,
            "max_hops": self.max_hops,
            "time_rule": TIME_RULE,
            "truncated": self.truncated,
            "paths": [path.as_dict() for path in self.paths],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per hop, numbered by path, with the path's strength."""
        return [
            {"path": path.number, "strength": round(path.strength, 4), **hop.row()}
            for path in self.paths
            for hop in path.hops
        ]


# ---------------------------------------------------------------- search


def _strength_order(edge: Edge) -> tuple[float, bool, str]:
    """Strongest first, stated before inferred, then by identity (stable output)."""
    return (-float(edge[2]["strength"] or 0.0), bool(edge[2]["inferred"]), edge_key(edge))


def best_edges(edges: Iterable[Edge]) -> dict[str, dict[str, Edge]]:
    """influencer -> target -> the strongest edge between them (one hop per pair)."""
    best: dict[str, dict[str, Edge]] = {}
    for edge in edges:
        x, y, _ = edge
        current = best.setdefault(x, {}).get(y)
        if current is None or _strength_order(edge) < _strength_order(current):
            best[x][y] = edge
    return best


def bfs_distances(start: str, neighbours: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Fewest hops from ``start`` to every entity it reaches through ``neighbours``."""
    distance = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for far in neighbours.get(node, ()):
            if far not in distance:
                distance[far] = distance[node] + 1
                queue.append(far)
    return distance


def hops_to(goal: str, edges: Iterable[Edge]) -> dict[str, int]:
    """Fewest hops from each entity to ``goal`` along the given edges (reverse BFS)."""
    into: dict[str, set[str]] = {}
    for x, y, _ in edges:
        into.setdefault(y, set()).add(x)
    return bfs_distances(goal, into)


def _cost(edge: Edge) -> float:
    return -math.log(max(float(edge[2]["strength"] or 0.0), 1e-12))


class _Search:
    """Paths from ``start`` to ``goal`` over a fixed set of edges, obeying the time rule."""

    def __init__(
        self,
        edges: dict[str, Edge],
        nodes: dict[str, dict[str, Any]],
        start: str,
        goal: str,
        *,
        shared: tuple[Any, Any, Any] | None = None,
    ) -> None:
        """``shared``: the adjacency (:func:`best_edges`), hops to ``goal``
        (:func:`hops_to`) and dates of these edges and nodes, made already by a caller
        that searches the same network many times (:mod:`influencegraph.network`)."""
        self.nodes = nodes
        self.start, self.goal = start, goal
        if shared is not None:
            self.adjacency, self.togo, self.dates = shared
            return
        self.adjacency = best_edges(edges.values())
        self.togo = hops_to(goal, edges.values())
        self.dates = {iri: date_key(attrs["year"]) for iri, attrs in nodes.items()}

    def _steps(
        self, node: str, state: TimeState, hops: int, max_hops: int
    ) -> Iterable[tuple[str, Edge, TimeState]]:
        for far, edge in self.adjacency.get(node, {}).items():
            if hops + 1 + self.togo.get(far, max_hops + 1) > max_hops:
                continue
            key = self.dates.get(far, ())
            if admits(state, key):
                yield far, edge, after(state, key)

    def best(self, max_hops: int, strongest: bool) -> tuple[Edge, ...] | None:
        """The shortest (strongest on a tie) or strongest (shortest on a tie) path.

        Uniform-cost search over (entity, time state, hops); the key is (hops, cost) or
        (cost, hops), where cost is the sum of ``-log(strength)``. Both keys grow strictly
        when a cycle is added, so the best walk found never repeats an entity.
        """
        if self.start not in self.nodes or self.goal not in self.nodes:
            return None
        start_state = after(NO_DATES, self.dates.get(self.start, ()))
        labels = (self.nodes[self.start]["label"],)
        heap: list[Any] = [
            ((0.0, 0) if strongest else (0, 0.0), labels, 0, self.start, start_state, ())
        ]
        done: set[tuple[str, TimeState, int]] = set()
        counter = 0
        while heap:
            key, labels, _, node, state, path = heapq.heappop(heap)
            if node == self.goal:
                found: tuple[Edge, ...] = path
                return found
            if (node, state, len(path)) in done:
                continue
            done.add((node, state, len(path)))
            cost = key[0] if strongest else key[1]
            for far, edge, new_state in self._steps(node, state, len(path), max_hops):
                hops, new_cost = len(path) + 1, cost + _cost(edge)
                counter += 1
                heapq.heappush(
                    heap,
                    (
                        (new_cost, hops) if strongest else (hops, new_cost),
                        (*labels, self.nodes[far]["label"]),
                        counter,
                        far,
                        new_state,
                        (*path, edge),
                    ),
                )
        return None

    def every(self, max_hops: int, limit: int) -> tuple[list[tuple[Edge, ...]], bool]:
        """Every simple time-consistent path of at most ``max_hops``, shortest first.

        Stops after the length at which ``limit`` paths are reached; returns the paths
        and whether more may exist.
        """
        found: list[tuple[Edge, ...]] = []
        if self.start not in self.nodes or self.goal not in self.nodes:
            return found, False
        level: list[tuple[str, TimeState, frozenset[str], tuple[Edge, ...]]] = [
            (
                self.start,
                after(NO_DATES, self.dates.get(self.start, ())),
                frozenset([self.start]),
                (),
            )
        ]
        truncated = False
        for hops in range(1, max_hops + 1):
            following = []
            for node, state, visited, path in level:
                for far, edge, new_state in self._steps(node, state, hops - 1, max_hops):
                    if far in visited:
                        continue
                    if far == self.goal:
                        found.append((*path, edge))
                    else:
                        following.append((far, new_state, visited | {far}, (*path, edge)))
            level = following
            if len(following) > MAX_PARTIAL_PATHS:
                truncated = True
                break
            if len(found) >= limit:
                truncated = len(found) > limit or bool(following)
                break
        found.sort(
            key=lambda p: (
                len(p),
                -math.prod(e[2]["strength"] for e in p),
                [self.nodes[e[1]]["label"] for e in p],
            )
        )
        return found[:limit], truncated


def _grow_fully(meet: Meeting, max_hops: int) -> None:
    while meet.budget < max_hops and meet.grow():
        pass


def _shortest(meet: Meeting, start: str, goal: str, max_hops: int) -> tuple[Edge, ...] | None:
    """Grow both ends one hop at a time until a path is found or none can exist.

    After each hop the union holds every path of up to ``budget`` hops, so the first
    path found within the budget is the shortest there is.
    """
    while True:
        bound = min(meet.budget, max_hops)
        best = _Search(meet.edges, meet.nodes, start, goal).best(bound, False)
        if best or bound >= max_hops:
            return best
        if not meet.grow() and meet.budget < max_hops:
            return None  # the growth cap was reached


def find_paths(
    source: Source,
    origin: str,
    goal: str,
    *,
    max_hops: int = DEFAULT_MAX_HOPS,
    mode: Mode = "shortest",
    limit: int = 50,
) -> PathResult:
    """Directed, time-consistent influence paths from ``origin`` to ``goal`` (by label).

    ``mode`` is ``"shortest"`` (fewest hops, strongest on a tie), ``"strongest"``
    (greatest product of hop strengths, fewest hops on a tie) or ``"all"`` (every path of
    at most ``max_hops``, shortest and strongest first, at most ``limit``). Where two
    entities are linked by several claims, a hop shows the strongest of them.

    When nothing is found, ``hint`` says whether the two are connected some other way
    (see :func:`influencegraph.connections.find_connections`).

    Example:
        >>> result = find_paths(source, "All Together Now", "ICS")  # doctest: +SKIP
        >>> [(h.influencer, h.kind, h.target) for h in result.paths[0].hops]  # doctest: +SKIP
        [('All Together Now', 'endorses', 'Integrated Communities Strategy Green Paper')]
    """
    if max_hops < 1:
        raise InfluenceGraphError("max_hops must be at least 1")
    if mode not in ("shortest", "strongest", "all"):
        raise InfluenceGraphError(f"unknown mode {mode!r}; use shortest, strongest or all")
    a, b = resolve(source, origin), resolve(source, goal)
    if a.iri == b.iri:
        raise InfluenceGraphError(f"{a.label!r} is both ends of the path; name two entities")
    meet = meeting(source, a.iri, b.iri)
    result = PathResult(
        entity_dict(a, meet.forward.nodes.get(a.iri, {}).get("year")),
        entity_dict(b, meet.backward.nodes.get(b.iri, {}).get("year")),
        mode,
        max_hops,
    )
    found: list[tuple[Edge, ...]] = []
    if mode == "shortest":
        best = _shortest(meet, a.iri, b.iri, max_hops)
        found = [best] if best else []
    else:
        _grow_fully(meet, max_hops)
        search = _Search(meet.edges, meet.nodes, a.iri, b.iri)
        if mode == "strongest":
            best = search.best(max_hops, True)
            found = [best] if best else []
        else:
            found, result.truncated = search.every(max_hops, limit)
    nodes = meet.nodes
    statuses = hop_statuses(source, (e for path in found for e in path))
    result.paths = [
        InfluencePath(n, tuple(Hop.from_edge(i, e, nodes, statuses) for i, e in enumerate(path, 1)))
        for n, path in enumerate(found, 1)
    ]
    if not result.paths:
        result.hint = _hint(source, a, b, max_hops)
    return result


def _hint(source: Source, a: Entity, b: Entity, max_hops: int) -> str | None:
    """Where there is no path from ``a`` to ``b``: one the other way, or a connection.

    Best effort: each look stops after :data:`HINT_MAX_ENTITIES` entities.
    """
    from .connections import find_connections

    hints = []
    back = meeting(source, b.iri, a.iri, max_nodes=HINT_MAX_ENTITIES)
    if _shortest(back, b.iri, a.iri, max_hops):
        hints.append(
            f"influence runs the other way: run "
            f"`influencegraph path {_quote(b.label)} {_quote(a.label)}`"
        )
    linked = find_connections(
        source, a.iri, b.iri, max_hops=max_hops, limit=1, max_nodes=HINT_MAX_ENTITIES
    )
    if linked.connections:
        hints.append(
            f"they are connected through other relations: run "
            f"`influencegraph connections {_quote(a.label)} {_quote(b.label)}`"
        )
    return "\n".join(hints) or None


def _quote(text: str) -> str:
    """Quote a label for a shell command line."""
    import shlex

    return shlex.quote(text)


# ---------------------------------------------------------------- influence around one entity

Way = Literal["downstream", "upstream"]


@dataclass
class InfluenceResult(Tabular):
    """Every influence edge within ``depth`` hops of an entity, in one direction."""

    COLUMNS: ClassVar[Sequence[str]] = HOP_COLUMNS

    entity: dict[str, Any]
    direction: Way
    depth: int
    hops: list[Hop] = field(default_factory=list)

    def message(self) -> str:
        way = "influenced by" if self.direction == "downstream" else "influencing"
        return (
            f"nothing is recorded as {way} {self.entity['label']!r} "
            f"within {plural(self.depth, 'hop')}"
        )

    def as_dict(self) -> dict[str, Any]:
        """Stable keys: entity, direction, depth, time_rule, hops[] (``step`` = hop number)."""
        return {
            "entity": self.entity,
            "direction": self.direction,
            "depth": self.depth,
            "time_rule": TIME_RULE,
            "hops": [hop.as_dict() for hop in self.hops],
        }

    def rows(self) -> list[dict[str, Any]]:
        return [hop.row() for hop in self.hops]


def influence(
    source: Source, name: str, *, direction: Way = "downstream", depth: int = 3
) -> InfluenceResult:
    """What ``name`` influenced (downstream) or what influenced it (upstream), by hop.

    Lists every influence edge that lies on some time-consistent chain of at most
    ``depth`` hops from the entity, once, at the fewest hops it can be reached in
    (``step``). Upstream chains obey the time rule read forwards: an influencer is never
    later than what it influenced further down the chain.

    Example:
        >>> result = influence(source, "The Challenge", depth=2)  # doctest: +SKIP
        >>> sorted({h.target for h in result.hops if h.step == 2})[:1]  # doctest: +SKIP
        ['Integrated Communities Strategy Green Paper']
    """
    if depth < 1:
        raise InfluenceGraphError("depth must be at least 1")
    if direction not in ("downstream", "upstream"):
        raise InfluenceGraphError(f"unknown direction {direction!r}; use downstream or upstream")
    entity = resolve(source, name)
    hood = expand(source, [entity.iri], direction, depth)
    upstream = direction == "upstream"
    around: dict[str, list[Edge]] = {}
    for edge in hood.edges.values():
        around.setdefault(edge[1] if upstream else edge[0], []).append(edge)
    dates = {iri: date_key(a["year"], reverse=upstream) for iri, a in hood.nodes.items()}

    def moves(node: str) -> Iterator[tuple[str, Edge]]:
        if upstream:
            return ((edge[0], edge) for edge in around.get(node, ()))
        return ((edge[1], edge) for edge in around.get(node, ()))

    reached: dict[str, tuple[int, Edge]] = {}
    for step, _, edge in time_walk(entity.iri, depth, moves, dates):
        reached.setdefault(edge_key(edge), (step, edge))
    statuses = hop_statuses(source, (edge for _, edge in reached.values()), hood.claim_rows)
    hops = [Hop.from_edge(step, edge, hood.nodes, statuses) for step, edge in reached.values()]
    hops.sort(key=lambda h: (h.step, h.influencer.casefold(), h.target.casefold(), h.kind))
    return InfluenceResult(
        entity_dict(entity, hood.nodes.get(entity.iri, {}).get("year")), direction, depth, hops
    )
