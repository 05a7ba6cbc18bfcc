"""The HTML view in a real browser (Debian's headless Chromium, driven by Playwright).

No console errors, no network request at all, every node drawn, tooltips that show the
evidence, hostile labels shown as text with nothing executed. Skips, saying why, only when
Chromium or Playwright is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from influencegraph.projection import relation_graph
from influencegraph.render import HIGHLIGHT_COLOUR, build_page, viz_page, write_page


@dataclass
class Opened:
    """A page loaded from a file, with everything it tried to do."""

    page: Any
    url: str
    console: list[tuple[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(kind, text) for kind, text in self.console if kind in ("error", "pageerror")]


def load(browser: Any, path: Path) -> tuple[Opened, Any]:
    """Open an HTML file with every request recorded and every fetch but the page refused."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    opened = Opened(page, path.resolve().as_uri())

    def route(r: Any) -> None:
        if r.request.url == opened.url:
            r.continue_()
        else:
            r.abort()

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda message: opened.console.append((message.type, message.text)))
    page.on("pageerror", lambda error: opened.console.append(("pageerror", str(error))))
    page.on("dialog", dialog)
    page.goto(opened.url)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=15000)
    return opened, context


@pytest.fixture(scope="module")
def seed_page(browser, seed_source, tmp_path_factory):
    """The seed graph's page, written once and opened once for this module's read-only checks."""
    path = tmp_path_factory.mktemp("viz") / "seed.html"
    page = viz_page(seed_source)
    write_page(page, path)
    opened, context = load(browser, path)
    yield opened, page
    context.close()


def hover_edge(opened: Opened, edge_id: int) -> None:
    """Move the real mouse onto the middle of a drawn edge."""
    x, y = opened.page.evaluate(
        """id => {
        const net = influencegraph.network;
        const mid = net.body.edges[id].edgeType.getPoint(0.5);
        const dom = net.canvasToDOM(mid);
        const box = document.getElementById('ig-network').getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""",
        edge_id,
    )
    opened.page.mouse.move(x - 30, y - 30)
    opened.page.mouse.move(x, y, steps=4)


def hover_node(opened: Opened, node_id: int) -> None:
    x, y = opened.page.evaluate(
        """id => {
        const dom = influencegraph.network.canvasToDOM(influencegraph.network.getPosition(id));
        const box = document.getElementById('ig-network').getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""",
        node_id,
    )
    opened.page.mouse.move(x + 40, y + 40)
    opened.page.mouse.move(x, y, steps=4)


def test_seed_page_draws_every_node_offline_without_errors(seed_page, seed_source):
    opened, _ = seed_page
    graph = relation_graph(seed_source)
    drawn = opened.page.evaluate("""() => ({
        nodes: influencegraph.network.body.nodeIndices.length,
        edges: influencegraph.network.body.edgeIndices.length,
        positioned: Object.keys(influencegraph.network.getPositions()).length })""")
    assert drawn == {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "positioned": graph.number_of_nodes(),
    }
    assert opened.errors == []
    assert opened.requests == [opened.url]
    assert opened.page.locator("#ig-legend").is_visible()
    assert opened.page.locator("#ig-status").is_hidden()  # the layout finished
    assert opened.page.locator("#ig-legend li").count() >= 10
    canvas = opened.page.locator("#ig-network canvas")
    box = canvas.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 400


def test_hovering_an_influence_shows_its_evidence_quote(seed_page, seed_source):
    opened, page = seed_page
    [edge] = [e for e in page.edge_items() if e["kind"] == "citesAsKeyInfluence"]
    tip = opened.page.locator("#ig-tip")
    opened.page.mouse.move(1, 1)
    assert tip.is_hidden()
    hover_edge(opened, edge["id"])
    tip.wait_for(state="visible", timeout=3000)
    text = tip.inner_text()
    [attrs] = [
        a
        for *_, a in relation_graph(seed_source).edges(data=True)
        if a["kind"] == "citesAsKeyInfluence"
    ]
    assert attrs["evidence"] in text
    assert f"source: {attrs['source']}" in text
    assert f"claimant: {attrs['claimant']}" in text
    assert "cites as key influence" in text


def test_hovering_a_node_shows_label_type_and_year(seed_page):
    opened, page = seed_page
    [node] = [n for n in page.node_items() if n["label"] == "All of Us"]
    hover_node(opened, node["id"])
    tip = opened.page.locator("#ig-tip")
    tip.wait_for(state="visible", timeout=3000)
    text = tip.inner_text()
    assert "All of Us" in text and "type: Strategy" in text and f"year: {node['year']}" in text


def test_hostile_labels_show_as_text_and_run_nothing(browser, hostile_graph, tmp_path):
    path = tmp_path / "hostile.html"
    write_page(build_page(hostile_graph, title="<script>alert(1)</script>"), path)
    opened, context = load(browser, path)
    page = opened.page
    label = hostile_graph.nodes["https://example.org/a"]["label"]
    page.evaluate("() => influencegraph.showNode(0)")
    assert page.locator("#ig-tip").inner_text().startswith(label)
    page.evaluate("() => influencegraph.showEdge(0)")
    [(_, _, attrs)] = hostile_graph.edges(data=True)
    tip_text = page.locator("#ig-tip").inner_text()
    assert attrs["evidence"].replace("\u2028", "\n").split(" \n")[0] in tip_text
    assert page.title() == "<script>alert(1)</script>"
    assert "<b>Strategy</b>" in page.locator("#ig-legend").inner_text()
    hover_node(opened, 1)
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__pwned") is None
    assert (
        page.evaluate("() => document.querySelectorAll('img, svg, b:not(.ig-tip-field b)').length")
        == 0
    )
    assert opened.dialogs == []
    assert opened.errors == []
    assert opened.requests == [opened.url]
    context.close()


def test_page_script_expands_the_rows_as_the_library_reads_them(seed_page):
    opened, page = seed_page
    nodes, edges = opened.page.evaluate("""() => [
        influencegraph.nodes.get().map(n => [n.id, n.iri, n.label, n.type, n.year ?? null,
                                              n.size, n.group ?? null]),
        influencegraph.edges.get().map(e => [e.id, e.from, e.to, e.kind, e.relation,
                                              e.evidence ?? null, e.source ?? null,
                                              e.claimant ?? null, !!e.dashes, e.label ?? null])]""")
    assert nodes == [
        [n["id"], n["iri"], n["label"], n["type"], n["year"], n["size"], n["type"]]
        for n in page.node_items()
    ]
    assert edges == [
        [
            e["id"],
            e["from"],
            e["to"],
            e["kind"],
            e["relation"],
            e["evidence"],
            e["source"],
            e["claimant"],
            e["inferred"],
            e["relation"],
        ]
        for e in page.edge_items()
    ]


def test_a_highlighted_path_stands_out(browser, seed_source, tmp_path):
    page = viz_page(seed_source, path=("The Challenge", "ICS"))
    on_path = {n["iri"] for n in page.node_items() if n["path"]}
    assert len(on_path) == 3
    path = tmp_path / "path.html"
    write_page(page, path)
    opened, context = load(browser, path)
    nodes, edges = opened.page.evaluate("""() => [
        influencegraph.nodes.get().map(n => [n.iri, n.borderWidth ?? 1, n.opacity ?? 1]),
        influencegraph.edges.get().map(e =>
            [e.id, e.width, e.color.color, e.color.opacity ?? 1])]""")
    for iri, border, opacity in nodes:
        assert (border, opacity) == ((5, 1) if iri in on_path else (1, 0.35))
    marked = {e["id"] for e in page.edge_items() if e["path"]}
    assert marked
    for edge_id, width, colour, opacity in edges:
        if edge_id in marked:
            assert (width, colour, opacity) == (6, HIGHLIGHT_COLOUR, 1)
        else:
            assert opacity == 0.25 and colour != HIGHLIGHT_COLOUR
    assert page.caption in opened.page.locator("#ig-legend").inner_text()
    assert opened.errors == [] and opened.requests == [opened.url]
    context.close()
