"""Checking a whole graph: SHACL shapes (pyshacl), the time-order rule and identifier
formats, each problem a :class:`Violation` that names the entity by its label."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from ..dates import runs_backwards
from ..graph import shapes_path
from ..vocab import PREFIXES, shorten

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    Triple = tuple[Node, Node, Node]


_SH = "http://www.w3.org/ns/shacl#"
_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_PROV = PREFIXES["prov"]


@dataclass(frozen=True)
class Violation:
    """One problem: what (label), which property, what is wrong."""

    focus: str
    label: str
    path: str
    message: str
    check: str

    def __str__(self) -> str:
        where = f" {self.path}:" if self.path else ""
        return f"{self.label}:{where} {self.message}"

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the violation when two graphs are compared: focus node, path,
        message and check (not the label, which an added label changes)."""
        return (self.focus, self.path, self.message, self.check)


def describe_node(graph: Graph, node: Node, _seen: frozenset[Node] = frozenset()) -> str:
    """A human name for any node: its label; for a claim, 'influencer -> target (kind)'."""
    from rdflib import RDFS, BNode, URIRef

    from ..vocab import IG

    label = graph.value(node, RDFS.label)
    if label is not None:
        return str(label)
    influencer = graph.value(node, URIRef(_PROV + "influencer"))
    target = graph.value(None, URIRef(_PROV + "qualifiedInfluence"), node)
    if (influencer is not None or target is not None) and node not in _seen:
        kind = graph.value(node, URIRef(IG + "kind"))
        kind_text = f" ({shorten(str(kind))})" if kind is not None else ""
        ends = [
            describe_node(graph, n, _seen | {node}) if n is not None else "?"
            for n in (influencer, target)
        ]
        return f"claim {ends[0]} -> {ends[1]}{kind_text}"
    if isinstance(node, BNode):
        return "a blank node"
    return shorten(str(node))


@functools.cache
def shapes_graph() -> Graph:
    """The project's SHACL shapes (``ontology/shapes.ttl``), parsed once per process.

    The graph is shared: read it, never change it.
    """
    from rdflib import Graph as RDFGraph

    return RDFGraph().parse(shapes_path(), format="turtle")


def _report_violations(graph: Graph, report: Graph) -> list[Violation]:
    """The sh:Violation results of a pyshacl report, described with ``graph``."""
    from rdflib import BNode
    from rdflib.namespace import SH

    found = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        found.append(
            Violation(
                focus=str(focus),
                label=describe_node(graph, cast("Node", focus)),
                path=shorten(str(path)) if path is not None and not isinstance(path, BNode) else "",
                message=str(message) if message is not None else "does not conform",
                check="shacl",
            )
        )
    return found


def _in_order(found: Iterable[Violation]) -> list[Violation]:
    return sorted(found, key=lambda v: (v.label.casefold(), v.path, v.message, v.focus))


def _pyshacl(graph: Graph, shapes: Graph, **focus: Any) -> list[Violation]:
    import pyshacl

    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, **focus
    )
    return [] if conforms else _report_violations(graph, report)


def shacl_violations(graph: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Run the SHACL shapes (the project's unless ``shapes`` is given) over the whole
    ``graph`` (which should include the vocabulary)."""
    return _in_order(_pyshacl(graph, shapes if shapes is not None else shapes_graph()))


# ---------------------------------------------------------------- time order


def _time_rows(graph: Graph, claims: Iterable[Node]) -> Iterator[tuple[Node, ...]]:
    """``(claim, influencer, target, influencer's date, target's date)`` for each of
    ``claims`` whose two ends are both dated."""
    from rdflib import URIRef

    qualified, influencer = URIRef(_PROV + "qualifiedInfluence"), URIRef(_PROV + "influencer")
    issued = URIRef(PREFIXES["dcterms"] + "issued")
    for claim in claims:
        for y in graph.subjects(qualified, claim):
            for x in graph.objects(claim, influencer):
                for dx in graph.objects(x, issued):
                    for dy in graph.objects(y, issued):
                        yield claim, x, y, dx, dy


def time_order_violations(graph: Graph, claims: Iterable[Node] | None = None) -> list[Violation]:
    """Dated influences that run from a later work to an earlier one: all of them, or only
    those of ``claims``."""
    if claims is None:
        from rdflib import URIRef

        claims = set(graph.objects(None, URIRef(_PROV + "qualifiedInfluence")))
    found = []
    for claim, x, y, dx, dy in _time_rows(graph, claims):
        if runs_backwards(str(dx), str(dy)):
            found.append(
                Violation(
                    focus=str(claim),
                    label=describe_node(graph, claim),
                    path="prov:influencer",
                    message=(
                        f"runs backwards in time: {describe_node(graph, x)} ({dx}) is later "
                        f"than {describe_node(graph, y)} ({dy}) which it is said to influence"
                    ),
                    check="time-order",
                )
            )
    return sorted(found, key=lambda v: (v.label.casefold(), v.focus, v.message))


def vocabulary_triples(graph: Graph) -> int:
    """How many of ``graph``'s triples are the project's vocabulary (``ontology/``), which
    is loaded with every graph: a graph of nothing else holds no data to validate."""
    from ..graph import load_graph

    return sum(1 for triple in load_graph([]) if triple in graph)


def identifier_violations(graph: Graph, subjects: Iterable[Node] | None = None) -> list[Violation]:
    """Identifiers SHACL cannot judge: a ``dcterms:identifier`` with a failing checksum (ORCID,
    ISBN, ROR) or not in canonical form; of every subject, or only of ``subjects``."""
    from rdflib import URIRef

    from ..identifiers import BadIdentifier, from_literal

    predicate = URIRef(PREFIXES["dcterms"] + "identifier")
    pairs = (
        graph.subject_objects(predicate)
        if subjects is None
        else ((s, o) for s in subjects for o in graph.objects(s, predicate))
    )
    found = []
    for subject, value in pairs:
        try:
            from_literal(str(value))
        except BadIdentifier as exc:
            found.append(
                Violation(
                    str(subject),
                    describe_node(graph, subject),
                    "dcterms:identifier",
                    str(exc),
                    "identifier",
                )
            )
    return sorted(found, key=lambda v: (v.label.casefold(), v.focus, v.message))


def validate_graph(graph: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Every SHACL, time-order and identifier violation in ``graph``; an empty list means it
    conforms."""
    return (
        shacl_violations(graph, shapes)
        + time_order_violations(graph)
        + identifier_violations(graph)
    )
