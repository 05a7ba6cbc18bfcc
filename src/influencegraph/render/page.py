"""What to draw: the view chosen from a networkx graph, and the :class:`Page` built from it
(vis-network node and edge data, legend, layout options).

Kept as one module: choosing the view and filling vis-network's arrays are one hot loop over
the edges (100k edges in about 0.3 s); split, each edge would be visited twice.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..dates import date_parts
from ..errors import InfluenceGraphError
from ..ranking import pagerank_scores
from ..vocab import ENTITY_TYPES, canonical_type, type_family

if TYPE_CHECKING:
    import networkx as nx

    from ..paths import InfluencePath
from .style import (
    _KIND_LABELS,
    HIGHLIGHT_COLOUR,
    IMPROVED_LAYOUT_UP_TO,
    LABEL_EDGES_UP_TO,
    NODE_STYLES,
    OTHER_NODE_STYLE,
    SMOOTH_EDGES_UP_TO,
    edge_colour,
    node_style,
)

# ---------------------------------------------------------------- selecting the view


def node_types(names: Iterable[str]) -> set[str]:
    """Every type display name meant by the user's ``--type`` values, narrower types included.

    Raises :class:`InfluenceGraphError` naming the closest known types for an unknown one.

    Example:
        >>> sorted(node_types(["reports"]))
        ['Report', 'Survey']
    """
    import difflib

    wanted: set[str] = set()
    for name in names:
        canonical = canonical_type(name)
        if canonical is None:
            known = list(ENTITY_TYPES)
            close = difflib.get_close_matches(name.strip().capitalize(), known, n=3, cutoff=0.6)
            hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
            raise InfluenceGraphError(f"unknown type {name!r}; {hint}types: {', '.join(known)}")
        wanted |= type_family(canonical)
    return wanted


def _year(value: Any) -> int | None:
    """The year of ``dcterms:issued`` text (``2018``, ``2018-03``, ``2018-03-05``)."""
    parts = date_parts(str(value or ""))
    return parts[0] if parts else None


def select_view(
    graph: nx.Graph,
    *,
    around: str | None = None,
    depth: int = 1,
    types: Iterable[str] | None = None,
    since: int | None = None,
    keep: Iterable[str] = (),
) -> nx.Graph:
    """The part of ``graph`` to draw, as a subgraph view (no copy).

    ``around`` (a node id) keeps the nodes within ``depth`` hops of it, edges taken either
    way. Then ``types`` (display names, already expanded: see :func:`node_types`) keeps
    nodes of those types and ``since`` drops dated nodes (works) issued before that year;
    undated nodes stay. The centre and the ``keep`` nodes (a highlighted path) always stay.

    Example:
        >>> import networkx as nx
        >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
        >>> sorted(select_view(g, around="b", depth=1))
        ['a', 'b', 'c']
    """
    import networkx as nx

    if around is not None:
        if around not in graph:
            raise InfluenceGraphError(f"{around!r} is not in the graph being drawn")
        undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
        lengths = nx.single_source_shortest_path_length(undirected, around, cutoff=depth)
        chosen = set(lengths)
    else:
        chosen = set(graph.nodes)
    forced = set(keep) & set(graph.nodes) | ({around} if around is not None else set())
    wanted_types = set(types) if types is not None else None
    selected = set()
    for node in chosen:
        attrs = graph.nodes[node]
        if wanted_types is not None and attrs.get("type") not in wanted_types:
            continue
        year = _year(attrs.get("year"))
        if since is not None and year is not None and year < since:
            continue
        selected.add(node)
    return graph.subgraph(selected | forced)


# ---------------------------------------------------------------- the page


@dataclass(frozen=True)
class Highlight:
    """What to emphasise: nodes, and edges as ``(from, to)`` or ``(from, to, relation)``
    (node ids matched either way; with a relation, only edges of that relation label)."""

    nodes: frozenset[str] = frozenset()
    edges: frozenset[tuple[str, ...]] = frozenset()
    caption: str = ""


def path_highlight(path: InfluencePath) -> Highlight:
    """The entities and hops of an influence path (from :func:`influencegraph.paths.find_paths`).

    Example:
        >>> from influencegraph.paths import find_paths
        >>> from influencegraph.graph import open_source
        >>> found = find_paths(open_source(), "The Challenge", "ICS")
        >>> path_highlight(found.paths[0]).caption  # doctest: +ELLIPSIS
        'influence path: The Challenge → All Together Now → Integrated Communities ...'
    """
    hops = path.hops
    nodes = frozenset([hops[0].influencer_iri, *(hop.target_iri for hop in hops)])
    edges = frozenset((hop.influencer_iri, hop.target_iri, hop.kind) for hop in hops)
    labels = [hops[0].influencer, *(hop.target for hop in hops)]
    return Highlight(nodes, edges, "influence path: " + " \u2192 ".join(labels))


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a type or an edge kind, how it looks, how many are drawn.

    ``dashed`` says some edges of this kind are inferred (drawn dashed).
    """

    name: str
    colour: str
    count: int
    glyph: str = ""
    dashed: bool = False


NODE_FIELDS = ("iri", "label", "type", "year", "rank", "size", "mark")
"""Columns of :attr:`Page.nodes` rows; ``type`` indexes :attr:`Page.types`."""
EDGE_FIELDS = ("from", "to", "kind", "relation", "evidence", "source", "claimant", "reason", "mark")
"""Columns of :attr:`Page.edges` rows: ``from``/``to`` index the nodes, ``kind`` indexes
:attr:`Page.kinds`, ``relation``/``source``/``claimant`` index :attr:`Page.strings`
(``relation`` is null when it is the kind's label)."""

MARK_PATH, MARK_DIM, MARK_INFERRED = 1, 2, 4
"""Bits of a row's ``mark``: highlighted, dimmed (something else is highlighted), inferred."""


@dataclass
class Page:
    """Everything one HTML page shows, as compact tables; :func:`render_html` writes it out.

    Rows rather than one dict per item keep a 100k-edge page small and fast to build; the
    page's script expands them into vis-network items. :meth:`node_items` and
    :meth:`edge_items` give the same data as readable dicts.
    """

    title: str
    subtitle: str
    types: list[str]
    kinds: list[tuple[str, str, str, float]]
    """Per edge kind: name, label, colour, drawn width."""
    strings: list[str]
    nodes: list[list[Any]]
    edges: list[list[Any]]
    options: dict[str, Any]
    label_edges: bool = True
    node_legend: list[LegendEntry] = field(default_factory=list)
    edge_legend: list[LegendEntry] = field(default_factory=list)
    caption: str = ""

    def _repr_html_(self) -> str:
        """Inline in Jupyter: the self-contained page in a sandboxed frame."""
        import html

        from .html import render_html

        return (
            f'<iframe sandbox="allow-scripts" style="width:100%;height:600px;border:0" '
            f'srcdoc="{html.escape(render_html(self))}"></iframe>'
        )

    def data(self) -> dict[str, Any]:
        """The JSON the page's script reads."""
        return {
            "types": self.types,
            "kinds": self.kinds,
            "strings": self.strings,
            "nodes": self.nodes,
            "edges": self.edges,
            "options": self.options,
            "labelEdges": self.label_edges,
            "style": {"other": OTHER_NODE_STYLE.colour, "highlight": HIGHLIGHT_COLOUR},
        }

    def node_items(self) -> list[dict[str, Any]]:
        """Each node as a dict: id (its index), iri, label, type, year, rank, size, path, dim."""
        return [
            {
                "id": i,
                "iri": iri,
                "label": label,
                "type": self.types[t],
                "year": year,
                "rank": rank,
                "size": size,
                "path": bool(mark & MARK_PATH),
                "dim": bool(mark & MARK_DIM),
            }
            for i, (iri, label, t, year, rank, size, mark) in enumerate(self.nodes)
        ]

    def edge_items(self) -> list[dict[str, Any]]:
        """Each edge as a dict: id, from, to (node ids), kind, relation, evidence, source,
        claimant, reason, inferred, path, dim."""
        text = self.strings
        return [
            {
                "id": j,
                "from": a,
                "to": b,
                "kind": self.kinds[k][0],
                "relation": self.kinds[k][1] if rel is None else text[rel],
                "evidence": evidence,
                "source": None if src is None else text[src],
                "claimant": None if who is None else text[who],
                "reason": reason,
                "inferred": bool(mark & MARK_INFERRED),
                "path": bool(mark & MARK_PATH),
                "dim": bool(mark & MARK_DIM),
            }
            for j, (a, b, k, rel, evidence, src, who, reason, mark) in enumerate(self.edges)
        ]


def _iterations(node_count: int) -> int:
    """Layout iterations before the page settles: fewer for big graphs, whose every
    iteration costs the browser much more (20k nodes: roughly a second each, no GPU)."""
    return 500 if node_count <= 500 else 200 if node_count <= 2000 else 50


def _options(node_count: int, edge_count: int, directed: bool) -> dict[str, Any]:
    groups = {
        name: {
            "shape": s.shape,
            "color": {
                "background": s.colour,
                "border": "#555555",
                "highlight": {"background": s.colour, "border": "#000000"},
            },
        }
        for name, s in NODE_STYLES.items()
    }
    small = edge_count <= SMOOTH_EDGES_UP_TO
    return {
        "groups": groups,
        "nodes": {
            "shape": OTHER_NODE_STYLE.shape,
            "borderWidth": 1,
            "font": {"size": 19, "face": "sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
        },
        "edges": {
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.7}},
            "font": {
                "size": 13,
                "face": "sans-serif",
                "align": "middle",
                "color": "#333333",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "smooth": {"type": "continuous"} if small else False,
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -170,
                "springLength": 160,
                "springConstant": 0.04,
                "avoidOverlap": 1,
            },
            "stabilization": {"iterations": _iterations(node_count), "fit": True},
        },
        "interaction": {
            "hover": True,
            "hoverConnectedEdges": False,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": not small,
        },
        "layout": {"randomSeed": 7, "improvedLayout": node_count <= IMPROVED_LAYOUT_UP_TO},
    }


def _sig(x: float) -> float:
    return float(f"{x:.4g}")


def build_page(
    graph: nx.Graph,
    *,
    title: str = "influencegraph",
    subtitle: str = "",
    highlight: Highlight | None = None,
) -> Page:
    """The page for ``graph``: nodes coloured and shaped by type, sized by PageRank, edges
    coloured (and labelled, for small graphs) by kind, a legend of what is drawn.

    Takes any networkx graph; node attributes ``label``, ``type``, ``year`` and edge
    attributes ``relation``, ``kind``, ``strength``, ``evidence``, ``source``, ``claimant``,
    ``inferred``, ``reason`` (as :mod:`influencegraph.projection` gives) are used when
    present. On an undirected graph, an edge's ``direction`` (``"a -> b"``, which
    ``relation_graph`` records) gives its arrow.

    Example:
        >>> import networkx as nx
        >>> g = nx.DiGraph()
        >>> g.add_node("r", label="A report", type="Report")
        >>> g.add_node("s", label="A strategy", type="Strategy")
        >>> g.add_edge("r", "s", relation="draws on", kind="drawsOn", evidence="…")
        >>> page = build_page(g)
        >>> [n["label"] for n in page.node_items()], page.edge_items()[0]["relation"]
        (['A report', 'A strategy'], 'draws on')
    """
    directed = graph.is_directed()
    marked = highlight or Highlight()
    marked_nodes = {str(n) for n in marked.nodes}
    marked_pairs: dict[tuple[str, str], set[str | None]] = {}
    for a, b, *relation in marked.edges:
        for pair in ((str(a), str(b)), (str(b), str(a))):
            marked_pairs.setdefault(pair, set()).add(relation[0] if relation else None)
    dim = MARK_DIM if marked_nodes or marked_pairs else 0

    index: dict[Any, int] = {}
    types: dict[str, int] = {}
    nodes: list[list[Any]] = []
    type_counts: Counter[str] = Counter()
    for i, (node, attrs) in enumerate(graph.nodes(data=True)):
        index[node] = i
        type_name = str(attrs.get("type") or "Other")
        type_counts[type_name] += 1
        code = types.setdefault(type_name, len(types))
        iri = str(node)
        nodes.append(
            [
                iri,
                str(attrs.get("label") or iri),
                code,
                attrs.get("year"),
                0.0,
                0.0,
                MARK_PATH if iri in marked_nodes else dim,
            ]
        )

    strings: dict[Any, int] = {}  # each distinct string once; rows hold its index
    kinds: dict[str, int] = {}
    kind_rows: list[tuple[str, str, str, float]] = []
    kind_counts: list[int] = []
    dashed_kinds: set[int] = set()
    edges: list[list[Any]] = []
    has_direction = False
    for u, v, attrs in graph.edges(data=True):  # hot loop: 100k edges should take ~0.3 s
        get = attrs.get
        a, b = u, v
        if not directed:
            x, sep, y = str(get("direction") or "").partition(" -> ")
            if sep:
                has_direction = True
                if x == str(v) and y == str(u):
                    a, b = v, u
        kind = get("kind") or get("relation") or "related to"
        known = kinds.get(kind)
        if known is None:
            known = kinds[kind] = len(kind_rows)
            strength = get("strength")
            width = round(1 + 3 * float(strength), 2) if isinstance(strength, (int, float)) else 1.5
            kind_rows.append(
                (str(kind), _KIND_LABELS.get(kind, str(kind)), edge_colour(kind), width)
            )
            kind_counts.append(0)
        code = known
        kind_counts[code] += 1
        relation, source, claimant = get("relation"), get("source"), get("claimant")
        mark = dim
        if marked_pairs:
            wanted = marked_pairs.get((str(a), str(b)))
            if wanted and (None in wanted or (relation or kind_rows[code][1]) in wanted):
                mark = MARK_PATH
        if get("inferred"):
            mark |= MARK_INFERRED
            dashed_kinds.add(code)
        edges.append(
            [
                index[a],
                index[b],
                code,
                None
                if relation is None or relation == kind_rows[code][1]
                else strings.setdefault(relation, len(strings)),
                get("evidence"),
                None if source is None else strings.setdefault(source, len(strings)),
                None if claimant is None else strings.setdefault(claimant, len(strings)),
                get("reason"),
                mark,
            ]
        )

    # PageRank of the undirected multigraph: every edge both ways (a loop once)
    ends = [(row[0], row[1]) for row in edges]
    both = ends + [(b, a) for a, b in ends if a != b]
    scores = pagerank_scores(len(nodes), [a for a, _ in both], [b for _, b in both])
    if scores:
        low, high = min(scores), max(scores)
        spread = high - low or 1.0
        for row, score in zip(nodes, scores, strict=True):
            row[4] = _sig(score)
            row[5] = round(12 + 30 * math.sqrt((score - low) / spread), 1)

    node_legend = [
        LegendEntry(name, node_style(name).colour, count, node_style(name).glyph)
        for name, count in sorted(type_counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    ]
    by_count = sorted(
        range(len(kind_rows)), key=lambda code: (-kind_counts[code], kind_rows[code][1].casefold())
    )
    edge_legend = [
        LegendEntry(
            kind_rows[code][1], kind_rows[code][2], kind_counts[code], dashed=code in dashed_kinds
        )
        for code in by_count
    ]
    return Page(
        title=title,
        subtitle=subtitle,
        types=list(types),
        kinds=kind_rows,
        strings=[str(x) for x in strings],
        nodes=nodes,
        edges=edges,
        options=_options(len(nodes), len(edges), directed or has_direction),
        label_edges=len(edges) <= LABEL_EDGES_UP_TO,
        node_legend=node_legend,
        edge_legend=edge_legend,
        caption=marked.caption,
    )
