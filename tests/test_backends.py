"""The same commands give the same answers on a store and an endpoint as on the bundled
graph (the reference, read from memory, in every comparison)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(params=["store", "endpoint"])
def backend(request) -> list[str]:
    """The global options choosing each back end (the store and server hold the seed graph)."""
    if request.param == "store":
        return ["--store", str(request.getfixturevalue("seed_store"))]
    return ["--endpoint", request.getfixturevalue("oxigraph_endpoint")]


def test_sparql_with_a_bound_name(invoke, backend):
    query = "SELECT ?name WHERE { ?org rdfs:label ?name }"
    result = invoke(*backend, "sparql", query, "--bind", "org=PHF", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["Paul Hamlyn Foundation"]


def test_sparql_aggregate_matches_the_bundled_graph(invoke, backend):
    query = (
        "SELECT ?kind (COUNT(?c) AS ?n) WHERE { ?c a ig:InfluenceClaim ; ig:kind ?kind } "
        "GROUP BY ?kind ORDER BY ?kind"
    )
    here = invoke(*backend, "sparql", query, "--format", "csv")
    assert here.exit_code == 0, here.output
    assert here.output == invoke("sparql", query, "--format", "csv").output
    assert "endorses,1" in here.output


def test_sparql_construct(invoke, backend):
    query = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ig:Strategy ; rdfs:label ?l }"
    result = invoke(*backend, "sparql", query, "--format", "ntriples")
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == sorted(
        invoke("sparql", query, "--format", "ntriples").output.splitlines()
    )


def test_service_is_refused_before_any_back_end_runs_it(invoke, backend, loopback_trap):
    query = f"SELECT * WHERE {{ SERVICE <{loopback_trap.url}> {{ ?s ?p ?o }} }}"
    result = invoke(*backend, "sparql", query)
    assert result.exit_code == 2
    assert "SERVICE" in result.output and "refused" in result.output
    assert loopback_trap.connections() == 0


def test_stats_and_validate(invoke, backend):
    assert json.loads(invoke(*backend, "stats", "--format", "json").output)["claims"] == 25
    assert invoke(*backend, "validate").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("path", "The Challenge", "ICS", "--all"),
        ("path", "Chuka Umunna", "ICS", "--strongest"),
        ("influence", "All Together Now", "--depth", "3"),
        ("influence", "ICS", "--direction", "upstream"),
        ("show", "APPG on Social Integration"),
        ("rank", "--by", "pagerank", "--top", "5"),
        ("rank", "--type", "Report", "--by", "reach"),
        ("connections", "Anthony Heath", "The Challenge"),
        ("search", "integration survey"),
    ],
    ids=lambda a: " ".join(a),
)
def test_commands_answer_as_on_the_bundled_graph(invoke, backend, args):
    here = invoke(*backend, *args, "--format", "json")
    assert here.exit_code == 0, here.output
    expected = json.loads(invoke(*args, "--format", "json").output)
    assert expected  # something to compare
    assert json.loads(here.output) == expected


def test_export_from_a_store_or_endpoint(invoke, backend, tmp_path):
    out = tmp_path / "graph.nt"
    assert invoke(*backend, "export", "-o", str(out)).exit_code == 0
    reference = tmp_path / "reference.nt"
    assert invoke("export", "-o", str(reference)).exit_code == 0
    assert out.read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")


def test_unknown_names_suggest_on_every_back_end(invoke, backend):
    result = invoke(*backend, "show", "Integration Citty")
    assert result.exit_code == 2
    assert "did you mean 'Integration City'" in result.output


@pytest.mark.parametrize(
    "args",
    [
        (
            "add",
            "entity",
            "--type",
            "Report",
            "--label",
            "New",
            "--evidence",
            "x",
            "--source",
            "Policy Impact",
            "--dry-run",
        ),
        ("import", "examples/claims.csv", "--kind", "claims", "--dry-run"),
    ],
    ids=["add", "import"],
)
def test_additions_are_checked_against_a_store_too(invoke, seed_store, repo_root, args):
    """A store takes additions (issue 15); a dry run checks them and writes nothing."""
    from influencegraph.graph import StoreSource

    size = len(StoreSource(seed_store).store)
    result = invoke("--store", str(seed_store), *args)
    assert result.exit_code == 0, result.output
    assert "nothing written" in result.output
    assert len(StoreSource(seed_store).store) == size


@pytest.mark.parametrize(
    "args",
    [
        ("viz",),
        ("viz", "--around", "The Challenge", "--depth", "1"),
        ("viz", "--path", "The Challenge", "ICS"),
    ],
    ids=lambda a: " ".join(a),
)
def test_viz_draws_the_same_network(invoke, backend, tmp_path, args):
    here = invoke(*backend, *args, "-o", str(tmp_path / "here.html"))
    assert here.exit_code == 0, here.output
    reference = invoke(*args, "-o", str(tmp_path / "reference.html"))
    assert here.output.replace("here.html", "X") == reference.output.replace("reference.html", "X")
    assert "entities" in here.output


def test_dossier_is_the_same(invoke, backend):
    here = invoke(*backend, "dossier", "The Challenge", "--format", "json")
    assert here.exit_code == 0, here.output
    expected = json.loads(invoke("dossier", "The Challenge", "--format", "json").output)
    assert expected["claims"]
    assert json.loads(here.output) == expected
