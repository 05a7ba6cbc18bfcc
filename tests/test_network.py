"""The whole influence network in memory gives the paths ``find_paths`` grows to find."""

from __future__ import annotations

import pytest

from influencegraph.dossier import build_dossier
from influencegraph.dossier.model import POLICY_TYPES, SUBJECT_TYPES
from influencegraph.graph import open_source
from influencegraph.names import name_index
from influencegraph.network import influence_network
from influencegraph.paths import find_paths, influence


@pytest.fixture(scope="module")
def ox():
    return open_source()


@pytest.fixture(scope="module")
def network(ox):
    return influence_network(ox)


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
