"""Taking the graph elsewhere: GraphML and GEXF (Gephi, Cytoscape), JSON-LD, N-Triples, CSV.

* ``graphml`` / ``gexf``: the influence network (or, with ``which="relations"``, every
  relation) from :mod:`influencegraph.projection`, with node attributes ``label``,
  ``type``, ``year`` and edge attributes ``kind``, ``relation``, ``strength``, ``weight``
  (= strength, what Gephi lays out by), ``evidence``, ``source``, ``claimant``, ``claim``,
  ``inferred``, ``reason``. Missing values are left out (the writers reject None).
* ``jsonld``: every loaded triple, with an inline ``@context`` of the project's prefixes
  (never a remote context, so reading it back needs no network).
* ``nt``: every loaded triple as sorted N-Triples.
* ``csv``: two files beside ``-o``: ``NAME-nodes.csv`` and ``NAME-edges.csv``.

The RDF formats hold what was loaded: the data plus the project's vocabulary, so kind
labels and strengths travel with it. Every file is written atomically.

Example:
    >>> from influencegraph.graph import open_source
    >>> export_graph(open_source(), "graph.gexf").files          # doctest: +SKIP
    [PosixPath('graph.gexf')]
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .edit import copy_graph
from .errors import InfluenceGraphError
from .files import write_atomically
from .graph import PathLike, Source
from .vocab import PREFIXES

if TYPE_CHECKING:
    import networkx as nx

EXPORT_FORMATS = ("graphml", "gexf", "jsonld", "nt", "csv")
FORMAT_BY_SUFFIX = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".nt": "nt",
    ".csv": "csv",
}
NETWORKS = ("influence", "relations")

NODE_COLUMNS = ("id", "label", "type", "year")
EDGE_COLUMNS = (
    "source",
    "target",
    "source_label",
    "target_label",
    "kind",
    "relation",
    "strength",
    "evidence",
    "source_document",
    "claimant",
    "claim",
    "inferred",
    "reason",
)


@dataclass
class ExportResult:
    """What was written: the files, and the node/edge or triple counts."""

    files: list[Path]
    format: str
    nodes: int | None = None
    edges: int | None = None
    triples: int | None = None


def export_format(path: PathLike, fmt: str | None = None) -> str:
    """The format asked for, or the one the file name's suffix implies."""
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise InfluenceGraphError(
                f"unknown export format {fmt!r}; use one of " + ", ".join(EXPORT_FORMATS)
            )
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix in FORMAT_BY_SUFFIX:
        return FORMAT_BY_SUFFIX[suffix]
    raise InfluenceGraphError(
        f"cannot tell the format from {str(path)!r}; give --format " + "|".join(EXPORT_FORMATS)
    )


def csv_paths(path: PathLike) -> tuple[Path, Path]:
    """``out/graph.csv`` -> ``out/graph-nodes.csv``, ``out/graph-edges.csv``."""
    path = Path(path)
    stem = path.stem if path.suffix.lower() == ".csv" else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def network(source: Source, which: str = "influence") -> nx.MultiGraph:
    """The projection to export, with unique edge ids and no None attribute values.

    ``influence``: directed claims and authorship; ``relations``: every relation, undirected.
    """
    from .projection import influence_graph, relation_graph

    if which not in NETWORKS:
        raise InfluenceGraphError(f"unknown network {which!r}; use influence or relations")
    projected = influence_graph(source) if which == "influence" else relation_graph(source)
    graph = projected.__class__()
    for node, attrs in projected.nodes(data=True):
        graph.add_node(node, **writable_attributes(attrs))
    for i, (x, y, attrs) in enumerate(projected.edges(data=True)):
        clean = writable_attributes(attrs)
        if "strength" in clean:
            clean["weight"] = clean["strength"]
        graph.add_edge(x, y, key=f"e{i}", **clean)
    return graph


def writable_attributes(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes GraphML/GEXF can hold: None dropped, lists joined, other values as text."""
    clean: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            value = "; ".join(str(v) for v in value)
        elif not isinstance(value, (str, int, float, bool)):
            value = str(value)
        clean[key] = value
    return clean


def network_bytes(graph: nx.MultiGraph, fmt: str) -> bytes:
    """A network as GraphML or GEXF bytes."""
    import networkx as nx

    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer, encoding="utf-8")
    else:
        nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def jsonld_bytes(source: Source) -> bytes:
    """Every triple as JSON-LD with an inline context of :data:`vocab.PREFIXES`."""
    graph = copy_graph(source)
    text = graph.serialize(format="json-ld", context=dict(PREFIXES), indent=2, sort_keys=True)
    return text.encode("utf-8")


def ntriples_bytes(source: Source) -> bytes:
    """Every triple as N-Triples, lines sorted so the same graph gives the same file."""
    text = copy_graph(source).serialize(format="nt")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def table_rows(graph: nx.MultiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node rows and edge rows for the CSV files (columns :data:`NODE_COLUMNS`,
    :data:`EDGE_COLUMNS`)."""
    nodes = [{"id": n, **attrs} for n, attrs in graph.nodes(data=True)]
    edges = []
    for x, y, attrs in graph.edges(data=True):
        row = {k: v for k, v in attrs.items() if k != "source"}
        row.update(
            source=x,
            target=y,
            source_label=graph.nodes[x].get("label"),
            target_label=graph.nodes[y].get("label"),
            source_document=attrs.get("source"),
        )
        if "direction" in attrs:  # undirected relations keep their direction
            row["source"], row["target"] = _direction(attrs["direction"], x, y)
            row["source_label"] = graph.nodes[row["source"]].get("label")
            row["target_label"] = graph.nodes[row["target"]].get("label")
        edges.append(row)
    return nodes, edges


def _direction(text: str, x: str, y: str) -> tuple[str, str]:
    first, _, second = text.partition(" -> ")
    return (first, second) if {first, second} == {x, y} else (x, y)


def export_graph(
    source: Source, path: PathLike, fmt: str | None = None, *, which: str = "influence"
) -> ExportResult:
    """Write the graph to ``path`` in ``fmt`` (default: from the suffix), atomically.

    Example:
        >>> export_graph(open_source(), "graph.csv").files            # doctest: +SKIP
        [PosixPath('graph-nodes.csv'), PosixPath('graph-edges.csv')]
    """
    from .output import render_rows

    fmt = export_format(path, fmt)
    path = Path(path)
    if fmt in ("jsonld", "nt"):
        data = jsonld_bytes(source) if fmt == "jsonld" else ntriples_bytes(source)
        write_atomically(path, data)
        triples = sum(1 for _ in source.triples((None, None, None)))
        return ExportResult([path], fmt, triples=triples)
    graph = network(source, which)
    counts = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    if fmt in ("graphml", "gexf"):
        write_atomically(path, network_bytes(graph, fmt))
        return ExportResult([path], fmt, **counts)
    nodes, edges = table_rows(graph)
    node_path, edge_path = csv_paths(path)
    write_atomically(node_path, render_rows(nodes, NODE_COLUMNS, "csv").encode("utf-8"))
    write_atomically(edge_path, render_rows(edges, EDGE_COLUMNS, "csv").encode("utf-8"))
    return ExportResult([node_path, edge_path], fmt, **counts)
