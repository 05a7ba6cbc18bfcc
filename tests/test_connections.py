"""`connections`: links through any relation, inferred links marked, shortest only."""

from __future__ import annotations

import json
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from influencegraph.connections import find_connections
from influencegraph.projection import relation_graph


def test_the_chair_reaches_the_charity_through_a_member_it_employs(seed_source):
    result = find_connections(seed_source, "Anthony Heath", "The Challenge")
    assert len(result.connections) == 1
    links = result.connections[0]
    assert [(link.subject, link.relation, link.object) for link in links] == [
        ("Anthony Heath", "Chair of", "If you could do one thing... working group"),
        ("Ralph Scott", "Member of", "If you could do one thing... working group"),
        ("Ralph Scott", "Research Manager of", "The Challenge Network"),
        ("The Challenge Network", "same organisation as (inferred)", "The Challenge"),
    ]
    assert [link.inferred for link in links] == [False, False, False, True]
    assert "neither page states that they are the same organisation" in links[-1].reason
    assert links[0].also == ("chairs",)  # the claim the academy makes, too
    assert all(link.evidence for link in links)


def test_connections_agree_with_networkx_on_the_whole_graph(seed_source):
    import networkx as nx

    whole = relation_graph(seed_source)
    index = {attrs["label"]: iri for iri, attrs in whole.nodes(data=True)}
    for a, b in [
        ("Anthony Heath", "The Challenge"),
        ("Chuka Umunna", "Key lessons"),
        ("Paul Hamlyn Foundation", "Ralph Scott"),
    ]:
        result = find_connections(seed_source, a, b, max_hops=8)
        expected = {tuple(p) for p in nx.all_shortest_paths(whole, index[a], index[b])}
        got = set()
        for links in result.connections:
            route = [index[a]]
            for link in links:
                route.append(link.object_iri if link.subject_iri == route[-1] else link.subject_iri)
            got.add(tuple(route))
        assert got == expected


def test_cli_connections_json(invoke):
    result = invoke("connections", "Anthony Heath", "The Challenge", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert list(data) == ["from", "to", "max_hops", "truncated", "paths"]
    hops = data["paths"][0]["hops"]
    assert data["paths"][0]["length"] == len(hops) == 4
    assert hops[-1]["inferred"] is True and hops[-1]["reason"]


def test_too_few_hops_is_exit_1(invoke):
    result = invoke("connections", "Anthony Heath", "The Challenge", "--max-hops", "3")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "no connection between 'Anthony Heath' and 'The Challenge' within 3 hops"
    )


def test_unconnected_entities_are_exit_1(invoke, turtle_file):
    path = turtle_file(':a a ig:Report ; rdfs:label "A" .\n:b a ig:Report ; rdfs:label "B" .\n')
    result = invoke("--data", str(path), "connections", "A", "B")
    assert result.exit_code == 1
    assert "no connection between 'A' and 'B'" in result.output


@st.composite
def relation_graphs(draw):
    n = draw(st.integers(2, 7))
    links = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.sampled_from(["member", "claim", "part"]),
            ),
            max_size=10,
        )
    )
    a, b = draw(st.permutations(range(n)))[:2]
    return n, [link for link in links if link[0] != link[1]], a, b


def build(turtle_source, n, links):
    text = "".join(f':n{i} a ig:Organisation ; rdfs:label "N{i}" .\n' for i in range(n))
    for j, (x, y, kind) in enumerate(links):
        text += {
            "member": f":m{j} a org:Membership ; org:member :n{x} ; org:organization :n{y} .\n",
            "claim": f":n{y} prov:qualifiedInfluence :c{j} . "
            f":c{j} prov:influencer :n{x} ; ig:kind ig:funds .\n",
            "part": f":n{x} dcterms:isPartOf :n{y} .\n",
        }[kind]
    return turtle_source(text)


@settings(max_examples=30, deadline=None)
@given(relation_graphs(), st.integers(1, 5))
def test_connections_on_generated_graphs_are_shortest_and_real(turtle_source, graph, hops):
    n, links, a, b = graph
    source = build(turtle_source, n, links)
    result = find_connections(source, f"N{a}", f"N{b}", max_hops=hops)
    pairs = {frozenset((f"N{x}", f"N{y}")) for x, y, _ in links}
    # the true distance, by BFS over the generated links
    adjacency: dict[int, set[int]] = {}
    for x, y, _ in links:
        adjacency.setdefault(x, set()).add(y)
        adjacency.setdefault(y, set()).add(x)
    distance, queue = {a: 0}, [a]
    for node in queue:
        for far in adjacency.get(node, ()):
            if far not in distance:
                distance[far] = distance[node] + 1
                queue.append(far)
    if b not in distance or distance[b] > hops:
        assert result.connections == []
        return
    assert result.connections
    for links_shown in result.connections:
        assert len(links_shown) == distance[b]
        route = [f"N{a}"]
        for link in links_shown:
            assert frozenset((link.subject, link.object)) in pairs
            route.append(link.object if link.subject == route[-1] else link.subject)
        assert route[-1] == f"N{b}" and len(set(route)) == len(route)
        assert all(frozenset(p) in pairs for p in pairwise(route))
