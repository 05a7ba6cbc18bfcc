"""Names as people say them: labels, alt labels, case, suggestions, ambiguity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influencegraph.errors import AmbiguousNameError, UnknownNameError
from influencegraph.names import name_index, normalise, resolve, search


@pytest.mark.parametrize("name,label", [
    ("all together now", "All Together Now"),
    ("ALL TOGETHER NOW", "All Together Now"),
    ("APPG on Social Integration", "APPG on Social Integration"),
    ("All-Party Parliamentary Group on Social Integration", "APPG on Social Integration"),
    ("ICS", "Integrated Communities Strategy Green Paper"),
    ("Lord O'Shaughnessy", "Lord O’Shaughnessy"),
    ("  Chuka   Umunna MP ", "Chuka Umunna"),
    ("igd:the-challenge", "The Challenge"),
    ("https://w3id.org/influencegraph/id/all-of-us", "All of Us"),
])
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
    assert err.value.candidates == [("British Integration Survey 2016", "Survey"),
                                    ("British Integration Survey 2019", "Survey")]


def test_search_ranks_substring_matches_first(seed_source):
    hits = search(seed_source, "integration survey")
    assert {h.entity.label for h in hits[:2]} == {"British Integration Survey 2016",
                                                  "British Integration Survey 2019"}
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
