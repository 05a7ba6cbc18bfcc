"""The HTML view: self-contained, escaped, true to the graph; view selection; atomic writes."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from html.parser import HTMLParser

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influencegraph.errors import InfluenceGraphError
from influencegraph.projection import relation_graph
from influencegraph.render import (
    LABEL_EDGES_UP_TO,
    SMOOTH_EDGES_UP_TO,
    Highlight,
    Page,
    build_page,
    node_types,
    render_html,
    select_view,
    viz_page,
    write_html,
)

IGD = "https://w3id.org/influencegraph/id/"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of every <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


def embedded_data(html: str) -> dict:
    """The graph data as the browser would read it: the JSON <script> block, parsed."""
    [(_, text)] = [(a, t) for a, t in parse(html).scripts if a.get("id") == "ig-data"]
    return json.loads(text)


def embedded(html: str) -> Page:
    """The embedded data decoded the way the page's script does, as readable items."""
    data = embedded_data(html)
    return Page(
        title="",
        subtitle="",
        types=data["types"],
        kinds=[tuple(k) for k in data["kinds"]],
        strings=data["strings"],
        nodes=data["nodes"],
        edges=data["edges"],
        options=data["options"],
    )


@pytest.fixture(scope="module")
def seed_relations(seed_source):
    return relation_graph(seed_source)


@pytest.fixture(scope="module")
def seed_html(seed_source):
    return render_html(viz_page(seed_source))


# ---------------------------------------------------------------- self-contained


def test_page_links_nothing_outside_itself(seed_html):
    tags = parse(seed_html)
    linking = [
        (tag, attrs)
        for tag, attrs in tags.tags
        if {"src", "href", "srcset", "action", "data", "poster"} & set(attrs)
    ]
    assert linking == []
    assert not [
        tag
        for tag, _ in tags.tags
        if tag in {"link", "iframe", "img", "object", "embed", "base", "form"}
    ]
    lowered = seed_html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", lowered)
    assert "cdn" not in re.sub(r"[a-z]cdn|cdn[a-z]", "", lowered)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", lowered)
    assert "@import" not in lowered
    assert "sourcemappingurl" not in lowered


def test_vis_network_is_inlined_with_its_licence(seed_html):
    scripts = [text for attrs, text in parse(seed_html).scripts if "type" not in attrs]
    assert len(scripts) == 2
    assert "vis-network" in scripts[0] and "The MIT License" in scripts[0]
    assert "new vis.Network" in scripts[1]
    assert ".vis-network-tooltip" in seed_html or ".vis-tooltip" in seed_html


def test_csp_forbids_fetching_and_lists_the_hash_of_each_script(seed_html):
    tags = parse(seed_html)
    [csp] = [
        a["content"]
        for t, a in tags.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    for attrs, text in tags.scripts:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        if attrs.get("type") == "application/json":
            assert digest not in csp
        else:
            assert f"'sha256-{digest}'" in directives["script-src"]


# ---------------------------------------------------------------- true to the graph


def test_embedded_data_has_every_node_and_edge(seed_html, seed_relations):
    data = embedded_data(seed_html)
    assert len(data["nodes"]) == seed_relations.number_of_nodes()
    assert len(data["edges"]) == seed_relations.number_of_edges()
    page = embedded(seed_html)
    nodes = page.node_items()
    assert {n["iri"] for n in nodes} == set(seed_relations.nodes)
    assert {n["iri"]: n["label"] for n in nodes} == dict(seed_relations.nodes(data="label"))
    assert {n["iri"]: n["type"] for n in nodes} == dict(seed_relations.nodes(data="type"))
    ids = {n["id"] for n in nodes}
    assert all(e["from"] in ids and e["to"] in ids for e in page.edge_items())
    drawn = Counter((e["kind"], e["relation"]) for e in page.edge_items())
    assert drawn == Counter((a["kind"], a["relation"]) for *_, a in seed_relations.edges(data=True))


def test_edges_keep_direction_evidence_source_and_claimant(seed_html, seed_relations):
    page = embedded(seed_html)
    iri = {n["id"]: n["iri"] for n in page.node_items()}
    [endorses] = [e for e in page.edge_items() if e["kind"] == "endorses"]
    [attrs] = [a for *_, a in seed_relations.edges(data=True) if a["kind"] == "endorses"]
    assert f"{iri[endorses['from']]} -> {iri[endorses['to']]}" == attrs["direction"]
    assert endorses["evidence"] == attrs["evidence"]
    assert endorses["source"] == "Policy Impact (The Challenge)"
    assert endorses["claimant"] == "The Challenge"
    assert endorses["relation"] == "endorses"
    publishes = [e for e in page.edge_items() if e["kind"] == "publishes"]
    assert all(
        iri[e["from"]] == IGD + "the-challenge"
        for e in publishes
        if iri[e["to"]] == IGD + "all-together-now"
    )


def test_legend_lists_each_drawn_type_and_kind_with_counts(seed_html, seed_relations):
    legend = seed_html.split('id="ig-legend"', 1)[1].split("</aside>", 1)[0]
    types = Counter(t for _, t in seed_relations.nodes(data="type"))
    for name, count in types.items():
        assert re.search(rf"{re.escape(name)} <span class=\"ig-count\">{count}</span>", legend)
    assert "cites as key influence" in legend and "member of working group" in legend
    assert "inferred" in legend


def test_nodes_are_styled_by_type_and_sized_by_rank(seed_source):
    page = viz_page(seed_source)
    nodes = page.node_items()
    by_label = {n["label"]: n for n in nodes}
    assert (
        page.options["groups"]["Organisation"]["shape"] != page.options["groups"]["Person"]["shape"]
    )
    biggest = max(nodes, key=lambda n: n["size"])
    assert biggest["rank"] == max(n["rank"] for n in nodes)
    assert by_label["The Challenge"]["size"] > by_label["Louise Casey"]["size"]


def test_edge_colours_differ_by_kind(seed_source):
    page = viz_page(seed_source)
    colour = {name: colour for name, _, colour, _ in page.kinds}
    assert len(colour) == len({e["kind"] for e in page.edge_items()})
    assert len(set(colour.values())) >= len(colour) - 1  # part of / sub-organisation share


# ---------------------------------------------------------------- escaping


def test_hostile_text_never_appears_as_markup(hostile_graph):
    html = render_html(
        build_page(
            hostile_graph, title="<script>alert(1)</script>", subtitle='<img src=y onerror="x()">'
        )
    )
    tags = parse(html)
    template_tags = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "p",
        "main",
        "div",
        "aside",
        "details",
        "summary",
        "ul",
        "li",
        "span",
        "script",
    }
    assert {tag for tag, _ in tags.tags} <= template_tags
    assert not [name for _, attrs in tags.tags for name in attrs if name.startswith("on")]
    for node in hostile_graph:
        assert hostile_graph.nodes[node]["label"] not in html
    assert "<svg onload" not in html and "<b>Strategy</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title, as text
    assert "&lt;b&gt;Strategy&lt;/b&gt;" in html  # the unknown type, in the legend
    page = embedded(html)
    assert {n["label"] for n in page.node_items()} == {
        hostile_graph.nodes[n]["label"] for n in hostile_graph
    }
    [(_, _, attrs)] = hostile_graph.edges(data=True)
    [edge] = page.edge_items()
    assert edge["evidence"] == attrs["evidence"]
    assert edge["claimant"] == "<u>someone</u>" and edge["source"] == "<i>page</i>"


@settings(max_examples=40, deadline=None)
@given(
    labels=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4),
    quote=st.text(max_size=80),
)
def test_any_text_round_trips_and_cannot_close_the_data_block(labels, quote):
    graph = nx.DiGraph()
    for i, label in enumerate(labels):
        graph.add_node(f"n{i}", label=label, type="Report")
    graph.add_edge(
        "n0", f"n{len(labels) - 1}", relation="draws on", kind="drawsOn", evidence=quote or None
    )
    html = render_html(build_page(graph))
    block = html.split('<script type="application/json" id="ig-data">', 1)[1]
    text = block.split("</script>", 1)[0]
    assert "<" not in text and ">" not in text
    data = json.loads(text)
    assert [row[1] for row in data["nodes"]] == labels
    assert data["edges"][0][4] == (quote or None)


# ---------------------------------------------------------------- selecting the view


def test_depth_zero_draws_only_the_centre(seed_source):
    page = viz_page(seed_source, around="The Challenge", depth=0)
    assert [n["label"] for n in page.node_items()] == ["The Challenge"]
    assert "within 0 hops of The Challenge" in page.subtitle


def test_other_attribute_values_are_written_as_text():
    import datetime

    graph = nx.Graph()
    graph.add_node("a", label="A", type="Report", year=datetime.date(2019, 5, 1))
    graph.add_node("b", label="B")
    graph.add_edge("a", "b", evidence=datetime.date(2020, 1, 1))
    page = embedded(render_html(build_page(graph)))
    assert page.node_items()[0]["year"] == "2019-05-01"
    assert page.edge_items()[0]["evidence"] == "2020-01-01"
    assert page.node_items()[1]["type"] == "Other"


def test_around_keeps_the_neighbourhood(seed_relations):
    centre = IGD + "the-challenge"
    for depth in (0, 1, 2):
        view = select_view(seed_relations, around=centre, depth=depth)
        assert set(view) == set(nx.ego_graph(seed_relations, centre, radius=depth))
        assert view.number_of_edges() == seed_relations.subgraph(view).number_of_edges()


def test_around_follows_edges_both_ways_in_a_directed_graph():
    graph = nx.DiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    assert set(select_view(graph, around="b", depth=1)) == {"a", "b", "c"}
    assert set(select_view(graph, around="a", depth=3)) == {"a", "b", "c", "d"}


def test_types_and_since_filter_but_keep_centre_and_path(seed_relations):
    reports = node_types(["report"])
    view = select_view(seed_relations, types=reports, since=2018)
    years = {n: seed_relations.nodes[n]["year"] for n in view}
    assert {seed_relations.nodes[n]["type"] for n in view} <= {"Report", "Survey"}
    assert all(y is None or int(y[:4]) >= 2018 for y in years.values())
    dropped = [
        n
        for n, a in seed_relations.nodes(data=True)
        if a["type"] in reports and a["year"] and int(a["year"][:4]) < 2018
    ]
    assert dropped and not set(dropped) & set(view)
    centre = IGD + "the-challenge"
    kept = select_view(
        seed_relations, around=centre, depth=1, types={"Person"}, keep=[IGD + "all-of-us"]
    )
    assert centre in kept and IGD + "all-of-us" in kept


def test_node_types_expand_families_and_reject_unknown_names():
    assert node_types(["reports"]) == {"Report", "Survey"}
    assert node_types(["Organization"]) == {"Organisation", "Government body"}
    with pytest.raises(InfluenceGraphError, match=r"unknown type 'Reprot'; did you mean 'Report'"):
        node_types(["Reprot"])


def test_unknown_centre_is_an_error(seed_relations):
    with pytest.raises(InfluenceGraphError):
        select_view(seed_relations, around="https://example.org/nobody")


# ---------------------------------------------------------------- highlight and size limits


def test_highlight_marks_the_path_and_dims_the_rest(seed_relations):
    a, b = IGD + "the-challenge", IGD + "all-together-now"
    page = build_page(
        seed_relations, highlight=Highlight(frozenset({a, b}), frozenset({(b, a)}), "a path")
    )
    nodes, edges = page.node_items(), page.edge_items()
    assert {n["iri"] for n in nodes if n["path"]} == {a, b}
    assert all(n["dim"] for n in nodes if not n["path"])
    iri = {n["id"]: n["iri"] for n in nodes}
    on_path = [e for e in edges if e["path"]]
    assert on_path and all({iri[e["from"]], iri[e["to"]]} == {a, b} for e in on_path)
    assert all(e["dim"] for e in edges if not e["path"])
    assert page.caption == "a path"
    assert "a path" in render_html(page)


def test_big_graphs_drop_edge_labels_and_curves():
    small = build_page(nx.path_graph(10))
    assert small.label_edges and small.options["edges"]["smooth"]
    big = build_page(
        nx.gnm_random_graph(300, max(LABEL_EDGES_UP_TO, SMOOTH_EDGES_UP_TO) + 1, seed=3)
    )
    assert not big.label_edges
    assert big.options["edges"]["smooth"] is False
    assert big.options["edges"]["arrows"]["to"]["enabled"] is False


# ---------------------------------------------------------------- writing


def test_write_html_replaces_atomically(tmp_path, monkeypatch):
    target = tmp_path / "view.html"
    write_html("old", target)
    assert target.read_text() == "old"
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)
    import os

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)  # the rename the atomic write ends with
    with pytest.raises(InfluenceGraphError, match="cannot write: No space left on device"):
        write_html("new", target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["view.html"]


def test_write_html_into_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(InfluenceGraphError, match="does not exist"):
        write_html("x", tmp_path / "no" / "view.html")


# ---------------------------------------------------------------- the command


def test_viz_command_writes_the_page(invoke, tmp_path, seed_relations):
    out = tmp_path / "graph.html"
    result = invoke("viz", "-o", str(out))
    assert result.exit_code == 0, result.output
    n, m = seed_relations.number_of_nodes(), seed_relations.number_of_edges()
    assert result.output == f"wrote {out}: {n} entities, {m} relations\n"
    assert len(embedded_data(out.read_text(encoding="utf-8"))["nodes"]) == n
    assert len(embedded_data(out.read_text(encoding="utf-8"))["edges"]) == m


def test_viz_around_depth_type_since(invoke, tmp_path, seed_relations):
    out = tmp_path / "g.html"
    result = invoke("viz", "-o", str(out), "--around", "the challenge", "--depth", "1")
    assert result.exit_code == 0, result.output
    ego = nx.ego_graph(seed_relations, IGD + "the-challenge", radius=1)
    page = embedded(out.read_text(encoding="utf-8"))
    assert {n["iri"] for n in page.node_items()} == set(ego)
    assert "within 1 hop of The Challenge" in out.read_text(encoding="utf-8")
    result = invoke(
        "viz", "-o", str(out), "--type", "strategy", "--type", "Idea", "--since", "2018"
    )
    assert result.exit_code == 0, result.output
    types = {n["type"] for n in embedded(out.read_text(encoding="utf-8")).node_items()}
    assert types == {"Strategy", "Idea"}


@pytest.mark.parametrize(
    "args,message",
    [
        (("--around", "The Chalenge"), "did you mean 'The Challenge'"),
        (("--type", "nonsense"), "unknown type 'nonsense'"),
        (("--depth", "2"), "--depth needs --around"),
        (("--around", "The Challenge", "--depth", "-1"), "--depth must be 0 or more"),
    ],
)
def test_viz_user_errors_exit_2(invoke, tmp_path, args, message):
    result = invoke("viz", "-o", str(tmp_path / "x.html"), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_viz_nothing_to_draw_exits_1(invoke, tmp_path):
    path = tmp_path / "people.ttl"
    path.write_text(
        """@prefix ig: <https://w3id.org/influencegraph/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/r> a ig:Report ; rdfs:label "Lonely" .
""",
        encoding="utf-8",
    )
    result = invoke("--data", str(path), "viz", "-o", str(tmp_path / "x.html"), "--type", "person")
    assert result.exit_code == 1
    assert "nothing to draw" in result.output


def test_viz_open_hands_the_file_to_the_browser(invoke, tmp_path, monkeypatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    out = tmp_path / "g.html"
    assert invoke("viz", "-o", str(out), "--open").exit_code == 0
    assert opened == [out.resolve().as_uri()]


def test_viz_into_a_missing_folder_exits_2(invoke, tmp_path):
    result = invoke("viz", "-o", str(tmp_path / "missing" / "g.html"))
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- --path


def test_path_highlights_exactly_the_hops_path_finds(seed_source):
    from influencegraph.paths import find_paths

    [found] = find_paths(seed_source, "The Challenge", "ICS").paths
    hops = {(h.influencer_iri, h.target_iri, h.kind) for h in found.hops}
    page = viz_page(seed_source, path=("The Challenge", "ICS"))
    nodes = page.node_items()
    iri = {n["id"]: n["iri"] for n in nodes}
    assert {n["iri"] for n in nodes if n["path"]} == {x for h in hops for x in h[:2]}
    marked = {(iri[e["from"]], iri[e["to"]], e["relation"]) for e in page.edge_items() if e["path"]}
    assert marked == hops
    assert page.caption.startswith("influence path: The Challenge \u2192 All Together Now")


def test_highlight_with_a_relation_marks_only_that_edge():
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", relation="publishes", kind="publishes")
    graph.add_edge("a", "b", relation="funds", kind="funds")
    graph.add_edge("b", "c", relation="endorses", kind="endorses")
    page = build_page(
        graph, highlight=Highlight(frozenset({"a", "b"}), frozenset({("b", "a", "funds")}))
    )
    assert [e["relation"] for e in page.edge_items() if e["path"]] == ["funds"]
    any_relation = build_page(graph, highlight=Highlight(edges=frozenset({("a", "b")})))
    assert [e["relation"] for e in any_relation.edge_items() if e["path"]] == ["publishes", "funds"]


def test_path_entities_survive_the_filters(seed_source):
    page = viz_page(seed_source, path=("The Challenge", "ICS"), types=["person"])
    types = Counter(n["type"] for n in page.node_items())
    assert types == {"Person": 12, "Organisation": 1, "Report": 1, "Strategy": 1}
    assert {e["relation"] for e in page.edge_items() if e["path"]} == {"publishes", "endorses"}


def test_viz_path_command(invoke, tmp_path):
    out = tmp_path / "p.html"
    result = invoke("viz", "-o", str(out), "--path", "The Challenge", "ICS")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "influence path: The Challenge \u2192 All Together Now \u2192 "
        "Integrated Communities Strategy Green Paper"
    )
    page = embedded(out.read_text(encoding="utf-8"))
    assert sum(e["path"] for e in page.edge_items()) == 2


def test_viz_path_that_does_not_exist_exits_1_with_hints(invoke, tmp_path):
    result = invoke("viz", "-o", str(tmp_path / "p.html"), "--path", "ICS", "The Challenge")
    assert result.exit_code == 1
    assert result.output.startswith("no influence path from")
    assert "influencegraph path 'The Challenge'" in result.output
    assert not (tmp_path / "p.html").exists()


def test_viz_path_with_an_unknown_name_exits_2(invoke, tmp_path):
    result = invoke("viz", "-o", str(tmp_path / "p.html"), "--path", "The Challenge", "Nobdy")
    assert result.exit_code == 2
    assert result.output.startswith("Error: no entity is called 'Nobdy'")
