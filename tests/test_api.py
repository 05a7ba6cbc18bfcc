"""The Python API: ig.open() and its methods return what the CLI prints."""

import json

import pytest

import influencegraph as ig
from influencegraph.errors import SourceError, UnknownNameError


@pytest.fixture(scope="module")
def g():
    return ig.open()


def test_open_chooses_the_source_like_the_cli(tmp_path, seed_store):
    assert ig.open().source.describe().endswith("triples.ttl")
    assert "store" in ig.open(store=seed_store).source.describe()
    with pytest.raises(SourceError, match="cannot be combined"):
        ig.open(data="a.ttl", store=seed_store)


def test_methods_answer_as_the_cli_does(g, invoke):
    cli = json.loads(invoke("path", "All Together Now", "ICS", "--format", "json").stdout)
    assert g.path("All Together Now", "ICS").as_dict() == cli
    cli = json.loads(invoke("show", "PHF", "--format", "json").stdout)
    assert g.show("PHF").as_dict() == cli
    cli = json.loads(invoke("rank", "--by", "reach", "--format", "json").stdout)
    assert g.rank(by="reach").as_dict() == cli
    cli = json.loads(invoke("influence", "The Challenge", "--format", "json").stdout)
    assert g.influence("The Challenge").as_dict() == cli


def test_errors_speak_library_terms(g):
    with pytest.raises(UnknownNameError) as info:
        g.show("All Togther Now")
    assert "All Together Now" in info.value.suggestions
    with pytest.raises(ig.InfluenceGraphError, match=r"^max_hops must be at least 1"):
        g.path("All Together Now", "ICS", max_hops=0)


def test_results_show_as_html_tables_in_jupyter(g):
    table = g.path("All Together Now", "ICS")._repr_html_()
    assert table.startswith('<table class="influencegraph">') and "<th>evidence</th>" in table
    assert "endorses" in table
    hostile = g.sparql('SELECT ?x WHERE { BIND("<script>x</script>" AS ?x) }')._repr_html_()
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
    page = g.viz(around="The Challenge", depth=1)._repr_html_()
    assert (
        page.startswith("<iframe")
        and "srcdoc=" in page
        and "<script" not in page.split("srcdoc=")[0]
    )


def test_to_pyvis_and_networkx(g):
    pyvis = pytest.importorskip("pyvis.network")
    net = g.to_pyvis(around="The Challenge", depth=1)
    assert isinstance(net, pyvis.Network)
    page = g.viz(around="The Challenge", depth=1)
    assert len(net.nodes) == len(page.nodes) and len(net.edges) == len(page.edges)
    assert {n["label"] for n in net.nodes} >= {"The Challenge"}
    graph = g.to_networkx()
    assert graph.is_directed() and graph.number_of_edges() > 20
    assert not g.to_networkx(relations="all").is_directed()
