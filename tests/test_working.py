"""The working copy ``add`` drafts on: an Oxigraph store read by rdflib code through
``OxigraphTriples``, answering as an rdflib graph of the same triples would."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from influencegraph.edit import ClaimSpec, Draft, EntitySpec, add_entity
from influencegraph.edit.working import FileSnapshot, OxigraphTriples, WorkingCopy, working_copy
from influencegraph.errors import InfluenceGraphError
from influencegraph.graph import default_data_paths, load_graph, open_source
from influencegraph.names import name_index
from influencegraph.validate import new_violations
from influencegraph.vocab import IG, IGD, PREFIXES

EX = "https://example.org/"
DCT = PREFIXES["dcterms"]


def _view() -> Graph:
    return Graph(store=OxigraphTriples(pyoxigraph.Store()))


def test_the_view_adds_finds_and_removes_triples():
    graph = _view()
    x, p = URIRef(EX + "x"), URIRef(EX + "p")
    graph.add((x, p, Literal("a")))
    graph.add((x, p, Literal("2019", datatype=URIRef(PREFIXES["xsd"] + "gYear"))))
    graph.add((x, p, Literal("b", lang="en")))
    graph.add((x, p, Literal("a")))  # a set: no duplicate
    assert len(graph) == 3
    assert (x, p, Literal("a")) in graph
    assert (x, p, Literal("a", lang="en")) not in graph
    assert set(graph.objects(x, p)) == {
        Literal("a"),
        Literal("2019", datatype=URIRef(PREFIXES["xsd"] + "gYear")),
        Literal("b", lang="en"),
    }
    graph.remove((x, p, None))
    assert len(graph) == 0


def test_the_view_answers_impossible_patterns_with_nothing():
    graph = _view()
    x, p = URIRef(EX + "x"), URIRef(EX + "p")
    graph.add((x, p, Literal("a")))
    assert list(graph.triples((Literal("a"), None, None))) == []  # a literal as subject
    assert list(graph.triples((None, Literal("a"), None))) == []  # a literal as predicate
    assert list(graph.triples((None, BNode(), None))) == []  # a blank node as predicate
    assert list(graph.triples((URIRef("not an iri"), None, None))) == []


def test_the_view_keeps_blank_nodes_and_prefixes():
    graph = _view()
    node = BNode()
    graph.add((URIRef(EX + "x"), URIRef(EX + "p"), node))
    graph.add((node, RDFS.label, Literal("inner")))
    inner = graph.value(URIRef(EX + "x"), URIRef(EX + "p"))
    assert graph.value(inner, RDFS.label) == Literal("inner")
    graph.bind("ex", EX)
    assert ("ex", URIRef(EX)) in set(graph.namespaces())


def test_a_working_copy_holds_the_source_and_leaves_it_alone():
    source = open_source()
    before = sum(1 for _ in source.triples((None, None, None)))
    copy = working_copy(source)
    assert isinstance(copy, WorkingCopy) and copy.parsed_by == "oxigraph"
    assert isomorphic(copy.graph, load_graph(default_data_paths()))
    copy.add([(URIRef(EX + "new"), RDFS.label, Literal("New"))])
    assert (URIRef(EX + "new"), RDFS.label, Literal("New")) in copy.graph
    assert sum(1 for _ in source.triples((None, None, None))) == before


def test_a_working_copy_of_rdflib_triples_says_rdflib_parsed_them(tmp_path):
    source = open_source(needs="edit")
    copy = working_copy(source)
    assert copy.parsed_by == "rdflib"
    assert isomorphic(copy.graph, source.graph)
    assert working_copy(copy).parsed_by == "rdflib"


def test_a_working_copy_merges_named_graphs(tmp_path):
    path = tmp_path / "g.nq"
    path.write_text(
        f"<{EX}a> <{EX}p> <{EX}b> <{EX}g1> .\n"
        f"<{EX}a> <{EX}p> <{EX}b> <{EX}g2> .\n"
        f"<{EX}a> <{EX}p> <{EX}c> .\n",
        encoding="utf-8",
    )
    store = pyoxigraph.Store()
    store.load(path.read_text(encoding="utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    from influencegraph.graph import OxigraphSource

    copy = working_copy(OxigraphSource(store))
    assert len(copy.graph) == 2
    assert not list(copy.store.named_graphs())
    assert len(store) == 3  # the source keeps its graphs


def test_a_file_snapshot_goes_straight_into_the_copy(tmp_path):
    snapshot = FileSnapshot(default_data_paths())
    copy = working_copy(snapshot)
    assert not snapshot.loaded  # parsed once, into the copy only
    assert isomorphic(copy.graph, load_graph(default_data_paths()))
    assert snapshot.select("ASK { ?s a ig:Organisation }") == []
    assert snapshot.loaded
    again = working_copy(snapshot)  # loaded now: copied like any Oxigraph source
    assert len(again.graph) == len(copy.graph)


def test_a_file_snapshot_reports_a_bad_file_when_read(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("<a> <b> .\n", encoding="utf-8")
    snapshot = FileSnapshot([path])  # nothing read yet
    with pytest.raises(InfluenceGraphError, match=r"bad.ttl:1: malformed Turtle"):
        working_copy(snapshot)


def test_the_name_index_is_the_same_from_oxigraph_and_rdflib(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_text(
        "@prefix ig: <https://w3id.org/influencegraph/ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/a> a ig:Organisation ; rdfs:label "Alpha", "Alfa"@it ;\n'
        '    skos:altLabel "A"^^xsd:string, "AL"@en .\n'
        '<https://example.org/b> a ig:Person ; rdfs:label "Beta" .\n',
        encoding="utf-8",
    )
    fast, plain = name_index(open_source([path])), name_index(open_source([path], needs="edit"))
    assert fast.entities == plain.entities
    assert fast.by_key == plain.by_key
    assert fast.labels == plain.labels
    assert fast.plain == plain.plain
    assert fast.plain["A"] == {EX + "a"} and "AL" not in fast.plain and "Alfa" not in fast.plain


def _violations(graph: Graph, added: list) -> list:
    return sorted(v.key for v in new_violations(graph, added))


@pytest.mark.parametrize(
    "added",
    [
        # a claim with no source, an unknown kind and a literal influencer
        [
            (URIRef(IGD + "x-claim"), RDF.type, URIRef(IG + "InfluenceClaim")),
            (URIRef(IGD + "x-claim"), URIRef(IG + "kind"), URIRef(IG + "noSuchKind")),
            (URIRef(IGD + "x-claim"), URIRef(PREFIXES["prov"] + "influencer"), Literal("x")),
        ],
        # an entity with a label and no type or source
        [(URIRef(IGD + "x-entity"), RDFS.label, Literal("Nobody"))],
        # a work that gives an existing work a source that is not a source document
        [(URIRef(IGD + "all-together-now"), URIRef(DCT + "source"), URIRef(IGD + "the-challenge"))],
    ],
    ids=["claim", "entity", "source"],
)
def test_the_focused_check_finds_the_same_on_the_view(added):
    plain = load_graph(default_data_paths())
    copy = working_copy(open_source())
    for triple in added:
        plain.add(triple)
    copy.add(added)
    found = _violations(copy.graph, added)
    assert found  # something to compare
    assert found == _violations(plain, added)
    assert len(copy.graph) == len(plain)  # the check put back what it took out


def test_the_time_order_check_runs_on_the_view(data_copy):
    draft = Draft(open_source([data_copy]))
    assert not draft.add_claim(
        ClaimSpec(
            "Social mixing in the workplace",
            "A Sense of Belonging",
            "endorses",
            evidence="q",
            document="Policy Impact",
        )
    )
    found = new_violations(draft.work.graph, draft.fresh)
    assert [v.check for v in found] == ["time-order"]
    assert "runs backwards in time" in found[0].message


@pytest.mark.parametrize("needs", ["read", "edit"])
def test_the_append_check_compares_like_with_like(tmp_path, tiny_graph_text, needs):
    """rdflib reads " 5 "^^xsd:integer as "5", Oxigraph keeps it as written: the new text
    is parsed by the parser that read the graph, so a file with such a literal can grow."""
    path = tmp_path / "g.ttl"
    path.write_text(
        tiny_graph_text
        + '\n<https://example.org/n> <https://example.org/count> " 5 "^^'
        + "<http://www.w3.org/2001/XMLSchema#integer> .\n",
        encoding="utf-8",
    )
    source = open_source([path], needs=needs)
    result = add_entity(
        source, path, EntitySpec("Person", "Ada", evidence="q", document="Tiny page")
    )
    assert result.written and result.triples_added == 4


def test_the_append_check_refuses_a_triple_nobody_asked_for(tmp_path, tiny_graph_text):
    import influencegraph.edit.writer as writer

    path = tmp_path / "g.ttl"
    path.write_text(tiny_graph_text, encoding="utf-8")
    draft = Draft(FileSnapshot([path]))
    assert not draft.add_entity(EntitySpec("Person", "Ada", evidence="q", document="Tiny page"))
    wanted = set(draft.triples())
    text = path.read_text(encoding="utf-8")
    block = writer.render_turtle(draft.blocks, writer.declared_prefixes(text))
    writer._check_append(text + "\n" + block, wanted, draft.work, "turtle", path)  # as meant
    extra = f"<{EX}stray> <{EX}p> <{EX}o> .\n"
    with pytest.raises(InfluenceGraphError, match="would not say exactly"):
        writer._check_append(text + "\n" + block + extra, wanted, draft.work, "turtle", path)
    with pytest.raises(InfluenceGraphError, match="would not say exactly"):  # one missing
        writer._check_append(text, wanted, draft.work, "turtle", path)
    with pytest.raises(InfluenceGraphError, match="did not parse"):
        writer._check_append(text + "\n" + block + "<x", wanted, draft.work, "turtle", path)
    # a blank node in the file is no evidence either way (the block has none)
    writer._check_append(
        text + "\n" + block + f"[] <{EX}p> <{EX}o> .\n", wanted, draft.work, "turtle", path
    )


def test_a_draft_on_a_snapshot_leaves_the_file_source_unread(tmp_path, tiny_graph_text):
    path = tmp_path / "g.ttl"
    path.write_text(tiny_graph_text, encoding="utf-8")
    snapshot = FileSnapshot([Path(path)])
    add_entity(snapshot, path, EntitySpec("Person", "Ada", evidence="q", document="Tiny page"))
    assert not snapshot.loaded
