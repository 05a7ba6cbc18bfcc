"""Shipped queries list each class with its subclasses (from the ontology), so they need no
rdfs:subClassOf in the store: checked here against ontology/influencegraph.ttl."""

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from influencegraph.graph import ontology_path
from influencegraph.queries import load_query, query_names
from influencegraph.vocab import expand


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ontology_path())


def closure(ontology, classes):
    """The classes and everything below them, within the project's and FOAF's terms."""
    found = set(classes)
    while True:
        more = {s for c in found for s in ontology.subjects(RDFS.subClassOf, c)} - found
        if not more:
            return found
        found |= more


def values_of(query, variable):
    """The classes a query lists for ``?variable``: ``VALUES ?v { ... }`` or
    ``?v IN (...)``."""
    match = re.search(r"VALUES \?" + variable + r" \{([^}]*)\}", query) or re.search(
        r"\?" + variable + r" IN \(([^)]*)\)", query
    )
    assert match, variable
    return {URIRef(expand(term)) for term in match.group(1).replace(",", " ").split()}


@pytest.mark.parametrize(
    ("query", "variable", "roots"),
    [
        ("evidence-types", "personClass", ["foaf:Person"]),
        ("evidence-types", "policyClass", ["ig:Strategy"]),
        ("evidence-types", "targetClass", ["ig:Strategy"]),
        ("evidence-types", "researchClass", ["ig:Report", "ig:Idea"]),
        (
            "dossier-people",
            "otherClass",
            ["foaf:Person", "ig:Organisation", "ig:Group", "ig:Project", "ig:Programme"],
        ),
    ],
)
def test_inlined_classes_are_the_ontologys_subclass_closure(ontology, query, variable, roots):
    listed = values_of(load_query(query), variable)
    assert listed == closure(ontology, {URIRef(expand(r)) for r in roots})


def test_no_shipped_query_walks_the_class_hierarchy():
    for name in query_names():
        assert "subClassOf" not in re.sub(r"(?m)#.*$", "", load_query(name)), name
