"""`rank`: measures on the influence network, type filters, failures recorded."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, URIRef

from influencegraph import ranking
from influencegraph.errors import InfluenceGraphError
from influencegraph.projection import influence_strengths
from influencegraph.ranking import pagerank_scores, rank
from influencegraph.vocab import IG, PREFIXES, TYPE_NAMES


def influence_pairs(graph):
    """(influencer, target) of every claim and authorship link, read straight from RDF."""
    prov, dct = PREFIXES["prov"], PREFIXES["dcterms"]
    pairs = set()
    for target, _, claim in graph.triples((None, URIRef(prov + "qualifiedInfluence"), None)):
        for influencer in graph.objects(claim, URIRef(prov + "influencer")):
            pairs.add((str(influencer), str(target)))
    for prop in ("publisher", "creator"):
        for work, _, agent in graph.triples((None, URIRef(dct + prop), None)):
            if (work, RDF.type, URIRef(IG + "SourceDocument")) not in graph:
                pairs.add((str(agent), str(work)))
    return pairs


CLASS_OF = {name: iri for iri, name in TYPE_NAMES.items()}


def test_reach_counts_everything_downstream(seed_graph, seed_source):
    pairs = influence_pairs(seed_graph)
    result = rank(seed_source, by="reach", top=3)
    top = result.entries[0]
    assert top.label == "The Challenge"
    seen, todo = set(), [top.iri]
    while todo:
        node = todo.pop()
        for x, y in pairs:
            if x == node and y not in seen and y != top.iri:
                seen.add(y)
                todo.append(y)
    assert top.score == len(seen)
    assert [e.rank for e in result.entries] == [1, 2, 3]
    assert [e.score for e in result.entries] == sorted(
        (e.score for e in result.entries), reverse=True
    )


def test_in_degree_counts_claims_and_authorship(seed_graph, seed_source):
    pairs = influence_pairs(seed_graph)
    result = rank(seed_source, by="in-degree", entity_type="Strategy")
    ics = next(e for e in result.entries if e.label.startswith("Integrated Communities"))
    assert ics.score == sum(1 for _, y in pairs if y == ics.iri) == 3
    assert {e.type for e in result.entries} == {"Strategy"}


@pytest.mark.parametrize(
    "name,types",
    [
        ("Report", {"Report", "Survey"}),
        ("organization", {"Organisation", "Government body"}),
        ("people", None),
        ("Person", {"Person"}),
    ],
)
def test_type_filter_includes_narrower_types(seed_graph, seed_source, name, types):
    if types is None:
        with pytest.raises(InfluenceGraphError, match="unknown type 'people'; use one of"):
            rank(seed_source, entity_type=name)
        return
    result = rank(seed_source, by="pagerank", entity_type=name, top=100)
    wanted = {str(s) for t in types for s in seed_graph.subjects(RDF.type, URIRef(CLASS_OF[t]))}
    assert {e.iri for e in result.entries} == wanted
    assert result.considered == len(wanted)


def test_pagerank_favours_the_influencers(seed_source):
    result = rank(seed_source, by="pagerank", top=100)
    scores = {e.label: e.score for e in result.entries}
    assert sum(scores.values()) == pytest.approx(1.0)
    assert result.entries[0].label == "The Challenge"
    assert scores["All Together Now"] > scores["Social mixing in the workplace"]


def test_betweenness_is_highest_on_a_chain_middle(seed_source):
    result = rank(seed_source, by="betweenness", top=2)
    assert {e.label for e in result.entries} == {
        "APPG on Social Integration",
        "Integration Not Demonisation",
    }
    assert not result.approximate


def test_a_failing_measure_is_recorded_not_raised(seed_source, monkeypatch, invoke):
    def broken(graph):
        raise ArithmeticError("did not converge")

    monkeypatch.setitem(ranking.MEASURES, "pagerank", broken)
    result = rank(seed_source, by="pagerank")
    assert result.error == "ArithmeticError: did not converge"
    assert result.entries == []
    cli = invoke("rank")
    assert cli.exit_code == 1
    assert cli.output.strip() == "pagerank could not be computed: ArithmeticError: did not converge"


def test_cli_rank_formats(invoke):
    data = json.loads(
        invoke("rank", "--type", "Report", "--by", "reach", "--top", "3", "--format", "json").output
    )
    assert list(data) == ["by", "type", "considered", "approximate", "error", "ranking"]
    assert data["type"] == "Report" and len(data["ranking"]) == 3
    assert list(data["ranking"][0]) == ["rank", "label", "type", "score", "iri"]
    csv_out = invoke("rank", "--top", "2", "--format", "csv").output.splitlines()
    assert csv_out[0] == "rank,label,type,score"
    assert csv_out[1].startswith("1,The Challenge,Organisation,")


def test_cli_unknown_type_is_exit_2_listing_types(invoke):
    result = invoke("rank", "--type", "Banana")
    assert result.exit_code == 2
    assert "unknown type 'Banana'; use one of Report, Survey, Strategy" in result.output
    assert invoke("rank", "--by", "fame").exit_code == 2


def test_light_projection_has_the_same_edges_and_strengths_as_the_full_one(seed_source):
    from collections import Counter

    from influencegraph.projection import influence_graph, influence_strengths

    full, light = influence_graph(seed_source), influence_strengths(seed_source)
    assert {n: (a["label"], a["type"]) for n, a in full.nodes(data=True)} == {
        iri: (e.label, e.type) for iri, e in light.nodes.items()
    }
    assert Counter((x, y, a["strength"]) for x, y, a in full.edges(data=True)) == Counter(
        light.edges
    )


_EDGES = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(
                st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from([0.1, 0.5, 0.8, 1.0])
            ),
            max_size=30,
        ),
    )
)


@settings(max_examples=60, deadline=None)
@given(_EDGES)
def test_pagerank_scores_match_networkx_on_weighted_directed_graphs(case):
    count, edges = case
    graph = nx.DiGraph()
    graph.add_nodes_from(range(count))
    for a, b, weight in edges:  # one edge per pair, as the ranking passes them
        graph.add_edge(a, b, weight=weight)
    pairs = list(graph.edges(data="weight"))
    expected = nx.pagerank(graph, weight="weight", tol=1e-10, max_iter=2000)
    got = pagerank_scores(
        count,
        [a for a, _, _ in pairs],
        [b for _, b, _ in pairs],
        [w for _, _, w in pairs],
        tol=1e-10,
        max_iter=2000,
    )
    assert got == pytest.approx([expected[i] for i in range(count)], abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(_EDGES)
def test_repeated_pairs_add_up_like_an_undirected_multigraph(case):
    count, edges = case
    graph = nx.MultiGraph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from((a, b) for a, b, _ in edges)
    both = [(a, b) for a, b, _ in edges] + [(b, a) for a, b, _ in edges if a != b]
    expected = nx.pagerank(graph, tol=1e-10, max_iter=2000)
    got = pagerank_scores(
        count, [a for a, _ in both], [b for _, b in both], tol=1e-10, max_iter=2000
    )
    assert got == pytest.approx([expected[i] for i in range(count)], abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(_EDGES)
def test_the_plain_python_and_scipy_iterations_agree(case):
    """Small views iterate in plain Python, bigger graphs with SciPy: one answer."""
    from unittest import mock

    count, edges = case
    args = ([a for a, _, _ in edges], [b for _, b, _ in edges], [w for _, _, w in edges])
    small = pagerank_scores(count, *args, tol=1e-10, max_iter=2000)
    with mock.patch.object(ranking, "SMALL_UP_TO", 0):
        sparse = pagerank_scores(count, *args, tol=1e-10, max_iter=2000)
    assert small == pytest.approx(sparse, abs=1e-9)


def test_pagerank_that_cannot_converge_says_so():
    with pytest.raises(ArithmeticError, match="did not converge in 1 iterations"):
        pagerank_scores(3, [0, 1], [1, 2], max_iter=1)


def test_rank_by_pagerank_equals_networkx_on_the_strongest_claim_per_pair(seed_source):
    network = influence_strengths(seed_source)
    simple = nx.DiGraph()
    simple.add_nodes_from(network.nodes)
    for x, y, strength in network.edges:
        if not simple.has_edge(y, x) or simple[y][x]["weight"] < strength:
            simple.add_edge(y, x, weight=strength)
    expected = nx.pagerank(simple, weight="weight")
    result = rank(seed_source, by="pagerank", top=len(network.nodes))
    assert {e.iri: e.score for e in result.entries} == pytest.approx(
        {iri: round(score, 6) for iri, score in expected.items()}, abs=2e-6
    )
