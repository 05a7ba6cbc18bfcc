"""Checking a graph: SHACL shapes (pyshacl) and the time-order rule.

Each problem is a :class:`Violation` that names the entity by its label, so a user can
find it without reading IRIs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .source import shapes_path
from .vocab import shorten

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node


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


def describe_node(graph: Graph, node: Node) -> str:
    """A human name for any node: its label; for a claim, 'influencer -> target (kind)'."""
    from rdflib import RDFS, BNode, URIRef

    from .vocab import IG, PREFIXES

    label = graph.value(node, RDFS.label)
    if label is not None:
        return str(label)
    prov = PREFIXES["prov"]
    influencer = graph.value(node, URIRef(prov + "influencer"))
    target = graph.value(None, URIRef(prov + "qualifiedInfluence"), node)
    if influencer is not None or target is not None:
        kind = graph.value(node, URIRef(IG + "kind"))
        kind_text = f" ({shorten(str(kind))})" if kind is not None else ""
        ends = [describe_node(graph, n) if n is not None else "?" for n in (influencer, target)]
        return f"claim {ends[0]} -> {ends[1]}{kind_text}"
    if isinstance(node, BNode):
        return "a blank node"
    return shorten(str(node))


def shacl_violations(graph: Graph) -> list[Violation]:
    """Run the project's SHACL shapes over ``graph`` (which should include the vocabulary)."""
    import pyshacl
    from rdflib import Graph as RDFGraph
    from rdflib.namespace import SH

    shapes = RDFGraph().parse(shapes_path(), format="turtle")
    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True
    )
    if conforms:
        return []
    found = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        found.append(Violation(
            focus=str(focus),
            label=describe_node(graph, focus),
            path=shorten(str(path)) if path is not None and not _is_bnode(path) else "",
            message=str(message) if message is not None else "does not conform",
            check="shacl",
        ))
    return sorted(found, key=lambda v: (v.label.casefold(), v.path, v.message))


def _is_bnode(node: Node) -> bool:
    from rdflib import BNode

    return isinstance(node, BNode)


_TIME_QUERY = """
SELECT ?claim ?x ?y ?dx ?dy WHERE {
  ?y prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?x .
  ?x dcterms:issued ?dx .
  ?y dcterms:issued ?dy .
}
"""


def date_parts(text: str) -> tuple[int, ...]:
    """``"2018-03"`` -> (2018, 3); ``"2018"`` -> (2018,). Timezones and suffixes are ignored."""
    match = re.match(r"^\s*(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not match:
        return ()
    return tuple(int(part) for part in match.groups() if part is not None)


def runs_backwards(earlier: str, later: str) -> bool:
    """True when a work dated ``earlier`` is in fact after ``later``, at their shared precision."""
    a, b = date_parts(earlier), date_parts(later)
    common = min(len(a), len(b))
    return common > 0 and a[:common] > b[:common]


def time_order_violations(graph: Graph) -> list[Violation]:
    """Dated influences that run from a later work to an earlier one."""
    from rdflib.plugins.sparql import prepareQuery

    from .vocab import PREFIXES

    query = prepareQuery(_TIME_QUERY, initNs=PREFIXES)
    found = []
    for claim, x, y, dx, dy in graph.query(query):
        if runs_backwards(str(dx), str(dy)):
            found.append(Violation(
                focus=str(claim),
                label=describe_node(graph, claim),
                path="prov:influencer",
                message=(f"runs backwards in time: {describe_node(graph, x)} ({dx}) is later "
                         f"than {describe_node(graph, y)} ({dy}) which it is said to influence"),
                check="time-order",
            ))
    return sorted(found, key=lambda v: v.label.casefold())


def validate_graph(graph: Graph) -> list[Violation]:
    """Every SHACL and time-order violation in ``graph``; an empty list means it conforms."""
    return shacl_violations(graph) + time_order_violations(graph)
