"""Drawing a graph as one self-contained, interactive HTML page (vis-network inlined).

Build (:mod:`.page`, styled by :mod:`.style`), then write
(:mod:`.html`):

* :func:`select_view` - the part of a networkx graph to draw: the neighbourhood of a node,
  some entity types, works since a year.
* :func:`build_page` - a :class:`Page`: vis-network node and edge data (filled directly,
  never through pyvis's quadratic ``add_node``/``add_edge``), a legend and drawing options.
* :func:`render_html` - the page as one HTML string. vis-network's JavaScript and CSS are
  read from the installed pyvis package and inlined; the page links no other file or host
  and its Content-Security-Policy forbids every fetch, so it works with no network.
* :func:`write_html` / :func:`write_page` - write the HTML atomically (temp file + rename).
* :func:`viz_page` - what ``influencegraph viz`` calls: a source and the user's options in,
  a :class:`Page` out.

Labels, quotes and every other text from the graph are data, never markup: they travel as
JSON in a non-executed ``<script type="application/json">`` block (``<``, ``>``, ``&``
escaped) and the page's script puts them on screen with ``textContent``. Only scripts whose
SHA-256 the page lists may run, so even markup slipped into the page could not execute.
"""

from .html import (
    VIS_VERSION,
    json_for_html,
    render_html,
    to_pyvis,
    vis_assets,
    viz_page,
    write_html,
    write_page,
)
from .page import (
    EDGE_FIELDS,
    NODE_FIELDS,
    Highlight,
    LegendEntry,
    Page,
    build_page,
    node_types,
    path_highlight,
    select_view,
)
from .style import (
    EDGE_COLOURS,
    HIGHLIGHT_COLOUR,
    IMPROVED_LAYOUT_UP_TO,
    LABEL_EDGES_UP_TO,
    NODE_STYLES,
    OTHER_EDGE_COLOUR,
    OTHER_NODE_STYLE,
    SMOOTH_EDGES_UP_TO,
    NodeStyle,
    edge_colour,
    node_style,
)

__all__ = [
    "EDGE_COLOURS",
    "EDGE_FIELDS",
    "HIGHLIGHT_COLOUR",
    "IMPROVED_LAYOUT_UP_TO",
    "LABEL_EDGES_UP_TO",
    "NODE_FIELDS",
    "NODE_STYLES",
    "OTHER_EDGE_COLOUR",
    "OTHER_NODE_STYLE",
    "SMOOTH_EDGES_UP_TO",
    "VIS_VERSION",
    "Highlight",
    "LegendEntry",
    "NodeStyle",
    "Page",
    "build_page",
    "edge_colour",
    "json_for_html",
    "node_style",
    "node_types",
    "path_highlight",
    "render_html",
    "select_view",
    "to_pyvis",
    "vis_assets",
    "viz_page",
    "write_html",
    "write_page",
]
