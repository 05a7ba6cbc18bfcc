"""`influencegraph sparql` and the library under it: prefixes, refusals, time bound, formats."""

from __future__ import annotations

import io
import json
import os
import threading
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from influencegraph.errors import (
    EndpointBusy,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    UnknownNameError,
)
from influencegraph.graph import QueryResult, open_source
from influencegraph.sparql import (
    QueryRunner,
    format_result,
    parse_binding,
    run_query,
    serialize,
)
from influencegraph.vocab import IG, IGD, PREFIXES

XSD_GYEAR = URIRef(PREFIXES["xsd"] + "gYear")
XSD_DECIMAL = URIRef(PREFIXES["xsd"] + "decimal")
FOAF_PERSON = URIRef(PREFIXES["foaf"] + "Person")

# A deliberately expensive query: a three-way cross product of every triple (~5e8 rows).
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def parse_results(data: str | bytes, fmt: str) -> Result:
    """Read W3C results with rdflib's own parsers (not the code under test)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return Result.parse(io.BytesIO(raw), format=fmt)


# ---------------------------------------------------------------- prefixes and kinds


def test_standard_and_project_prefixes_are_pre_bound(seed_graph, seed_source):
    query = """SELECT (COUNT(DISTINCT ?p) AS ?people) WHERE {
      ?p a foaf:Person ; rdfs:label ?l .
      OPTIONAL { ?p skos:altLabel ?alt }
      OPTIONAL { ?m org:member ?p ; dcterms:source ?src }
      OPTIONAL { ?x prov:influencer ?p ; ig:kind ?k }
      OPTIONAL { ?w cito:citesAsAuthority ?y ; dcterms:issued ?d FILTER(datatype(?d) = xsd:gYear) }
    }"""
    result = run_query(seed_source, query)
    people = set(seed_graph.subjects(RDF.type, FOAF_PERSON))
    assert int(result.rows[0][0]) == len(people) == 12


def test_select_ask_construct_and_describe(seed_graph, seed_source):
    select = run_query(seed_source, "SELECT ?r WHERE { ?r a ig:Survey } ORDER BY ?r")
    assert select.kind == "SELECT" and select.variables == ["r"]
    assert [str(r[0]) for r in select.rows] == [
        IGD + "british-integration-survey-2016",
        IGD + "british-integration-survey-2019",
    ]
    assert run_query(seed_source, "ASK { igd:the-challenge a ig:Organisation }").boolean is True
    assert run_query(seed_source, "ASK { igd:the-challenge a ig:Strategy }").boolean is False
    construct = run_query(seed_source, "CONSTRUCT { ?r a ig:Survey } WHERE { ?r a ig:Survey }")
    assert construct.kind == "CONSTRUCT" and len(construct.graph) == 2
    describe = run_query(seed_source, "DESCRIBE igd:paul-hamlyn-foundation")
    assert describe.kind == "DESCRIBE"
    phf = URIRef(IGD + "paul-hamlyn-foundation")
    assert set(describe.graph.predicate_objects(phf)) >= set(seed_graph.predicate_objects(phf))


# ---------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    ("query", "line", "column"),
    [
        ("SELECT ?s WHERE {\n  ?s a ig:Report .\n}\nLIMT 5", 4, 7),
        ("SELCT ?s WHERE { ?s ?p ?o }", 1, 1),
        (
            "SELECT ?s WHERE {\n  ?s a ig:Report ;\n     rdfs:label ?l .\n  FILTER (?l = 'x'\n}",
            5,
            2,
        ),
    ],
)
def test_syntax_error_gives_line_and_column_of_the_users_text(invoke, query, line, column):
    result = invoke("sparql", query)
    assert result.exit_code == 2
    assert f"SPARQL syntax error at line {line}, column {column}:" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(open_source(), query)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_unknown_prefix_is_a_user_error(invoke):
    result = invoke("sparql", "SELECT * WHERE { ?s nope:thing ?o }")
    assert result.exit_code == 2
    assert "unknown prefix nope:" in result.output
    declared = invoke("sparql", "PREFIX nope: <http://e/> SELECT * WHERE { ?s nope:thing ?o }")
    assert declared.exit_code == 0, declared.output


# ---------------------------------------------------------------- refusals


def test_the_trap_sees_a_real_connection(loopback_trap):
    """Control: the trap used below does notice a connection when one is made."""
    import socket

    with socket.create_connection(("127.0.0.1", loopback_trap.port), timeout=2):
        time.sleep(0.05)
        assert loopback_trap.connections() == 1


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ ?x a ig:Report OPTIONAL {{ service <{url}> {{ ?x ?p ?o }} }} }}",
        "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s a ig:Report . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<{url}> AS ?ep) SERVICE ?ep {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_never_contacted(invoke, loopback_trap, template):
    result = invoke("sparql", template.format(url=loopback_trap.url))
    assert result.exit_code == 2
    assert "SERVICE" in result.output and "is refused" in result.output
    assert "Traceback" not in result.output
    time.sleep(0.05)
    assert loopback_trap.connections() == 0


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_from_is_refused_and_never_fetched(invoke, loopback_trap, clause):
    result = invoke("sparql", f"SELECT * {clause} <{loopback_trap.url}> WHERE {{ ?s ?p ?o }}")
    assert result.exit_code == 2
    assert f"{clause} <{loopback_trap.url}> is refused" in result.output
    time.sleep(0.05)
    assert loopback_trap.connections() == 0


@pytest.mark.parametrize(
    ("update", "name"),
    [
        ("INSERT DATA { igd:x a ig:Report }", "INSERT DATA"),
        ("DELETE DATA { igd:the-challenge a ig:Organisation }", "DELETE DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("LOAD <{trap}>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP DEFAULT", "DROP"),
        ("CREATE GRAPH <urn:g>", "CREATE"),
        ("COPY DEFAULT TO <urn:g>", "COPY"),
    ],
)
def test_updates_are_refused(invoke, seed_graph, loopback_trap, update, name):
    before = len(seed_graph)
    result = invoke("sparql", update.replace("{trap}", loopback_trap.url))
    assert result.exit_code == 2
    assert f"updates are refused ({name})" in result.output
    assert len(seed_graph) == before
    assert loopback_trap.connections() == 0


# ---------------------------------------------------------------- time bound


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_timeout_gives_up_quickly(invoke):
    start = time.monotonic()
    result = invoke("sparql", "--timeout", "0.2", EXPENSIVE)
    assert result.exit_code == 2
    assert "query took longer than 0.2 s" in result.output
    assert time.monotonic() - start < 5  # worker start-up and the kill included


def test_a_runaway_query_is_killed_and_the_next_one_answers(seed_source):
    with QueryRunner(seed_source, timeout=0.3, max_concurrent=1) as runner:
        assert runner.run("ASK { ?s ?p ?o }").boolean is True
        [worker] = runner.pool.pids()
        with pytest.raises(QueryTimeout):
            runner.run(EXPENSIVE)
        assert not _alive(worker)
        assert runner.run("ASK { ?s ?p ?o }").boolean is True
        assert runner.pool.pids() != [worker]


def test_a_pathological_regex_cannot_freeze_anything(seed_source):
    """Python's re needs minutes for this (each extra "a" doubles it); Oxigraph's regular
    expressions run in linear time, and the worker would be killed anyway."""
    query = 'ASK { FILTER(REGEX("' + "a" * 40 + '!", "^(a+)+$")) }'
    with QueryRunner(seed_source, timeout=5) as runner:
        assert runner.run(query).boolean is False


def test_a_long_query_parses(invoke):
    """rdflib's recursive parser refused this; Oxigraph answers it."""
    deep = (
        "SELECT * WHERE {\n"
        + "".join(f"  ?s{i} rdfs:label ?l{i} .\n" for i in range(150))
        + "} LIMIT 1"
    )
    result = invoke("sparql", deep, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"]


def test_a_busy_pool_refuses_rather_than_piling_up(seed_source):
    from influencegraph.graph.bounded import WorkerPool, spec_for

    with WorkerPool(spec_for(seed_source), size=1) as pool:
        pool.warm()
        outcome = []

        def run_away() -> None:
            with pytest.raises(QueryTimeout):
                pool.run(EXPENSIVE, timeout=2)
            outcome.append("stopped")

        runaway = threading.Thread(target=run_away)
        runaway.start()
        time.sleep(0.3)
        with pytest.raises(EndpointBusy):
            pool.run("ASK { ?s ?p ?o }", timeout=0.2)
        runaway.join()
        assert outcome == ["stopped"]
        assert pool.run("ASK { ?s ?p ?o }", timeout=30).boolean is True


# ---------------------------------------------------------------- bindings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PHF", URIRef(IGD + "paul-hamlyn-foundation")),
        ("The Challenge", URIRef(IGD + "the-challenge")),
        ("igd:the-challenge", URIRef(IGD + "the-challenge")),
        ("ig:endorses", URIRef(IG + "endorses")),
        (f"<{IGD}key-lessons>", URIRef(IGD + "key-lessons")),
        ('"The Challenge"', Literal("The Challenge")),
        ('"Mixing"@en', Literal("Mixing", lang="en")),
        ('"2018"^^xsd:gYear', Literal("2018", datatype=XSD_GYEAR)),
        ("42", Literal(42)),
        ("true", Literal(True)),
    ],
)
def test_bind_values_read_as_iri_literal_or_label(seed_source, value, expected):
    assert parse_binding(seed_source, f"x={value}") == ("x", expected)


def test_bind_by_label_answers_on_the_cli(invoke):
    query = (
        "SELECT ?funded WHERE { ?w prov:qualifiedInfluence [ prov:influencer ?funder ; "
        "ig:kind ig:funds ] ; rdfs:label ?funded } ORDER BY ?funded"
    )
    result = invoke("sparql", "--format", "csv", "--bind", "funder=Paul Hamlyn Foundation", query)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "funded",
        "If you could do one thing...",
        '"The integration of migrants, refugees and asylum seekers"',
    ]


def test_bind_mistakes_are_user_errors(invoke, seed_source):
    query = "SELECT ?label WHERE { ?org rdfs:label ?label }"
    wrong_var = invoke("sparql", "--bind", "organisation=PHF", query)
    assert wrong_var.exit_code == 2
    assert "no variable ?organisation (its variables: ?label, ?org)" in wrong_var.output
    no_value = invoke("sparql", "--bind", "org", query)
    assert no_value.exit_code == 2 and "NAME=VALUE" in no_value.output
    unknown = invoke("sparql", "--bind", "org=Paul Hamlin Foundation", query)
    assert unknown.exit_code == 2 and "did you mean 'Paul Hamlyn Foundation'" in unknown.output
    with pytest.raises(UnknownNameError):
        parse_binding(seed_source, "org=Nobody At All")


def turtle_string(text: str) -> str:
    """``text`` as a Turtle string literal, escaped by hand."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
    | st.sampled_from(['"} ; DROP ALL #', "} INSERT DATA { <a> <b> <c> }", "?x ) . }"])
)
def test_bound_literals_come_back_verbatim_and_never_become_query_text(
    seed_source, seed_graph, text
):
    before = len(seed_graph)
    result = run_query(seed_source, "SELECT ?x WHERE {}", bind=[f"x={turtle_string(text)}"])
    assert result.rows == [(Literal(text),)]
    assert len(seed_graph) == before


def test_escaped_backslash_in_a_bound_literal_stays_a_backslash(seed_source):
    # Found by the property test above: rdflib's from_n3 turned this into "\\A".
    result = run_query(seed_source, "SELECT ?x WHERE {}", bind=['x="\\\\x41"'])
    assert result.rows == [(Literal("\\x41"),)]


# ---------------------------------------------------------------- formats


def test_select_formats_read_back_with_independent_parsers(invoke, seed_source):
    query = (
        "SELECT ?r ?title ?year WHERE { ?r a ig:Survey ; rdfs:label ?title ; "
        "dcterms:issued ?year } ORDER BY ?year"
    )
    expected = run_query(seed_source, query).rows
    for fmt in ("json", "xml", "tsv"):
        out = invoke("sparql", "--format", fmt, query)
        assert out.exit_code == 0, out.output
        parsed = parse_results(out.output, fmt)
        assert [str(v) for v in parsed.vars] == ["r", "title", "year"]
        assert [tuple(row) for row in parsed] == expected
    csv_lines = invoke("sparql", "--format", "csv", query).output.splitlines()
    assert csv_lines == [
        "r,title,year",
        f"{IGD}british-integration-survey-2016,British Integration Survey 2016,2016",
        f"{IGD}british-integration-survey-2019,British Integration Survey 2019,2019",
    ]
    assert json.loads(invoke("sparql", "--format", "json", query).output)["head"] == {
        "vars": ["r", "title", "year"]
    }


def test_ask_formats(invoke):
    query = "ASK { igd:paul-hamlyn-foundation a ig:Organisation }"
    assert json.loads(invoke("sparql", "--format", "json", query).output) == {
        "head": {},
        "boolean": True,
    }
    assert parse_results(invoke("sparql", "--format", "xml", query).output, "xml").askAnswer
    assert invoke("sparql", query).output == "true\n"
    refused = invoke("sparql", "--format", "csv", "ASK { igd:nothing ?p ?o }")
    assert refused.exit_code == 2 and "written as json or xml" in refused.output


def test_graph_formats_parse_back_to_the_same_graph(invoke, seed_graph):
    query = "CONSTRUCT { ?w dcterms:publisher ?p } WHERE { ?w a ig:Report ; dcterms:publisher ?p }"
    expected = Graph()
    for work in seed_graph.subjects(RDF.type, URIRef(IG + "Report")):
        for publisher in seed_graph.objects(work, URIRef("http://purl.org/dc/terms/publisher")):
            expected.add((work, URIRef("http://purl.org/dc/terms/publisher"), publisher))
    assert len(expected) == 10
    for fmt, rdflib_format in (
        ("table", "turtle"),
        ("turtle", "turtle"),
        ("ntriples", "nt"),
        ("xml", "xml"),
        ("json", "json-ld"),
    ):
        out = invoke("sparql", "--format", fmt, query)
        assert out.exit_code == 0, out.output
        assert isomorphic(Graph().parse(data=out.output, format=rdflib_format), expected), fmt
    assert "@prefix igd: <https://w3id.org/influencegraph/id/>" in invoke("sparql", query).output


def test_graph_rdfxml_cannot_write_is_a_user_error(invoke):
    query = "CONSTRUCT { ?s <http://example.org/1> ?o } WHERE { ?s a ig:Survey ; rdfs:label ?o }"
    result = invoke("sparql", "--format", "xml", query)
    assert result.exit_code == 2
    assert "cannot write this graph as xml" in result.output and "Traceback" not in result.output
    assert "<http://example.org/1>" in invoke("sparql", "--format", "ntriples", query).output


def test_format_that_does_not_fit_the_result_is_a_user_error(invoke):
    select = invoke("sparql", "--format", "turtle", "SELECT ?s WHERE { ?s a ig:Survey }")
    assert select.exit_code == 2
    assert (
        "a SELECT result is a table of solutions; write it as json, xml, csv, tsv" in select.output
    )
    graph = invoke("sparql", "--format", "csv", "DESCRIBE igd:the-challenge")
    assert graph.exit_code == 2 and "write it as turtle, ntriples, xml, json" in graph.output


IRIS = st.from_regex(r"https://example\.org/[a-z0-9]{1,8}", fullmatch=True).map(URIRef)
LITERALS = st.builds(
    lambda text, extra: Literal(text, **extra),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
    | st.sampled_from(['a "quoted", comma', "tab\there", "new\nline", "back\\slash"]),
    st.sampled_from([{}, {"lang": "en"}, {"datatype": XSD_GYEAR}, {"datatype": XSD_DECIMAL}]),
)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(IRIS, LITERALS | st.none()), max_size=5))
def test_solution_formats_round_trip_any_terms(rows):
    result = QueryResult("SELECT", ["iri", "value"], [tuple(r) for r in rows])
    for fmt in ("json", "xml", "tsv"):
        parsed = parse_results(serialize(result, fmt), fmt)
        assert [tuple(row) for row in parsed] == result.rows, fmt


def test_table_view_stops_at_max_rows_and_says_how_many_it_left_out(invoke, seed_graph):
    out = invoke("sparql", "--max-rows", "3", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert out.exit_code == 0
    assert out.output.rstrip().endswith(
        f"showing 3 of {len(seed_graph)} rows; --max-rows N "
        "shows more, --format csv|tsv|json|xml writes them all"
    )
    full = invoke("sparql", "--format", "tsv", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(full.output.splitlines()) == len(seed_graph) + 1


def test_table_cells_use_prefixed_names(seed_source):
    result = run_query(seed_source, "SELECT ?o WHERE { igd:all-together-now dcterms:publisher ?o }")
    table = format_result(result, "table")
    assert "igd:the-challenge" in table and table.rstrip().endswith("1 row")


# ---------------------------------------------------------------- reading the query


def test_query_from_file_and_from_stdin(invoke, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("# a comment\nASK { ?r a ig:Survey }\n", encoding="utf-8")
    assert invoke("sparql", "--file", str(path)).output == "true\n"
    assert invoke("sparql", "--file", "-", input="ASK { ?r a ig:Strategy }").output == "true\n"
    neither = invoke("sparql")
    both = invoke("sparql", "--file", str(path), "ASK {}")
    for result in (neither, both):
        assert result.exit_code == 2 and "with --file F.rq (one of the two)" in result.output


def test_query_over_other_data(invoke, tmp_path):
    path = tmp_path / "one.ttl"
    path.write_text(
        "@prefix ig: <https://w3id.org/influencegraph/ns#> .\n"
        "<https://example.org/r> a ig:Report .\n",
        encoding="utf-8",
    )
    out = invoke(
        "--data", str(path), "sparql", "--format", "csv", "SELECT ?r WHERE { ?r a ig:Report }"
    )
    assert out.output.splitlines() == ["r", "https://example.org/r"]


def test_refusal_happens_before_the_source_is_asked(monkeypatch, seed_source):
    asked = []
    monkeypatch.setattr(
        type(seed_source), "query", lambda self, *a, **k: asked.append(a) or QueryResult("ASK")
    )
    with pytest.raises(QueryRefused):
        run_query(seed_source, "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert asked == []


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"\xff\xfeA\x00S\x00K\x00 \x00{\x00}\x00", "UTF-16 or binary"),
        (b"A\x00S\x00K\x00", "UTF-16 or binary"),
        (b'ASK { FILTER("\xe9") }', "not valid UTF-8 text (line 1)"),
    ],
)
def test_query_files_that_are_not_utf8_are_refused_in_one_line(invoke, tmp_path, data, said):
    path = tmp_path / "q.rq"
    path.write_bytes(data)
    result = invoke("sparql", "--file", str(path))
    assert result.exit_code == 2 and said in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_byte_order_mark_is_read_as_utf8(invoke, tmp_path):
    path = tmp_path / "q.rq"
    path.write_bytes(b"\xef\xbb\xbfASK { igd:the-challenge a ig:Organisation }")
    assert invoke("sparql", "--file", str(path)).output == "true\n"
    assert invoke("sparql", "\ufeffASK { ?s ?p ?o }").output == "true\n"


@pytest.mark.parametrize("query", ["", "   \n", "# only a comment", "PREFIX x: <http://e/>"])
def test_an_empty_query_is_a_user_error(invoke, query):
    result = invoke("sparql", query)
    assert result.exit_code == 2 and "the query is empty" in result.output


# ---- prepare's verdicts, remembered by skeleton

_SPARQLISH = st.tuples(
    st.sampled_from(["", "SELECT * {", "ASK {", "PREFIX ex: <http://e/> SELECT ?v {", "#\n"]),
    st.lists(
        st.sampled_from(
            [
                *"aSx_?$<>\"'#{}()\n .\\@^",
                "a:",
                ":",
                "SERVICE",
                "FROM",
                "PREFIX",
                "SELECT",
                "ASK",
                "ex:",
                "ig:",
                "INSERT",
                '"""',
                "'''",
                "<http://e/>",
                "# c\n",
                "?v",
                "NAMED",
                "WHERE",
                " <http://e/a> ",
                ' "s" ',
            ]
        ),
        max_size=30,
    ),
).map(lambda parts: parts[0] + "".join(parts[1]))
"""Query-like texts: often a query's start, then keywords, prefixed names, strings,
IRIs, comments and the characters that start or end them, in any mix."""


@settings(max_examples=600, deadline=None)
@given(text=_SPARQLISH)
@example(text='# """\nSERVICE <http://evil.example/> { } """')
@example(text="SELECT * { # '''\n FROM <g> '''")
def test_a_skeleton_keeps_every_token_but_strings_iris_and_comments(text):
    """The lemma behind remembering prepare's verdicts by skeleton: blanking comments,
    strings and IRIs leaves every other token as it was, in order."""
    from influencegraph.queries.text import _tokens, skeleton

    kept = [(kind, word) for kind, word, _ in _tokens(text) if kind not in ("string", "iri")]
    blanked = [(kind, word) for kind, word, _ in _tokens(skeleton(text)) if word != "\x00"]
    assert blanked == kept


_FILLERS = st.sampled_from(
    [
        "<http://e/a>",
        "<>",
        '"x"',
        '"SERVICE <http://evil/>"',
        "'FROM <g>'",
        '"""a"b"""',
        "<urn:x#y>",
        "# SERVICE <http://evil/>\n",
        "'#'",
        '"\\""',
    ]
)


@settings(max_examples=600, deadline=None)
@given(text=_SPARQLISH, data=st.data())
def test_a_query_like_one_that_passed_gets_the_verdict_its_own_tokens_give(text, data):
    """prepare answers a query whose skeleton it has seen pass from memory; whatever the
    IRIs, strings and comments put in place of another's, that answer is the one the
    checks give the query itself (so SERVICE, FROM or an update can never slip through)."""
    from hypothesis import assume

    from influencegraph.queries.text import skeleton
    from influencegraph.sparql import _checked, prepare

    def outcome(check, query):
        try:
            prepared = check(query)
        except Exception as exc:
            return type(exc).__name__, str(exc)
        return prepared.kind, prepared.variables

    key = skeleton(text)
    pieces = key.split("\x00")
    other = pieces[0] + "".join(data.draw(_FILLERS) + piece for piece in pieces[1:])
    assume(skeleton(other) == key)  # a filler may join what follows (a quote, a '<')
    prepare_outcome = outcome(prepare, text)  # remembered if it passed
    assert outcome(prepare, other) == outcome(_checked, other)
    assert prepare_outcome == outcome(_checked, text)


def test_a_remembered_verdict_never_covers_a_service_hidden_from_a_naive_blanking():
    """A long string's quotes inside a comment must not hide what follows the comment:
    a blanking that ignored comments would give both texts the same skeleton."""
    from influencegraph.sparql import prepare

    passed = prepare('ASK { # """\n ?s ?p ?o """ }')
    assert passed.kind == "ASK"
    with pytest.raises(QueryRefused, match="SERVICE"):
        prepare('ASK { # """\n SERVICE <http://evil.example/> { ?s ?p ?o } """ }')


def test_only_short_skeletons_are_remembered():
    """A client sending many big distinct queries cannot grow the verdicts remembered
    past their bound: a skeleton over the limit is checked every time, never kept."""
    from influencegraph import sparql
    from influencegraph.queries.text import skeleton

    big = "ASK { " + "?s ?p ?o . " * (sparql._PASSED_LONGEST // 11 + 1) + "}"
    small = "ASK { ?s ?p <http://e/short> }"
    assert sparql.prepare(big).kind == sparql.prepare(small).kind == "ASK"
    assert len(skeleton(big)) > sparql._PASSED_LONGEST
    assert skeleton(big) not in sparql._PASSED
    assert skeleton(small) in sparql._PASSED


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(IRIS, LITERALS | st.none()), max_size=5))
def test_xml_results_are_rdflibs_bytes_but_for_literals_of_false_value(rows):
    """The XML writer gives the bytes rdflib's writer gives, except where rdflib drops a
    literal's text because its value is false or zero."""
    from influencegraph.sparql import _rdflib_result

    result = QueryResult("SELECT", ["iri", "value"], [tuple(r) for r in rows])
    buffer = io.BytesIO()
    _rdflib_result(result).serialize(buffer, encoding="utf-8", format="xml")
    theirs, ours = buffer.getvalue(), serialize(result, "xml")
    if all(value is None or bool(value) or not str(value) for _, value in rows):
        assert ours == theirs
    else:
        assert len(ours) > len(theirs)


def test_a_count_of_nothing_reads_zero_in_xml(invoke):
    out = invoke(
        "sparql", "--format", "xml", "SELECT (COUNT(?x) AS ?n) WHERE { ?x a ig:NoSuchClass }"
    )
    assert out.exit_code == 0, out.output
    [row] = list(parse_results(out.output, "xml"))
    assert str(row[0]) == "0"
    assert ">0</literal>" in out.output
