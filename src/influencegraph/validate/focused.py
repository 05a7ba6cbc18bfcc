"""The focused check ``add`` and ``import`` run: only the nodes an addition can affect,
and only the violations it introduces."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..vocab import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    Triple = tuple[Node, Node, Node]
from . import checks
from .checks import (
    _PROV,
    Violation,
    _in_order,
    identifier_violations,
    shapes_graph,
    time_order_violations,
)
from .plan import (
    ShapePlan,
    _nameable,
    shape_plan,
)

# ---------------------------------------------------------------- focused check


def described_by(graph: Graph, nodes: Iterable[Node]) -> set[Node]:
    """``nodes`` and every node whose :func:`describe_node` text reads one of them (an
    unlabelled node is described by its influencer and target)."""
    from rdflib import RDFS, URIRef

    influencer, qualified = URIRef(_PROV + "influencer"), URIRef(_PROV + "qualifiedInfluence")
    found = set(nodes)
    frontier = set(found)
    while frontier:
        near = {
            n
            for m in frontier
            for n in (*graph.subjects(influencer, m), *graph.objects(m, qualified))
        }
        frontier = {n for n in near - found if graph.value(n, RDFS.label) is None}
        found |= frontier
    return found


def affected_claims(graph: Graph, added: Iterable[Triple]) -> set[Node]:
    """The claims whose time-order rows (or their messages) may differ between ``graph``
    and ``graph`` without ``added``: those at or next to a touched node."""
    from rdflib import URIRef

    influencer, qualified = URIRef(_PROV + "influencer"), URIRef(_PROV + "qualifiedInfluence")
    touched = described_by(graph, {n for s, _, o in added for n in (s, o)})
    claims = set(touched)
    for node in touched:
        claims.update(graph.subjects(influencer, node))
        claims.update(graph.objects(node, qualified))
    return claims


@dataclass
class FocusedCheck:
    """Which nodes to validate against which shape, and which claims' time order, so that
    one addition's violations are found without validating the whole graph.

    ``focus`` is None when the SHACL part must run on the whole graph (see
    :func:`focused_check`).
    """

    shapes: Graph
    focus: dict[Node, set[Node]] | None
    plan: ShapePlan | None
    claims: set[Node]
    identified: set[Node] = field(default_factory=set)
    """Subjects given an identifier, whose checksums are checked."""

    def run(self, graph: Graph) -> list[Violation]:
        """The violations of the chosen nodes and claims in ``graph`` (the graph with or
        without the addition: a node is checked against a shape only where it is one of
        the shape's focus nodes)."""
        if self.focus is None or self.plan is None:
            shacl = checks._pyshacl(graph, self.shapes)
        else:
            shacl = []
            for shape in self.plan.shapes:
                targeted: list[Any] = [n for n in self.focus[shape.node] if shape.targets(graph, n)]
                nodes = sorted(targeted)  # rdflib terms order among themselves
                if nodes:
                    shacl += checks._pyshacl(
                        graph, self.shapes, use_shapes=[shape.node], focus_nodes=nodes
                    )
        return (
            _in_order(shacl)
            + time_order_violations(graph, self.claims)
            + identifier_violations(graph, self.identified)
        )


def focused_check(
    graph: Graph, added: Iterable[Triple], shapes: Graph | None = None
) -> FocusedCheck:
    """The :class:`FocusedCheck` for ``graph`` after ``added`` was added to it."""
    added = set(added)
    plan = shape_plan(shapes)
    focus: dict[Node, set[Node]] | None = None
    if plan is not None:
        candidates = plan.candidates(graph, added)
        focus = {
            shape.node: {n for n in candidates[shape.node] if shape.targets(graph, n)}
            for shape in plan.shapes
        }
        if not all(_nameable(n) for nodes in focus.values() for n in nodes):
            focus = None  # pyshacl only takes IRIs as focus nodes
    identifier = PREFIXES["dcterms"] + "identifier"
    return FocusedCheck(
        shapes if shapes is not None else shapes_graph(),
        focus,
        plan,
        affected_claims(graph, added),
        {s for s, p, _ in added if str(p) == identifier},
    )


@contextmanager
def _without(graph: Graph, triples: set[Triple]) -> Iterator[Graph]:
    """``graph`` with ``triples`` taken out for the duration (put back afterwards)."""
    for triple in triples:
        graph.remove(triple)
    try:
        yield graph
    finally:
        for triple in triples:
            graph.add(triple)


def new_violations(
    graph: Graph, added: Iterable[Triple], shapes: Graph | None = None
) -> list[Violation]:
    """The violations ``graph`` has that ``graph`` without ``added`` did not have, found by
    checking only what the addition can affect (module docstring).

    ``added`` are triples of ``graph`` that were not in it before the addition. The graph is
    briefly changed (the triples taken out and put back) to check the old state. Equal to
    comparing :func:`validate_graph` before and after, without validating the whole graph.
    """
    added = set(added)
    missing = next((t for t in added if t not in graph), None)
    if missing is not None:
        raise ValueError(f"an added triple is not in the graph: {missing}")
    check = focused_check(graph, added, shapes)
    found = check.run(graph)
    if not found:
        return []
    with _without(graph, added):
        before = {v.key for v in check.run(graph)}
    return [v for v in found if v.key not in before]
