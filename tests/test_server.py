"""The read-only SPARQL endpoint, driven by independent clients on a free loopback port.

SPARQLWrapper (a SPARQL 1.1 Protocol client) and raw urllib / http.client requests; each
test's server is started by a fixture (or by the test) and stopped afterwards.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from influencegraph.server import Endpoint, negotiate
from influencegraph.sparql import QueryRunner
from influencegraph.vocab import IG, IGD

SURVEYS = "SELECT ?r ?title WHERE { ?r a ig:Survey ; rdfs:label ?title } ORDER BY ?r"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wrapper(endpoint: Endpoint, query: str, fmt: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint.query_url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def fetch(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body) of a raw request, whatever the status."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(endpoint: Endpoint, query: str, accept: str | None = None, **params: str):
    url = endpoint.query_url + "?" + urllib.parse.urlencode({"query": query, **params})
    return fetch(url, headers={"Accept": accept} if accept else None)


# ---------------------------------------------------------------- SPARQLWrapper


def test_sparqlwrapper_select_json_matches_the_library(endpoint, seed_source):
    data = wrapper(endpoint, SURVEYS).queryAndConvert()
    assert data["head"]["vars"] == ["r", "title"]
    got = [(row["r"]["value"], row["title"]["value"]) for row in data["results"]["bindings"]]
    expected = [(str(r["r"]), str(r["title"])) for r in seed_source.select(SURVEYS)]
    assert (
        got
        == expected
        == [
            (IGD + "british-integration-survey-2016", "British Integration Survey 2016"),
            (IGD + "british-integration-survey-2019", "British Integration Survey 2019"),
        ]
    )


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_sparqlwrapper_select_in_other_formats(endpoint, fmt):
    raw = wrapper(endpoint, SURVEYS, fmt).query().response.read()
    parsed = Result.parse(io.BytesIO(raw), format=fmt)
    assert [str(row[1]) for row in parsed] == [
        "British Integration Survey 2016",
        "British Integration Survey 2019",
    ]


@pytest.mark.parametrize(("method", "request_method"), [(POST, "urlencoded"), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_post(endpoint, method, request_method):
    client = wrapper(endpoint, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a foaf:Person }")
    client.setMethod(method)
    client.setRequestMethod(request_method)
    data = client.queryAndConvert()
    assert data["results"]["bindings"][0]["n"]["value"] == "12"


def test_sparqlwrapper_ask_and_construct(endpoint, seed_graph):
    assert (
        wrapper(endpoint, "ASK { igd:the-challenge a ig:Organisation }").queryAndConvert()[
            "boolean"
        ]
        is True
    )
    construct = "CONSTRUCT { ?r a ig:Survey } WHERE { ?r a ig:Survey }"
    survey = URIRef(IG + "Survey")
    expected = Graph()
    for work in seed_graph.subjects(RDF.type, survey):
        expected.add((work, RDF.type, survey))
    assert len(expected) == 2
    turtle = wrapper(endpoint, construct, TURTLE).queryAndConvert()
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), expected)
    # SPARQLWrapper's default for graphs is RDF/XML, which it parses into an rdflib Graph.
    assert isomorphic(wrapper(endpoint, construct, XML).queryAndConvert(), expected)


def test_sparqlwrapper_bad_query_and_update_are_400(endpoint, seed_graph):
    with pytest.raises(QueryBadFormed) as bad:
        wrapper(endpoint, "SELECT ?s WHERE { ?s ?p }").query()
    assert "SPARQL syntax error at line 1" in str(bad.value)
    before = len(seed_graph)
    update = wrapper(endpoint, "INSERT DATA { igd:x a ig:Report }")
    update.setMethod(POST)
    with pytest.raises(QueryBadFormed) as refused:
        update.query()
    assert "updates are refused" in str(refused.value)
    assert len(seed_graph) == before


# ---------------------------------------------------------------- raw HTTP


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "text/html; charset=utf-8",
        ),
    ],
)
def test_content_negotiation_for_solutions(endpoint, accept, content_type):
    status, headers, _ = get(endpoint, SURVEYS, accept)
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers["Vary"] == "Accept, Origin"


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        (None, "turtle"),
    ],
)
def test_content_negotiation_for_graphs(endpoint, seed_graph, accept, rdflib_format):
    status, headers, body = get(endpoint, "DESCRIBE igd:paul-hamlyn-foundation", accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == (accept or "text/turtle")
    graph = Graph().parse(data=body, format=rdflib_format)
    phf = URIRef(IGD + "paul-hamlyn-foundation")
    assert set(graph.predicate_objects(phf)) >= set(seed_graph.predicate_objects(phf))


def test_unacceptable_accept_is_406(endpoint):
    status, _, body = get(endpoint, SURVEYS, "image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body


def test_graph_that_rdfxml_cannot_write_is_406(endpoint):
    query = "CONSTRUCT { ?s <http://example.org/1> ?o } WHERE { ?s a ig:Survey ; rdfs:label ?o }"
    status, _, body = get(endpoint, query, "application/rdf+xml")
    assert status == 406 and b"try turtle or ntriples" in body
    assert get(endpoint, query, "text/turtle")[0] == 200


def test_post_form_and_sparql_query_bodies(endpoint):
    query = "ASK { igd:british-academy a ig:Organisation }"
    form = urllib.parse.urlencode({"query": query}).encode()
    for data, content_type in (
        (form, "application/x-www-form-urlencoded"),
        (query.encode(), "application/sparql-query"),
    ):
        status, _, body = fetch(
            endpoint.query_url, data=data, headers={"Content-Type": content_type}
        )
        assert status == 200
        assert json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("data", "content_type", "status", "reason"),
    [
        (
            b"update=INSERT+DATA+%7B%7D",
            "application/x-www-form-urlencoded",
            400,
            b"updates are refused",
        ),
        (
            b"INSERT DATA { igd:x a ig:Report }",
            "application/sparql-update",
            400,
            b"updates are refused",
        ),
        (
            b"query=CLEAR+ALL",
            "application/x-www-form-urlencoded",
            400,
            b"updates are refused (CLEAR)",
        ),
        (b"<x> <y> <z> .", "text/turtle", 415, b"application/sparql-query"),
        (
            b"nothing=here",
            "application/x-www-form-urlencoded",
            400,
            b"send exactly one SPARQL query",
        ),
        (
            b"query=ASK{}&default-graph-uri=http%3A%2F%2Fexample.org%2Fg",
            "application/x-www-form-urlencoded",
            400,
            b"default-graph-uri is refused",
        ),
    ],
)
def test_refusals_over_post(endpoint, seed_graph, data, content_type, status, reason):
    before = len(seed_graph)
    got, headers, body = fetch(
        endpoint.query_url, data=data, headers={"Content-Type": content_type}
    )
    assert got == status
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reason in body and b"Traceback" not in body
    assert len(seed_graph) == before


def test_service_over_http_is_400_and_never_contacted(endpoint, loopback_trap):
    status, _, body = get(
        endpoint, f"SELECT * WHERE {{ SERVICE <{loopback_trap.url}> {{ ?s ?p ?o }} }}"
    )
    assert status == 400
    assert body.decode().startswith(f"SERVICE <{loopback_trap.url}> is refused")
    time.sleep(0.05)
    assert loopback_trap.connections() == 0


def test_syntax_error_is_400_with_position(endpoint):
    status, _, body = get(endpoint, "SELECT ?s WHERE {\n  ?s a ig:Report .\n}\nLIMT 5")
    assert status == 400
    assert body.startswith(b"SPARQL syntax error at line 4, column 7: ")
    assert body.endswith(b"\n") and body.count(b"\n") == 1


def test_missing_query_unknown_path_and_oversized_body(endpoint):
    assert fetch(endpoint.query_url + "?format=json")[0] == 400
    assert fetch(endpoint.url + "nowhere")[0] == 404
    connection = http.client.HTTPConnection("127.0.0.1", endpoint.port, timeout=10)
    connection.request(
        "POST",
        "/sparql",
        body=b"x",
        headers={"Content-Type": "application/sparql-query", "Content-Length": "10000000"},
    )
    assert connection.getresponse().status == 413
    connection.close()


def test_query_form_is_self_contained_and_escaped(endpoint):
    status, headers, body = fetch(endpoint.url)
    page = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<form method="get" action="/sparql">' in page
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    hostile = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    _, _, result = get(endpoint, hostile, format="html")
    html_page = result.decode()
    assert "<script>" not in html_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_page  # in the table and the form
    assert html_page.count("&lt;script&gt;") == 2


def test_html_table_links_iris_to_describe(endpoint):
    _, _, body = get(
        endpoint, "SELECT ?o WHERE { igd:all-together-now dcterms:publisher ?o }", "text/html"
    )
    page = body.decode()
    assert ">igd:the-challenge</a>" in page
    assert "DESCRIBE+%3Chttps%3A%2F%2Fw3id.org%2Finfluencegraph%2Fid%2Fthe-challenge%3E" in page


def test_listens_on_loopback_by_default(seed_source):
    with Endpoint(QueryRunner(seed_source), port=0) as server:
        assert server.httpd.server_address[0] == "127.0.0.1"
        assert server.url == f"http://127.0.0.1:{server.port}/"


def test_port_in_use_is_a_user_error(endpoint, seed_source):
    from influencegraph.errors import InfluenceGraphError

    with pytest.raises(InfluenceGraphError, match=f"cannot listen on 127.0.0.1:{endpoint.port}"):
        Endpoint(QueryRunner(seed_source), port=endpoint.port)


# ---------------------------------------------------------------- limits


@pytest.mark.parametrize("processes", [0, 2])
def test_timeout_is_503_quickly(seed_source, processes):
    runner = QueryRunner(seed_source, timeout=0.3)
    with Endpoint(runner, port=0, processes=processes).start() as server:
        start = time.monotonic()
        status, headers, body = get(server, EXPENSIVE)
        assert time.monotonic() - start < 3
    assert status == 503
    assert body.startswith(b"query took longer than 0.3 s")
    assert "Retry-After" not in headers


def test_too_many_rows_is_503(seed_source):
    with Endpoint(QueryRunner(seed_source, max_rows=10), port=0).start() as server:
        status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 503 and b"more than the 10 rows allowed; add a LIMIT" in body
        assert get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")[0] == 200


@pytest.mark.parametrize("processes", [0, 2])
def test_a_runaway_query_is_stopped_and_others_are_answered_meanwhile(seed_source, processes):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with Endpoint(
        QueryRunner(seed_source, timeout=1.0, max_concurrent=2), port=0, processes=processes
    ).start() as server:
        server.warm()
        answers = {}

        def slow() -> None:
            begin = time.monotonic()
            answers["slow"] = (*get(server, runaway), time.monotonic() - begin)

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.2)
        quick = get(server, "ASK { ?s ?p ?o }")
        assert quick[0] == 200 and json.loads(quick[2])["boolean"] is True
        assert "slow" not in answers  # the quick one did not wait for it
        thread.join()
        assert answers["slow"][0] == 503 and b"stopped" in answers["slow"][2]
        assert answers["slow"][3] < 1.5  # within the timeout + 0.5 s
        for _ in range(6):  # every worker answers afterwards, a fresh one included
            assert get(server, "ASK { ?s ?p ?o }")[0] == 200


def test_busy_workers_answer_503_with_retry_after(seed_source, monkeypatch):
    from influencegraph.errors import EndpointBusy

    def busy(*args, **kwargs):
        raise EndpointBusy("all 2 query workers stayed busy for 5 s; try again shortly")

    with Endpoint(QueryRunner(seed_source), port=0).start() as endpoint:
        monkeypatch.setattr(endpoint.runner, "run", busy)
        monkeypatch.setattr(endpoint.runner, "run_json", busy)
        status, headers, body = get(endpoint, "ASK {}")
    assert status == 503 and headers["Retry-After"] == "1"
    assert b"workers stayed busy" in body


def test_concurrent_clients_get_their_own_answers(endpoint):
    labels = ["The Challenge", "British Academy", "Paul Hamlyn Foundation", "Solace"]
    answers: dict[str, str] = {}

    def ask(label: str) -> None:
        query = f"SELECT ?x WHERE {{ ?x rdfs:label {Literal(label).n3()} }}"
        body = json.loads(get(endpoint, query)[2])
        answers[label] = body["results"]["bindings"][0]["x"]["value"]

    threads = [threading.Thread(target=ask, args=(label,)) for label in labels]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert answers == {
        "The Challenge": IGD + "the-challenge",
        "British Academy": IGD + "british-academy",
        "Paul Hamlyn Foundation": IGD + "paul-hamlyn-foundation",
        "Solace": IGD + "solace",
    }


# ---------------------------------------------------------------- negotiation


MEDIA = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
NAMES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}


@given(
    st.lists(
        st.tuples(st.sampled_from(MEDIA), st.integers(1, 10)),
        min_size=1,
        max_size=4,
        unique_by=lambda pair: pair[0],
    )
)
def test_negotiation_picks_the_highest_quality(offers):
    header = ", ".join(f"{media};q={q / 10}" for media, q in offers)
    best = max(q for _, q in offers)
    first_best = next(media for media, q in offers if q == best)
    assert negotiate(header, "SELECT") == NAMES[first_best]


# ---------------------------------------------------------------- the serve command


def serve_process(folder: Path) -> subprocess.Popen[str]:
    """``influencegraph serve --port 0`` on the bundled graph, its output unbuffered."""
    return subprocess.Popen(
        [sys.executable, "-m", "influencegraph", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_command_prints_its_url_answers_and_stops_cleanly(tmp_path, stop):
    process = serve_process(tmp_path)
    try:
        line = process.stdout.readline()
        assert line.startswith("SPARQL endpoint: http://127.0.0.1:")
        url = line.split()[2]
        query = urllib.parse.urlencode({"query": "ASK { ?r a ig:Survey }"})
        status, _, body = fetch(f"{url}?{query}")
        assert status == 200 and json.loads(body)["boolean"] is True
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert out.strip() == "stopped"
    assert "Traceback" not in err
    assert '"GET /sparql?query=' in err  # one log line per request, on stderr


def test_serve_stopped_as_soon_as_it_prints_its_url_still_stops_cleanly(tmp_path):
    """SIGTERM is handled before the address is printed: a supervisor that stops the
    server the moment it is up gets a clean exit, not a process killed by the signal."""
    for _ in range(3):
        process = serve_process(tmp_path)
        try:
            assert process.stdout.readline().startswith("SPARQL endpoint: http://127.0.0.1:")
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode == 0, err
        assert out.strip() == "stopped" and "Traceback" not in err


# ---------------------------------------------------------------- protocol for browsers


def raw(
    endpoint: Endpoint,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
):
    connection = http.client.HTTPConnection("127.0.0.1", endpoint.port, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.headers, data


def test_no_cross_origin_reads_unless_allowed(endpoint, seed_source):
    origin = {"Origin": "http://127.0.0.1:9999"}
    status, headers, _ = raw(endpoint, "GET", "/sparql?query=ASK%7B%7D", origin)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    with Endpoint(
        QueryRunner(seed_source), port=0, cors_origins=("http://127.0.0.1:9999",)
    ).start() as allowed:
        status, headers, _ = raw(allowed, "GET", "/sparql?query=ASK%7B%7D", origin)
        assert headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:9999"
        other = raw(allowed, "GET", "/sparql?query=ASK%7B%7D", {"Origin": "http://evil.test"})
        assert "Access-Control-Allow-Origin" not in other[1]
        preflight = raw(
            allowed,
            "OPTIONS",
            "/sparql",
            {
                **origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight[0] == 204 and preflight[2] == b""
        assert "POST" in preflight[1]["Access-Control-Allow-Methods"]
        assert "Content-Type" in preflight[1]["Access-Control-Allow-Headers"]
    with Endpoint(QueryRunner(seed_source), port=0, cors_origins=("*",)).start() as public:
        assert (
            raw(public, "GET", "/sparql?query=ASK%7B%7D", origin)[1]["Access-Control-Allow-Origin"]
            == "*"
        )


def test_head_answers_like_get_without_a_body(endpoint):
    got = raw(endpoint, "GET", "/sparql?query=ASK%7B%7D")
    head = raw(endpoint, "HEAD", "/sparql?query=ASK%7B%7D")
    assert head[0] == got[0] == 200 and head[2] == b""
    assert head[1]["Content-Length"] == got[1]["Content-Length"]


def test_ask_is_json_or_xml_only(endpoint):
    assert get(endpoint, "ASK {}", accept="text/csv")[0] == 406
    assert get(endpoint, "ASK {}", accept="text/tab-separated-values")[0] == 406
    assert get(endpoint, "ASK {}", accept="application/sparql-results+xml")[0] == 200


def test_service_description_on_a_bare_get(endpoint):
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, Namespace

    status, headers, body = fetch(endpoint.query_url)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(None, RDF.type, sd.Service)
    assert graph.value(service, sd.endpoint) == URIRef(endpoint.query_url)
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph


def test_a_foreign_host_is_refused_on_loopback(endpoint):
    """DNS rebinding: a page at evil.test whose name now points at 127.0.0.1."""
    status, _, body = raw(endpoint, "GET", "/sparql?query=ASK%7B%7D", {"Host": "evil.test"})
    assert status == 403 and b"localhost" in body
    assert (
        raw(endpoint, "GET", "/sparql?query=ASK%7B%7D", {"Host": f"localhost:{endpoint.port}"})[0]
        == 200
    )


def test_engine_failures_are_500_and_query_errors_400(endpoint):
    assert get(endpoint, "SELECT * WHERE { ?s ?p }")[0] == 400
    assert get(endpoint, "   # only a comment")[0] == 400
    assert get(endpoint, "PREFIX x: <http://e/>")[0] == 400


def test_short_body_is_400_and_http_errors_are_plain_text(endpoint):
    connection = socket.create_connection(("127.0.0.1", endpoint.port), timeout=20)
    connection.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        b"application/sparql-query\r\nContent-Length: 50\r\n\r\nASK {}"
    )
    connection.shutdown(socket.SHUT_WR)
    reply = b""
    while chunk := connection.recv(4096):
        reply += chunk
    connection.close()
    assert reply.startswith(b"HTTP/1.0 400") and b"fewer than its Content-Length" in reply
    status, headers, body = raw(endpoint, "PUT", "/sparql")
    assert status == 501 and headers["Content-Type"].startswith("text/plain")
    assert b"<html" not in body.lower()
    status, headers, body = raw(endpoint, "GET", "/sparql?query=" + "x" * 70000)
    assert status == 414 and b"<html" not in body.lower()


def test_clients_that_hang_up_leave_no_traceback(seed_source):
    lines: list[str] = []
    stderr = io.StringIO()
    with (
        contextlib.redirect_stderr(stderr),
        Endpoint(QueryRunner(seed_source), port=0, log=lines.append).start() as server,
    ):
        for _ in range(20):
            connection = socket.create_connection(("127.0.0.1", server.port))
            connection.sendall(
                b"GET /sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D "
                b"HTTP/1.1\r\nHost: localhost\r\n\r\n"
            )
            connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )  # reset, not a clean close
            connection.close()
        time.sleep(0.5)
        assert get(server, "ASK {}")[0] == 200
    assert "Traceback" not in stderr.getvalue() and not any("Traceback" in x for x in lines)


@pytest.mark.skipif(not hasattr(socket, "TCP_DEFER_ACCEPT"), reason="Linux only")
def test_clients_that_connect_and_send_nothing_take_no_worker(seed_source):
    """More silent connections than workers: a query sent after them is still answered
    at once (each worker would otherwise wait READ_SECONDS, 15 s, on a silent one)."""
    with Endpoint(QueryRunner(seed_source), port=0, processes=2).start() as server:
        server.warm()
        silent = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
        try:
            time.sleep(0.3)  # time for a worker to take one, if it could
            begin = time.monotonic()
            status, _, body = get(server, "ASK { ?s ?p ?o }")
            assert status == 200 and json.loads(body)["boolean"] is True
            assert time.monotonic() - begin < 3
        finally:
            for connection in silent:
                connection.close()


def test_json_fast_path_equals_the_rdflib_writer(endpoint, seed_source):
    """The endpoint writes SPARQL JSON from the worker's plain terms; it must say exactly
    what rdflib's writer says for the same result."""
    from influencegraph.sparql import QueryRunner, serialize

    query = (
        "SELECT ?x ?l ?y ?n WHERE { ?x rdfs:label ?l . OPTIONAL { ?x dcterms:issued ?y } "
        'BIND(STRLEN(?l) AS ?n) BIND(STRLANG("é", "fr") AS ?fr) } ORDER BY ?x ?l'
    )
    fast = json.loads(get(endpoint, query, accept="application/sparql-results+json")[2])
    with QueryRunner(seed_source) as runner:
        slow = json.loads(serialize(runner.run(query), "json"))
    assert fast["head"] == slow["head"] and len(fast["results"]["bindings"]) > 40

    def norm(binding):  # rdflib writes typed literals the same, plain ones without datatype
        return {
            k: {**v, "type": "literal" if v["type"] == "typed-literal" else v["type"]}
            for k, v in binding.items()
        }

    assert [norm(b) for b in fast["results"]["bindings"]] == [
        norm(b) for b in slow["results"]["bindings"]
    ]


# ---------------------------------------------------------------- worker processes


def test_worker_processes_hand_explorer_pages_back_unchanged(seed_source):
    """With processes, the workers answer /sparql and hand every other GET (the explorer)
    back to the parent: the pages, headers and errors are those the threads send."""
    from influencegraph.explorer.routes import explorer_for
    from influencegraph.graph import open_source

    ox = open_source()

    answers = []
    for processes in (0, 2):
        with Endpoint(
            QueryRunner(seed_source), port=0, explorer=explorer_for(ox), processes=processes
        ).start() as server:
            assert (server.workers is not None) == bool(processes)
            page = raw(server, "GET", "/entity/the-challenge?x=1", {"Origin": "http://a.test"})
            missing = raw(server, "GET", "/entity/nope")
            ask = get(server, "ASK { ?r a ig:Survey }")
            answers.append((page, missing, ask))
    (page, missing, ask), (p_page, p_missing, p_ask) = answers
    assert p_page[0] == page[0] == 200 and b"The Challenge" in p_page[2]
    assert p_page[2] == page[2]
    assert p_page[1]["Content-Security-Policy"] == page[1]["Content-Security-Policy"]
    assert p_missing[0] == missing[0] == 404
    assert p_ask[0] == 200 and p_ask[2] == ask[2]


def test_worker_processes_answer_like_threads(seed_source):
    """The same requests through worker processes and through threads: same statuses,
    types and bodies, in every result format, errors included (lines compared sorted:
    rdflib writes a graph's triples in an order that changes from process to process)."""
    queries = [
        ("SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s ?l", "text/csv"),
        ("SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s ?l", "text/tab-separated-values"),
        (
            "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s ?l",
            "application/sparql-results+xml",
        ),
        ("SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s ?l", "application/json"),
        ("ASK { ?s a ig:Report }", "text/csv"),
        ("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }", "application/n-triples"),
        ("SELECT * WHERE { ?s ?p }", "application/json"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "application/json"),
        ("SELECT * WHERE { ?s ?p ?o }", "application/json"),  # over max_rows
    ]
    answers = []
    for processes in (0, 2):
        runner = QueryRunner(seed_source, max_rows=500)
        with Endpoint(runner, port=0, processes=processes).start() as server:
            answers.append(
                [
                    (status, headers["Content-Type"], sorted(body.splitlines()))
                    for status, headers, body in (get(server, q, accept=a) for q, a in queries)
                ]
            )
    assert answers[1] == answers[0]
    assert [a[0] for a in answers[0]] == [200, 200, 200, 200, 406, 200, 400, 400, 503]


def test_worker_processes_end_with_the_server(seed_source):
    """Workers stop when the endpoint closes, and on their own if the server process dies
    without closing them (no orphan keeps answering on the port)."""
    script = (
        "import sys, time\n"
        "from influencegraph.graph import open_source\n"
        "from influencegraph.server import Endpoint\n"
        "from influencegraph.sparql import QueryRunner\n"
        "server = Endpoint(QueryRunner(open_source()), port=0, processes=2).start()\n"
        "print(server.port, *server.workers.pids(), flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        port, *workers = map(int, process.stdout.readline().split())
        assert len(workers) == 2
        process.kill()  # no close(): the workers must notice by themselves
        process.wait()
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers)
        with pytest.raises(ConnectionRefusedError):  # nothing holds the port any more
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        if process.poll() is None:
            process.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
