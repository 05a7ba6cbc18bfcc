"""The whole influence network in memory gives the paths ``find_paths`` grows to find."""

from __future__ import annotations

import pytest

from influencegraph.dossier import build_dossier
from influencegraph.dossier.model import POLICY_TYPES, SUBJECT_TYPES
from influencegraph.graph import open_source
from influencegraph.names import name_index
from influencegraph.network import influence_network
from influencegraph.paths import find_paths, hops_to, influence


@pytest.fixture(scope="module")
def ox():
    return open_source()


@pytest.fixture(scope="module")
def network(ox):
    return influence_network(ox)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated corpus: more entities, claims and paths to policy than the bundled graph."""
    from influencegraph.generate import generate_corpus

    path = tmp_path_factory.mktemp("network") / "corpus.ttl"
    generate_corpus(path, documents=120, seed=3)
    return open_source([path])


def pairs(ox):
    """Every subject with each policy it reaches downstream."""
    index = name_index(ox).entities
    for iri in sorted(i for i, e in index.items() if e.type in SUBJECT_TYPES):
        reached = {h.target_iri for h in influence(ox, iri, depth=6).hops}
        for goal in sorted(reached):
            if index[goal].type in POLICY_TYPES:
                yield iri, goal


def test_paths_are_those_find_paths_finds(ox, network):
    checked = 0
    for start, goal in pairs(ox):
        for limit in (1, 10):
            grown = find_paths(ox, start, goal, mode="all", limit=limit)
            ours = network.paths(ox, start, goal, limit=limit)
            assert [p.as_dict() for p in ours] == [p.as_dict() for p in grown.paths]
            assert network.every(start, goal, limit=limit)[1] == grown.truncated
            checked += bool(ours)
    assert checked >= 3  # some pairs have paths


def test_no_path_where_none_runs(ox, network):
    index = name_index(ox).entities
    policy = next(i for i, e in sorted(index.items()) if e.type in POLICY_TYPES)
    assert network.every(policy, policy + "-nowhere") == ([], False)


def test_dossiers_are_the_same_with_the_network(ox, network):
    index = name_index(ox).entities
    with_paths = 0
    for iri in sorted(i for i, e in index.items() if e.type in SUBJECT_TYPES):
        ours = build_dossier(ox, iri, network=network)
        assert ours == build_dossier(ox, iri)
        with_paths += bool(ours.paths)
    assert with_paths >= 2


@pytest.mark.parametrize("graph", ["bundled", "generated"])
def test_reached_is_what_influence_lists(ox, corpus, graph):
    source = ox if graph == "bundled" else corpus
    network = influence_network(source)
    index = name_index(source).entities
    far = 0
    for iri in sorted(index):
        for depth in (1, 3, 6):
            listed = {h.target_iri for h in influence(source, iri, depth=depth).hops}
            assert network.reached(iri, depth) == listed, (iri, depth)
            far += len(listed) > 3
    assert far >= 5


def test_hops_to_a_goal_are_cut_at_the_longest_path(corpus):
    network = influence_network(corpus)
    index = name_index(corpus).entities
    goals = sorted(i for i, e in index.items() if e.type in POLICY_TYPES)[:40]
    deep = 0
    for goal in goals:
        whole = hops_to(goal, network.edges.values())
        for max_hops in (1, 2, 6):
            cut = {iri: n for iri, n in whole.items() if n <= max_hops}
            assert network.hops_to(goal, max_hops) == cut
        deep += max(whole.values()) > 2
    assert deep > 0


def test_generated_dossiers_are_the_same_with_the_network(corpus):
    network = influence_network(corpus)
    index = name_index(corpus).entities
    subjects = sorted(i for i, e in index.items() if e.type in SUBJECT_TYPES)
    with_paths = 0
    for iri in subjects:
        ours = build_dossier(corpus, iri, network=network)
        assert ours == build_dossier(corpus, iri)
        with_paths += bool(ours.paths)
    assert with_paths >= 3
