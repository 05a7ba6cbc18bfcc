"""Exports: GraphML/GEXF read back by networkx, JSON-LD and N-Triples round-trip, CSV pairs."""

from __future__ import annotations

import csv
import json
import socket

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from influencegraph.export import csv_paths, export_graph
from influencegraph.graph import open_source
from influencegraph.projection import influence_graph, relation_graph
from influencegraph.vocab import IGD


def _kinds(graph) -> list[str]:
    return sorted(attrs["kind"] for _, _, attrs in graph.edges(data=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("network", ["influence", "relations"])
def test_network_files_read_back_with_counts_and_attributes(
    invoke, seed_source, tmp_path, fmt, network
):
    path = tmp_path / f"g.{fmt}"
    result = invoke("export", "-o", str(path), "--network", network)
    assert result.exit_code == 0, result.output
    expected = (influence_graph if network == "influence" else relation_graph)(seed_source)
    read = {"graphml": lambda p: nx.read_graphml(p, force_multigraph=True), "gexf": nx.read_gexf}[
        fmt
    ]
    back = read(path)
    assert back.number_of_nodes() == expected.number_of_nodes()
    assert back.number_of_edges() == expected.number_of_edges()
    assert back.is_directed() == expected.is_directed()
    for node, attrs in expected.nodes(data=True):
        got = back.nodes[node]
        assert got["label"] == attrs["label"] and got["type"] == attrs["type"]
        assert got.get("year") == attrs["year"]
    assert back.nodes[IGD + "all-together-now"]["year"] == "2018"
    assert _kinds(back) == _kinds(expected)
    strengths = sorted(a["strength"] for _, _, a in back.edges(data=True) if "strength" in a)
    assert strengths == sorted(
        a["strength"] for _, _, a in expected.edges(data=True) if a.get("strength") is not None
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_export_includes_what_was_added(grown_copy, tmp_path):
    out = tmp_path / "g.graphml"
    export_graph(open_source([grown_copy]), out)
    back = nx.read_graphml(out)
    assert back.nodes[IGD + "public-affairs-and-policy-team"] == {
        "label": "Public affairs and policy team",
        "type": "Group",
    }
    assert back.has_edge(IGD + "design-principles", IGD + "integrated-communities-strategy")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
def test_jsonld_round_trips_with_an_inline_context(invoke, seed_graph, tmp_path, monkeypatch):
    path = tmp_path / "g.jsonld"
    assert invoke("export", "-o", str(path)).exit_code == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    context = document["@context"]
    assert isinstance(context, dict)
    assert context["ig"] == "https://w3id.org/influencegraph/ns#"
    assert all(isinstance(v, str) for v in context.values())

    def no_network(*args, **kwargs):
        raise AssertionError("reading the export tried to open a connection")

    monkeypatch.setattr(socket, "socket", no_network)
    back = Graph().parse(path, format="json-ld")
    assert len(back) == len(seed_graph)
    assert isomorphic(back, seed_graph)


def test_ntriples_round_trip_sorted(invoke, seed_graph, tmp_path):
    path = tmp_path / "g.nt"
    assert invoke("export", "--format", "nt", "-o", str(path)).exit_code == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    assert isomorphic(Graph().parse(path, format="nt"), seed_graph)


def test_csv_writes_nodes_and_edges_files(invoke, seed_source, tmp_path):
    out = tmp_path / "graph.csv"
    result = invoke("export", "-o", str(out))
    assert result.exit_code == 0
    nodes_path, edges_path = csv_paths(out)
    assert (nodes_path.name, edges_path.name) == ("graph-nodes.csv", "graph-edges.csv")
    assert str(nodes_path) in result.output and str(edges_path) in result.output
    expected = influence_graph(seed_source)
    with nodes_path.open(encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    with edges_path.open(encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert len(nodes) == expected.number_of_nodes()
    assert len(edges) == expected.number_of_edges()
    assert list(nodes[0]) == ["id", "label", "type", "year"]
    labels = {row["id"]: row["label"] for row in nodes}
    for row in edges:
        assert labels[row["source"]] == row["source_label"]
        assert labels[row["target"]] == row["target_label"]
        assert expected.has_edge(row["source"], row["target"])
    endorses = [r for r in edges if r["kind"] == "endorses"]
    assert endorses[0]["source_document"] == "Policy Impact (The Challenge)"


def test_relations_csv_keeps_each_relations_direction(seed_source, tmp_path):
    out = tmp_path / "rel.csv"
    export_graph(seed_source, out, which="relations")
    with csv_paths(out)[1].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    member = next(
        r for r in rows if r["kind"] == "membership" and r["source_label"] == "Anthony Heath"
    )
    assert member["target_label"] in {
        "If you could do one thing... working group",
        "British Academy",
        "Nuffield College",
        "Centre for Social Investigation",
    }


def test_format_comes_from_the_suffix_or_is_asked_for(invoke, tmp_path):
    result = invoke("export", "-o", str(tmp_path / "graph.xyz"))
    assert result.exit_code == 2
    assert "cannot tell the format" in result.output
    assert invoke("export", "-o", str(tmp_path / "g.gexf")).exit_code == 0
    assert (tmp_path / "g.gexf").read_text(encoding="utf-8").startswith("<?xml")


def test_missing_folder_is_a_user_error(invoke, tmp_path):
    result = invoke("export", "-o", str(tmp_path / "nowhere" / "g.nt"))
    assert result.exit_code == 2
    assert "nowhere does not exist" in result.output


def test_attributes_the_writers_cannot_hold_are_made_text(tmp_path):
    from influencegraph.export import network_bytes, writable_attributes

    attrs = writable_attributes({"a": None, "b": ["x", "y"], "c": 0.5, "d": True, "e": {"k": 1}})
    assert attrs == {"b": "x; y", "c": 0.5, "d": True, "e": "{'k': 1}"}
    graph = nx.MultiDiGraph()
    graph.add_node("n", **attrs)
    for fmt in ("graphml", "gexf"):
        assert b"x; y" in network_bytes(graph, fmt)
