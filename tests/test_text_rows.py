"""Rows as text (``Source.select_text``): Oxigraph's fast path gives exactly what the
general path (rdflib terms, then ``str()``) gives, row for row and in the same order."""

from __future__ import annotations

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st

from influencegraph.graph import Source, StoreSource
from influencegraph.graph import oxigraph as oxigraph_module
from influencegraph.graph.terms import IRI, oxigraph_converter, oxigraph_texter
from influencegraph.names import _YEARS, name_index
from influencegraph.projection import ALL_RELATIONS
from influencegraph.queries.text import values_block

XSD = "http://www.w3.org/2001/XMLSchema#"

LITERALS = [
    ("plain", None, None),
    ("", None, None),
    ('say "hi"\n', None, None),
    ("hallo", "de", None),
    ("1990", None, "gYear"),
    ("-0050", None, "gYear"),
    ("1990Z", None, "gYear"),
    ("not a year", None, "gYear"),
    ("2018-03", None, "gYearMonth"),
    ("2018-03Z", None, "gYearMonth"),
    ("2018-03-01", None, "date"),
    ("2018-03-01Z", None, "date"),
    ("2018-03-01+05:00", None, "date"),
    ("2018-03-01T10:00:00Z", None, "dateTime"),
    ("1", None, "boolean"),
    ("false", None, "boolean"),
    ("01", None, "integer"),
    ("1.50", None, "decimal"),
    ("x", None, "anyURI"),
]


def test_texter_gives_what_str_of_the_rdflib_term_gives():
    """Every literal as Oxigraph hands it back (canonical forms included), an IRI and a
    blank node: the text without rdflib equals ``str()`` of the converted term."""
    store = pyoxigraph.Store()
    subject, predicate = pyoxigraph.NamedNode("http://e/s"), pyoxigraph.NamedNode("http://e/p")
    for value, language, datatype in LITERALS:
        literal = (
            pyoxigraph.Literal(value, language=language)
            if language
            else pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + datatype))
            if datatype
            else pyoxigraph.Literal(value)
        )
        store.add(pyoxigraph.Quad(subject, predicate, literal))
    store.add(pyoxigraph.Quad(subject, predicate, pyoxigraph.NamedNode("http://e/o")))
    store.add(pyoxigraph.Quad(subject, predicate, pyoxigraph.BlankNode("b1")))
    text, convert = oxigraph_texter(), oxigraph_converter()
    objects = [quad.object for quad in store]
    assert len(objects) == len(LITERALS) + 2
    assert [text(o) for o in objects] == [str(convert(o)) for o in objects]


def test_iris_as_text_are_written_as_their_rdflib_terms_are():
    from rdflib import URIRef

    iris = ["http://e/a", "http://e/b c", "urn:x:1", "http://e/<x>"]
    written = values_block("s", [IRI(i) for i in iris])
    assert written == values_block("s", [URIRef(i) for i in iris])
    assert written == "VALUES ?s { <http://e/a> <urn:x:1> }"


@pytest.mark.parametrize("batch", [7, 2_000])
def test_store_text_rows_equal_the_general_path(seed_store, monkeypatch, batch):
    """Each relation's query bound at either end, and the years query: the same rows in
    the same order (the expansion keeps the first row of a claim); with ``ordered=False``
    the same rows, in batches smaller and larger than the general path's 200."""
    monkeypatch.setattr(oxigraph_module, "TEXT_BATCH", batch)
    source = StoreSource(seed_store)
    iris = sorted(name_index(source).entities)
    iris.append("https://example.org/not an iri")  # skipped, never pasted
    asked = 0
    for query, var in [
        *((r.query, v) for r in ALL_RELATIONS for v in (r.subject, r.object)),
        (_YEARS, "s"),
    ]:
        general = Source.select_text(source, query, var, iris)
        assert source.select_text(query, var, iris) == general
        unordered = source.select_text(query, var, iris, ordered=False)
        assert sorted(map(sorted_row, unordered)) == sorted(map(sorted_row, general))
        asked += len(general)
    assert asked > 100
    whole = ALL_RELATIONS[0].query
    assert source.select_text(whole) == Source.select_text(source, whole)


def sorted_row(row: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(row.items())


def test_a_store_answers_batches_side_by_side_in_the_same_order(seed_store, monkeypatch):
    """Batches of bound queries run on several threads in a store, and the rows come back
    exactly as one thread, batch after batch, gives them."""
    import threading

    from rdflib import URIRef

    from influencegraph.graph import base

    monkeypatch.setattr(base, "VALUES_BATCH", 5)
    monkeypatch.setattr(oxigraph_module, "VALUES_BATCH", 5)
    monkeypatch.setattr(oxigraph_module, "_cores", lambda: 2)
    source = StoreSource(seed_store)
    iris = sorted(name_index(source).entities)
    threads: set[int] = set()
    text_rows = source._text_rows

    def noting(sparql: str) -> list[dict[str, str]]:
        threads.add(threading.get_ident())
        return text_rows(sparql)

    monkeypatch.setattr(source, "_text_rows", noting)

    def one_by_one(answer, queries):
        return Source.answer_each(source, answer, queries)

    rows = 0
    for relation in ALL_RELATIONS:
        query, var = relation.query, relation.subject
        side_by_side = (
            source.select_text(query, var, iris),
            source.select_bound(query, var, [URIRef(i) for i in iris]),
        )
        with monkeypatch.context() as m:
            m.setattr(source, "answer_each", one_by_one)
            alone = (
                source.select_text(query, var, iris),
                source.select_bound(query, var, [URIRef(i) for i in iris]),
            )
        assert side_by_side == alone
        rows += len(alone[0])
    assert len(iris) > 20 and rows > 20
    assert source.select_text(_YEARS, "s", [], ordered=False) == []
    assert threading.get_ident() in threads and len(threads) > 1  # workers, then one by one


def test_details_on_predicates_the_graph_lacks_are_left_out_with_the_same_rows(monkeypatch):
    """A store without ``ig:inferred`` and ``ig:reason`` is sent the claims query without
    those two OPTIONALs, and answers the rows the whole query gives; a store that has
    them keeps them."""
    from influencegraph.graph import OxigraphMemorySource, default_data_paths
    from influencegraph.projection import _select
    from influencegraph.vocab import expand

    ig = "https://w3id.org/influencegraph/ns#"
    claims = ALL_RELATIONS[0].query
    store = pyoxigraph.Store()
    claim, doc = pyoxigraph.NamedNode("http://e/c"), pyoxigraph.NamedNode("http://e/d")
    for s, p, o in [
        (doc, pyoxigraph.NamedNode(expand("prov:qualifiedInfluence")), claim),
        (
            claim,
            pyoxigraph.NamedNode(expand("prov:influencer")),
            pyoxigraph.NamedNode("http://e/x"),
        ),
        (claim, pyoxigraph.NamedNode(ig + "kind"), pyoxigraph.NamedNode(ig + "cites")),
        (claim, pyoxigraph.NamedNode(ig + "evidence"), pyoxigraph.Literal("a quote")),
    ]:
        store.add(pyoxigraph.Quad(s, p, o))
    bare = oxigraph_module.OxigraphSource(store)
    assert not bare.holds(ig + "reason") and bare.holds(ig + "evidence")
    assert Source().holds(ig + "reason")  # an endpoint is not asked: kept

    sent: list[str] = []
    text_rows = bare._text_rows
    monkeypatch.setattr(bare, "_text_rows", lambda q: sent.append(q) or text_rows(q))
    rows = _select(bare, claims, "x", ["http://e/x"])
    assert rows == Source.select_text(bare, claims, "x", ["http://e/x"])
    assert rows and rows[0]["evidence"] == "a quote"
    assert "ig:evidence" in sent[0] and "ig:reason" not in sent[0] and "ig:inferred" not in sent[0]

    seeds = OxigraphMemorySource(default_data_paths())
    assert seeds.holds(ig + "reason")
    full = _select(seeds, claims, None, None)
    assert full == seeds.select_text(claims)


def test_slots_filled_with_iris_as_text_give_the_general_paths_rows(seed_store):
    """The corroboration queries with parameter slots, bound or filled with IRIs as text
    in a store, answer what the general path (rdflib terms) answers, row for row."""
    from influencegraph.corroboration import TIES_CLAIMANTS
    from influencegraph.queries import load_query

    source = StoreSource(seed_store)
    iris = sorted(name_index(source).entities)
    iris.append("https://example.org/not an iri")  # skipped, never pasted
    sides = load_query("corroboration-sides")
    assert source.select_text(sides, "entity", iris) == Source.select_text(
        source, sides, "entity", iris
    )
    asked = 0
    for name, var, batch in [
        ("corroboration-ties", "claimant", TIES_CLAIMANTS),
        ("corroboration-ties", "claimant", 3),
        ("corroboration-members", "side", 7),
    ]:
        query = load_query(name)
        ours = source.select_filled_text(query, var, iris, batch=batch)
        assert ours == Source.select_filled_text(source, query, var, iris, batch=batch)
        asked += len(ours)
    assert asked > 30


@given(st.text())
def test_a_label_is_bound_as_one_literal_whatever_it_holds(text):
    """Any name a user types reaches the exact-label query as one literal, written as
    rdflib would write it; it cannot end the literal or add a pattern."""
    from rdflib import Literal

    from influencegraph.graph import sparql_term
    from influencegraph.graph.terms import literal_term
    from influencegraph.names import _EXACT_QUERY
    from influencegraph.queries.text import with_term_values

    written = literal_term(text)
    assert written == sparql_term(Literal(text))
    assert with_term_values(_EXACT_QUERY, "name", [written]).count("VALUES ?name {") == 1


def test_influence_on_a_store_never_imports_rdflib(seed_store, tmp_path):
    """Naming an entity, growing its neighbourhood, judging statuses and writing JSON read
    only text on a store: rdflib's import (about 0.07 s) is not spent."""
    import subprocess
    import sys

    script = tmp_path / "run.py"
    script.write_text(
        "import sys\n"
        "from influencegraph.cli import cli\n"
        "try:\n"
        f"    cli(['--store', {str(seed_store)!r}, 'influence', 'The Challenge',"
        " '--depth', '3', '--format', 'json'])\n"
        "except SystemExit as end:\n"
        "    assert not end.code, end.code\n"
        "print('rdflib' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"hops"' in done.stdout and "Integrated Communities" in done.stdout
    assert done.stderr.strip() == "False"
