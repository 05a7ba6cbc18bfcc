"""The bundled seed graph: complete, sourced, quoted verbatim, and conforming."""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from influencegraph.names import resolve
from influencegraph.validate import validate_graph
from influencegraph.vocab import IG, INFLUENCE_KINDS, PREFIXES

DCT = PREFIXES["dcterms"]
EVIDENCE = URIRef(IG + "evidence")
SOURCE = URIRef(DCT + "source")

# Written by hand from the two pages in ../shared/seeds/: every name they state.
SEED_NAMES = {
    "Organisation": [
        "The Challenge",
        "British Academy",
        "Paul Hamlyn Foundation",
        "Oxford University",
        "Nuffield College",
        "Centre for Social Investigation",
        "University of Kent",
        "Centre for the Study of Group Processes",
        "Local Government Association",
        "Solace",
        "The Challenge Network",
        "Joseph Rowntree Foundation",
    ],
    "Government body": [
        "The Government",
        "Greater London Authority",
        "Mayor of London",
        "National Audit Office",
        "Department for Communities and Local Government",
        "Equality and Human Rights Commission",
    ],
    "Person": [
        "Chuka Umunna",
        "Louise Casey",
        "Lord O'Shaughnessy",
        "Anthony Heath",
        "Dominic Abrams",
        "Ellie Greenwood",
        "Abdool Kara",
        "Charles Loft",
        "Maria O'Beirne",
        "Ralph Scott",
        "Hazel Wardrop",
        "Debbie Weekes-Bernard",
    ],
    "Report": [
        "All Together Now",
        "Integration Not Demonisation",
        "Social mixing in the workplace",
        "Rebuilding our Common Life",
        "Understanding School Segregation in England",
        "Integration City",
        "A Sense of Belonging",
        "10 Local actions to promote social integration",
        "The integration of migrants, refugees and asylum seekers",
        "Key lessons",
    ],
    "Survey": ["British Integration Survey 2019", "British Integration Survey 2016"],
    "Strategy": ["Integrated Communities Strategy Green Paper", "All of Us"],
    "APPG": ["APPG on Social Integration"],
    "Working group": ["If you could do one thing... working group"],
    "Project": ["If you could do one thing..."],
    "Programme": ["Integration Areas"],
    "Idea": ["Design Principles for Meaningful Mixing"],
}


@pytest.mark.parametrize("kind,name", [(k, n) for k, ns in SEED_NAMES.items() for n in ns])
def test_every_seed_name_is_an_entity_of_the_right_type(seed_source, kind, name):
    entity = resolve(seed_source, name)
    assert entity.type == kind


def test_graph_conforms(seed_graph):
    assert validate_graph(seed_graph) == []


def _quoted_nodes(graph):
    for node, quote in graph.subject_objects(EVIDENCE):
        yield node, str(quote), graph.value(node, SOURCE)


def test_every_quote_occurs_verbatim_in_its_source_page(seed_graph, seed_texts, squash):
    checked = 0
    for node, quote, source in _quoted_nodes(seed_graph):
        assert source is not None, f"{node} has evidence but no source"
        label = str(seed_graph.value(source, RDFS.label))
        assert squash(quote) in seed_texts[label], f"{node}: quote not in {label!r}: {quote!r}"
        checked += 1
    assert checked > 80


def test_every_claim_membership_and_entity_has_evidence(seed_graph):
    must = [
        URIRef(IG + "InfluenceClaim"),
        URIRef(PREFIXES["org"] + "Membership"),
        URIRef(IG + "Report"),
        URIRef(IG + "Organisation"),
        URIRef(PREFIXES["foaf"] + "Person"),
    ]
    for cls in must:
        nodes = set(seed_graph.subjects(RDF.type, cls))
        assert nodes, cls
        for node in nodes:
            assert seed_graph.value(node, EVIDENCE) is not None, node
            assert seed_graph.value(node, SOURCE) is not None, node


def test_claims_name_a_claimant_that_publishes_their_source(seed_graph):
    claims = set(seed_graph.subjects(RDF.type, URIRef(IG + "InfluenceClaim")))
    assert len(claims) >= 20
    for claim in claims:
        claimant = seed_graph.value(claim, URIRef(IG + "claimant"))
        source = seed_graph.value(claim, SOURCE)
        assert seed_graph.value(source, URIRef(DCT + "publisher")) == claimant


def test_no_invented_urls(seed_graph):
    for _, _, o in seed_graph:
        if isinstance(o, Literal):
            assert not re.search(r"https?://|www\.", str(o)), o


def test_the_pages_join_is_marked_inferred_with_a_reason(seed_graph):
    links = list(seed_graph.subjects(RDF.type, URIRef(IG + "InferredLink")))
    assert links
    for link in links:
        assert seed_graph.value(link, URIRef(IG + "inferred")).toPython() is True
        assert len(str(seed_graph.value(link, URIRef(IG + "reason")))) > 20


def test_ontology_kinds_match_vocab(seed_graph):
    from rdflib import SKOS

    declared = {
        str(kind): (
            str(seed_graph.value(kind, SKOS.prefLabel)),
            float(seed_graph.value(kind, URIRef(IG + "strength"))),
        )
        for kind in seed_graph.subjects(RDF.type, URIRef(IG + "InfluenceKind"))
    }
    assert declared == {k.iri: (k.label, k.strength) for k in INFLUENCE_KINDS}


def test_source_copies_match_the_shared_seeds(repo_root, seed_texts, squash):
    shared_dir = repo_root.parent / "shared" / "seeds"
    if not shared_dir.is_dir():
        pytest.skip("../shared/seeds is not beside the repo")
    shared = sorted(squash(p.read_text(encoding="utf-8")) for p in shared_dir.glob("*.txt"))
    assert shared == sorted(seed_texts.values())


def test_bundled_files_exist_where_the_package_finds_them(repo_root):
    from influencegraph.graph import default_data_paths, ontology_path, shapes_path

    bundled = default_data_paths()[0].read_bytes()
    assert bundled == (repo_root / "data" / "triples.ttl").read_bytes()
    assert ontology_path().is_file() and shapes_path().is_file()
