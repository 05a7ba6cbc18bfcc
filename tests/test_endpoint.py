"""`--endpoint URL` against an independent SPARQL server (the `oxigraph` CLI's own process)."""

from __future__ import annotations

import json

import pytest
from rdflib import Literal, URIRef

from influencegraph.errors import QueryError, SourceError
from influencegraph.graph import EndpointSource, open_source
from influencegraph.names import resolve
from influencegraph.projection import influence_graph
from influencegraph.stats import graph_stats
from influencegraph.vocab import IGD


def test_endpoint_gives_the_memory_graphs_answers(oxigraph_endpoint, seed_source):
    remote = EndpointSource(oxigraph_endpoint)
    assert graph_stats(remote).as_dict() == graph_stats(seed_source).as_dict()
    assert resolve(remote, "GLA").label == "Greater London Authority"
    remote_edges = sorted((x, y, a["kind"]) for x, y, a in influence_graph(remote).edges(data=True))
    local_edges = sorted(
        (x, y, a["kind"]) for x, y, a in influence_graph(seed_source).edges(data=True)
    )
    assert remote_edges == local_edges


def test_bindings_reach_the_endpoint_as_values(oxigraph_endpoint, seed_source):
    remote = EndpointSource(oxigraph_endpoint)
    query = "SELECT ?x WHERE { ?x rdfs:label|skos:altLabel ?name }"
    tricky = {"name": Literal("Lord O'Shaughnessy")}
    assert remote.select(query, tricky) == seed_source.select(query, tricky)
    assert remote.select(query, tricky) == [{"x": URIRef(IGD + "lord-oshaughnessy")}]
    count = "SELECT (COUNT(?o) AS ?n) WHERE { ?x ?p ?o }"
    bound = {"x": URIRef(IGD + "british-academy")}
    assert remote.select(count, bound) == seed_source.select(count, bound)


def test_construct_and_ask_through_the_endpoint(oxigraph_endpoint):
    remote = EndpointSource(oxigraph_endpoint)
    graph = remote.query("CONSTRUCT { ?x rdfs:label ?l } WHERE { ?x a ig:APPG ; rdfs:label ?l }")
    assert graph.kind == "CONSTRUCT"
    assert {str(o) for o in graph.graph.objects()} == {"APPG on Social Integration"}
    assert remote.query("ASK { ?x a ig:Strategy }").boolean is True


def test_cli_reads_the_endpoint(invoke, oxigraph_endpoint):
    remote = invoke("--endpoint", oxigraph_endpoint, "stats", "--format", "json")
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(invoke("stats", "--format", "json").output)
    assert invoke("--endpoint", oxigraph_endpoint, "validate").exit_code == 0
    by_env = invoke("stats", "--format", "csv", env={"INFLUENCEGRAPH_ENDPOINT": oxigraph_endpoint})
    assert "claims by kind,endorses,1" in by_env.output


def test_bad_query_is_a_query_error(oxigraph_endpoint):
    with pytest.raises(QueryError, match="refused the query"):
        EndpointSource(oxigraph_endpoint).query("SELECT ?x WHERE { ?x ?p }")


def test_unreachable_endpoint_is_exit_2_one_line(invoke, tmp_path):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = invoke("--endpoint", f"http://127.0.0.1:{port}/query", "stats")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: cannot reach the endpoint http://127.0.0.1:{port}")
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/sparql", "localhost"])
def test_only_http_urls_are_endpoints(invoke, url):
    with pytest.raises(SourceError, match="not an http"):
        open_source(endpoint=url)
    assert invoke("--endpoint", url, "stats").exit_code == 2


def test_endpoint_is_read_only(oxigraph_endpoint):
    with pytest.raises(SourceError, match="read-only"):
        EndpointSource(oxigraph_endpoint).add([])


def test_slow_endpoint_times_out(tmp_path):
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    held = []
    threading.Thread(target=lambda: held.append(server.accept()), daemon=True).start()
    try:
        with pytest.raises(SourceError, match=r"did not answer within 0\.2 s"):
            EndpointSource(f"http://127.0.0.1:{port}/q", timeout=0.2).query("ASK {}")
    finally:
        server.close()


def test_redirects_only_to_http(tmp_path):
    import http.server
    import threading

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/secret")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        with pytest.raises(SourceError, match="redirected to 'ftp://"):
            EndpointSource(url, timeout=5).query("ASK {}")
    finally:
        server.shutdown()
        server.server_close()


def test_doctor_on_the_bundled_graph_finds_nothing_missing(invoke):
    result = invoke("doctor", "--format", "json")
    assert result.exit_code == 0, result.output
    checks = {c["check"]: c for c in json.loads(result.output)["checks"]}
    assert checks["claims"]["found"] == 25 and all(c["ok"] for c in checks.values())


def test_doctor_names_what_a_graph_without_the_vocabulary_lacks(invoke, tmp_path):
    from influencegraph.graph import default_data_paths
    from influencegraph.load import load_files

    store = tmp_path / "store"
    load_files(store, default_data_paths(), with_ontology=False)
    result = invoke("--store", str(store), "doctor", "--format", "json")
    assert result.exit_code == 1
    checks = {c["check"]: c for c in json.loads(result.stdout)["checks"]}
    assert {n for n, c in checks.items() if not c["ok"]} == {
        "kind vocabulary",
        "class hierarchy",
        "cue lexicon",
    }
    assert "extract" in checks["cue lexicon"]["affects"]
