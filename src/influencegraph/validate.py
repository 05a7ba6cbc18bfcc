"""Checking a graph: SHACL shapes (pyshacl) and the time-order rule.

Each problem is a :class:`Violation` that names the entity by its label, so a user can
find it without reading IRIs. :func:`validate_graph` checks a whole graph (the ``validate``
command); :func:`new_violations` checks only what a change can affect (``add`` and
``import``, which refuse an addition only for the violations it introduces).

Which nodes an addition can affect
----------------------------------
A SHACL result names a focus node ``f`` and the shape ``S`` that targets it; it is computed
by looking up triple patterns (``f rdf:type ?``, ``f dcterms:source ?``, ...) while evaluating
``S`` at ``f``. The new graph is the old one plus the added triples. If no added triple
matches any pattern the evaluation at ``f`` looks up in the new graph, each lookup returns
the same triples in the old graph, so (step by step) the old evaluation looked up the same
patterns and got the same results. Hence: **only a focus node whose evaluation looks up a
pattern that an added triple matches can gain or lose a result**, and :func:`shape_plan`
derives those nodes from the shapes graph, shape by shape:

* targets: ``sh:targetClass C`` reads ``f rdf:type D`` and ``D rdfs:subClassOf* C``, so an
  added ``rdf:type`` triple affects its subject, and an added ``D rdfs:subClassOf E`` affects
  every instance of ``D`` or of its subclasses (nodes that are neither subject nor object of
  the added triple); ``sh:targetSubjectsOf P`` / ``sh:targetObjectsOf P`` read ``f P ?`` /
  ``? P f`` (the subject / object of an added ``P`` triple); ``sh:targetNode`` reads nothing;
* the path: a predicate path reads ``f p ?`` (the added triple's subject); an inverse path
  ``^p`` reads ``? p f`` (its object: an added ``?y prov:qualifiedInfluence ?c`` gives the
  claim ``?c`` a second target); a sequence ``p1/p2`` reads ``f p1 m`` and then ``m p2 ?``,
  so an added ``m p2 v`` affects every ``f`` with ``f p1 m`` (the path walked backwards from
  the added triple); alternatives, ``*``, ``+`` and ``?`` paths likewise;
* the value nodes ``v`` reached by the path: ``sh:class C`` reads ``v rdf:type D`` and
  ``D rdfs:subClassOf* C`` -- the two-hop case of these shapes: a claim ``c dcterms:source s``
  changes when ``s rdf:type ig:SourceDocument`` is added, though ``c`` is in no added triple
  (likewise ``c ig:kind k`` and ``k rdf:type ig:InfluenceKind``); ``sh:node``,
  ``sh:property``, ``sh:qualifiedValueShape`` and the shapes in ``sh:and``/``sh:or``/
  ``sh:xone``/``sh:not`` are evaluated at ``v``, so their own readers, walked back along the
  path, are affected; ``sh:closed`` reads every triple of ``v``; ``sh:datatype``,
  ``sh:minLength``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, the counts and ranges look at
  the value terms only;
* ``sh:equals``, ``sh:disjoint``, ``sh:lessThan(OrEquals) P`` read ``f P ?``.

In ``ontology/shapes.ttl`` every path is one predicate or ``^prov:qualifiedInfluence``, and
the only constraint that looks past its value nodes is ``sh:class`` (``ig:SourceDocument``
on ``dcterms:source``, ``ig:InfluenceKind`` on ``ig:kind``). There is no sequence path and no
``sh:targetObjectsOf``; the sequence and ``*`` cases are exercised by the tests with shapes
of their own. The subjects and objects of every added triple are checked as well, whatever
the shapes say. A shape feature the analysis does not know (``sh:sparql``, SPARQL targets,
``sh:qualifiedValueShapesDisjoint``, a recursive shape, a nested shape named by an IRI)
makes it give up, and so does an affected node that pyshacl cannot be handed by name (a
blank node): the SHACL part then validates the whole graph, as before.

Each affected node is validated against just the shapes that target it in that graph
(:meth:`TargetedShape.targets`: ``rdf:type/rdfs:subClassOf*``, subjects-of, objects-of,
target nodes, as pyshacl finds them), one pyshacl call per shape with ``use_shapes=[shape]``
and ``focus_nodes=[...]``. That combination validates the given nodes against the given
shape and nothing else. Two things ruled out the simpler ways (pyshacl 0.40, measured):

* ``focus_nodes`` alone (which keeps the shapes' own targets) also filters the nodes that
  *nested* shapes are evaluated at: the ``sh:or`` of datatypes on a claim's ``dcterms:date``
  is evaluated at the date literal, which is not in the list, so "last spring" as a date
  passed unreported. It also finds every shape's targets over the whole graph and tests
  each against the list (|targets| x |focus nodes|: 1.2 s for 300 nodes at 90k triples);
* ``use_shapes`` drops nested shapes that are named by an IRI (only blank-node ones are
  gathered), so such shapes make the analysis give up; the project's are all blank nodes.

Both take only IRIs (``http(s):``, ``urn:``, ``file:``) by name.

Time order: a row ``?y prov:qualifiedInfluence ?c . ?c prov:influencer ?x . ?x dcterms:issued
?dx . ?y dcterms:issued ?dy`` is new only if one of its four triples was added, so ``?c``,
``?x`` or ``?y`` is a subject or object of an added triple. Its message names ``?x`` and
``?y`` by :func:`describe_node`, which reads a node's label or, for a node without one, its
influencer and target in turn; so a node whose description reads a touched node counts as
touched too. Only the claims at or next to a touched node are checked.

"The violations the change introduces" are those of the affected nodes in the new graph
that the same nodes did not have in the old graph (old = new minus the added triples); a
violation is identified by focus node, path, message and check, as before.

Example:
    >>> from rdflib import Graph, Literal, URIRef, RDFS
    >>> g = Graph()
    >>> t = (URIRef("https://example.org/x"), RDFS.label, Literal("X"))
    >>> g.add(t)                                            # doctest: +ELLIPSIS
    <Graph ...>
    >>> [str(v) for v in new_violations(g, [t])]
    ['X: rdf:type: has a label but no type (rdf:type)']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from .dates import runs_backwards
from .graph import shapes_path
from .vocab import PREFIXES, shorten

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
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

    from .vocab import IG

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
    from .graph import load_graph

    return sum(1 for triple in load_graph([]) if triple in graph)


def identifier_violations(graph: Graph, subjects: Iterable[Node] | None = None) -> list[Violation]:
    """Identifiers SHACL cannot judge: a ``dcterms:identifier`` with a failing checksum (ORCID,
    ISBN, ROR) or not in canonical form; of every subject, or only of ``subjects``."""
    from rdflib import URIRef

    from .identifiers import BadIdentifier, from_literal

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


# ---------------------------------------------------------------- what the shapes read

# A path, with inverses pushed down to single predicates:
#   ("p", P)  reads  f P ?        ("i", P)  reads  ? P f
#   ("seq", (a, b, ...))   ("alt", (a, b, ...))   ("star" | "plus" | "opt", a)
Path = tuple[Any, ...]

_INSTANCE: Path = ("seq", (("p", _RDF + "type"), ("star", ("p", _RDFS + "subClassOf"))))
"""rdf:type/rdfs:subClassOf*: what targetClass and sh:class read."""

_VALUE_ONLY = {
    "datatype",
    "nodeKind",
    "minLength",
    "maxLength",
    "pattern",
    "flags",
    "languageIn",
    "uniqueLang",
    "in",
    "hasValue",
    "minCount",
    "maxCount",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "qualifiedMinCount",
    "qualifiedMaxCount",
}
"""Constraint parameters that look at the value nodes (or their number) and nothing else."""
_INERT = {
    "message",
    "severity",
    "name",
    "description",
    "order",
    "group",
    "deactivated",
    "defaultValue",
    "ignoredProperties",
    "path",
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
}
_SHAPE_ONE = {"node", "property", "qualifiedValueShape", "not"}
_SHAPE_LIST = {"and", "or", "xone"}
_FOCUS_PROPERTY = {"equals", "disjoint", "lessThan", "lessThanOrEquals"}
_KNOWN = _VALUE_ONLY | _INERT | _SHAPE_ONE | _SHAPE_LIST | _FOCUS_PROPERTY | {"class", "closed"}


class _Unsupported(Exception):
    """The shapes use something the analysis does not cover: validate the whole graph."""


@dataclass(frozen=True)
class ShapeReads:
    """What evaluating one shape at a focus node ``f`` reads, besides the value terms."""

    path: Path | None
    """The path from ``f`` to the value nodes; None for a node shape (the value is ``f``)."""
    value_types: bool
    """``sh:class``: each value node's ``rdf:type`` and the ``rdfs:subClassOf`` chain."""
    nested: tuple[ShapeReads, ...]
    """Shapes evaluated at each value node (sh:node, sh:property, sh:or...)."""
    focus_predicates: frozenset[str]
    """``sh:equals``-like parameters: ``f P ?`` for each P."""
    closed: bool
    """``sh:closed``: every triple of each value node."""

    def readers(self, graph: Graph, added: set[Triple], typed: set[Node]) -> set[Node]:
        """The nodes whose evaluation of this shape reads an added triple.

        ``typed``: the nodes whose ``rdf:type``/``rdfs:subClassOf*`` reads meet an added
        triple (see :meth:`ShapePlan.candidates`).
        """
        values = set(typed) if self.value_types else set()
        if self.closed:
            values |= {s for s, _, _ in added}
        for shape in self.nested:
            values |= shape.readers(graph, added, typed)
        if self.path is None:
            found = values
        else:
            found = path_readers(graph, self.path, added) | walk_back(graph, self.path, values)
        return found | {s for s, p, _ in added if str(p) in self.focus_predicates}


@dataclass(frozen=True)
class TargetedShape:
    """A shape with targets: its IRI, its targets and what it reads."""

    node: URIRef
    reads: ShapeReads
    classes: frozenset[str]
    subjects_of: frozenset[str]
    objects_of: frozenset[str]
    nodes: frozenset[Node]

    def targets(self, graph: Graph, node: Node) -> bool:
        """Whether ``node`` is a focus node of this shape in ``graph`` (SHACL's targets)."""
        from rdflib import RDF, RDFS, URIRef

        if node in self.nodes:
            return True
        if any((node, URIRef(p), None) in graph for p in self.subjects_of):
            return True
        if any((None, URIRef(p), node) in graph for p in self.objects_of):
            return True
        return bool(self.classes) and any(
            str(c) in self.classes
            for t in graph.objects(node, RDF.type)
            for c in graph.transitive_objects(t, RDFS.subClassOf)
        )

    def target_readers(self, added: set[Triple], typed: set[Node]) -> set[Node]:
        """The nodes whose membership in this shape's targets reads an added triple."""
        found = set(typed) if self.classes else set()
        found |= {s for s, p, _ in added if str(p) in self.subjects_of}
        return found | {o for _, p, o in added if str(p) in self.objects_of}


@dataclass(frozen=True)
class ShapePlan:
    """The shapes with targets, and how to find the focus nodes an addition can affect.

    Example:
        >>> plan = shape_plan()
        >>> sorted(s.node.rsplit("#", 1)[1] for s in plan.shapes)[:2]
        ['EntityShape', 'IdentifierShape']
    """

    shapes: tuple[TargetedShape, ...]

    def candidates(self, graph: Graph, added: Iterable[Triple]) -> dict[Node, set[Node]]:
        """Shape IRI -> the nodes whose results for that shape may differ between ``graph``
        and ``graph`` without ``added``: the subjects and objects of the added triples, and
        every node whose evaluation of the shape reads one of them (module docstring)."""
        from rdflib import Literal

        added = set(added)
        ends = {n for s, _, o in added for n in (s, o) if not isinstance(n, Literal)}
        typed = {s for s, p, _ in added if str(p) == _RDF + "type"}
        typed |= walk_back(
            graph, _INSTANCE, {s for s, p, _ in added if str(p) == _RDFS + "subClassOf"}
        )
        return {
            shape.node: ends
            | shape.target_readers(added, typed)
            | shape.reads.readers(graph, added, typed)
            for shape in self.shapes
        }


def _path(shapes: Graph, node: Node) -> Path:
    from rdflib import RDF, BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    if isinstance(node, URIRef):
        return ("p", str(node))
    if not isinstance(node, BNode):
        raise _Unsupported(f"path {node!r}")
    if (node, RDF.first, None) in shapes:
        return ("seq", tuple(_path(shapes, n) for n in Collection(shapes, node)))
    if (inverse := shapes.value(node, SH.inversePath)) is not None:
        return _inverse(_path(shapes, inverse))
    if (alternatives := shapes.value(node, SH.alternativePath)) is not None:
        return ("alt", tuple(_path(shapes, n) for n in Collection(shapes, alternatives)))
    for name, kind in (
        ("zeroOrMorePath", "star"),
        ("oneOrMorePath", "plus"),
        ("zeroOrOnePath", "opt"),
    ):
        if (inner := shapes.value(node, SH[name])) is not None:
            return (kind, _path(shapes, inner))
    raise _Unsupported(f"path {node!r}")


def _inverse(path: Path) -> Path:
    kind, inner = path
    if kind in ("p", "i"):
        return ("i" if kind == "p" else "p", inner)
    if kind == "seq":
        return ("seq", tuple(_inverse(p) for p in reversed(inner)))
    if kind == "alt":
        return ("alt", tuple(_inverse(p) for p in inner))
    return (kind, _inverse(inner))


def walk_back(graph: Graph, path: Path, nodes: set[Node]) -> set[Node]:
    """The nodes ``f`` from which ``path`` reaches one of ``nodes``."""
    from rdflib import URIRef

    kind, inner = path
    if not nodes:
        return set()
    if kind == "p":
        return {s for n in nodes for s in graph.subjects(URIRef(inner), n)}
    if kind == "i":
        return {o for n in nodes for o in graph.objects(n, URIRef(inner))}
    if kind == "seq":
        for part in reversed(inner):
            nodes = walk_back(graph, part, nodes)
        return nodes
    if kind == "alt":
        return set().union(*(walk_back(graph, p, nodes) for p in inner))
    if kind == "opt":
        return nodes | walk_back(graph, inner, nodes)
    reached, frontier = set(nodes), set(nodes)
    while frontier:
        frontier = walk_back(graph, inner, frontier) - reached
        reached |= frontier
    return reached if kind == "star" else walk_back(graph, inner, reached)


def path_readers(graph: Graph, path: Path, added: set[Triple]) -> set[Node]:
    """The nodes ``f`` whose walk along ``path`` reads one of the ``added`` triples."""
    kind, inner = path
    if kind == "p":
        return {s for s, p, _ in added if str(p) == inner}
    if kind == "i":
        return {o for _, p, o in added if str(p) == inner}
    if kind == "seq":
        first, rest = inner[0], inner[1:]
        found = path_readers(graph, first, added)
        if rest:
            found |= walk_back(graph, first, path_readers(graph, ("seq", rest), added))
        return found
    if kind == "alt":
        return set().union(*(path_readers(graph, p, added) for p in inner))
    if kind == "opt":
        return path_readers(graph, inner, added)
    # star / plus: the step is read from f and from every node f reaches
    return walk_back(graph, ("star", inner), path_readers(graph, inner, added))


def _shape_reads(shapes: Graph, node: Node, inside: frozenset[Node]) -> ShapeReads:
    from rdflib import BNode, Literal
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    if node in inside:
        raise _Unsupported("recursive shape")
    inside = inside | {node}
    for predicate in set(shapes.predicates(node)):
        name = str(predicate)
        if name.startswith(_SH) and name[len(_SH) :] not in _KNOWN:
            raise _Unsupported(name)
    paths = list(shapes.objects(node, SH.path))
    if len(paths) > 1:
        raise _Unsupported("two paths")
    inner = [n for name in sorted(_SHAPE_ONE) for n in shapes.objects(node, SH[name])]
    inner += [
        n
        for name in sorted(_SHAPE_LIST)
        for items in shapes.objects(node, SH[name])
        for n in Collection(shapes, items)
    ]
    if not all(isinstance(n, BNode) for n in inner):
        raise _Unsupported("a nested shape with an IRI: pyshacl's use_shapes skips it")
    nested = [_shape_reads(shapes, n, inside) for n in inner]
    return ShapeReads(
        path=_path(shapes, paths[0]) if paths else None,
        value_types=(node, SH["class"], None) in shapes,
        nested=tuple(nested),
        focus_predicates=frozenset(
            str(p) for name in _FOCUS_PROPERTY for p in shapes.objects(node, SH[name])
        ),
        closed=any(o == Literal(True) for o in shapes.objects(node, SH.closed)),
    )


def shape_plan(shapes: Graph | None = None) -> ShapePlan | None:
    """What the shapes (the project's unless given) read, or None when they use something
    the analysis does not cover (then only a whole-graph check is exact).

    The project's plan is worked out once per process.
    """
    if shapes is None:
        return _project_plan()
    try:
        return _plan(shapes)
    except _Unsupported:
        return None


@functools.cache
def _project_plan() -> ShapePlan | None:
    return shape_plan(shapes_graph())


def _plan(shapes: Graph) -> ShapePlan:
    from rdflib import OWL, RDF, RDFS, URIRef
    from rdflib.namespace import SH

    if (None, SH.target, None) in shapes:
        raise _Unsupported("sh:target")
    kinds = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    targeted = {s for kind in kinds for s in shapes.subjects(kind, None)}
    implicit = {
        s
        for cls in (RDFS.Class, OWL.Class)
        for s in shapes.subjects(RDF.type, cls)
        if {SH.NodeShape, SH.PropertyShape} & set(shapes.objects(s, RDF.type))
    }
    found = []
    for node in sorted(cast("set[Any]", targeted | implicit)):  # rdflib terms order
        if not _nameable(node):
            raise _Unsupported("a shape pyshacl cannot be given by name")
        assert isinstance(node, URIRef)
        classes = {str(c) for c in shapes.objects(node, SH.targetClass)}
        if node in implicit:
            classes.add(str(node))
        found.append(
            TargetedShape(
                node=node,
                reads=_shape_reads(shapes, node, frozenset()),
                classes=frozenset(classes),
                subjects_of=frozenset(str(p) for p in shapes.objects(node, SH.targetSubjectsOf)),
                objects_of=frozenset(str(p) for p in shapes.objects(node, SH.targetObjectsOf)),
                nodes=frozenset(shapes.objects(node, SH.targetNode)),
            )
        )
    return ShapePlan(tuple(found))


def _nameable(node: Node) -> bool:
    """Whether pyshacl takes ``node`` as a focus node or shape by name: it keeps only IRIs,
    and reads a string that does not start with one of these schemes as a CURIE."""
    from rdflib import URIRef

    return isinstance(node, URIRef) and str(node).lower().startswith(
        ("http:", "https:", "urn:", "file:")
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
            shacl = _pyshacl(graph, self.shapes)
        else:
            shacl = []
            for shape in self.plan.shapes:
                targeted: list[Any] = [n for n in self.focus[shape.node] if shape.targets(graph, n)]
                nodes = sorted(targeted)  # rdflib terms order among themselves
                if nodes:
                    shacl += _pyshacl(
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
