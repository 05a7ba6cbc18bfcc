"""Query parameters: visible ``VALUES ?x { UNDEF }`` slots, filled by queries.text.fill."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from influencegraph.errors import QueryError
from influencegraph.graph import open_source
from influencegraph.queries import load_query, query_names
from influencegraph.queries.text import fill, parameters

E = "http://e/"


def test_no_shipped_query_hides_a_parameter_in_a_comment():
    for name in query_names():
        assert "#VALUES" not in load_query(name), name


def test_shipped_queries_declare_their_slots():
    assert set(parameters(load_query("corroboration-groups"))) == {("target", "influencer", "kind")}
    assert set(parameters(load_query("corroboration-ties"))) == {"claimant", "side"}
    assert set(parameters(load_query("corroboration-members"))) == {"side"}
    assert set(parameters(load_query("dossier-scope"))) == {"entity"}


def test_an_unknown_parameter_fails_loudly():
    with pytest.raises(QueryError, match=r"unknown query parameter \?clam.*\?claim"):
        fill(load_query("corroboration-claims"), {"clam": [URIRef(E + "a")]})


def test_unbound_slots_are_dropped_and_bound_ones_filled():
    text = "SELECT * WHERE {\n  VALUES ?x { UNDEF }\n  VALUES (?a ?b) { (UNDEF UNDEF) }\n}"
    filled = fill(text, {("a", "b"): [(URIRef(E + "1"), URIRef(E + "2"))]})
    assert "VALUES (?a ?b) { (<http://e/1> <http://e/2>) }" in filled
    assert "UNDEF" not in filled


def test_a_slot_inside_a_comment_or_string_is_not_a_slot():
    text = 'SELECT * WHERE {\n  # VALUES ?x { UNDEF }\n  ?s ?p "VALUES ?y { UNDEF }" }'
    assert parameters(text) == []


def test_shipped_queries_run_as_written_and_agree_with_filled_ones():
    """A slot restricts nothing: the file as shipped gives the whole graph's answer, and
    filling the claim slot gives that claim's rows of it."""
    source = open_source(needs="read")
    text = load_query("corroboration-claims")
    whole = source.select(text)
    claim = whole[0]["claim"]
    bound = source.select(fill(text, {"claim": [claim]}, strict=False))
    assert bound == [row for row in whole if row["claim"] == claim]


@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
def test_filling_keeps_every_other_line(names):
    lines = ["SELECT * WHERE {"] + [f"  VALUES ?{n} {{ UNDEF }}" for n in names] + ["}"]
    text = "\n".join(lines)
    out = fill(text, {n: [URIRef(E + n)] for n in names}).splitlines()
    assert len(out) == len(lines)
    assert all(f"<{E}{n}>" in out[i + 1] for i, n in enumerate(names))


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_nt_terms_reach_values_as_one_term_or_are_refused(text):
    # bulk code binds N-Triples strings it wrote itself; whatever string arrives, it is
    # one VALUES term or a QueryError, never query text
    import pyoxigraph

    from influencegraph.bulk.build import literal
    from influencegraph.queries.text import with_term_values

    query = "SELECT ?o WHERE { ?s ?p ?o }"
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("http://e/s"),
            pyoxigraph.NamedNode("http://e/p"),
            pyoxigraph.Literal(text),
        )
    )
    rows = list(store.query(with_term_values(query, "o", [literal(text)])))
    assert [r[0].value for r in rows] == [text]
    try:
        pasted = with_term_values("SELECT ?o WHERE { }", "o", [text])
    except QueryError:
        return
    assert len(list(store.query(pasted))) == 1
