"""``publish``'s shared reads: :class:`~influencegraph.explorer.sitedata.SiteSource` answers
the bound queries the pages ask exactly as the source does, from tables read once."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from influencegraph import facts
from influencegraph.corroboration import GROUP_KEY, TIES_CLAIMANTS, claim_statuses
from influencegraph.explorer import pages
from influencegraph.explorer.addresses import Links
from influencegraph.explorer.sitedata import SiteSource, site_source
from influencegraph.explorer.views import render
from influencegraph.graph import open_source
from influencegraph.names import _YEARS, name_index
from influencegraph.projection import ALL_RELATIONS
from influencegraph.queries import load_query
from influencegraph.vocab import IGD

CHALLENGE = IGD + "the-challenge"


@pytest.fixture(scope="module")
def ox():
    return open_source()


@pytest.fixture
def site(ox):
    return site_source(ox)


def some_entities(ox, n=12):
    return [URIRef(iri) for iri in sorted(name_index(ox).entities)[::4][:n]]


def test_relation_rows_match_the_source_in_order(ox, site):
    chosen = some_entities(ox)
    for relation in ALL_RELATIONS:
        for var in (relation.subject, relation.object):
            assert site.select_bound(relation.query, var, chosen) == ox.select_bound(
                relation.query, var, chosen
            )
    assert site.select_bound(_YEARS, "s", chosen) == ox.select_bound(_YEARS, "s", chosen)


def test_counts_match_the_source(ox, site):
    chosen = some_entities(ox, 30)
    total = 0
    for relation in ALL_RELATIONS:
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ {relation.core} }}"
        for var in (relation.subject, relation.object):
            ours = site.select_bound(count, var, chosen)
            theirs = ox.select_bound(count, var, chosen)
            assert sum(int(r["n"]) for r in ours) == sum(int(r["n"]) for r in theirs)
            total += sum(int(r["n"]) for r in ours)
    assert total > 0  # something was counted


def test_one_binding_answers_without_the_projected_variable(ox, site):
    node = URIRef(CHALLENGE)
    for query in (facts._OUT, facts._IN, facts._CLAIMS_MADE):
        ours = site.select(query, {"e": node})
        assert ours == ox.select(query, {"e": node})
        assert ours and all("e" not in row for row in ours)


def test_filled_queries_match_the_source(ox, site):
    claimants = sorted({str(r["c"]) for r in ox.select("SELECT ?c WHERE { ?x ig:claimant ?c }")})
    terms = [URIRef(c) for c in claimants]
    ties = load_query("corroboration-ties")
    ours = site.select_filled(ties, "claimant", terms, batch=TIES_CLAIMANTS)
    theirs = ox.select_filled(ties, "claimant", terms, batch=TIES_CLAIMANTS)
    assert ours and sorted(map(sorted, (r.items() for r in ours))) == sorted(
        map(sorted, (r.items() for r in theirs))
    )
    keys = [
        tuple(map(URIRef, k))
        for k in sorted({(s.target, s.influencer, s.kind) for s in claim_statuses(ox).values()})
    ]
    groups = load_query("corroboration-groups")
    assert len(site.select_filled(groups, GROUP_KEY, keys)) == len(
        ox.select_filled(groups, GROUP_KEY, keys)
    )


def test_tables_are_read_once_and_unknown_values_still_answered(ox, site):
    relation = ALL_RELATIONS[0]
    chosen = some_entities(ox)
    site.select_bound(relation.query, relation.subject, chosen)
    asked = site.asked
    assert asked == 1
    site.select_bound(relation.query, relation.subject, chosen[:3])
    assert site.asked == asked  # from the table
    stranger = URIRef("https://example.org/not-an-entity")
    assert site.select_bound(relation.query, relation.subject, [stranger]) == []
    assert site.asked == asked + 1  # asked of the source, once
    site.select_bound(relation.query, relation.subject, [stranger])
    assert site.asked == asked + 1


def test_unregistered_queries_and_edits_go_to_the_source(ox, site):
    query = "SELECT ?s WHERE { ?s a ig:Organisation }"
    assert site.select(query) == ox.select(query)
    assert site.asked == 0
    with pytest.raises(TypeError):
        site.add([])
    with pytest.raises(ValueError):
        SiteSource(ox).register("sideways", query, "s", list)


def test_pages_built_through_it_are_the_pages_built_without(ox, site):
    links = Links(static=True)
    for iri in sorted(name_index(ox).entities)[:15]:
        assert render(pages.entity_page(site, iri), links) == render(
            pages.entity_page(ox, iri), links
        )
    assert render(pages.dossier_page(site, CHALLENGE), links) == render(
        pages.dossier_page(ox, CHALLENGE), links
    )


def test_read_tables_reads_each_table_once_and_answers_the_same(ox):
    site = site_source(ox)
    site.read_tables()
    asked = site.asked
    assert asked == len(site._tables)
    site.read_tables()
    assert site.asked == asked
    for relation in ALL_RELATIONS[:2]:
        for var in (relation.subject, relation.object):
            values = some_entities(ox)
            assert site.select_bound(relation.query, var, values) == ox.select_bound(
                relation.query, var, values
            )
    assert site.asked == asked
