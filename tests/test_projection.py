"""Bounded projection: hop-by-hop neighbourhoods agree with the whole projection."""

from __future__ import annotations

import networkx as nx
import pytest

from influencegraph.graph import Source
from influencegraph.names import name_index, resolve
from influencegraph.projection import (
    expand,
    influence_graph,
    relation_graph,
    relations_around,
)
from influencegraph.render import select_view


@pytest.mark.parametrize(
    "name,direction,depth",
    [
        ("The Challenge", "downstream", 2),
        ("Integrated Communities Strategy", "upstream", 3),
        ("Anthony Heath", "both", 2),
    ],
)
def test_expand_equals_the_whole_projection_cut_to_depth(seed_source, name, direction, depth):
    start = resolve(seed_source, name).iri
    relations = "all" if direction == "both" else "influence"
    hood = expand(seed_source, [start], direction, depth, relations=relations)
    whole = relation_graph(seed_source) if direction == "both" else influence_graph(seed_source)
    walk = {
        "downstream": whole,
        "upstream": whole.reverse() if whole.is_directed() else whole,
        "both": whole,
    }[direction]
    distance = nx.single_source_shortest_path_length(walk, start, cutoff=depth)
    near = {n for n, d in distance.items() if d < depth}
    if direction == "both":
        wanted = {frozenset((x, y)) for x, y in whole.edges() if x in near or y in near}
        got = {frozenset((x, y)) for x, y, _ in hood.edges.values()}
    else:
        end = 0 if direction == "downstream" else 1
        wanted = {(x, y) for x, y in whole.edges() if (x, y)[end] in near}
        got = {(x, y) for x, y, _ in hood.edges.values()}
    assert got == wanted
    assert hood.distance == distance
    graph = hood.to_networkx()
    assert graph.number_of_edges() == len(hood.edges)
    assert graph.nodes[start]["label"] == resolve(seed_source, name).label


def test_default_select_bound_matches_the_memory_source(seed_source):
    """The VALUES-block default (stores, endpoints) and rdflib's prepared path agree."""
    from rdflib import URIRef

    from influencegraph.names import name_index
    from influencegraph.projection import ALL_RELATIONS

    iris = [URIRef(i) for i in sorted(name_index(seed_source).entities)]
    iris.append(URIRef("https://example.org/not an iri"))  # skipped, never pasted

    def canon(rows):
        return sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)

    for relation in ALL_RELATIONS:
        for var in (relation.subject, relation.object):
            fast = seed_source.select_bound(relation.query, var, iris)
            default = Source.select_bound(seed_source, relation.query, var, iris)
            assert fast and canon(fast) == canon(default)


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_relations_around_are_the_whole_graphs_view_near_the_centre(seed_source, depth):
    whole = relation_graph(seed_source)

    def edges(graph):
        return {
            (frozenset((x, y)), a["kind"], a.get("claim")) for x, y, a in graph.edges(data=True)
        }

    centres = [
        iri for iri, e in name_index(seed_source).entities.items() if e.type != "Source document"
    ]
    assert len(centres) > 40
    for centre in centres:
        view = select_view(whole, around=centre, depth=depth)
        near = relations_around(seed_source, centre, depth)
        assert dict(near.nodes(data=True)) == dict(view.nodes(data=True)), centre
        assert edges(near) == edges(view), centre
