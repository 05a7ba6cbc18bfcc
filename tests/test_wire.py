"""The worker processes' own HTTP reader and writer (server/wire.py) and JSON results
writer (server/results.py): malformed requests get a clean 4xx, never a traceback or a
hang, and the answers are those the general path gives."""

from __future__ import annotations

import socket

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influencegraph.graph.bounded import _evaluate, json_answer
from influencegraph.server import Endpoint
from influencegraph.server.results import TOO_LARGE, json_results
from influencegraph.server.wire import MAX_HEADERS, BadRequest, parse_head
from influencegraph.sparql import QueryRunner


@pytest.fixture(scope="module")
def workers(request):
    """One worker process serving the seed graph (module scope: started once)."""
    from influencegraph.graph import MemorySource, default_data_paths

    seed_graph = request.getfixturevalue("seed_graph")
    runner = QueryRunner(MemorySource(seed_graph, default_data_paths()), timeout=5.0)
    with Endpoint(runner, "127.0.0.1", 0, processes=1).start() as server:
        yield server


def exchange(port: int, data: bytes, *, close_write: bool = True) -> bytes:
    """Send ``data`` on a new connection and read the whole reply (10 s at most)."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        connection.sendall(data)
        if close_write:
            connection.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
        return reply
    finally:
        connection.close()


def status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


ASK = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\n\r\n"


@pytest.mark.parametrize(
    "head, code",
    [
        (b"GET /sparql", 400),
        (b"GET /sparql HTTP/1.1 extra", 400),
        (b"GET /sparql FTP/1.1", 400),
        (b"GET /sparql HTTP/one.1", 400),
        (b"GET /sparql HTTP/2.0", 505),
        (b"GET /sparql HTTP/1.1\r\nno colon here", 400),
        (b"GET /sparql HTTP/1.1\r\nName : value", 400),
        (b"GET /sparql HTTP/1.1\r\nA: b\r\n folded", 400),
        (b"POST /sparql HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4", 400),
        (b"GET /sparql HTTP/1.1" + b"\r\nX: y" * (MAX_HEADERS + 1), 431),
    ],
)
def test_malformed_heads_are_refused_with_their_status(head, code):
    with pytest.raises(BadRequest) as refused:
        parse_head(head)
    assert refused.value.status == code


def test_a_head_is_read_as_http_server_reads_it():
    request = parse_head(
        b'POST //sparql?x=1 HTTP/1.0\nContent-Type: Application/SPARQL-Query; Charset="Latin-1"'
        b"\r\nX-A: a\r\nx-a: b"
    )
    assert request.target == "/sparql?x=1"  # never a network location
    assert request.headers.get_content_type() == "application/sparql-query"
    assert request.headers.get_content_charset() == "latin-1"
    assert request.headers.get("X-a") == "a"  # the first of repeated headers
    with pytest.raises(BadRequest, match="conflicting"):  # which host was meant?
        parse_head(b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.test")
    assert parse_head(b"GET / HTTP/1.1").headers.get_content_type() == "text/plain"


@pytest.mark.parametrize(
    "data, code, words",
    [
        (b"GARBAGE\r\n\r\n", 400, b"bad request syntax"),
        (b"GET /sparql HTTP/1.1\r\nHost: localhost\r\nX: " + b"a" * 70000 + b"\r\n\r\n", 431, b""),
        (
            b"GET /sparql HTTP/1.1\r\nHost: localhost\r\n" + b"X: y\r\n" * 101 + b"\r\n",
            431,
            b"too many headers",
        ),
        (
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/sparql-query\r\n\r\nASK {}",
            411,
            b"Content-Length",
        ),
        (
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query"
            b"\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
            411,
            b"Content-Length",
        ),
        (b"GET /sparql?query=ASK HTTP/1.1\r\nHost: local", 400, b"ended before its headers"),
        (b"DELETE /sparql HTTP/1.1\r\nHost: localhost\r\n\r\n", 501, b"Unsupported method"),
    ],
)
def test_malformed_requests_get_a_plain_answer_and_the_worker_lives_on(workers, data, code, words):
    pids = workers.workers.pids()
    reply = exchange(workers.port, data)
    assert status(reply) == code and words in reply
    assert b"text/plain" in reply and b"Traceback" not in reply
    assert status(exchange(workers.port, ASK)) == 200
    assert workers.workers.pids() == pids


def test_bodies_are_read_by_content_length_in_any_number_of_pieces(workers):
    """A form body that arrives in pieces after the head, bare-LF line ends, and bytes
    after the body (ignored): the answer is the query's."""
    body = b"query=ASK%20%7B%20%3Fs%20a%20ig%3ASurvey%20%7D"
    connection = socket.create_connection(("127.0.0.1", workers.port), timeout=10)
    connection.sendall(
        b"POST /sparql HTTP/1.1\nHost: localhost\nContent-Type: application/x-www-form-urlencoded"
        b"\nAccept: application/sparql-results+json\n"
        + f"Content-Length: {len(body)}\n\n".encode()
        + body[:10]
    )
    connection.sendall(body[10:] + b"trailing bytes")
    reply = b""
    while chunk := connection.recv(65536):
        reply += chunk
    connection.close()
    assert status(reply) == 200 and reply.endswith(b'{"head": {}, "boolean": true}')
    assert b"\r\nContent-Length: 29\r\n" in reply and b"Connection" not in reply


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.builds(
            lambda method, target, rest: method + b" " + target + b" HTTP/1.1\r\n" + rest,
            st.sampled_from([b"GET", b"POST", b"HEAD", b"OPTIONS", b"PUT", b"G\x00T"]),
            st.binary(max_size=60).map(lambda b: b"/sparql?" + b.replace(b" ", b"+")),
            st.binary(max_size=200),
        ),
    )
)
def test_arbitrary_bytes_get_an_answer_or_a_400_and_the_worker_stays(workers, data):
    reply = exchange(workers.port, data)
    assert reply == b"" or reply.startswith(b"HTTP/1.0 ")
    if reply:
        assert status(reply) in (200, 204, 400, 403, 404, 406, 411, 413, 415, 431, 501, 505)
        assert b"Traceback" not in reply
    assert status(exchange(workers.port, ASK)) == 200


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
        "SELECT ?x ?y WHERE { ?x <http://e/p> ?o OPTIONAL { ?x <http://e/q> ?y } } ORDER BY ?x",
        "SELECT * WHERE { ?s <http://e/none> ?o }",
        "SELECT * WHERE { }",
        "ASK { ?s ?p ?o }",
        "ASK { ?s <http://e/none> ?o }",
    ],
)
def test_json_results_are_the_bytes_the_general_path_writes(query):
    store = pyoxigraph.Store()
    e = "http://e/"
    store.load(
        (
            f'<{e}a> <{e}p> "plain \\"quoted\\" \\u00e9 \\n tab\\t" .\n'
            f'<{e}a> <{e}q> "chat"@fr .\n'
            f'<{e}b> <{e}p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            f"_:n <{e}p> <{e}a> .\n"
            f'<{e}c> <{e}p> "</script>\\u2028" .\n'
        ).encode(),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    fast = json_results(store, False, query, 1000)
    assert fast is not None and fast is not TOO_LARGE
    assert fast == json_answer(_evaluate(store, False, query, 1000))[1]
    assert json_results(store, False, "SELECT * WHERE { ?s ?p ?o }", 2) is TOO_LARGE
    bad = "SELECT * WHERE { ?s ?p }"
    assert json_results(store, False, bad, 2) == _evaluate(store, False, bad, 2)  # worded once
    assert json_results(store, False, "CONSTRUCT WHERE { ?s ?p ?o }", 2) is None  # a graph


def test_a_query_the_engine_fails_is_evaluated_once_in_a_worker():
    """The worker's error comes from the one failed evaluation: evaluating again to word
    it would give the query a second time bound."""
    import threading

    from influencegraph.errors import QueryError
    from influencegraph.server.processes import _Runner

    class FailingStore:
        calls = 0

        def query(self, *args, **kwargs):
            FailingStore.calls += 1
            raise RuntimeError("the store went away")

    runner = _Runner.__new__(_Runner)  # no watchdog thread: nothing here runs long
    runner.timeout, runner.max_rows = 5.0, 10
    runner.store, runner.union = FailingStore(), False
    runner.handler, runner.deadline, runner.lock = None, None, threading.Lock()
    with pytest.raises(QueryError, match="failed while running: the store went away"):
        runner.run_json("SELECT * WHERE { ?s ?p ?o }")
    assert FailingStore.calls == 1


_FORM_TEXT = st.text(
    st.sampled_from(list("aq=&+%\\ 0123456789ABCDEFabcdefxz?{}<>#é€\x00")), max_size=60
)


@settings(max_examples=400, deadline=None)
@given(text=_FORM_TEXT)
def test_form_fields_are_read_as_parse_qs_reads_them(text):
    """The endpoint's own reader of query strings and form bodies gives parse_qs's fields
    (blank values kept, UTF-8 strict), or refuses what parse_qs cannot decode, whatever
    mix of escapes, bad escapes, plus signs, backslashes and non-ASCII the text holds."""
    import urllib.parse

    from influencegraph.server.http import _parse_form
    from influencegraph.server.protocol import _HTTPError

    try:
        expected = urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        with pytest.raises(_HTTPError) as refused:
            _parse_form(text)
        assert refused.value.status == 400
    else:
        assert _parse_form(text) == expected


def test_form_with_too_many_fields_is_refused():
    from influencegraph.server.http import MAX_FIELDS, _parse_form
    from influencegraph.server.protocol import _HTTPError

    assert len(_parse_form("&".join(["a=1"] * MAX_FIELDS))["a"]) == MAX_FIELDS
    with pytest.raises(_HTTPError, match="Max number of fields"):
        _parse_form("&".join(["a=1"] * (MAX_FIELDS + 1)))
