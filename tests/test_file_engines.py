"""Files read by Oxigraph in memory (the read commands, and the working copy of ``add``)
answer as files read by rdflib (user queries, imports, validation): the same rows for every
shipped query, the same command output, the same file:line errors; and each command uses
the engine it should."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

import influencegraph.graph as source_module
from influencegraph.errors import DataFileError
from influencegraph.graph import (
    FileSnapshot,
    MemorySource,
    OxigraphMemorySource,
    default_data_paths,
    load_graph,
    open_source,
    whole_graph,
)
from influencegraph.queries import load_query, query_names

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "queries").glob("*.rq"))
SHIPPED = {f"queries/{name}": load_query(name) for name in query_names()}
SHIPPED.update({f"examples/{path.name}": path.read_text(encoding="utf-8") for path in EXAMPLES})
IGD = "https://w3id.org/influencegraph/id/"
_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?;\s*separator\s*=\s*"([^"]*)"\s*\)'
    r"\s*AS\s*\?(\w+)",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def oxigraph_seed() -> OxigraphMemorySource:
    return OxigraphMemorySource(default_data_paths())


def _comparable(sparql: str, variables: list[str], rows: list[tuple]) -> Counter:
    """The rows as a multiset. GROUP_CONCAT joins its values in no defined order, so those
    columns are compared as sorted lists of their parts."""
    concat = {var: sep for sep, var in _CONCAT.findall(sparql)}
    out = []
    for row in rows:
        cells = []
        for var, value in zip(variables, row, strict=True):
            if var in concat and value is not None:
                cells.append(tuple(sorted(str(value).split(concat[var]))))
            else:
                cells.append(value)
        out.append(tuple(cells))
    return Counter(out)


def test_every_shipped_query_is_compared():
    assert len([n for n in SHIPPED if n.startswith("queries/")]) >= 5
    assert len(EXAMPLES) >= 10
    assert any(_CONCAT.search(text) for text in SHIPPED.values())  # the normaliser has work


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_query_answers_as_in_rdflib(name, seed_source, oxigraph_seed):
    sparql = SHIPPED[name]
    expected, got = seed_source.query(sparql), oxigraph_seed.query(sparql)
    assert got.kind == expected.kind
    if expected.kind == "ASK":
        assert got.boolean == expected.boolean
    elif expected.graph is not None:
        assert got.graph is not None and len(got.graph) == len(expected.graph) > 0
        assert isomorphic(got.graph, expected.graph)
    else:
        assert got.variables == expected.variables
        assert expected.rows, "a query that answers nothing compares nothing"
        assert _comparable(sparql, got.variables, got.rows) == _comparable(
            sparql, expected.variables, expected.rows
        )


@pytest.mark.parametrize(
    ("name", "var", "entity"),
    [
        ("queries/dossier-scope.rq", "entity", "the-challenge"),
        ("queries/dossier-people.rq", "member", "anthony-heath"),
        ("queries/dossier-claims.rq", "member", "all-together-now"),
        ("examples/influences-on.rq", "target", "integrated-communities-strategy"),
    ],
)
def test_bound_queries_answer_as_in_rdflib(name, var, entity, seed_source, oxigraph_seed):
    sparql, bindings = SHIPPED[name], {var: URIRef(IGD + entity)}
    assert seed_source.select(sparql, bindings), "the entity must have rows to compare"
    expected, got = seed_source.query(sparql, bindings), oxigraph_seed.query(sparql, bindings)
    assert Counter(got.rows) == Counter(expected.rows)
    assert len(got.rows) < len(oxigraph_seed.query(sparql).rows)  # the binding did narrow


def test_triples_and_whole_graph_match_rdflib(seed_graph, oxigraph_seed):
    assert set(oxigraph_seed.triples((None, None, None))) == set(seed_graph)
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert set(oxigraph_seed.triples((URIRef(IGD + "the-challenge"), label, None))) == set(
        seed_graph.triples((URIRef(IGD + "the-challenge"), label, None))
    )
    assert isomorphic(whole_graph(oxigraph_seed), seed_graph)


def test_whole_graph_keeps_what_was_added():
    source = OxigraphMemorySource(default_data_paths())
    triple = (URIRef("https://example.org/new"), URIRef("https://example.org/p"), Literal("x"))
    source.add([triple])
    assert source.select("ASK { <https://example.org/new> ?p ?o }") == []  # ASK: no rows
    assert source.query("ASK { <https://example.org/new> ?p ?o }").boolean is True
    assert triple in whole_graph(source)


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown need"):
        open_source(needs="jena")


# ---------------------------------------------------------------- the CLI, end to end

READ_COMMANDS = [
    ("stats",),
    ("path", "The Challenge", "ICS", "--all"),
    ("path", "Chuka Umunna", "ICS", "--strongest"),
    ("connections", "Anthony Heath", "The Challenge"),
    ("influence", "All Together Now", "--depth", "3"),
    ("influence", "ICS", "--direction", "upstream"),
    ("rank", "--by", "pagerank", "--top", "10"),
    ("rank", "--type", "Report", "--by", "reach"),
    ("show", "APPG on Social Integration"),
    ("search", "integration survey"),
    ("dossier", "The Challenge"),
    ("dossier", "British Academy"),
]


@pytest.fixture
def engines(monkeypatch):
    """Records the class of every source the CLI opens; ``engines.force = "edit"``
    makes every command read files with that engine instead of the one it asks for."""
    real = source_module.open_source

    class Spy:
        def __init__(self) -> None:
            self.opened: list[type] = []
            self.force: str | None = None

        def open_source(self, *args, needs="read", **kwargs):
            source = real(*args, needs=self.force or needs, **kwargs)
            self.opened.append(type(source))
            return source

    spy = Spy()
    monkeypatch.setattr(source_module, "open_source", spy.open_source)
    return spy


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_commands_use_oxigraph_and_answer_as_rdflib(invoke, engines, args):
    fast = invoke(*args, "--format", "json")
    assert fast.exit_code == 0, fast.output
    assert engines.opened == [OxigraphMemorySource]
    engines.force = "edit"
    plain = invoke(*args, "--format", "json")
    assert engines.opened == [OxigraphMemorySource, MemorySource]
    assert json.loads(fast.output) == json.loads(plain.output)
    assert json.loads(fast.output)  # something was compared


def test_export_and_viz_use_oxigraph_and_write_what_rdflib_gives(invoke, engines, tmp_path):
    fast = [
        invoke("export", "-o", str(tmp_path / "fast.nt")),
        invoke("viz", "-o", str(tmp_path / "fast.html")),
    ]
    assert engines.opened == [OxigraphMemorySource] * 2
    engines.force = "edit"
    plain = [
        invoke("export", "-o", str(tmp_path / "plain.nt")),
        invoke("viz", "-o", str(tmp_path / "plain.html")),
    ]
    assert all(r.exit_code == 0 for r in fast + plain)
    exported = (tmp_path / "fast.nt").read_text(encoding="utf-8").splitlines()
    assert sorted(exported) == sorted(
        (tmp_path / "plain.nt").read_text(encoding="utf-8").splitlines()
    )
    assert len(exported) > 50
    # the page lists nodes in the order the engine returned them; its counts must agree
    assert fast[1].output.replace("fast", "plain") == plain[1].output
    assert "49 entities" in fast[1].output


def test_the_drawn_graph_is_the_same(seed_source, oxigraph_seed):
    from influencegraph.projection import relation_graph

    def contents(graph):
        nodes = sorted((n, sorted(a.items())) for n, a in graph.nodes(data=True))
        edges = Counter(
            (*sorted((u, v)), tuple(sorted((k, str(x)) for k, x in a.items())))
            for u, v, a in graph.edges(data=True)
        )
        return nodes, edges

    expected = contents(relation_graph(seed_source))
    assert expected[0] and expected[1]
    assert contents(relation_graph(oxigraph_seed)) == expected


def test_sparql_reads_with_oxigraph_add_drafts_on_oxigraph_import_uses_rdflib(
    invoke, engines, data_copy, monkeypatch, tmp_path
):
    import influencegraph.edit.working as working

    drafted: list[tuple[type, bool]] = []
    real = working.working_copy

    def spy(source):
        copy = real(source)
        drafted.append((type(source), getattr(source, "loaded", True)))
        return copy

    monkeypatch.setattr(working, "working_copy", spy)
    assert invoke("sparql", "ASK { ?s ?p ?o }").exit_code == 0
    add = invoke(
        "--data",
        str(data_copy),
        "add",
        "entity",
        "--type",
        "Report",
        "--label",
        "Bridging Divides",
        "--evidence",
        "quote",
        "--source",
        "Policy Impact",
        "--dry-run",
    )
    assert add.exit_code == 0, add.output
    # add: opened for a draft, the file went straight into the working copy, parsed once
    # by Oxigraph
    assert engines.opened == [OxigraphMemorySource, FileSnapshot]
    assert drafted == [(FileSnapshot, False)]
    sheet = tmp_path / "entities.csv"
    sheet.write_text(
        "type,label,evidence,source\nReport,Bridging Divides,quote,Policy Impact\n",
        encoding="utf-8",
    )
    imported = invoke("--data", str(data_copy), "import", str(sheet), "--kind", "entities")
    assert imported.exit_code == 0, imported.output
    assert engines.opened == [OxigraphMemorySource, FileSnapshot, MemorySource]
    assert drafted[1:] == [(MemorySource, True)]


def test_serve_reads_with_oxigraph(invoke, engines, monkeypatch):
    from influencegraph.server import Endpoint

    served = []
    monkeypatch.setattr(
        Endpoint,
        "serve_until_stopped",
        lambda self, ready=None: served.append(type(self.runner.source)),
    )
    result = invoke("serve", "--port", "0")
    assert result.exit_code == 0, result.output
    assert served == [OxigraphMemorySource] and engines.opened == [OxigraphMemorySource]


# ---------------------------------------------------------------- reading files

BAD_FILES = {
    # name: (text, the line that is wrong, the format as the message names it)
    "bad.ttl": ('@prefix : <https://example.org/> .\n:a :b :c .\n\n:d :e "open .\n', 4, "Turtle"),
    "bad.nt": (
        "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
        "<https://example.org/a> <https://example.org/b> .\n",
        2,
        "N-Triples",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize("command", [("stats",), ("show", "x"), ("path", "a", "b")], ids=" ".join)
def test_malformed_file_through_a_read_command_is_exit_2_with_file_and_line(
    invoke, tmp_path, name, command
):
    text, line, fmt = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = invoke("--data", str(path), *command)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path}:{line}: malformed {fmt}: ")
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    if fmt == "Turtle":  # rdflib (validate) blames the same line; its N-Triples parser no line
        assert f"{path}:{line}: malformed turtle" in invoke("validate", str(path)).output


UNREADABLE = {
    # name: (bytes, or None for no file, what the message says)
    "missing.ttl": (None, "no such file"),
    "g.rdf": (b"<x/>", "unsupported file type '.rdf'"),
    "g.ttl": (b'@prefix : <https://e/> .\n:a :b "caf\xe9" .\n', ":2: not valid UTF-8"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_files_are_named_as_with_rdflib(invoke, tmp_path, name):
    data, message = UNREADABLE[name]
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    fast = invoke("--data", str(path), "stats")
    assert fast.exit_code == 2
    assert fast.output.startswith(f"Error: {path}")
    assert message in fast.output
    assert fast.output == invoke("--data", str(path), "sparql", "ASK {}").output  # rdflib's


def test_a_directory_is_named(tmp_path):
    (tmp_path / "folder.ttl").mkdir()
    with pytest.raises(DataFileError, match="is a directory"):
        OxigraphMemorySource([tmp_path / "folder.ttl"])


QUADS = """\
<{ex}report> <{rdf}type> <{ig}Report> <{ex}g1> .
<{ex}report> <{rdfs}label> "Quad Report" <{ex}g1> .
<{ex}report> <{rdfs}label> "Quad Report" <{ex}g2> .
<{ex}strategy> <{rdf}type> <{ig}Strategy> <{ex}g2> .
<{ex}strategy> <{rdfs}label> "Quad Strategy" <{ex}g2> .
<{ex}strategy> <{prov}qualifiedInfluence> <{ex}claim> <{ex}g2> .
<{ex}claim> <{rdf}type> <{ig}InfluenceClaim> <{ex}g3> .
<{ex}claim> <{prov}influencer> <{ex}report> <{ex}g3> .
<{ex}claim> <{ig}kind> <{ig}endorses> <{ex}g3> .
<{ex}claim> <{ig}evidence> "it endorses the report" <{ex}g3> .
<{ex}org> <{rdf}type> <{ig}Organisation> .
<{ex}org> <{rdfs}label> "Quad Org" .
""".format(
    ex="https://example.org/",
    rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    rdfs="http://www.w3.org/2000/01/rdf-schema#",
    prov="http://www.w3.org/ns/prov#",
    ig="https://w3id.org/influencegraph/ns#",
)


def test_nquads_named_graphs_answer_as_their_union(invoke, tmp_path):
    quads = tmp_path / "graphs.nq"
    quads.write_text(QUADS, encoding="utf-8")
    flat = tmp_path / "flat.nt"  # the same statements with the graph names cut off
    flat.write_text(
        "".join(
            re.sub(r" <https://example.org/g\d> \.$", " .", line) + "\n"
            for line in QUADS.splitlines()
        ),
        encoding="utf-8",
    )
    merged = json.loads(invoke("--data", str(quads), "stats", "--format", "json").output)
    assert merged == json.loads(invoke("--data", str(flat), "stats", "--format", "json").output)
    assert merged["claims"] == 1
    assert merged["entities_by_type"] == {"Organisation": 1, "Report": 1, "Strategy": 1}
    # rdflib (sparql, validate) reads the same union
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    on_rdflib = invoke("--data", str(quads), "sparql", count, "--format", "csv").output
    assert on_rdflib == invoke("--data", str(flat), "sparql", count, "--format", "csv").output
    assert set(whole_graph(OxigraphMemorySource([quads]))) == set(
        OxigraphMemorySource([flat]).triples((None, None, None))
    )
    # a path whose ends, claim and label live in three different graphs
    found = invoke("--data", str(quads), "path", "Quad Report", "Quad Strategy", "--format", "json")
    assert found.exit_code == 0, found.output
    [hop] = json.loads(found.output)["paths"][0]["hops"]
    assert (hop["influencer"], hop["kind"], hop["target"]) == (
        "Quad Report",
        "endorses",
        "Quad Strategy",
    )


def test_trig_graphs_are_read_as_their_union_by_both_engines(tmp_path):
    trig = tmp_path / "graphs.trig"
    trig.write_text(
        "@prefix e: <https://example.org/> .\n"
        'e:g1 { e:a e:p e:b . e:a e:p "x" }\ne:g2 { e:a e:p e:b }\ne:c e:p e:d .\n',
        encoding="utf-8",
    )
    ontology = set(load_graph([]))
    fast = set(OxigraphMemorySource([trig]).triples((None, None, None))) - ontology
    plain = set(load_graph([trig])) - ontology
    assert fast == plain
    assert len(fast) == 3  # a p b (in two graphs), a p "x", c p d


def test_a_triple_in_two_graphs_counts_once(tmp_path):
    quads = tmp_path / "graphs.nq"
    quads.write_text(QUADS, encoding="utf-8")
    source = OxigraphMemorySource([quads])
    rows = source.select(
        'SELECT ?g WHERE { ?g <http://www.w3.org/2000/01/rdf-schema#label> "Quad Report" }'
    )
    assert rows == [{"g": URIRef("https://example.org/report")}]
    statements = {line for line in QUADS.splitlines()}
    distinct = {re.sub(r" <https://example.org/g\d> \.$", "", s) for s in statements}
    ontology = len(load_graph([]))
    assert len(list(source.triples((None, None, None)))) == ontology + len(distinct)
