"""`add` and `import` check only what an addition can affect (validate.new_violations).

The oracle throughout is the whole-graph comparison the edit commands used before:
every violation of ``validate_graph`` after the addition whose (focus, path, message, check)
was not among ``validate_graph`` before it.
"""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from influencegraph import validate
from influencegraph.edit import EntitySpec, add_entity
from influencegraph.graph import load_graph, open_source
from influencegraph.validate import (
    affected_claims,
    focused_check,
    new_violations,
    shape_plan,
    shapes_graph,
    validate_graph,
)
from influencegraph.vocab import IG, PREFIXES

EX = "https://example.org/"
XSD = Namespace(PREFIXES["xsd"])
PROV = PREFIXES["prov"]
DCT = PREFIXES["dcterms"]
ORG = PREFIXES["org"]
SHAPES = "https://w3id.org/influencegraph/shapes#"

HEAD = """\
@prefix : <https://example.org/> .
@prefix ig: <https://w3id.org/influencegraph/ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:src a ig:SourceDocument ; rdfs:label "A page" ; dcterms:title "A page" ;
    dcterms:publisher :org ; dcterms:source :src ; ig:evidence "we wrote it" .
:org a ig:Organisation ; rdfs:label "Org" ; dcterms:source :src ; ig:evidence "Org" .
"""

VALID = (
    HEAD
    + """
:old a ig:Report ; rdfs:label "Old" ; dcterms:issued "2015"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "Old" .
:new a ig:Report ; rdfs:label "New" ; dcterms:issued "2019"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "New" .
:new prov:wasInfluencedBy :old ; prov:qualifiedInfluence :c1 .
:c1 a ig:InfluenceClaim ; prov:influencer :old ; ig:kind ig:endorses ;
    ig:claimant :org ; dcterms:source :src ; ig:evidence "we wrote it" .
"""
)

# Already broken in the ways a user's file can be: a missing label, a wrong type for a
# source, a claim without evidence, an influence backwards in time, a label shared by two
# entities (no shape checks that: it must stay silent), an untyped thing with a label.
VIOLATING = (
    HEAD
    + """
:nolabel a ig:Report ; dcterms:source :src ; ig:evidence "q" .
:twin1 a ig:Idea ; rdfs:label "Twin" ; dcterms:source :src ; ig:evidence "q" .
:twin2 a ig:Idea ; rdfs:label "Twin" ; dcterms:source :org ; ig:evidence "q" .
:untyped rdfs:label "Untyped" .
:late a ig:Report ; rdfs:label "Late" ; dcterms:issued "2021"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "Late" .
:early a ig:Report ; rdfs:label "Early" ; dcterms:issued "2010"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "Early" .
:early prov:qualifiedInfluence :back .
:back a ig:InfluenceClaim ; prov:influencer :late ; ig:kind ig:endorses ;
    ig:claimant :org ; dcterms:source :src .
:m a org:Membership ; org:member :org ; dcterms:source :src ; ig:evidence "m" .
"""
)

# Claims as blank nodes: pyshacl cannot be handed them as focus nodes, so an addition that
# touches one is checked on the whole graph; the answer must be the same.
BLANK = (
    HEAD
    + """
:a a ig:Report ; rdfs:label "A" ; dcterms:issued "2016"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "A" .
:b a ig:Report ; rdfs:label "B" ; dcterms:issued "2018"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "B" .
:b prov:qualifiedInfluence [ a ig:InfluenceClaim ; prov:influencer :a ; ig:kind ig:endorses ;
    ig:claimant :org ; dcterms:source :src ; ig:evidence "q" ] .
"""
)


@functools.cache
def _base(text: str) -> Graph:
    graph = load_graph([])  # the vocabulary, as the edit commands have it
    graph.parse(data=text, format="turtle")
    return graph


def _copy(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(triple)
    return out


def oracle(before: Graph, after: Graph, shapes: Graph | None = None) -> list:
    """The whole-graph comparison: violations after the addition that were not before."""
    old = {v.key for v in validate_graph(before, shapes)}
    return [v for v in validate_graph(after, shapes) if v.key not in old]


def grow(base: Graph, triples) -> tuple[Graph, set]:
    """``base`` plus ``triples`` (a copy), and the triples that were really new."""
    added = {t for t in triples if t not in base}
    after = _copy(base)
    for triple in added:
        after.add(triple)
    return after, added


def assert_same_as_whole_graph(base: Graph, triples, shapes: Graph | None = None) -> list:
    after, added = grow(base, triples)
    expected = oracle(base, after, shapes)
    size = len(after)
    got = new_violations(after, added, shapes)
    assert got == expected
    assert len(after) == size and all(t in after for t in added)  # the graph is restored
    return got


# ---------------------------------------------------------------- random additions


def _u(name: str) -> URIRef:
    return URIRef(name)


PREDICATES = [
    RDF.type,
    RDFS.label,
    RDFS.subClassOf,
    _u(DCT + "source"),
    _u(IG + "evidence"),
    _u(DCT + "issued"),
    _u(DCT + "date"),
    _u(DCT + "title"),
    _u(DCT + "publisher"),
    _u(PROV + "influencer"),
    _u(PROV + "qualifiedInfluence"),
    _u(IG + "kind"),
    _u(IG + "claimant"),
    _u(ORG + "member"),
    _u(ORG + "organization"),
    _u(ORG + "role"),
    _u(IG + "inferred"),
    _u(IG + "reason"),
    _u(RDF + "subject"),
    _u(PREFIXES["skos"] + "altLabel"),
]
CLASSES = [
    _u(IG + c)
    for c in (
        "Report",
        "Idea",
        "Organisation",
        "GovernmentBody",
        "SourceDocument",
        "InfluenceClaim",
        "InfluenceKind",
        "InferredLink",
    )
] + [_u(PROV + "Influence"), _u(ORG + "Membership"), _u(EX + "Thing"), _u(EX + "Other")]
TEXTS = [Literal("X"), Literal("Twin"), Literal(""), Literal("quote"), Literal("en", lang="en")]
DATES = [Literal(y, datatype=XSD.gYear) for y in ("2009", "2015", "2019", "2030")] + [
    Literal("2015-06", datatype=XSD.gYearMonth),
    Literal("2018-01-02", datatype=XSD.date),
    Literal("last spring"),
]
TEXT_PREDICATES = {
    RDFS.label,
    _u(IG + "evidence"),
    _u(DCT + "title"),
    _u(ORG + "role"),
    _u(IG + "reason"),
    _u(PREFIXES["skos"] + "altLabel"),
}
DATE_PREDICATES = {_u(DCT + "issued"), _u(DCT + "date")}
NEW_NODES = [_u(EX + f"n{i}") for i in range(3)] + [BNode("fresh")]


def _nodes(graph: Graph) -> list:
    """Some of each kind of node in ``graph``: labelled entities, claims, sources, kinds,
    memberships, blank nodes (a fixed, sorted sample so examples shrink well)."""
    picked = []
    for cls in ("InfluenceClaim", "SourceDocument", "Report", "Organisation", "InfluenceKind"):
        picked += sorted(graph.subjects(RDF.type, _u(IG + cls)), key=str)[:4]
    picked += sorted(graph.subjects(RDF.type, _u(ORG + "Membership")), key=str)[:2]
    picked += sorted({s for s in graph.subjects() if isinstance(s, BNode)}, key=str)[:2]
    picked += sorted(
        (s for s in graph.subjects(RDFS.label, None) if str(s).startswith(EX)), key=str
    )
    return list(dict.fromkeys(picked)) + NEW_NODES


def _object(predicate, nodes):
    anything = st.sampled_from(nodes + CLASSES + TEXTS + DATES + [Literal(True)])
    if predicate in (RDF.type, RDFS.subClassOf):
        sensible = st.sampled_from(CLASSES)
    elif predicate in TEXT_PREDICATES:
        sensible = st.sampled_from(TEXTS)
    elif predicate in DATE_PREDICATES:
        sensible = st.sampled_from(DATES)
    elif predicate == _u(IG + "inferred"):
        sensible = st.sampled_from([Literal(True), Literal(False)])
    else:
        sensible = st.sampled_from(nodes)
    return st.one_of(sensible, sensible, anything)


def additions(nodes: list, max_size: int = 5):
    subjects = st.sampled_from(nodes + CLASSES[-2:])
    triple = st.tuples(subjects, st.sampled_from(PREDICATES)).flatmap(
        lambda sp: _object(sp[1], nodes).map(lambda o: (sp[0], sp[1], o))
    )
    return st.lists(triple, min_size=1, max_size=max_size)


TIME_PREDICATES = [
    _u(DCT + "issued"),
    _u(PROV + "qualifiedInfluence"),
    _u(PROV + "influencer"),
    RDFS.label,
]


def time_additions(graph: Graph):
    """Additions of dates, claim links and labels (what the time-order check reads) among
    some claims of ``graph``, their ends, and new nodes."""
    claims = sorted(graph.subjects(RDF.type, _u(IG + "InfluenceClaim")), key=str)[:3]
    ends = [
        n
        for c in claims
        for n in (
            *graph.objects(c, _u(PROV + "influencer")),
            *graph.subjects(_u(PROV + "qualifiedInfluence"), c),
        )
    ]
    nodes = list(dict.fromkeys(claims + ends)) + NEW_NODES
    extremes = [Literal(y, datatype=XSD.gYear) for y in ("1900", "2100")]

    def objects(predicate):
        if predicate == RDFS.label:
            return st.sampled_from(TEXTS)
        if predicate == _u(DCT + "issued"):
            return st.one_of(st.sampled_from(extremes), st.sampled_from(DATES))
        return st.sampled_from(nodes)

    subjects = st.one_of(st.sampled_from(ends or nodes), st.sampled_from(nodes))
    predicates = st.one_of(st.just(_u(DCT + "issued")), st.sampled_from(TIME_PREDICATES))
    triple = st.tuples(subjects, predicates).flatmap(
        lambda sp: objects(sp[1]).map(lambda o: (sp[0], sp[1], o))
    )
    return st.lists(triple, min_size=1, max_size=4)


@functools.cache
def _seed_nodes() -> list:
    return _nodes(_seed())


@functools.cache
def _seed() -> Graph:
    return load_graph()


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_additions_to_the_seed_graph_match_the_whole_graph_check(data):
    base = _seed()
    assert_same_as_whole_graph(base, data.draw(additions(_seed_nodes())))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([VALID, VIOLATING, BLANK]), st.data())
def test_random_additions_to_hand_made_graphs_match_the_whole_graph_check(text, data):
    base = _base(text)
    assert_same_as_whole_graph(base, data.draw(additions(_nodes(base))))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["seed", VALID, VIOLATING, BLANK]), st.data())
def test_random_dates_and_claim_links_match_the_whole_graph_check(text, data):
    base = _seed() if text == "seed" else _base(text)
    assert_same_as_whole_graph(base, data.draw(time_additions(base)))


def test_the_hand_made_graphs_are_what_they_claim():
    assert validate_graph(_base(VALID)) == []
    assert validate_graph(_base(BLANK)) == []
    said = {str(v) for v in validate_graph(_base(VIOLATING))}
    for part in (
        "ig:evidence: influence claim has no evidence",
        "runs backwards in time",
        "Untyped: rdf:type: has a label but no type",
        "has no label",
        "dcterms:source: has no source document",
        "membership needs a role",
    ):
        assert any(part in s for s in said), part


# ---------------------------------------------------------------- particular cases


def _claim_shape_candidates(graph: Graph, added) -> set:
    return shape_plan().candidates(graph, added)[URIRef(SHAPES + "InfluenceClaimShape")]


def test_two_hops_sh_class_reaches_back_to_the_claim():
    """sh:class on dcterms:source reads the source's rdf:type: typing the source changes the
    claim, which is in no added triple."""
    base = _base(
        HEAD
        + """
:r a ig:Report ; rdfs:label "R" ; dcterms:source :src ; ig:evidence "q" .
:r prov:qualifiedInfluence :c .
:c a ig:InfluenceClaim ; prov:influencer :org ; ig:kind ig:endorses ; ig:claimant :org ;
   dcterms:source :page ; ig:evidence "q" .
"""
    )
    claim, page = URIRef(EX + "c"), URIRef(EX + "page")
    assert [str(v) for v in validate_graph(base)] == [
        "claim Org -> R (ig:endorses): dcterms:source: influence claim has no source "
        "document (dcterms:source)"
    ]
    typed = (page, RDF.type, URIRef(IG + "SourceDocument"))
    after, added = grow(base, [typed])
    assert claim in _claim_shape_candidates(after, added)
    check = focused_check(after, added)
    assert URIRef(EX + "c") in check.focus[URIRef(SHAPES + "InfluenceClaimShape")]
    # the claim is checked, and its violation is gone (the page now has its own, new ones)
    assert not any(v.focus == str(claim) for v in check.run(after))
    assert {v.focus for v in assert_same_as_whole_graph(base, [typed])} == {str(page)}


def test_a_subclass_triple_reaches_every_instance():
    """`ex:Thing rdfs:subClassOf ig:Report` makes every ex:Thing an entity to check: new
    violations on nodes that are neither subject nor object of the added triple."""
    base = _base(HEAD + ':t1 a :Thing ; rdfs:label "T1" .\n:t2 a :Thing .\n')
    got = assert_same_as_whole_graph(
        base, [(URIRef(EX + "Thing"), RDFS.subClassOf, URIRef(IG + "Report"))]
    )
    assert {v.focus for v in got} == {EX + "t1", EX + "t2"}
    assert "T1: dcterms:source: has no source document (dcterms:source)" in map(str, got)


def test_inverse_path_a_second_target_breaks_the_claim():
    base = _base(VALID)
    second = (URIRef(EX + "old"), URIRef(PROV + "qualifiedInfluence"), URIRef(EX + "c1"))
    after, added = grow(base, [second])
    assert URIRef(EX + "c1") in _claim_shape_candidates(after, added)
    got = assert_same_as_whole_graph(base, [second])
    assert [v.message for v in got if v.focus == EX + "c1"] == [
        "influence claim needs exactly one target (?target prov:qualifiedInfluence this claim)"
    ]


def test_a_new_date_makes_an_existing_claim_run_backwards():
    """The claim is two hops from the added date (date -> work -> claim)."""
    base = _base(VALID)
    later = (URIRef(EX + "old"), URIRef(DCT + "issued"), Literal("2030", datatype=XSD.gYear))
    after, added = grow(base, [later])
    assert URIRef(EX + "c1") in affected_claims(after, added)
    got = assert_same_as_whole_graph(base, [later])
    assert "Old (2030) is later than New (2019)" in " ".join(v.message for v in got)


def test_a_label_added_to_an_end_renames_a_time_order_violation():
    """The message names the ends; labelling an unlabelled end changes an old violation's
    message, which the whole-graph comparison counts as new: so must the focused one."""
    base = _base(
        HEAD
        + """
:late dcterms:issued "2021"^^xsd:gYear .
:early a ig:Report ; rdfs:label "Early" ; dcterms:issued "2010"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "Early" .
:early prov:qualifiedInfluence :back .
:back a ig:InfluenceClaim ; prov:influencer :late ; ig:kind ig:endorses ;
    ig:claimant :org ; dcterms:source :src ; ig:evidence "q" .
"""
    )
    got = assert_same_as_whole_graph(base, [(URIRef(EX + "late"), RDFS.label, Literal("Late"))])
    assert any("Late (2021) is later than Early (2010)" in v.message for v in got)


def test_an_unlabelled_claim_is_described_through_its_ends():
    """A claim named "claim X -> Y" changes name when X gets a label: the claim's time-order
    row is found through the chain of unlabelled nodes."""
    base = _base(
        HEAD
        + """
:y dcterms:issued "2010"^^xsd:gYear ; prov:qualifiedInfluence :c .
:c prov:influencer :x .
:x dcterms:issued "2020"^^xsd:gYear .
:z prov:qualifiedInfluence :x .
:w prov:influencer :c .
"""
    )
    labelled = (URIRef(EX + "y"), RDFS.label, Literal("Why"))
    after, added = grow(base, [labelled])
    assert {URIRef(EX + "c")} <= affected_claims(after, added)
    assert_same_as_whole_graph(base, [labelled])


def test_blank_focus_nodes_fall_back_to_the_whole_graph():
    base = _base(BLANK)
    claim = next(iter(base.subjects(RDF.type, URIRef(IG + "InfluenceClaim"))))
    added = [(claim, URIRef(IG + "evidence"), Literal(""))]
    after, fresh = grow(base, added)
    assert focused_check(after, fresh).focus is None
    got = assert_same_as_whole_graph(base, added)
    assert [v.message for v in got] == ["influence claim has no evidence quote (ig:evidence)"]


def test_pre_existing_violations_elsewhere_are_not_reported():
    base = _base(VIOLATING)
    assert validate_graph(base)
    fine = [
        (URIRef(EX + "n"), RDF.type, URIRef(IG + "Idea")),
        (URIRef(EX + "n"), RDFS.label, Literal("N")),
        (URIRef(EX + "n"), URIRef(DCT + "source"), URIRef(EX + "src")),
        (URIRef(EX + "n"), URIRef(IG + "evidence"), Literal("q")),
    ]
    assert assert_same_as_whole_graph(base, fine) == []


# ---------------------------------------------------------------- shapes of other forms

SHAPE_HEAD = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
OTHER_SHAPES = (
    SHAPE_HEAD
    + """
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ( ex:address ex:city ) ; sh:maxCount 1 ;
                  sh:message "one city" ] ,
                [ sh:path [ sh:zeroOrMorePath ex:parent ] ; sh:maxCount 3 ;
                  sh:message "at most three in the line" ] ,
                [ sh:path [ sh:alternativePath ( ex:nick ex:alias ) ] ; sh:maxCount 1 ;
                  sh:message "one nickname" ] ,
                [ sh:path ex:friend ; sh:node [ sh:property [ sh:path ex:name ; sh:minCount 1 ] ] ;
                  sh:message "friends have names" ] ,
                [ sh:path ex:pet ; sh:class ex:Animal ; sh:message "pets are animals" ] ,
                [ sh:path ex:nick ; sh:disjoint ex:alias ; sh:message "nick is not alias" ] .
ex:CityShape a sh:NodeShape ; sh:targetObjectsOf ex:city ;
    sh:property [ sh:path [ sh:inversePath ex:city ] ; sh:maxCount 1 ;
                  sh:message "a city of one address" ] .
"""
)
OTHER_DATA = """\
@prefix ex: <https://example.org/> .
ex:ann a ex:Person ; ex:address ex:home ; ex:parent ex:bob ; ex:friend ex:cy ;
    ex:pet ex:rex .
ex:home ex:city ex:leeds .
ex:bob ex:parent ex:col .
ex:cy ex:name "Cy" .
ex:rex a ex:Dog .
ex:dan a ex:Person .
"""


@functools.cache
def _other() -> tuple[Graph, Graph]:
    return (
        Graph().parse(data=OTHER_SHAPES, format="turtle"),
        Graph().parse(data=OTHER_DATA, format="turtle"),
    )


def test_a_sequence_path_reaches_back_two_hops():
    """`ex:address/ex:city` maxCount 1: a second city on the address (a triple about
    ex:home) breaks ex:ann, two hops back."""
    shapes, data = _other()
    plan = shape_plan(shapes)
    assert plan is not None
    city = (URIRef(EX + "home"), URIRef(EX + "city"), URIRef(EX + "york"))
    after, added = grow(data, [city])
    assert URIRef(EX + "ann") in plan.candidates(after, added)[URIRef(EX + "PersonShape")]
    got = assert_same_as_whole_graph(data, [city], shapes)
    assert [(v.focus, v.message) for v in got] == [(EX + "ann", "one city")]


def test_star_nested_and_class_paths_reach_back():
    shapes, data = _other()
    deeper = [(URIRef(EX + "col"), URIRef(EX + "parent"), URIRef(EX + "dee"))]
    assert [v.message for v in assert_same_as_whole_graph(data, deeper, shapes)] == [
        "at most three in the line"
    ]
    unnamed = [(URIRef(EX + "ann"), URIRef(EX + "friend"), URIRef(EX + "eve"))]
    got = assert_same_as_whole_graph(data, unnamed, shapes)
    assert (EX + "ann", "friends have names") in {(v.focus, v.message) for v in got}
    # typing a pet fixes a violation two hops away: the pet's owner is checked
    typed = (URIRef(EX + "dog2"), RDF.type, URIRef(EX + "Animal"))
    base, _ = grow(data, [(URIRef(EX + "dan"), URIRef(EX + "pet"), URIRef(EX + "dog2"))])
    after, added = grow(base, [typed])
    assert (
        URIRef(EX + "dan")
        in shape_plan(shapes).candidates(after, added)[URIRef(EX + "PersonShape")]
    )
    assert assert_same_as_whole_graph(base, [typed], shapes) == []


OTHER_NODES = [
    URIRef(EX + n)
    for n in (
        "ann",
        "home",
        "bob",
        "col",
        "cy",
        "rex",
        "dan",
        "leeds",
        "york",
        "eve",
        "Person",
        "Animal",
        "Dog",
    )
]
OTHER_PREDICATES = [
    URIRef(EX + p) for p in ("address", "city", "parent", "friend", "pet", "name", "nick", "alias")
] + [RDF.type, RDFS.subClassOf]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(OTHER_NODES),
            st.sampled_from(OTHER_PREDICATES),
            st.one_of(st.sampled_from(OTHER_NODES), st.sampled_from([Literal("a"), Literal("b")])),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_random_additions_under_other_shapes_match_the_whole_graph_check(triples):
    shapes, data = _other()
    assert_same_as_whole_graph(data, triples, shapes)


@pytest.mark.parametrize(
    "shape",
    [
        'sh:sparql [ sh:select "SELECT $this WHERE { $this <https://example.org/bad> ?x }" ]',
        # pyshacl's use_shapes leaves out nested shapes named by an IRI
        "sh:property [ sh:path ex:friend ; sh:node ex:Named ]",
    ],
)
def test_shapes_it_cannot_analyse_fall_back_to_the_whole_graph(shape):
    shapes = Graph().parse(
        data=SHAPE_HEAD
        + f"""
ex:S a sh:NodeShape ; sh:targetClass ex:Person ; {shape} .
ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
""",
        format="turtle",
    )
    assert shape_plan(shapes) is None
    _, data = _other()
    triples = [
        (URIRef(EX + "dan"), URIRef(EX + "bad"), Literal("x")),
        (URIRef(EX + "dan"), URIRef(EX + "friend"), URIRef(EX + "eve")),
    ]
    after, added = grow(data, triples)
    assert focused_check(after, added, shapes).focus is None
    assert assert_same_as_whole_graph(data, triples, shapes)


# ---------------------------------------------------------------- in use


def test_the_shapes_are_parsed_once_and_left_unchanged():
    assert shapes_graph() is shapes_graph()
    size = len(shapes_graph())
    validate_graph(_base(VIOLATING))
    new_violations(*grow(_base(VALID), [(URIRef(EX + "x"), RDFS.label, Literal("X"))]))
    assert len(shapes_graph()) == size


def test_add_does_not_validate_the_whole_graph(monkeypatch, data_copy):
    calls = []
    whole = validate.checks._pyshacl

    def spy(graph, shapes, **focus):
        calls.append(focus)
        return whole(graph, shapes, **focus)

    monkeypatch.setattr(validate.checks, "_pyshacl", spy)
    add_entity(
        open_source([data_copy]),
        data_copy,
        EntitySpec("Report", "Bridging Divides", evidence="q", document="Policy Impact"),
    )
    assert calls and all(c.get("focus_nodes") for c in calls)
    focused = {n for c in calls for n in c["focus_nodes"]}
    assert URIRef(PREFIXES["igd"] + "bridging-divides") in focused
    assert len(focused) < 10


def test_new_violations_wants_the_added_triples_in_the_graph():
    with pytest.raises(ValueError, match="not in the graph"):
        new_violations(Graph(), [(URIRef(EX + "a"), RDFS.label, Literal("A"))])
