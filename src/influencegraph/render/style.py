"""How entities and relations look: colour and shape by type, colour by kind of claim."""

from __future__ import annotations

from dataclasses import dataclass

from ..vocab import INFLUENCE_KINDS, PUBLISHES

# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class NodeStyle:
    """How one entity type is drawn: fill colour, vis-network shape, legend glyph."""

    colour: str
    shape: str
    glyph: str


_SQUARE, _STAR, _TRIANGLE, _DOWN, _DIAMOND, _HEXAGON, _DOT = (
    ("square", "\u25a0"),
    ("star", "\u2605"),
    ("triangle", "\u25b2"),
    ("triangleDown", "\u25bc"),
    ("diamond", "\u25c6"),
    ("hexagon", "\u2b22"),
    ("dot", "\u25cf"),
)

NODE_STYLES: dict[str, NodeStyle] = {
    "Report": NodeStyle("#4e79a7", *_SQUARE),
    "Survey": NodeStyle("#76b7b2", *_SQUARE),
    "Strategy": NodeStyle("#e15759", *_STAR),
    "Idea": NodeStyle("#edc948", *_TRIANGLE),
    "Organisation": NodeStyle("#f28e2b", *_HEXAGON),
    "Government body": NodeStyle("#b07aa1", *_HEXAGON),
    "Group": NodeStyle("#59a14f", *_DIAMOND),
    "APPG": NodeStyle("#59a14f", *_DIAMOND),
    "Working group": NodeStyle("#8cd17d", *_DIAMOND),
    "Project": NodeStyle("#ff9da7", *_DOWN),
    "Programme": NodeStyle("#9c755f", *_DOWN),
    "Person": NodeStyle("#a0cbe8", *_DOT),
    "Source document": NodeStyle("#bab0ac", *_SQUARE),
}
"""Entity type (display name) -> how its nodes are drawn."""

OTHER_NODE_STYLE = NodeStyle("#c7c7c7", *_DOT)
"""For a type the project does not know (another vocabulary's data)."""

EDGE_COLOURS: dict[str, str] = {
    "citesAsKeyInfluence": "#8b0000",
    "endorses": "#d62728",
    "drawsOn": "#ff7f0e",
    "chairs": "#9467bd",
    "reflects": "#bcbd22",
    "runsSecretariatOf": "#8c564b",
    "funds": "#2ca02c",
    "contributesTo": "#17becf",
    "memberOfWorkingGroup": "#1f77b4",
    "worksWith": "#7f7f7f",
    PUBLISHES.name: "#404040",
    "membership": "#9ecae1",
    "part of": "#c49c94",
    "sub-organisation of": "#c49c94",
    "inferred link": "#e377c2",
}
"""Edge ``kind`` (an influence kind's name, or a relation projection gives) -> colour."""

OTHER_EDGE_COLOUR = "#b0b0b0"
HIGHLIGHT_COLOUR = "#e31a1c"

_KIND_LABELS = {k.name: k.label for k in (*INFLUENCE_KINDS, PUBLISHES)}

LABEL_EDGES_UP_TO = 400
"""Edges carry their relation as a drawn label up to this many edges (then tooltips only)."""
SMOOTH_EDGES_UP_TO = 1000
"""Curved edges up to this many edges; straight above (much faster to draw)."""
IMPROVED_LAYOUT_UP_TO = 300
"""vis-network's initial layout pass (clustering) up to this many nodes."""


def node_style(type_name: str | None) -> NodeStyle:
    """The style of a type's nodes (a neutral grey dot for unknown types)."""
    return NODE_STYLES.get(type_name or "", OTHER_NODE_STYLE)


def edge_colour(kind: str | None) -> str:
    """The colour of an edge kind (grey for kinds the project does not know)."""
    return EDGE_COLOURS.get(kind or "", OTHER_EDGE_COLOUR)
