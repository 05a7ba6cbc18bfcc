"""The on-disk Oxigraph store: `load`, `--store`, and the same answers as the memory graph."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from influencegraph import load as load_module
from influencegraph.errors import DataFileError, QueryError, SourceError
from influencegraph.generate import generate_corpus
from influencegraph.graph import StoreSource, open_source
from influencegraph.load import load_files
from influencegraph.names import name_index, resolve
from influencegraph.projection import influence_graph
from influencegraph.queries.text import with_values
from influencegraph.stats import graph_stats
from influencegraph.vocab import IG, IGD


def _edges(graph):
    return sorted(
        (x, y, attrs["kind"], attrs["evidence"] or "", attrs["claimant"] or "")
        for x, y, attrs in graph.edges(data=True)
    )


def test_store_gives_the_memory_graphs_answers(seed_store, seed_source):
    store = StoreSource(seed_store)
    assert graph_stats(store).as_dict() == graph_stats(seed_source).as_dict()
    assert name_index(store).entities == name_index(seed_source).entities
    assert resolve(store, "ICS").label == "Integrated Communities Strategy Green Paper"
    assert _edges(influence_graph(store)) == _edges(influence_graph(seed_source))


def test_store_holds_the_vocabulary(seed_store):
    rows = StoreSource(seed_store).select(
        "SELECT ?s WHERE { ?k a ig:InfluenceKind ; ig:strength ?s }", {"k": URIRef(IG + "endorses")}
    )
    assert [float(r["s"]) for r in rows] == [0.8]


def test_bindings_of_unprojected_variables_work_in_the_store(seed_store, seed_source):
    query = "SELECT (COUNT(?o) AS ?n) WHERE { ?x ?p ?o }"
    bound = {"x": URIRef(IGD + "the-challenge")}
    expected = seed_source.select(query, bound)
    assert int(expected[0]["n"]) > 3
    store = StoreSource(seed_store)
    assert store.select(query, bound) == expected
    other = {"x": URIRef(IGD + "british-academy")}
    assert store.select(query, other) == seed_source.select(query, other)


def test_blank_nodes_are_bound_too(tmp_path):
    data = tmp_path / "b.ttl"
    data.write_text('<http://e/a> <http://e/p> [ <http://e/q> "v" ] .\n', encoding="utf-8")
    load_files(tmp_path / "db", [data], with_ontology=False)
    store = StoreSource(tmp_path / "db")
    ((_, _, blank),) = store.triples((URIRef("http://e/a"), None, None))
    rows = store.select("SELECT ?b ?v WHERE { ?b <http://e/q> ?v }", {"b": blank})
    assert rows == [{"b": blank, "v": Literal("v")}]
    with pytest.raises(QueryError, match="blank node can only be bound to a variable the query"):
        store.select("SELECT ?v WHERE { ?b <http://e/q> ?v }", {"b": blank})


def test_triples_pattern_matches_memory(seed_store, seed_source):
    pattern = (URIRef(IGD + "the-challenge"), None, None)
    assert sorted(StoreSource(seed_store).triples(pattern)) == sorted(seed_source.triples(pattern))


def test_malformed_query_is_a_query_error(seed_store):
    with pytest.raises(QueryError, match="malformed SPARQL"):
        StoreSource(seed_store).query("SELECT ?x WHERE { ?x ?p }")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    lang=st.sampled_from([None, "en", "en-GB"]),
)
def test_values_block_carries_any_literal_exactly(seed_store, text, lang):
    # The VALUES text a remote endpoint would receive, parsed by Oxigraph's SPARQL parser.
    literal = Literal(text, lang=lang)
    query = with_values("SELECT ?t WHERE { }", {"t": literal})
    rows = StoreSource(seed_store).select(query)
    assert rows == [{"t": literal}]


def test_values_refuses_iris_that_would_break_the_query():
    with pytest.raises(QueryError):
        with_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": URIRef("http://e/a> } ; DROP ALL")})


def test_add_reopens_the_store_for_writing(tmp_path, seed_store):
    copy = tmp_path / "copy.db"
    shutil.copytree(seed_store, copy)
    store = StoreSource(copy)
    new = (
        URIRef(IGD + "x"),
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        Literal("Brand new"),
    )
    store.add([new])
    del store
    assert list(StoreSource(copy).triples((new[0], None, None))) == [new]


def test_cli_load_then_commands_read_the_store(invoke, tmp_path, repo_root):
    db = tmp_path / "cli.db"
    result = invoke(
        "load", str(repo_root / "data" / "triples.ttl"), "--store", str(db), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["added"] == summary["triples"] > 800
    from_store = json.loads(invoke("--store", str(db), "stats", "--format", "json").output)
    assert from_store == json.loads(invoke("stats", "--format", "json").output)
    assert invoke("--store", str(db), "validate").exit_code == 0
    again = json.loads(
        invoke(
            "--store",
            str(db),
            "load",
            str(repo_root / "data" / "triples.ttl"),
            "--no-optimize",
            "--format",
            "json",
        ).output
    )
    assert again["added"] == 0
    assert again["optimize_seconds"] == 0


def test_store_from_environment(invoke, seed_store):
    result = invoke("stats", "--format", "json", env={"INFLUENCEGRAPH_STORE": str(seed_store)})
    assert result.exit_code == 0
    assert json.loads(result.output)["claims"] == 25


def test_malformed_file_is_exit_2_with_file_and_line(invoke, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c .\nex:d ex:e .\n", encoding="utf-8"
    )
    result = invoke("load", str(bad), "--store", str(tmp_path / "db"))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {bad}:4: malformed Turtle: ")
    assert len(result.output.strip().splitlines()) == 1


def test_a_failed_turtle_file_leaves_nothing_of_itself(tmp_path):
    good, bad = tmp_path / "good.nt", tmp_path / "bad.ttl"
    good.write_text("<http://e/a> <http://e/p> <http://e/b> .\n", encoding="utf-8")
    bad.write_text("<http://e/c> <http://e/p> <http://e/d> .\n<http://e/x> .\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_files(tmp_path / "db", [good, bad], with_ontology=False)
    assert caught.value.line == 2
    triples = set(StoreSource(tmp_path / "db").triples((None, None, None)))
    assert {str(s) for s, _, _ in triples} == {"http://e/a"}


def test_sliced_loading_gives_the_same_store_and_true_line_numbers(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.nt"
    generate_corpus(corpus, documents=60, seed=4)
    monkeypatch.setitem(load_module.SLICE_BYTES, "N-Triples", 50_000)
    pieces = list(load_module.pieces(corpus, "N-Triples", corpus.stat().st_size))
    assert len(pieces) >= 4
    sliced = load_files(tmp_path / "a.db", [corpus], workers=2)
    whole = load_files(tmp_path / "b.db", [corpus], workers=1)
    assert sliced.triples == whole.triples > 1500
    assert (
        graph_stats(StoreSource(tmp_path / "a.db")).as_dict()
        == graph_stats(StoreSource(tmp_path / "b.db")).as_dict()
    )

    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = len(lines) - 10
    lines[broken - 1] = "<http://e/oops> <http://e/p> .\n"
    bad = tmp_path / "bad.nt"
    bad.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_files(tmp_path / "c.db", [bad], workers=2)
    assert caught.value.line == broken
    assert "load it again" in caught.value.reason


def test_blank_nodes_keep_a_file_in_one_piece(tmp_path, monkeypatch):
    path = tmp_path / "bnodes.nt"
    rows = [f'_:b <http://e/p> "{i}" .\n' for i in range(2000)]
    path.write_text("".join(rows), encoding="utf-8")
    monkeypatch.setitem(load_module.SLICE_BYTES, "N-Triples", 1000)
    assert list(load_module.pieces(path, "N-Triples", path.stat().st_size)) == [
        load_module.Piece(0, path.stat().st_size)
    ]
    load_files(tmp_path / "db", [path], with_ontology=False)
    subjects = {s for s, _, _ in StoreSource(tmp_path / "db").triples((None, None, None))}
    assert len(subjects) == 1


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "no store at"),
        (
            lambda p: (p.mkdir(), (p / "notes.txt").write_text("x")),
            "is not an influencegraph store",
        ),
        (lambda p: p.write_text("x"), "is a file, not a store directory"),
    ],
)
def test_bad_store_paths_are_exit_2_one_line(invoke, tmp_path, make, message):
    target = tmp_path / "db"
    make(target)
    result = invoke("--store", str(target), "stats")
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_store_is_refused_with_an_error_not_opened_twice(tmp_path, seed_store):
    with pytest.raises(SourceError, match="cannot be combined"):
        open_source([tmp_path / "x.ttl"], store=seed_store)


def test_sources_conflict_on_the_command_line_but_not_with_the_environment(
    invoke, seed_store, repo_root
):
    both = invoke(
        "--data", str(repo_root / "data" / "triples.ttl"), "--store", str(seed_store), "stats"
    )
    assert both.exit_code == 2
    assert "--data and --store cannot be combined" in both.output
    env = {"INFLUENCEGRAPH_ENDPOINT": "http://127.0.0.1:9/unused"}
    assert invoke("--store", str(seed_store), "stats", env=env).exit_code == 0
    two_env = invoke("stats", env={**env, "INFLUENCEGRAPH_STORE": str(seed_store)})
    assert two_env.exit_code == 2
    assert "from the environment" in two_env.output


def test_load_needs_a_store_and_known_formats(invoke, tmp_path, repo_root):
    data = str(repo_root / "data" / "triples.ttl")
    assert "load needs a store directory" in invoke("load", data).output
    other = invoke("--store", str(tmp_path / "a"), "load", data, "--store", str(tmp_path / "b"))
    assert other.exit_code == 2
    xml = tmp_path / "x.rdf"
    xml.write_text("<rdf:RDF/>", encoding="utf-8")
    refused = invoke("load", str(xml), "--store", str(tmp_path / "db"))
    assert refused.exit_code == 2
    assert "unsupported file type '.rdf'" in refused.output
    assert not (tmp_path / "db").exists()


def test_progress_reports_every_byte_read(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.nt"
    generate_corpus(corpus, documents=40, seed=9)
    monkeypatch.setitem(load_module.SLICE_BYTES, "N-Triples", 30_000)
    seen: list[int] = []
    summary = load_files(tmp_path / "db", [corpus], progress=seen.append, workers=2)
    assert seen == sorted(seen)
    assert seen[-1] == summary.bytes > corpus.stat().st_size


def test_load_and_data_read_the_same_file_types(invoke, tmp_path):
    """`load` and `--data` take the same suffixes: a `.nquads` file both ways, same answer."""
    from influencegraph.graph import FORMAT_BY_SUFFIX

    assert {load_module.load_format(f"x{suffix}") for suffix in FORMAT_BY_SUFFIX} == {
        "Turtle",
        "N-Triples",
        "N-Quads",
        "TriG",
    }
    quads = tmp_path / "graph.nquads"
    quads.write_text(
        "<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"A" <https://example.org/g> .\n',
        encoding="utf-8",
    )
    assert invoke("load", str(quads), "--store", str(tmp_path / "db")).exit_code == 0
    by_store = json.loads(
        invoke("--store", str(tmp_path / "db"), "stats", "--format", "json").output
    )
    by_file = json.loads(invoke("--data", str(quads), "stats", "--format", "json").output)
    assert by_store == by_file


@pytest.mark.parametrize(
    "where, message",
    [
        ("afile", "afile is a file, not a store directory"),
        ("afile/store", "cannot create the store folder"),
        ("/proc/no-such-process/store", "cannot create the store folder"),
    ],
)
def test_load_onto_impossible_store_paths_is_one_line_exit_2(
    invoke, tmp_path, repo_root, monkeypatch, where, message
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    result = invoke("load", str(repo_root / "data" / "triples.ttl"), "--store", where)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_load_into_a_read_only_folder_is_one_line_exit_2(invoke, tmp_path, repo_root, monkeypatch):
    from pathlib import Path

    def refuse(self, *args, **kwargs):  # as in a read-only folder (root ignores chmod)
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    result = invoke(
        "load", str(repo_root / "data" / "triples.ttl"), "--store", str(tmp_path / "ro" / "store")
    )
    assert result.exit_code == 2
    assert "cannot create the store folder" in result.output
    assert "Permission denied" in result.output


_INTERRUPTIBLE = """
import sys, threading, time
import influencegraph.load as L
L.SLICE_BYTES["N-Triples"] = 4000
read_all, count = L._Reader.read_all, []
def slow(self):
    count.append(1)
    if len(count) == 2:
        print("loading", file=sys.stderr, flush=True)
    time.sleep(0.1)
    return read_all(self)
L._Reader.read_all = slow
import atexit
atexit.register(lambda: print(f"pieces read: {len(count)}", file=sys.stderr, flush=True))
from influencegraph.cli import main
sys.argv = ["influencegraph", "load", sys.argv[1], "--store", sys.argv[2]]
main()
"""


def test_ctrl_c_during_load_stops_soon_and_says_what_the_store_holds(tmp_path, monkeypatch):
    """SIGINT to a real `load`: queued pieces are dropped, not loaded; the message says
    which file is partly loaded and how many triples the store holds (no 'Aborted!')."""
    import signal
    import subprocess
    import sys

    corpus = tmp_path / "corpus.nt"
    generate_corpus(corpus, documents=60, seed=4)
    monkeypatch.setitem(load_module.SLICE_BYTES, "N-Triples", 4000)
    total = len(list(load_module.pieces(corpus, "N-Triples", corpus.stat().st_size)))
    load = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTIBLE, str(corpus), str(tmp_path / "db")],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert load.stderr.readline().strip() == "loading"
    load.send_signal(signal.SIGINT)
    _, err = load.communicate(timeout=120)
    assert load.returncode == 1, err
    assert "interrupted: " in err and "corpus.nt was loaded in part" in err
    assert "the store at" in err and "triples" in err and "Aborted" not in err
    read = int(err.rsplit("pieces read: ", 1)[1].split()[0])
    assert total > 40 and read < total / 2
