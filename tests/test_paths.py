"""`path` and `influence`: real seed paths, the time rule, strengths, bounded fetching."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influencegraph.dates import runs_backwards
from influencegraph.errors import AmbiguousNameError, InfluenceGraphError, UnknownNameError
from influencegraph.graph import MemorySource
from influencegraph.names import name_index
from influencegraph.paths import (
    NO_DATES,
    admits,
    after,
    date_key,
    find_paths,
    influence,
)
from influencegraph.vocab import INFLUENCE_KINDS, PUBLISHES

ICS = "Integrated Communities Strategy Green Paper"


def chain(result):
    return [(h.influencer, h.kind, h.target) for h in result.paths[0].hops]


# ---------------------------------------------------------------- the seed graph


def test_all_together_now_reaches_the_strategy_through_its_endorsement(seed_source):
    result = find_paths(seed_source, "All Together Now", "Integrated Communities Strategy")
    assert chain(result) == [("All Together Now", "endorses", ICS)]
    hop = result.paths[0].hops[0]
    assert hop.claimant == "The Challenge"
    assert hop.source == "Policy Impact (The Challenge)"
    assert "highlights and endorses" in hop.evidence
    assert (hop.influencer_year, hop.target_year) == ("2018", "2018")
    assert result.paths[0].strength == pytest.approx(0.8)


def test_integration_not_demonisation_is_a_key_influence(seed_source):
    result = find_paths(seed_source, "Integration Not Demonisation", "ICS")
    assert chain(result) == [("Integration Not Demonisation", "cites as key influence", ICS)]
    assert result.paths[0].strength == pytest.approx(0.9)


def test_the_charity_reaches_the_strategy_through_its_report(seed_source):
    shortest = find_paths(seed_source, "The Challenge", "ICS")
    # Two 2-hop paths exist (via All Together Now, 0.8; via the Government, 0.3):
    # a tie on hops goes to the stronger.
    assert chain(shortest) == [
        ("The Challenge", "publishes", "All Together Now"),
        ("All Together Now", "endorses", ICS),
    ]
    every = find_paths(seed_source, "The Challenge", "ICS", mode="all")
    middles = [[h.target for h in p.hops[:-1]] for p in every.paths]
    assert middles == [
        ["All Together Now"],
        ["The Government"],
        ["APPG on Social Integration", "Integration Not Demonisation"],
    ]
    assert [p.strength for p in every.paths] == pytest.approx([0.8, 0.3, 0.6 * 1.0 * 0.9])


def test_nothing_runs_from_the_strategy_back_to_the_report(seed_source):
    result = find_paths(seed_source, "ICS", "All Together Now")
    assert result.paths == []
    assert "no influence path from" in result.message()
    assert "influencegraph path 'All Together Now'" in result.hint
    assert "influencegraph connections" in result.hint


def test_cli_path_no_path_is_exit_1_with_hints(invoke):
    result = invoke("path", "Integrated Communities Strategy", "All Together Now")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == (f"no influence path from '{ICS}' to 'All Together Now' within 6 hops")
    assert any("connections" in line for line in lines[1:])
    assert "Traceback" not in result.output


def test_cli_path_json_is_nested_and_matches_the_library(invoke, seed_source):
    result = invoke("path", "The Challenge", "ICS", "--all", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert list(data) == ["from", "to", "mode", "max_hops", "time_rule", "truncated", "paths"]
    assert data["from"]["label"] == "The Challenge" and data["to"]["year"] == "2018"
    lib = find_paths(seed_source, "The Challenge", "ICS", mode="all")
    assert [p["length"] for p in data["paths"]] == [len(p.hops) for p in lib.paths]
    first = data["paths"][0]
    assert list(first) == ["path", "length", "strength", "hops"]
    assert list(first["hops"][0])[:4] == ["step", "influencer", "kind", "target"]
    assert first["strength"] == pytest.approx(math.prod(h["strength"] for h in first["hops"]))


def test_cli_path_csv_has_one_row_per_hop(invoke):
    result = invoke("path", "The Challenge", "ICS", "--all", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["path"], r["step"]) for r in rows] == [
        ("1", "1"),
        ("1", "2"),
        ("2", "1"),
        ("2", "2"),
        ("3", "1"),
        ("3", "2"),
        ("3", "3"),
    ]
    assert rows[1]["kind"] == "endorses" and rows[1]["years"] == "2018 -> 2018"


def test_cli_strongest_and_table(invoke):
    result = invoke("path", "Chuka Umunna", "ICS", "--strongest")
    assert result.exit_code == 0
    assert "Influence paths (strongest)" in result.output
    data = json.loads(
        invoke("path", "Chuka Umunna", "ICS", "--strongest", "--format", "json").output
    )
    assert [h["kind"] for h in data["paths"][0]["hops"]] == [
        "chairs",
        "publishes",
        "cites as key influence",
    ]
    both = invoke("path", "Chuka Umunna", "ICS", "--strongest", "--all")
    assert both.exit_code == 2


@pytest.mark.parametrize(
    "args,needle",
    [
        (("path", "All Togther Now", "ICS"), "did you mean 'All Together Now'"),
        (("path", "ICS", "British Integration Survey"), "is ambiguous"),
        (("influence", "Nobody Here"), "no entity is called"),
        (("connections", "All Together Now", "Al Together Now"), "did you mean"),
        (("show", "Integraton City"), "did you mean 'Integration City'"),
        (("path", "ICS", "ICS"), "both ends"),
    ],
)
def test_name_errors_are_exit_2_one_line(invoke, args, needle):
    result = invoke(*args)
    assert result.exit_code == 2
    assert needle in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_library_raises_name_errors(seed_source):
    with pytest.raises(UnknownNameError):
        find_paths(seed_source, "Nope Nope", "ICS")
    with pytest.raises(AmbiguousNameError):
        influence(seed_source, "British Integration Survey")
    with pytest.raises(InfluenceGraphError):
        find_paths(seed_source, "ICS", "All Together Now", max_hops=0)


# ---------------------------------------------------------------- influence


def test_influence_downstream_of_the_charity(seed_source):
    result = influence(seed_source, "The Challenge", depth=2)
    first = {(h.kind, h.target) for h in result.hops if h.step == 1}
    assert ("publishes", "All Together Now") in first
    assert ("runs the secretariat of", "APPG on Social Integration") in first
    second = {(h.influencer, h.kind, h.target) for h in result.hops if h.step == 2}
    assert ("All Together Now", "endorses", ICS) in second
    assert all(h.step <= 2 for h in result.hops)
    assert [h.step for h in result.hops] == sorted(h.step for h in result.hops)


def test_influence_upstream_of_the_strategy(invoke):
    result = invoke(
        "influence", "ICS", "--direction", "upstream", "--depth", "1", "--format", "json"
    )
    data = json.loads(result.output)
    assert data["direction"] == "upstream"
    assert {(h["influencer"], h["kind"]) for h in data["hops"]} == {
        ("All Together Now", "endorses"),
        ("Integration Not Demonisation", "cites as key influence"),
        ("The Government", "publishes"),
    }
    assert all(h["target"] == ICS for h in data["hops"])


def test_influence_nothing_is_exit_1(invoke):
    result = invoke("influence", "Key lessons")
    assert result.exit_code == 1
    assert "nothing is recorded as influenced by 'Key lessons'" in result.output


# ---------------------------------------------------------------- the time rule

TIMED = """
:old a ig:Report ; rdfs:label "Old" ; dcterms:issued "2016"^^xsd:gYear .
:new a ig:Report ; rdfs:label "New" ; dcterms:issued "2019"^^xsd:gYear .
:mid a ig:Strategy ; rdfs:label "Mid" ; dcterms:issued "2018"^^xsd:gYear .
:org a ig:Organisation ; rdfs:label "Org" .
:org prov:qualifiedInfluence :c1 . :c1 prov:influencer :new ; ig:kind ig:drawsOn .
:mid prov:qualifiedInfluence :c2 . :c2 prov:influencer :org ; ig:kind ig:endorses .
:org prov:qualifiedInfluence :c3 . :c3 prov:influencer :old ; ig:kind ig:drawsOn .
"""


def test_a_path_never_goes_back_in_time_even_through_undated_entities(turtle_source):
    source = turtle_source(TIMED)
    # New (2019) -> Org (undated) -> Mid (2018): each hop alone is fine, the path is not.
    assert find_paths(source, "New", "Mid").paths == []
    assert chain(find_paths(source, "Old", "Mid")) == [
        ("Old", "draws on", "Org"),
        ("Org", "endorses", "Mid"),
    ]
    down = {h.target for h in influence(source, "New").hops}
    assert down == {"Org"}
    up = {h.influencer for h in influence(source, "Mid", direction="upstream").hops}
    assert up == {"Org", "Old"}


def test_a_hop_from_a_later_work_is_refused(turtle_source):
    source = turtle_source(
        TIMED + ":old prov:qualifiedInfluence :c4 . "
        ":c4 prov:influencer :new ; ig:kind ig:reflects ."
    )
    assert find_paths(source, "New", "Old").paths == []


DATES = st.one_of(
    st.none(),
    st.sampled_from(
        ["2016", "2017", "2017-06", "2018", "2018-01", "2018-03", "2018-03-05", "2019"]
    ),
)


@given(st.lists(DATES, max_size=6), DATES)
def test_time_state_agrees_with_pairwise_runs_backwards(seen, new):
    state = NO_DATES
    for date in seen:
        state = after(state, date_key(date))
    pairwise = not any(runs_backwards(old, new) for old in seen if old and new)
    assert admits(state, date_key(new)) == pairwise


# ---------------------------------------------------------------- generated graphs

KINDS = [*INFLUENCE_KINDS, PUBLISHES]


@st.composite
def small_graphs(draw):
    n = draw(st.integers(2, 6))
    years = [draw(DATES) for _ in range(n)]
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(KINDS)),
            max_size=12,
        )
    )
    edges = [e for e in edges if e[0] != e[1]]
    a, b = draw(st.permutations(range(n)))[:2]
    return years, edges, a, b


def to_source(years, edges):
    """The generated graph as RDF: claims as PROV qualified influence, publishes as authorship."""
    from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

    from influencegraph.vocab import IG, PREFIXES

    ex, ig = Namespace("https://example.org/"), Namespace(IG)
    prov, dct = Namespace(PREFIXES["prov"]), Namespace(PREFIXES["dcterms"])
    xsd = Namespace(PREFIXES["xsd"])
    graph = Graph()
    for i, year in enumerate(years):
        graph.add((ex[f"n{i}"], RDF.type, ig.Report))
        graph.add((ex[f"n{i}"], RDFS.label, Literal(f"N{i}")))
        if year:
            dtype = {4: xsd.gYear, 7: xsd.gYearMonth, 10: xsd.date}[len(year)]
            graph.add((ex[f"n{i}"], dct.issued, Literal(year, datatype=dtype)))
    for j, (x, y, kind) in enumerate(edges):
        if kind is PUBLISHES:
            graph.add((ex[f"n{y}"], dct.publisher, ex[f"n{x}"]))
            continue
        claim = ex[f"c{j}"]
        graph.add((ex[f"n{y}"], prov.qualifiedInfluence, claim))
        graph.add((claim, prov.influencer, ex[f"n{x}"]))
        graph.add((claim, ig.kind, URIRef(kind.iri)))
    return MemorySource(graph)


def brute_force(years, edges, a, b, max_hops):
    """Every simple path a -> b of at most max_hops whose dates never go backwards."""
    strength: dict[tuple[int, int], float] = {}
    for x, y, kind in edges:
        strength[x, y] = max(strength.get((x, y), 0.0), kind.strength)
    found = []

    def walk(path):
        if path[-1] == b:
            dates = [years[i] for i in path if years[i]]
            if not any(
                runs_backwards(dates[i], dates[j])
                for i in range(len(dates))
                for j in range(i + 1, len(dates))
            ):
                product = math.prod(strength[p] for p in itertools.pairwise(path))
                found.append((tuple(path), product))
            return
        if len(path) - 1 >= max_hops:
            return
        for x, y in strength:
            if x == path[-1] and y not in path:
                walk([*path, y])

    walk([a])
    return found


def node_sequence(path):
    iris = [h.influencer_iri for h in path.hops] + [path.hops[-1].target_iri]
    return tuple(int(iri.rsplit("/n", 1)[1]) for iri in iris)


@settings(max_examples=40, deadline=None)
@given(small_graphs(), st.integers(1, 4))
def test_paths_on_generated_graphs_match_brute_force(graph, max_hops):
    years, edges, a, b = graph
    source = to_source(years, edges)
    expected = brute_force(years, edges, a, b, max_hops)
    stated = {(f"N{x}", f"N{y}", kind.label) for x, y, kind in edges}
    results = {
        mode: find_paths(source, f"N{a}", f"N{b}", max_hops=max_hops, mode=mode)
        for mode in ("shortest", "strongest", "all")
    }
    for result in results.values():
        for path in result.paths:
            hops = path.hops
            # every printed hop is an edge of the graph
            assert all((h.influencer, h.target, h.kind) in stated for h in hops)
            # hops join end to end, from FROM to TO, never revisiting an entity
            assert hops[0].influencer == f"N{a}" and hops[-1].target == f"N{b}"
            assert all(p.target == q.influencer for p, q in itertools.pairwise(hops))
            assert len(set(node_sequence(path))) == len(hops) + 1 <= max_hops + 1
            # no path goes backwards in time
            dates = [y for y in (years[i] for i in node_sequence(path)) if y]
            assert not any(
                runs_backwards(dates[i], dates[j])
                for i in range(len(dates))
                for j in range(i + 1, len(dates))
            )
    if not expected:
        assert all(not r.paths for r in results.values())
        return
    shortest, strongest = results["shortest"].paths[0], results["strongest"].paths[0]
    fewest = min(len(p) - 1 for p, _ in expected)
    assert len(shortest.hops) == fewest
    assert shortest.strength == pytest.approx(max(s for p, s in expected if len(p) - 1 == fewest))
    assert strongest.strength == pytest.approx(max(s for _, s in expected))
    assert strongest.strength >= shortest.strength - 1e-12
    assert {node_sequence(p) for p in results["all"].paths} == {p for p, _ in expected}


def consistent(dates_in_time_order):
    dates = [d for d in dates_in_time_order if d]
    return not any(
        runs_backwards(dates[i], dates[j])
        for i in range(len(dates))
        for j in range(i + 1, len(dates))
    )


def brute_force_influence(years, edges, start, depth, upstream):
    """(influencer, target, kind) -> fewest hops, from simple time-consistent chains."""
    steps: dict[tuple[int, int, str], int] = {}

    def walk(path):
        for x, y, kind in edges:
            near, far = (y, x) if upstream else (x, y)
            if near != path[-1] or far == start:
                continue
            chain = [*path, far]
            if consistent([years[i] for i in (chain[::-1] if upstream else chain)]):
                key = (x, y, kind.label)
                steps[key] = min(steps.get(key, depth + 1), len(path))
                if far not in path and len(chain) - 1 < depth:
                    walk(chain)

    walk([start])
    return steps


@settings(max_examples=40, deadline=None)
@given(small_graphs(), st.integers(1, 4), st.sampled_from(["downstream", "upstream"]))
def test_influence_on_generated_graphs_matches_brute_force(graph, depth, direction):
    years, edges, start, _ = graph
    source = to_source(years, edges)
    expected = brute_force_influence(years, edges, start, depth, direction == "upstream")
    result = influence(source, f"N{start}", direction=direction, depth=depth)
    got: dict[tuple[int, int, str], int] = {}
    for hop in result.hops:
        key = (int(hop.influencer[1:]), int(hop.target[1:]), hop.kind)
        got[key] = min(got.get(key, depth + 1), hop.step)
    assert got == expected


# ---------------------------------------------------------------- bounded fetching


class SpySource(MemorySource):
    """Records every query it answers: whole-graph ones, and bound ones with their values
    (through ``select_bound``, or VALUES written into the text)."""

    def __init__(self, graph):
        super().__init__(graph)
        self.whole: list[str] = []
        self.bound: list[tuple[str, str, list[str]]] = []

    def query(self, sparql, bindings=None):
        if bindings:
            self.bound += [(sparql, k, [str(v)]) for k, v in bindings.items()]
        elif re.search(r"VALUES \(?\?", sparql):
            self.bound.append((sparql, "", re.findall(r"<(https://example\.org/[^>]*)>", sparql)))
        else:
            self.whole.append(sparql)
        return super().query(sparql, bindings)

    def select_bound(self, sparql, var, values):
        values = list(values)
        self.bound.append((sparql, var, [str(v) for v in values]))
        return super().select_bound(sparql, var, values)


def long_chain(n):
    text = "".join(f':n{i} a ig:Report ; rdfs:label "N{i}" .\n' for i in range(n))
    text += "".join(
        f":n{i + 1} prov:qualifiedInfluence :c{i} . "
        f":c{i} prov:influencer :n{i} ; ig:kind ig:drawsOn .\n"
        for i in range(n - 1)
    )
    return text


def asked_about(spy):
    """The entities (not claims) the spy was asked about."""
    named = {
        iri.rsplit("/", 1)[1]
        for _, _, values in spy.bound
        for iri in values
        if iri.startswith("https://example.org/")
    }
    return {name for name in named if name.startswith("n")}


def test_paths_fetch_only_the_neighbourhood(turtle_source):
    spy = SpySource(turtle_source(long_chain(30)).graph)
    name_index(spy)
    spy.whole.clear()
    result = find_paths(spy, "N3", "N5", max_hops=6)
    assert [h.target for h in result.paths[0].hops] == ["N4", "N5"]
    assert spy.whole == []  # no whole-graph query once names are known
    assert asked_about(spy) <= {"n3", "n4", "n5"}


def test_exact_names_need_no_label_index(turtle_source):
    spy = SpySource(turtle_source(long_chain(30)).graph)
    result = find_paths(spy, "N3", "https://example.org/n5", max_hops=6)
    assert [h.target for h in result.paths[0].hops] == ["N4", "N5"]
    assert getattr(spy, "_name_index", None) is None  # every label came from bound queries
    assert all("OPTIONAL" not in query for query in spy.whole)
    assert asked_about(spy) <= {"n3", "n4", "n5"}


def test_strongest_fetches_up_to_max_hops_only(turtle_source):
    spy = SpySource(turtle_source(long_chain(30)).graph)
    find_paths(spy, "N10", "N12", max_hops=4, mode="strongest")
    assert asked_about(spy) <= {f"n{i}" for i in range(6, 17)}


def test_influence_stops_at_its_depth(turtle_source):
    spy = SpySource(turtle_source(long_chain(30)).graph)
    result = influence(spy, "N10", depth=2)
    assert [h.target for h in result.hops] == ["N11", "N12"]
    assert asked_about(spy) <= {"n10", "n11", "n12"}


def test_a_hub_at_one_end_waits_while_the_quieter_side_grows(turtle_source):
    """From a much-cited report to a late one: the side with fewer edges to fetch grows
    first, so the hub's hundred other followers are never asked about."""
    text = long_chain(4)  # n0 <- n1 <- n2 <- n3: n3 drew on n2, which drew on n1 ...
    text += "".join(
        f':f{i} a ig:Report ; rdfs:label "F{i}" .\n'
        f":f{i} prov:qualifiedInfluence :h{i} . "
        f":h{i} prov:influencer :n0 ; ig:kind ig:drawsOn .\n"
        for i in range(100)
    )
    spy = SpySource(turtle_source(text).graph)
    result = find_paths(spy, "N0", "N3", max_hops=6)
    assert [h.target for h in result.paths[0].hops] == ["N1", "N2", "N3"]
    asked = {
        iri.rsplit("/", 1)[1]
        for _, _, values in spy.bound
        for iri in values
        if iri.startswith("https://example.org/")
    }
    assert not {name for name in asked if name.startswith("f")}
