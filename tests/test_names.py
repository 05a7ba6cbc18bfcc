"""Names as people say them: labels, alt labels, case, suggestions, ambiguity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influencegraph.errors import AmbiguousNameError, UnknownNameError
from influencegraph.names import (
    _score,
    dated_entities,
    entities,
    name_index,
    normalise,
    resolve,
    search,
)


@pytest.mark.parametrize(
    "name,label",
    [
        ("all together now", "All Together Now"),
        ("ALL TOGETHER NOW", "All Together Now"),
        ("APPG on Social Integration", "APPG on Social Integration"),
        ("All-Party Parliamentary Group on Social Integration", "APPG on Social Integration"),
        ("ICS", "Integrated Communities Strategy Green Paper"),
        ("Lord O'Shaughnessy", "Lord O’Shaughnessy"),
        ("  Chuka   Umunna MP ", "Chuka Umunna"),
        ("igd:the-challenge", "The Challenge"),
        ("https://w3id.org/influencegraph/id/all-of-us", "All of Us"),
    ],
)
def test_resolve_by_label_alt_label_curie_or_iri(seed_source, name, label):
    assert resolve(seed_source, name).label == label


def test_unknown_name_suggests_close_labels(seed_source):
    with pytest.raises(UnknownNameError) as err:
        resolve(seed_source, "All Togther Now")
    assert err.value.suggestions[0] == "All Together Now"
    assert "did you mean 'All Together Now'" in str(err.value)


def test_ambiguous_name_lists_candidates_with_types(seed_source):
    with pytest.raises(AmbiguousNameError) as err:
        resolve(seed_source, "British Integration Survey")
    assert err.value.candidates == [
        ("British Integration Survey 2016", "Survey"),
        ("British Integration Survey 2019", "Survey"),
    ]


def test_search_ranks_substring_matches_first(seed_source):
    hits = search(seed_source, "integration survey")
    assert {h.entity.label for h in hits[:2]} == {
        "British Integration Survey 2016",
        "British Integration Survey 2019",
    }
    assert all(0 < h.score <= 1 for h in hits)
    assert hits == sorted(hits, key=lambda h: (-h.score, h.entity.label.casefold()))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_label_resolves_whatever_its_case(seed_source, data):
    index = name_index(seed_source)
    iri = data.draw(st.sampled_from(sorted(index.entities)))
    label = index.entities[iri].label
    flips = data.draw(st.lists(st.booleans(), min_size=len(label), max_size=len(label)))
    mangled = "".join(c.swapcase() if f else c for c, f in zip(label, flips, strict=True))
    assert resolve(seed_source, mangled).iri == iri


@given(st.text(max_size=40))
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


def test_an_exact_label_wins_over_folded_ones(turtle_source):
    text = (
        ':a a ig:Organisation ; rdfs:label "Ofsted" .\n'
        ':b a ig:GovernmentBody ; rdfs:label "OFSTED" .\n'
    )
    assert resolve(turtle_source(text), "OFSTED").iri == "https://example.org/b"
    assert resolve(turtle_source(text), "Ofsted").iri == "https://example.org/a"
    with pytest.raises(AmbiguousNameError):
        resolve(turtle_source(text), "ofsted")


def test_entities_names_only_labelled_typed_things(turtle_source, seed_source):
    source = turtle_source(
        ':a a ig:Report ; rdfs:label "A" .\n:b rdfs:label "B" .\n:c a ig:Report .\n'
    )
    found = entities(
        source,
        ["https://example.org/a", "https://example.org/b", "https://example.org/c", "not an iri"],
    )
    assert list(found) == ["https://example.org/a"]
    assert (found["https://example.org/a"].label, found["https://example.org/a"].type) == (
        "A",
        "Report",
    )
    some = list(name_index(seed_source).entities)[::7]
    fresh = type(seed_source)(seed_source.graph)
    assert entities(fresh, some) == {iri: name_index(seed_source).entities[iri] for iri in some}


def test_dated_entities_reads_entity_and_earliest_year_in_one_query(turtle_source):
    source = turtle_source(
        ':a a ig:Report ; rdfs:label "A" ; dcterms:issued "2019"^^xsd:gYear, "2018"^^xsd:gYear .\n'
        ':b a ig:Report, ig:Survey ; rdfs:label "B" .\n'
        ':c rdfs:label "C" ; dcterms:issued "2001"^^xsd:gYear .\n'
    )
    asked = ["https://example.org/b", "https://example.org/a", "https://example.org/c", "x y"]
    asked_queries = []
    select_text = source.select_text
    source.select_text = lambda query, *a, **k: (
        asked_queries.append(query) or select_text(query, *a, **k)
    )
    found, years = dated_entities(source, asked)
    assert list(found) == ["https://example.org/b", "https://example.org/a"]  # asked order
    assert found["https://example.org/b"].type == "Survey"
    assert years == {"https://example.org/a": "2018"}  # not C's: C is no entity
    assert len(asked_queries) == 1
    # remembered: entities() asks nothing more, and says the same
    assert entities(source, asked) == found
    assert len(asked_queries) == 1
    # with the name index built, the same answer from the index and a years query
    indexed = turtle_source(source.graph.serialize(format="turtle"))
    name_index(indexed)
    assert dated_entities(indexed, asked) == (found, years)


_LABELS = st.sampled_from(["Ofsted", "OFSTED", "Ofsted’s", "Ofsted's"])


@settings(max_examples=150, deadline=None)
@given(
    labels=st.lists(st.tuples(_LABELS, st.booleans(), st.booleans()), min_size=1, max_size=4),
    name=st.sampled_from(["Ofsted", "OFSTED", "ofsted", "Ofsted's", " Ofsted ", ":e1"]),
)
def test_direct_lookup_and_the_index_always_agree(turtle_source, labels, name):
    """Whatever the labels, resolving straight away and resolving through the whole
    index give the same entity, or the same error."""
    text = ""
    for i, (label, alt, tagged) in enumerate(labels):
        literal = f'"{label}"' + ("@en" if tagged else "")
        main = '"Other"' if alt else literal
        text += f":e{i} a ig:Report ; rdfs:label {main} .\n"
        if alt:
            text += f":e{i} skos:altLabel {literal} .\n"

    def outcome(source):
        try:
            return resolve(source, name).iri
        except (AmbiguousNameError, UnknownNameError) as exc:
            return type(exc).__name__

    direct = turtle_source(text)
    indexed = turtle_source(text)
    name_index(indexed)
    assert outcome(direct) == outcome(indexed)


@settings(max_examples=300, deadline=None)
@given(
    query=st.text(alphabet="abc de", min_size=1, max_size=12),
    label=st.text(alphabet="abcd e", min_size=1, max_size=20),
    floor=st.floats(0.0, 1.0),
)
def test_the_floor_only_skips_scores_below_it(query, label, floor):
    exact = _score(query, label)
    quick = _score(query, label, floor)
    if exact >= floor:
        assert quick == exact
    else:
        assert quick < floor


def test_invisible_characters_are_folded_and_never_suggested(tiny_source):
    from influencegraph.names import suggest, visible

    source = tiny_source(':r a ig:Report ; rdfs:label "Evil\u200fOrg" .')
    assert normalise("Evil\u200fOrg") == normalise("evilorg")
    assert resolve(source, "EvilOrg").iri == "https://example.org/r"
    with pytest.raises(UnknownNameError) as info:
        resolve(source, "EvlOrg")
    assert info.value.suggestions == ["EvilOrg"]
    assert suggest(name_index(source), "EvlOrg") == ["EvilOrg"]
    assert visible("a\u202eb\u200bc") == "abc"


def test_search_on_a_big_index_scores_trigram_candidates_like_a_full_scan(monkeypatch):
    """Above FULL_SCAN_UP_TO entities only candidates are scored: the best hits agree."""
    from influencegraph import names

    index = names.NameIndex()
    words = ["Early years", "Skills and work", "Migration", "Community cohesion", "Housing"]
    for i in range(4000):
        iri = f"https://example.org/e{i}"
        label = f"{words[i % 5]} report {1990 + i % 30} no. {i}"
        index.entities[iri] = names.Entity(iri, label, "Report")
        index.add_label(iri, label)
    index.entities["https://example.org/c"] = names.Entity(
        "https://example.org/c", "The Challenge", "Organisation"
    )
    index.add_label("https://example.org/c", "The Challenge")
    for query in ("Skils and work report 1991 no. 1231", "challnge", "Housing report"):
        fast = names.search_index(index, query, limit=3)
        monkeypatch.setattr(names, "FULL_SCAN_UP_TO", 10**9)
        full = names.search_index(index, query, limit=3)
        monkeypatch.undo()
        assert fast[0] == full[0], query
    assert (
        names.search_index(index, "Skils and work report 1991 no. 1231")[0].entity.iri
        == "https://example.org/e1231"
    )
