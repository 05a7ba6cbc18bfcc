"""What the shapes read: for each shape, the triple patterns its evaluation at a focus
node looks up, worked out once from ``ontology/shapes.ttl`` (see the package docstring)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

    Triple = tuple[Node, Node, Node]
from .checks import (
    _RDF,
    _RDFS,
    _SH,
    shapes_graph,
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
