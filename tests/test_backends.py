"""The same commands give the same answers on the bundled graph, a store and an endpoint."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(params=["memory", "store", "endpoint"])
def backend(request) -> list[str]:
    """The global options choosing each back end (the store and server hold the seed graph)."""
    if request.param == "store":
        return ["--store", str(request.getfixturevalue("seed_store"))]
    if request.param == "endpoint":
        return ["--endpoint", request.getfixturevalue("oxigraph_endpoint")]
    return []


def test_sparql_with_a_bound_name(invoke, backend):
    query = "SELECT ?name WHERE { ?org rdfs:label ?name }"
    result = invoke(*backend, "sparql", query, "--bind", "org=PHF", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["Paul Hamlyn Foundation"]


def test_sparql_aggregate_matches_the_bundled_graph(invoke, backend):
    query = ("SELECT ?kind (COUNT(?c) AS ?n) WHERE { ?c a ig:InfluenceClaim ; ig:kind ?kind } "
             "GROUP BY ?kind ORDER BY ?kind")
    here = invoke(*backend, "sparql", query, "--format", "csv")
    assert here.exit_code == 0, here.output
    assert here.output == invoke("sparql", query, "--format", "csv").output
    assert "endorses,1" in here.output


def test_sparql_construct(invoke, backend):
    query = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ig:Strategy ; rdfs:label ?l }"
    result = invoke(*backend, "sparql", query, "--format", "ntriples")
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == sorted(
        invoke("sparql", query, "--format", "ntriples").output.splitlines())


def test_service_is_refused_before_any_back_end_runs_it(invoke, backend, loopback_trap):
    query = f"SELECT * WHERE {{ SERVICE <{loopback_trap.url}> {{ ?s ?p ?o }} }}"
    result = invoke(*backend, "sparql", query)
    assert result.exit_code == 2
    assert "SERVICE" in result.output and "refused" in result.output
    assert loopback_trap.connections() == 0


def test_stats_and_validate(invoke, backend):
    assert json.loads(invoke(*backend, "stats", "--format", "json").output)["claims"] == 25
    assert invoke(*backend, "validate").exit_code == 0
