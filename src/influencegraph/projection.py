"""SPARQL results -> typed networkx graphs, whole or bounded around some entities.

Two projections of the same RDF:

* :func:`influence_graph` - directed: every influence claim as an edge influencer -> target,
  plus authorship (publisher/creator -> work), each edge with its kind, strength,
  evidence quote, source and claimant. Paths, influence and rankings use this.
* :func:`relation_graph` - undirected: every relation between entities (influence,
  authorship, membership with role, sub-organisation, part-of, inferred joins), for
  ``connections``.

Both load the whole graph. Commands that start from named entities (``path``,
``influence``, ``connections``) instead grow a :class:`Neighbourhood` hop by hop with
:func:`expand` (or two of them towards each other with :class:`Meeting`): each hop is one
``VALUES``-bound SPARQL query per relation over the current frontier only, so the cost
follows the size of the neighbourhood, not of the store or endpoint behind the source.

Node attributes: ``label``, ``type``, ``year`` (``dcterms:issued`` as text, or None).
Edge attributes: ``relation`` (label), ``kind``, ``strength``, ``evidence``, ``source``
(label), ``claimant`` (label), ``claim`` (IRI or None), ``inferred``, ``reason``.

Kept as one module: the whole-graph projections and the bounded :class:`Neighbourhood` read
the same relations with the same queries and build edges by the same functions; apart, the
two would drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .graph import Source
from .names import _YEARS, Entity, _earliest, dated_entities, entities, entity_of, name_index
from .vocab import KIND_BY_IRI, PUBLISHES
from .vocab import expand as curie_iri

if TYPE_CHECKING:
    import networkx as nx

Edge = tuple[str, str, dict[str, Any]]
"""(subject IRI, object IRI, attributes): influencer -> target for influence edges."""

Direction = Literal["downstream", "upstream", "both"]
"""Which way to grow: along edges (downstream), against them (upstream), or either way."""


_AUTHORED = """?work dcterms:publisher|dcterms:creator ?agent .
  FILTER NOT EXISTS { ?work a ig:SourceDocument }"""
"""Authorship as a graph pattern: who published or created each work (not source pages)."""

_CLAIMED = """?y prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?x ; ig:kind ?kind ."""
"""An influence claim as a graph pattern: influencer ?x, target ?y, its ?kind."""

_CLAIMS = f"""
SELECT ?claim ?x ?y ?kind ?evidence ?src ?claimant ?inferred ?reason WHERE {{
  {_CLAIMED}
  OPTIONAL {{ ?claim ig:evidence ?evidence }}
  OPTIONAL {{ ?claim dcterms:source ?src }}
  OPTIONAL {{ ?claim ig:claimant ?claimant }}
  OPTIONAL {{ ?claim ig:inferred ?inferred }}
  OPTIONAL {{ ?claim ig:reason ?reason }}
}}
"""

_AUTHORSHIP = f"""
SELECT ?work ?agent ?evidence ?src WHERE {{
  {_AUTHORED}
  OPTIONAL {{ ?work ig:evidence ?evidence }}
  OPTIONAL {{ ?work dcterms:source ?src }}
}}
"""


_MEMBER = "?m a org:Membership ; org:member ?person ; org:organization ?org ."
_MEMBERSHIPS = f"""
SELECT ?m ?person ?org ?roleLabel ?evidence ?src ?inferred ?reason WHERE {{
  {_MEMBER}
  OPTIONAL {{ ?m org:role/rdfs:label ?roleLabel }}
  OPTIONAL {{ ?m ig:evidence ?evidence }}
  OPTIONAL {{ ?m dcterms:source ?src }}
  OPTIONAL {{ ?m ig:inferred ?inferred }}
  OPTIONAL {{ ?m ig:reason ?reason }}
}}
"""

_PART = "VALUES ?rel { org:subOrganizationOf dcterms:isPartOf } ?a ?rel ?b ."
_STRUCTURE = f"""
SELECT ?a ?rel ?b ?evidence ?src WHERE {{
  {_PART}
  OPTIONAL {{ ?a ig:evidence ?evidence }}
  OPTIONAL {{ ?a dcterms:source ?src }}
}}
"""

_LINKED = "?link a ig:InferredLink ; rdf:subject ?a ; rdf:predicate ?pred ; rdf:object ?b ."
_INFERRED_LINKS = f"""
SELECT ?link ?a ?pred ?b ?evidence ?reason WHERE {{
  {_LINKED}
  OPTIONAL {{ ?link ig:evidence ?evidence }}
  OPTIONAL {{ ?link ig:reason ?reason }}
}}
"""


def _select(
    source: Source,
    query: str,
    var: str | None,
    iris: Iterable[str] | None,
    *,
    ordered: bool = True,
) -> list[dict[str, str]]:
    """Rows of ``query`` as text: over the whole graph, or with ``?var`` bound to each of
    ``iris``. Every edge and node attribute is read as text, so no rdflib terms are built
    (:meth:`~influencegraph.graph.Source.select_text`).

    The IRIs come from the graph itself (names resolved by label, or a previous hop),
    never from free user text, and are bound in VALUES blocks, never pasted into the query.
    """
    query = _DETAIL.sub(lambda m: m[0] if source.holds(curie_iri(m["predicate"])) else "", query)
    if var is None or iris is None:
        return source.select_text(query)
    return source.select_text(query, var, sorted(set(iris)), ordered=ordered)


_DETAIL = re.compile(r"^ *OPTIONAL \{ \?\w+ (?P<predicate>\w+:\w+) \?\w+ \}\n", re.MULTILINE)
"""A query line reading one optional detail by one predicate: :func:`_select` leaves it out
when the graph has no triple with that predicate, since it could bind nothing (in a store
without ``ig:inferred`` and ``ig:reason``, a depth-2 hub's 11,794 claim rows took 0.77 s
CPU with all five details, 0.56 s with three)."""


def _label(source: Source, iri: Any) -> str | None:
    if iri is None:
        return None
    found = entity_of(source, str(iri))
    return found.label if found else str(iri)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _flag(value: Any) -> bool:
    return str(value if value is not None else "false").lower() == "true"


def _claim_edge(source: Source, row: dict[str, Any]) -> Edge:
    kind_iri = str(row["kind"])
    kind = KIND_BY_IRI.get(kind_iri)
    return (
        str(row["x"]),
        str(row["y"]),
        {
            "relation": kind.label if kind else kind_iri,
            "kind": kind.name if kind else kind_iri,
            "strength": kind.strength if kind else 0.1,
            "evidence": _text(row.get("evidence")),
            "source": _label(source, row.get("src")),
            "claimant": _label(source, row.get("claimant")),
            "claim": str(row["claim"]),
            "inferred": _flag(row.get("inferred")),
            "reason": _text(row.get("reason")),
        },
    )


def _claim_row(row: dict[str, Any]) -> dict[str, str]:
    """A row of :data:`_CLAIMS` as a row of ``corroboration-claims.rq`` (IRIs as text)."""
    found = {
        "claim": str(row["claim"]),
        "influencer": str(row["x"]),
        "target": str(row["y"]),
        "kind": str(row["kind"]),
    }
    if row.get("claimant") is not None:
        found["claimant"] = str(row["claimant"])
    return found


def _authorship_edge(source: Source, row: dict[str, Any]) -> Edge:
    return (
        str(row["agent"]),
        str(row["work"]),
        {
            "relation": PUBLISHES.label,
            "kind": PUBLISHES.name,
            "strength": PUBLISHES.strength,
            "evidence": _text(row.get("evidence")),
            "source": _label(source, row.get("src")),
            "claimant": None,
            "claim": None,
            "inferred": False,
            "reason": None,
        },
    )


def _membership_edge(source: Source, row: dict[str, Any]) -> Edge:
    role = _text(row.get("roleLabel")) or "member"
    return (
        str(row["person"]),
        str(row["org"]),
        {
            "relation": f"{role} of",
            "kind": "membership",
            "strength": None,
            "evidence": _text(row.get("evidence")),
            "source": _label(source, row.get("src")),
            "claimant": None,
            "claim": str(row["m"]),
            "inferred": _flag(row.get("inferred")),
            "reason": _text(row.get("reason")),
        },
    )


def _structure_edge(source: Source, row: dict[str, Any]) -> Edge:
    relation = "part of" if str(row["rel"]).endswith("isPartOf") else "sub-organisation of"
    return (
        str(row["a"]),
        str(row["b"]),
        {
            "relation": relation,
            "kind": relation,
            "strength": None,
            "evidence": _text(row.get("evidence")),
            "source": _label(source, row.get("src")),
            "claimant": None,
            "claim": None,
            "inferred": False,
            "reason": None,
        },
    )


def _inferred_link_edge(source: Source, row: dict[str, Any]) -> Edge:
    return (
        str(row["a"]),
        str(row["b"]),
        {
            "relation": "same organisation as (inferred)",
            "kind": "inferred link",
            "strength": None,
            "evidence": _text(row.get("evidence")),
            "source": None,
            "claimant": None,
            "claim": str(row["link"]),
            "inferred": True,
            "reason": _text(row.get("reason")),
        },
    )


@dataclass(frozen=True)
class _Relation:
    """One kind of edge: its query, its two end variables and how a row becomes an edge."""

    query: str
    subject: str
    object: str
    edge: Callable[[Source, dict[str, Any]], Edge]
    core: str
    """The query's graph pattern without its OPTIONAL details: what :meth:`count` counts."""

    def count(self, source: Source, var: str, iris: Iterable[str]) -> int:
        """How many edges :meth:`edges` would fetch for ``iris`` as ``?var``: a count that
        reads no evidence, sources or claimants."""
        rows = _select(source, f"SELECT (COUNT(*) AS ?n) WHERE {{ {self.core} }}", var, iris)
        return sum(int(row["n"]) for row in rows)

    def edges(
        self, source: Source, var: str | None = None, iris: Iterable[str] | None = None
    ) -> list[Edge]:
        return self.fetch(source, var, iris)[1]

    def fetch(
        self, source: Source, var: str | None = None, iris: Iterable[str] | None = None
    ) -> tuple[list[dict[str, Any]], list[Edge]]:
        """The query's rows and the edge each row makes (as :meth:`edges`)."""
        rows = _select(source, self.query, var, iris)
        entities(source, {str(row[k]) for row in rows for k in ("src", "claimant") if k in row})
        return rows, [self.edge(source, row) for row in rows]


_CLAIM_RELATION = _Relation(_CLAIMS, "x", "y", _claim_edge, _CLAIMED)
_AUTHORSHIP_RELATION = _Relation(_AUTHORSHIP, "agent", "work", _authorship_edge, _AUTHORED)
INFLUENCE_RELATIONS = (_CLAIM_RELATION, _AUTHORSHIP_RELATION)
"""Directed influence: claims and authorship."""
ALL_RELATIONS = (
    *INFLUENCE_RELATIONS,
    _Relation(_MEMBERSHIPS, "person", "org", _membership_edge, _MEMBER),
    _Relation(_STRUCTURE, "a", "b", _structure_edge, _PART),
    _Relation(_INFERRED_LINKS, "a", "b", _inferred_link_edge, _LINKED),
)
"""Every relation ``connections`` follows (influence, memberships, structure, inferred)."""


def edge_key(edge: Edge) -> str:
    """A stable identity for an edge: its claim/membership IRI, else kind and ends."""
    x, y, attrs = edge
    return attrs.get("claim") or f"{attrs['kind']}:{x}->{y}"


def node_attributes(source: Source, iris: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """``label``, ``type`` and ``year`` of entities (all of them when ``iris`` is None).

    Source documents and IRIs that are not named entities are left out.
    """
    if iris is None:
        wanted = name_index(source).entities
        years = _earliest(_select(source, _YEARS, None, None))
    else:
        wanted, years = dated_entities(source, iris)
    return {
        iri: {"label": e.label, "type": e.type, "year": years.get(iri)}
        for iri, e in wanted.items()
        if e.type != "Source document"
    }


def _add_nodes(graph: nx.Graph, source: Source) -> None:
    for iri, attrs in node_attributes(source).items():
        graph.add_node(iri, **attrs)


def claim_edges(source: Source) -> list[Edge]:
    """Every influence claim as (influencer, target, attributes)."""
    return _CLAIM_RELATION.edges(source)


def claims_by_iri(source: Source, claims: Iterable[str]) -> list[Edge]:
    """The influence claims with these IRIs as edges: one per row, so a claim with two
    claimants comes twice (same claim IRI, each claimant)."""
    return _CLAIM_RELATION.edges(source, "claim", claims)


def authorship_edges(source: Source) -> list[Edge]:
    """Every publisher/creator -> work link, as an influence edge of kind ``publishes``."""
    return _AUTHORSHIP_RELATION.edges(source)


def influence_graph(source: Source, *, authorship: bool = True) -> nx.MultiDiGraph:
    """The directed influence network: claims (and authorship) between entities."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    _add_nodes(graph, source)
    edges = claim_edges(source) + (authorship_edges(source) if authorship else [])
    for edge in edges:
        x, y, attrs = edge
        if x in graph and y in graph:
            graph.add_edge(x, y, key=edge_key(edge), **attrs)
    return graph


_CLAIM_STRENGTHS = f"SELECT ?x ?y ?kind WHERE {{ {_CLAIMED} }}"

_AUTHOR_PAIRS = f"SELECT ?agent ?work WHERE {{ {_AUTHORED} }}"


@dataclass
class StrengthNetwork:
    """The influence network as rankings need it: the entities (source documents left
    out) and one ``(influencer, influenced, strength)`` edge per claim or authorship link
    between them. No networkx graph: the measures that need one build just what they use,
    and building one was most of a PageRank's time on big graphs."""

    nodes: dict[str, Entity]
    edges: list[tuple[str, str, float]]


def influence_strengths(source: Source) -> StrengthNetwork:
    """The influence network with only what rankings need (:class:`StrengthNetwork`).

    Two narrow queries instead of :func:`influence_graph`'s evidence, sources and
    claimants: on a million triples this is the difference between seconds and tens of
    seconds for ``rank``.
    """
    nodes = {
        iri: entity
        for iri, entity in name_index(source).entities.items()
        if entity.type != "Source document"
    }
    edges: list[tuple[str, str, float]] = []
    for row in source.select(_CLAIM_STRENGTHS):
        kind = KIND_BY_IRI.get(str(row["kind"]))
        x, y = str(row["x"]), str(row["y"])
        if x in nodes and y in nodes:
            edges.append((x, y, kind.strength if kind else 0.1))
    for row in source.select(_AUTHOR_PAIRS):
        x, y = str(row["agent"]), str(row["work"])
        if x in nodes and y in nodes:
            edges.append((x, y, PUBLISHES.strength))
    return StrengthNetwork(nodes, edges)


def relation_graph(source: Source) -> nx.MultiGraph:
    """Every relation between entities as undirected edges, each with relation and source."""
    import networkx as nx

    graph = nx.MultiGraph()
    _add_nodes(graph, source)
    for relation in ALL_RELATIONS:
        for x, y, attrs in relation.edges(source):
            if x in graph and y in graph:
                graph.add_edge(x, y, **dict(attrs, direction=f"{x} -> {y}"))
    return graph


def relations_around(source: Source, centre: str, depth: int) -> nx.MultiGraph:
    """The entities within ``depth`` hops of ``centre`` (relations taken either way) and
    every relation among them, like :func:`relation_graph` but fetched hop by hop: one more
    hop's queries find the relations between the outermost entities. A relation stated
    by several rows (a claim with two claimants) is one edge here."""
    import networkx as nx

    hood = expand(source, [centre], "both", depth, relations="all")
    inside = dict(hood.nodes)
    hood.grow()
    graph = nx.MultiGraph()
    graph.add_nodes_from(inside.items())
    for x, y, attrs in hood.edges.values():
        if x in inside and y in inside:
            graph.add_edge(x, y, **dict(attrs, direction=f"{x} -> {y}"))
    return graph


# ---------------------------------------------------------------- bounded expansion


@dataclass
class Neighbourhood:
    """Entities and edges within some hops of start entities, fetched hop by hop.

    ``distance`` gives each entity's hop count from the start (in the grown direction);
    ``frontier`` holds the entities reached at the last hop, whose own edges are not
    fetched yet. When ``frontier`` is empty, everything reachable has been fetched.
    """

    source: Source
    direction: Direction
    relations: tuple[_Relation, ...]
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    distance: dict[str, int] = field(default_factory=dict)
    frontier: set[str] = field(default_factory=set)
    depth: int = 0
    claim_rows: list[dict[str, str]] = field(default_factory=list, repr=False)
    """Every influence claim read while growing, one row per claimant, keyed as
    ``corroboration-claims.rq`` names its columns (claim, influencer, target, kind, and
    claimant when one is named). Each hop reads all the claims of its frontier's
    entities, so these rows hold the whole group of every claim in :attr:`edges` (a
    group shares both ends): :func:`~influencegraph.corroboration.status_labels` judges
    them without asking again."""
    _fanout: tuple[frozenset[str], int] | None = field(default=None, repr=False)

    @property
    def complete(self) -> bool:
        """True when nothing more is reachable: every edge out of the start is fetched."""
        return not self.frontier

    def _ends(self) -> list[tuple[_Relation, str]]:
        """Each relation with the end the frontier sits at when growing this way."""
        ends = []
        for relation in self.relations:
            if self.direction in ("downstream", "both"):
                ends.append((relation, relation.subject))
            if self.direction in ("upstream", "both"):
                ends.append((relation, relation.object))
        return ends

    def fanout(self) -> int:
        """How many edges the next :meth:`grow` would fetch (counted, not fetched; counted
        once per frontier)."""
        frontier = frozenset(self.frontier)
        if self._fanout is None or self._fanout[0] != frontier:
            count = (
                sum(relation.count(self.source, var, frontier) for relation, var in self._ends())
                if frontier
                else 0
            )
            self._fanout = (frontier, count)
        return self._fanout[1]

    def grow(self) -> int:
        """Fetch one more hop: every edge of the frontier's entities (in the direction).

        Returns how many new entities it reached.
        """
        if not self.frontier:
            return 0
        fetched: list[Edge] = []
        for relation, var in self._ends():
            rows, edges = relation.fetch(self.source, var, self.frontier)
            fetched += edges
            if relation is _CLAIM_RELATION:
                self.claim_rows += map(_claim_row, rows)
        ends = {e[0] for e in fetched} | {e[1] for e in fetched}
        # sorted: the nodes' order (a page's network data) must not follow the hash seed
        self.nodes.update(node_attributes(self.source, sorted(ends - set(self.nodes))))
        self.depth += 1
        reached: set[str] = set()
        for edge in fetched:
            x, y, _ = edge
            if x not in self.nodes or y not in self.nodes:
                continue  # a source document or an IRI that names no entity
            self.edges.setdefault(edge_key(edge), edge)
            for far in (y, x):
                if far not in self.distance:
                    self.distance[far] = self.depth
                    reached.add(far)
        self.frontier = reached
        return len(reached)

    def to_networkx(self) -> nx.MultiDiGraph | nx.MultiGraph:
        """The neighbourhood as a networkx multigraph (directed unless grown both ways)."""
        import networkx as nx

        graph = nx.MultiGraph() if self.direction == "both" else nx.MultiDiGraph()
        for iri, attrs in self.nodes.items():
            graph.add_node(iri, **attrs)
        for key, (x, y, attrs) in self.edges.items():
            graph.add_edge(x, y, key=key, **attrs)
        return graph


def neighbourhood(
    source: Source,
    start: Iterable[str],
    direction: Direction = "downstream",
    *,
    relations: str = "influence",
) -> Neighbourhood:
    """An empty neighbourhood at ``start``, ready to :meth:`Neighbourhood.grow`.

    ``relations`` is ``"influence"`` (claims and authorship) or ``"all"`` (also
    memberships, sub-organisations, part-of and inferred links).
    """
    chosen = {"influence": INFLUENCE_RELATIONS, "all": ALL_RELATIONS}[relations]
    hood = Neighbourhood(source, direction, chosen)
    hood.nodes = node_attributes(source, list(start))
    hood.distance = dict.fromkeys(hood.nodes, 0)
    hood.frontier = set(hood.nodes)
    return hood


def expand(
    source: Source,
    start: Iterable[str],
    direction: Direction = "downstream",
    depth: int = 2,
    *,
    relations: str = "influence",
) -> Neighbourhood:
    """Everything within ``depth`` hops of ``start``, fetched without loading the graph.

    Each hop runs one ``VALUES``-bound query per relation over the newly reached
    entities, so an on-disk store or a remote endpoint answers only for the neighbourhood.

    Example:
        >>> hood = expand(source, [atn.iri], "downstream", depth=2)  # doctest: +SKIP
        >>> sorted(a["label"] for a in hood.nodes.values())  # doctest: +SKIP
        ['All Together Now', 'Integrated Communities Strategy Green Paper']
    """
    hood = neighbourhood(source, start, direction, relations=relations)
    while hood.depth < depth and hood.frontier:
        hood.grow()
    return hood


@dataclass
class Meeting:
    """Two neighbourhoods grown towards each other, from ``start`` and from ``goal``.

    After the forward side has grown ``f`` hops and the backward side ``b`` hops, the
    union of their edges holds every path of at most ``f + b`` hops from start to goal
    (its first ``f`` hops leave entities fewer than ``f`` hops from the start, the rest
    enter entities fewer than ``b`` hops from the goal). Each :meth:`grow` extends the
    side with fewer edges to fetch (counted first), so a hub on one side waits.
    """

    forward: Neighbourhood
    backward: Neighbourhood
    max_nodes: int | None = None
    """Stop growing once both sides together hold this many entities (None: no cap)."""

    @property
    def budget(self) -> int:
        """The longest path length the union is known to hold completely."""
        if self.forward.complete or self.backward.complete:
            return 10**9
        return self.forward.depth + self.backward.depth

    def grow(self) -> bool:
        """Grow one side by one hop; False when either side has nothing left to fetch,
        or when the entity cap is reached."""
        if self.forward.complete or self.backward.complete:
            return False
        if self.max_nodes is not None and (
            len(self.forward.nodes) + len(self.backward.nodes) >= self.max_nodes
        ):
            return False
        side = (
            self.forward if self.forward.fanout() <= self.backward.fanout() else self.backward
        )  # the side with fewer edges to fetch: a hub waits
        side.grow()
        return True

    @property
    def nodes(self) -> dict[str, dict[str, Any]]:
        return {**self.backward.nodes, **self.forward.nodes}

    @property
    def edges(self) -> dict[str, Edge]:
        return {**self.backward.edges, **self.forward.edges}


def meeting(
    source: Source,
    start: str,
    goal: str,
    *,
    directed: bool = True,
    relations: str = "influence",
    max_nodes: int | None = None,
) -> Meeting:
    """Start growing from ``start`` (downstream) and ``goal`` (upstream) towards each other.

    Undirected (``directed=False``) both sides follow edges either way. ``max_nodes``
    caps the growth, for best-effort questions such as a hint.
    """
    forward: Direction = "downstream" if directed else "both"
    backward: Direction = "upstream" if directed else "both"
    return Meeting(
        neighbourhood(source, [start], forward, relations=relations),
        neighbourhood(source, [goal], backward, relations=relations),
        max_nodes,
    )
