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

Parts: :mod:`.checks` (the whole graph), :mod:`.plan` (what each shape reads),
:mod:`.focused` (the check of an addition).
"""

from ..dates import runs_backwards
from .checks import (
    Violation,
    describe_node,
    identifier_violations,
    shacl_violations,
    shapes_graph,
    time_order_violations,
    validate_graph,
    vocabulary_triples,
)
from .focused import (
    FocusedCheck,
    affected_claims,
    described_by,
    focused_check,
    new_violations,
)
from .plan import (
    Path,
    ShapePlan,
    ShapeReads,
    TargetedShape,
    path_readers,
    shape_plan,
    walk_back,
)

__all__ = [
    "FocusedCheck",
    "Path",
    "ShapePlan",
    "ShapeReads",
    "TargetedShape",
    "Violation",
    "affected_claims",
    "describe_node",
    "described_by",
    "focused_check",
    "identifier_violations",
    "new_violations",
    "path_readers",
    "runs_backwards",
    "shacl_violations",
    "shape_plan",
    "shapes_graph",
    "time_order_violations",
    "validate_graph",
    "vocabulary_triples",
    "walk_back",
]
