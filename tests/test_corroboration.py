"""Corroboration status and evidence types: the rules on small hand-made graphs, the seed
graph's verdicts, the shipped queries' portability, and the vocabulary staying in step."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from influencegraph.corroboration import (
    EVIDENCE_TYPES,
    STATUSES,
    AllyTie,
    claim_statuses,
    evidence_types,
    groups_from_rows,
    status_labels,
)
from influencegraph.queries import load_query, query_names
from influencegraph.vocab import IG, IGD, PREFIXES

EX = "https://example.org/"

# The Challenge-like organisation :o publishes :report; the Government :gov publishes the
# strategy :strategy, which endorses the report.
WORLD = """
:o a ig:Organisation ; rdfs:label "Org" .
:gov a ig:GovernmentBody ; rdfs:label "Gov" .
:press a ig:Organisation ; rdfs:label "Press" .
:report a ig:Report ; rdfs:label "Report" ; dcterms:publisher :o .
:strategy a ig:Strategy ; rdfs:label "Strategy" ; dcterms:publisher :gov .
"""


def claim(
    name: str,
    claimants: str | None,
    influencer: str = ":report",
    target: str = ":strategy",
    kind: str = "ig:endorses",
) -> str:
    by = f" ; ig:claimant {claimants}" if claimants else ""
    return (
        f"{target} prov:qualifiedInfluence :{name} .\n"
        f":{name} a ig:InfluenceClaim ; prov:influencer {influencer} ; ig:kind {kind}{by} .\n"
    )


def status_of(source, name: str) -> str:
    return claim_statuses(source)[EX + name].status.label


def label(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_only_the_publisher_claims_it_self_reported(tiny_source):
    source = tiny_source(WORLD + claim("c1", ":o"))
    status = claim_statuses(source)[EX + "c1"]
    assert status.status.label == "self-reported"
    assert (status.claimant_count, status.ally_count) == (1, 1)
    verdict = status.claimants[0]
    assert verdict.ally and verdict.via == AllyTie("is", "maker", EX + "o")
    assert status.explain(label) == "o is the publisher or creator of report"


def test_the_influencer_itself_is_self_reported(tiny_source):
    source = tiny_source(WORLD + claim("c1", ":o", influencer=":o", kind="ig:reflects"))
    assert status_of(source, "c1") == "self-reported"


def test_someone_else_claims_it_independent(tiny_source):
    source = tiny_source(WORLD + claim("c1", ":press"))
    status = claim_statuses(source)[EX + "c1"]
    assert status.status.label == "independent"
    assert not status.claimants[0].ally and status.claimants[0].via is None


def test_the_target_confirming_it_is_independent(tiny_source):
    # The Government (publisher of the strategy) says its strategy endorses the report.
    source = tiny_source(WORLD + claim("c1", ":gov"))
    assert status_of(source, "c1") == "independent"


def test_ally_and_independent_claims_of_one_influence_corroborate_each_other(tiny_source):
    source = tiny_source(WORLD + claim("c1", ":o") + claim("c2", ":press"))
    statuses = claim_statuses(source)
    for name in ("c1", "c2"):
        assert statuses[EX + name].status.label == "corroborated"
        assert (statuses[EX + name].claimant_count, statuses[EX + name].ally_count) == (2, 1)
    assert "1 other independent claimant" in statuses[EX + "c1"].explain(label)
    assert "1 other allied claimant" in statuses[EX + "c2"].explain(label)


def test_conflicting_claimants_on_one_claim_corroborate(tiny_source):
    source = tiny_source(WORLD + claim("c1", ":o, :press"))
    status = claim_statuses(source)[EX + "c1"]
    assert status.status.label == "corroborated"
    assert {(v.claimant, v.ally) for v in status.claimants} == {
        (EX + "o", True),
        (EX + "press", False),
    }


def test_a_different_kind_or_target_is_a_different_influence(tiny_source):
    source = tiny_source(
        WORLD
        + claim("c1", ":o")
        + claim("c2", ":press", kind="ig:citesAsKeyInfluence")
        + ':s2 a ig:Strategy ; rdfs:label "S2" .\n'
        + claim("c3", ":press", target=":s2")
    )
    statuses = claim_statuses(source)
    assert [statuses[EX + c].status.label for c in ("c1", "c2", "c3")] == [
        "self-reported",
        "independent",
        "independent",
    ]


def test_one_claimant_counts_once(tiny_source):
    source = tiny_source(WORLD + claim("c1", ":o") + claim("c2", ":o"))
    status = claim_statuses(source)[EX + "c2"]
    assert status.status.label == "self-reported"
    assert (status.claimant_count, status.ally_count) == (1, 1)


def test_no_claimant_is_unattributed(tiny_source):
    source = tiny_source(WORLD + claim("c1", None))
    status = claim_statuses(source)[EX + "c1"]
    assert status.status.label == "unattributed"
    assert status.claimants == () and status.explain(label) == "no claimant is recorded"


def test_ally_through_the_secretariat_of_the_publisher(tiny_source):
    # :o runs the secretariat of :appg, which published :inc; :o's claim about :inc.
    source = tiny_source(
        WORLD
        + """
:appg a ig:APPG ; rdfs:label "APPG" .
:inc a ig:Report ; rdfs:label "INC" ; dcterms:publisher :appg .
"""
        + claim("sec", ":o", influencer=":o", target=":appg", kind="ig:runsSecretariatOf")
        + claim("c1", ":o", influencer=":inc", kind="ig:citesAsKeyInfluence")
    )
    status = claim_statuses(source)[EX + "c1"]
    assert status.status.label == "self-reported"
    assert status.claimants[0].via == AllyTie("runsSecretariatOf", "maker", EX + "appg")
    assert status.explain(label) == ("o runs the secretariat of appg, publisher or creator of inc")


def test_ally_through_an_inferred_link(tiny_source):
    source = tiny_source(
        WORLD
        + """
:net a ig:Organisation ; rdfs:label "Org Network" .
:link a ig:InferredLink ; rdf:subject :net ; rdf:predicate skos:exactMatch ; rdf:object :o ;
    ig:inferred true ; ig:reason "longer form of the name" .
"""
        + claim("c1", ":net")
    )
    status = claim_statuses(source)[EX + "c1"]
    assert status.status.label == "self-reported"
    assert status.claimants[0].via == AllyTie("inferred-link", "maker", EX + "o")


@pytest.mark.parametrize(
    "tie_turtle,tie",
    [
        (":m a org:Membership ; org:member :p ; org:organization :o .", "has-member"),
        (":m a org:Membership ; org:member :o ; org:organization :p .", "member-of"),
        (
            ":m a org:Membership ; org:member :p ; org:organization :o ; ig:inferred true ; "
            'ig:reason "FBA" .',
            "has-member-inferred",
        ),
        (":o org:subOrganizationOf :p .", "sub-organisation-of"),
        (":p org:subOrganizationOf :o .", "parent-of"),
        (":p skos:exactMatch :o .", "same-as"),
    ],
)
def test_ally_through_membership_structure_and_identity(tiny_source, tie_turtle, tie):
    # :o claims that the person :p chairs the strategy's working group.
    source = tiny_source(
        WORLD
        + ':p a foaf:Person ; rdfs:label "P" .\n'
        + tie_turtle
        + claim("c1", ":o", influencer=":p", kind="ig:chairs")
    )
    status = claim_statuses(source)[EX + "c1"]
    assert status.status.label == "self-reported"
    assert status.claimants[0].via.tie == tie
    assert status.claimants[0].via.inferred == tie.endswith("-inferred")
    assert ("(an inferred membership)" in status.explain(label)) == tie.endswith("-inferred")


def test_allies_of_allies_are_not_allies(tiny_source):
    # :p chairs :appg, whose secretariat :o runs; :p speaking of :o's report is independent.
    source = tiny_source(
        WORLD + ':p a foaf:Person ; rdfs:label "P" .\n'
        ':appg a ig:APPG ; rdfs:label "APPG" .\n'
        + claim("sec", ":o", influencer=":o", target=":appg", kind="ig:runsSecretariatOf")
        + claim("chair", ":o", influencer=":p", target=":appg", kind="ig:chairs")
        + claim("c1", ":p")
    )
    assert status_of(source, "c1") == "independent"


def test_a_work_inside_the_influencers_report_shares_its_side(tiny_source):
    source = tiny_source(
        WORLD + ':idea a ig:Idea ; rdfs:label "Idea" ; '
        "dcterms:isPartOf :report .\n" + claim("c1", ":o", influencer=":idea")
    )
    status = claim_statuses(source)[EX + "c1"]
    assert status.status.label == "self-reported"
    assert status.claimants[0].via == AllyTie("is", "maker", EX + "o")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(allied=st.lists(st.booleans(), min_size=0, max_size=4))
def test_status_follows_the_rule_for_any_mix_of_claimants(tiny_source, allied):
    # Claimant i is :o's member (an ally) when allied[i], else a stranger; one claim each.
    turtle = WORLD
    for i, ally in enumerate(allied):
        turtle += f':who{i} a ig:Organisation ; rdfs:label "W{i}" .\n'
        if ally:
            turtle += f":m{i} a org:Membership ; org:member :who{i} ; org:organization :o .\n"
        turtle += claim(f"c{i}", f":who{i}")
    if not allied:
        turtle += claim("c0", None)
    source = tiny_source(turtle)
    statuses = claim_statuses(source)
    expected = (
        "unattributed"
        if not allied
        else "self-reported"
        if all(allied)
        else "independent"
        if not any(allied)
        else "corroborated"
    )
    assert {s.status.label for s in statuses.values()} == {expected}
    for iri in statuses:  # judged alone, each claim still sees its group
        assert status_labels(source, [iri]) == {iri: expected}
    assert all(
        s.ally_count == sum(allied) and s.claimant_count == len(allied) for s in statuses.values()
    )


# ---------------------------------------------------------------- the seed graph


def test_seed_statuses(seed_source):
    statuses = claim_statuses(seed_source)
    assert len(statuses) == 25

    def of(name):
        return statuses[IGD + name]

    # The Challenge about its own report, and about the APPG it runs the secretariat of.
    assert of("claim-ics-endorses-atn").status.label == "self-reported"
    assert of("claim-ics-cites-inc").claimants[0].via.tie == "runsSecretariatOf"
    assert of("claim-aou-reflects-challenge").status.label == "self-reported"
    # The academy about its fellow (a stated membership) and about an outside funder.
    assert of("claim-heath-chairs-project").claimants[0].via.tie == "has-member"
    assert of("claim-phf-funds-project").status.label == "independent"
    # Nothing in the seed is stated by two sides, so nothing is corroborated yet.
    assert "corroborated" not in {s.status.label for s in statuses.values()}


def test_seed_evidence_types(seed_source):
    types = {k.rsplit("/", 1)[-1]: v.label for k, v in evidence_types(seed_source).items()}
    assert types["claim-ics-endorses-atn"] == "endorses"
    assert types["claim-ics-cites-inc"] == "cites research"
    assert types["claim-aou-reflects-challenge"] == "reflects approach"
    assert types["claim-casey-contributes-asob"] == "names a person"
    assert types["claim-challenge-secretariat-appg"] == "membership or role"
    assert types["claim-phf-funds-project"] == "funding"
    assert types["claim-challenge-works-with-government"] == "collaboration"
    assert types["claim-key-lessons-draws-on-migrants"] == "cites research"


def test_evidence_type_rules_on_hand_made_claims(tiny_source):
    source = tiny_source(
        WORLD
        + """
:s2 a ig:Strategy ; rdfs:label "S2" .
:survey a ig:Survey ; rdfs:label "Survey" .
:p a foaf:Person ; rdfs:label "P" .
"""
        + claim("policy", ":o", influencer=":s2", kind="ig:citesAsKeyInfluence")
        + claim("policyEndorse", ":o", influencer=":s2", kind="ig:endorses")
        + claim("research", ":o", kind="ig:citesAsKeyInfluence")
        + claim("survey", ":o", influencer=":survey", kind="ig:drawsOn")
        + claim("endorse", ":o")
        + claim("person", ":o", influencer=":p", kind="ig:endorses")
        + claim("personChairs", ":o", influencer=":p", kind="ig:chairs")
        + claim("orgCites", ":o", influencer=":gov", kind="ig:citesAsKeyInfluence")
    )
    types = {k.rsplit("/", 1)[-1]: v.label for k, v in evidence_types(source).items()}
    assert types == {
        "policy": "policy cites policy",
        "policyEndorse": "policy cites policy",
        "research": "cites research",
        "survey": "cites research",
        "endorse": "endorses",
        "person": "names a person",
        "personChairs": "membership or role",
        "orgCites": "other",
    }


# ---------------------------------------------------------------- the shipped queries


def test_queries_are_shipped_and_declare_the_projects_prefixes():
    assert {
        "corroboration-claims.rq",
        "corroboration-groups.rq",
        "corroboration-sides.rq",
        "corroboration-ties.rq",
        "corroboration-members.rq",
        "evidence-types.rq",
    } <= set(query_names())
    for name in query_names():
        text = load_query(name)
        for line in text.splitlines():
            if line.startswith("PREFIX "):
                prefix, iri = line.split()[1].rstrip(":"), line.split()[2].strip("<>")
                assert PREFIXES[prefix] == iri, (name, prefix)


def test_shipped_queries_give_the_same_answers_in_oxigraph(seed_graph, seed_source):
    ox = pytest.importorskip("pyoxigraph")
    from influencegraph.graph import OxigraphSource

    store = ox.Store()
    store.load(seed_graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    assert claim_statuses(OxigraphSource(store)) == claim_statuses(seed_source)
    by_ox = {
        row["claim"].value: row["evidenceType"].value
        for row in store.query(load_query("evidence-types"))
    }
    assert by_ox == {c: t.iri for c, t in evidence_types(seed_source).items()}


@pytest.mark.parametrize(
    "scheme,concepts", [("CorroborationStatuses", STATUSES), ("EvidenceTypes", EVIDENCE_TYPES)]
)
def test_vocabulary_declares_the_same_concepts(seed_graph, scheme, concepts):
    declared = {str(c) for c in seed_graph.subjects(SKOS.inScheme, URIRef(IG + scheme))}
    assert declared == {c.iri for c in concepts}
    for concept in concepts:
        assert str(seed_graph.value(URIRef(concept.iri), SKOS.prefLabel)) == concept.label
        assert str(seed_graph.value(URIRef(concept.iri), SKOS.definition)) == concept.definition
        assert (URIRef(concept.iri), RDF.type, None) in seed_graph


def test_binding_an_end_gives_the_same_verdicts_as_the_whole_graph(seed_source):
    whole = claim_statuses(seed_source)
    types = evidence_types(seed_source)
    for end, iri in (
        ("influencer", IGD + "the-challenge"),
        ("target", IGD + "ba-working-group"),
        ("influencer", IGD + "all-together-now"),
    ):
        bound = claim_statuses(seed_source, **{end: iri})
        assert bound, (end, iri)
        assert all(getattr(s, end) == iri for s in bound.values())
        assert bound == {c: whole[c] for c in bound}
        assert {c for c, s in whole.items() if getattr(s, end) == iri} == set(bound)
        assert evidence_types(seed_source, **{end: iri}) == {c: types[c] for c in bound}


# ---------------------------------------------------------------- judging some claims only


@pytest.fixture(scope="module")
def corpus_sources(tmp_path_factory):
    """One generated corpus (allies through memberships, secretariats and publishers) read
    by both file engines and from a store."""
    from influencegraph.generate import generate_corpus
    from influencegraph.graph import StoreSource, open_source
    from influencegraph.load import load_files

    folder = tmp_path_factory.mktemp("corroboration")
    corpus = folder / "corpus.ttl"
    generate_corpus(corpus, documents=40, seed=5)
    load_files(folder / "db", [corpus])
    return {
        "rdflib": open_source([corpus], needs="edit"),
        "oxigraph": open_source([corpus], needs="read"),
        "store": StoreSource(folder / "db"),
    }


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph", "store"])
def test_judging_some_claims_gives_the_whole_graphs_verdicts(corpus_sources, engine):
    """The query bound to a few claims (VALUES inside its sub-SELECTs, OPTIONALs and
    UNION branches) must give exactly what judging the whole graph gives them."""
    source = corpus_sources[engine]
    whole = claim_statuses(source)
    assert {s.status.label for s in whole.values()} >= {"self-reported", "independent"}
    claims = sorted(whole)
    for picked in (claims[::9], claims[3::17], claims[-2:]):
        assert status_labels(source, picked) == {c: whole[c].status.label for c in picked}
    for end in ("influencer", "target"):
        iri = getattr(whole[claims[5]], end)
        bound = claim_statuses(source, **{end: iri})
        assert bound == {c: s for c, s in whole.items() if getattr(s, end) == iri}


def test_remembered_statuses_answer_as_judging_each_batch_does(corpus_sources, tmp_path):
    """``publish`` judges every claim once (:func:`remember_statuses`); the labels looked
    up afterwards are those each batch of claims is given when judged on its own."""
    from influencegraph.corroboration import remember_statuses
    from influencegraph.explorer.sitedata import site_source

    source = site_source(corpus_sources["oxigraph"])
    claims = sorted(claim_statuses(source))
    batches = [claims[::9], claims[3::17], claims[-2:], [claims[0], "urn:not-a-claim"]]
    judged = [status_labels(source, batch) for batch in batches]
    remembered = remember_statuses(source)
    assert sorted(remembered) == claims
    whole = claim_statuses(source)  # judged in full, verdicts and all: the same labels
    assert remembered == {claim: status.status.label for claim, status in whole.items()}
    assert [status_labels(source, batch) for batch in batches] == judged
    assert "urn:not-a-claim" not in judged[-1]


def test_a_bound_query_reads_only_the_claims_asked_about(corpus_sources):
    """A claim whose influencer many claims cite is judged from its own group only: the
    sub-SELECTs are bound, so the answer holds rows for the asked claim alone."""
    from influencegraph.queries.text import fill

    source = corpus_sources["oxigraph"]
    whole = claim_statuses(source)
    busiest = max(
        {s.influencer for s in whole.values()},
        key=lambda i: sum(s.influencer == i for s in whole.values()),
    )
    asked = next(c for c, s in whole.items() if s.influencer == busiest)
    assert sum(s.influencer == busiest for s in whole.values()) > 1
    text = fill(load_query("corroboration-claims"), {"claim": [URIRef(asked)]})
    assert {str(row["claim"]) for row in source.select(text)} == {asked}


def test_groups_from_rows_collects_each_influences_claimants():
    rows = [
        {"claim": "c1", "influencer": "x", "target": "y", "kind": "k", "claimant": "a"},
        {"claim": "c1", "influencer": "x", "target": "y", "kind": "k", "claimant": "b"},
        {"claim": "c2", "influencer": "x", "target": "y", "kind": "k", "claimant": "a"},
        {"claim": "c3", "influencer": "x", "target": "y", "kind": "other", "claimant": "c"},
        {"claim": "c4", "influencer": "x", "target": "z", "kind": "k"},
        {"claim": "c4", "influencer": "x", "target": "z", "kind": "k", "claimant": None},
    ]
    assert groups_from_rows(rows) == {
        ("y", "x", "k"): {"a", "b"},
        ("y", "x", "other"): {"c"},
        ("z", "x", "k"): set(),
    }


def test_statuses_from_a_neighbourhoods_rows_see_the_other_claims_of_the_group(tiny_source):
    """Growing from the report reads every claim it influences, so the press's claim
    corroborates the publisher's without a group query; a claim not among the rows is
    still judged (by the queries)."""
    from influencegraph.projection import expand

    source = tiny_source(
        WORLD
        + claim("c1", ":o")
        + claim("c2", ":press")
        + ':other a ig:Report ; rdfs:label "Other" ; dcterms:publisher :o .\n'
        + claim("c3", ":o", influencer=":other")
    )
    hood = expand(source, [EX + "report"], "downstream", 1)
    assert {row["claim"] for row in hood.claim_rows} == {EX + "c1", EX + "c2"}
    asked = [EX + "c1", EX + "c3"]
    assert status_labels(source, asked, rows=hood.claim_rows) == {
        EX + "c1": "corroborated",
        EX + "c3": "self-reported",
    }
    assert status_labels(source, asked, rows=hood.claim_rows) == status_labels(source, asked)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph", "store"])
@pytest.mark.parametrize("direction", ["downstream", "upstream", "both"])
def test_a_neighbourhoods_rows_give_the_queries_verdicts(corpus_sources, engine, direction):
    """The claims read while growing hold the whole group of each claim in the
    neighbourhood, so judging from them equals judging by the shipped queries."""
    from influencegraph.projection import expand

    source = corpus_sources[engine]
    whole = claim_statuses(source)

    def busiest(end: str) -> list[str]:
        ends = [getattr(s, end) for s in whole.values()]
        return sorted(set(ends), key=lambda i: (-ends.count(i), i))

    influencers, targets = busiest("influencer"), busiest("target")
    judged: set[str] = set()
    for start in (influencers[0], influencers[3], targets[0], targets[1]):
        hood = expand(source, [start], direction, 2)
        claims = sorted({a["claim"] for _, _, a in hood.edges.values() if a["claim"] in whole})
        judged.update(claims)
        assert status_labels(source, claims, rows=hood.claim_rows) == {
            c: whole[c].status.label for c in claims
        }
    assert len(judged) > 10
    assert {whole[c].status.label for c in judged} >= {"self-reported", "independent"}
