"""SPARQL results -> typed networkx graphs.

Two projections of the same RDF:

* :func:`influence_graph` - directed: every influence claim as an edge influencer -> target,
  plus authorship (publisher/creator -> work), each edge with its kind, strength,
  evidence quote, source and claimant. Paths, influence and rankings use this.
* :func:`relation_graph` - undirected: every relation between entities (influence,
  authorship, membership with role, sub-organisation, part-of, inferred joins), for
  ``connections``.

Node attributes: ``label``, ``type``, ``year`` (``dcterms:issued`` as text, or None).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .names import name_index
from .source import Source
from .vocab import KIND_BY_IRI, PUBLISHES

if TYPE_CHECKING:
    import networkx as nx

_CLAIMS = """
SELECT ?claim ?x ?y ?kind ?evidence ?src ?claimant ?inferred ?reason WHERE {
  ?y prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?x ; ig:kind ?kind .
  OPTIONAL { ?claim ig:evidence ?evidence }
  OPTIONAL { ?claim dcterms:source ?src }
  OPTIONAL { ?claim ig:claimant ?claimant }
  OPTIONAL { ?claim ig:inferred ?inferred }
  OPTIONAL { ?claim ig:reason ?reason }
}
"""

_AUTHORSHIP = """
SELECT ?work ?agent ?evidence ?src WHERE {
  ?work dcterms:publisher|dcterms:creator ?agent .
  FILTER NOT EXISTS { ?work a ig:SourceDocument }
  OPTIONAL { ?work ig:evidence ?evidence }
  OPTIONAL { ?work dcterms:source ?src }
}
"""

_YEARS = "SELECT ?s ?year WHERE { ?s dcterms:issued ?year }"

_MEMBERSHIPS = """
SELECT ?m ?person ?org ?roleLabel ?evidence ?src ?inferred ?reason WHERE {
  ?m a org:Membership ; org:member ?person ; org:organization ?org .
  OPTIONAL { ?m org:role/rdfs:label ?roleLabel }
  OPTIONAL { ?m ig:evidence ?evidence }
  OPTIONAL { ?m dcterms:source ?src }
  OPTIONAL { ?m ig:inferred ?inferred }
  OPTIONAL { ?m ig:reason ?reason }
}
"""

_STRUCTURE = """
SELECT ?a ?rel ?b ?evidence ?src WHERE {
  VALUES ?rel { org:subOrganizationOf dcterms:isPartOf }
  ?a ?rel ?b .
  OPTIONAL { ?a ig:evidence ?evidence }
  OPTIONAL { ?a dcterms:source ?src }
}
"""

_INFERRED_LINKS = """
SELECT ?link ?a ?pred ?b ?evidence ?reason WHERE {
  ?link a ig:InferredLink ; rdf:subject ?a ; rdf:predicate ?pred ; rdf:object ?b .
  OPTIONAL { ?link ig:evidence ?evidence }
  OPTIONAL { ?link ig:reason ?reason }
}
"""


def _add_nodes(graph: nx.Graph, source: Source) -> None:
    index = name_index(source)
    years = {str(r["s"]): str(r["year"]) for r in source.select(_YEARS)}
    for iri, entity in index.entities.items():
        if entity.type == "Source document":
            continue
        graph.add_node(iri, label=entity.label, type=entity.type, year=years.get(iri))


def _label(source: Source, iri: Any) -> str | None:
    if iri is None:
        return None
    entity = name_index(source).entities.get(str(iri))
    return entity.label if entity else str(iri)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def claim_edges(source: Source) -> list[tuple[str, str, dict[str, Any]]]:
    """Every influence claim as (influencer, target, attributes)."""
    edges = []
    for row in source.select(_CLAIMS):
        kind_iri = str(row["kind"])
        kind = KIND_BY_IRI.get(kind_iri)
        edges.append((str(row["x"]), str(row["y"]), {
            "relation": kind.label if kind else kind_iri,
            "kind": kind.name if kind else kind_iri,
            "strength": kind.strength if kind else 0.1,
            "evidence": _text(row.get("evidence")),
            "source": _label(source, row.get("src")),
            "claimant": _label(source, row.get("claimant")),
            "claim": str(row["claim"]),
            "inferred": str(row.get("inferred", "false")).lower() == "true",
            "reason": _text(row.get("reason")),
        }))
    return edges


def authorship_edges(source: Source) -> list[tuple[str, str, dict[str, Any]]]:
    """Every publisher/creator -> work link, as an influence edge of kind ``publishes``."""
    return [(str(row["agent"]), str(row["work"]), {
        "relation": PUBLISHES.label,
        "kind": PUBLISHES.name,
        "strength": PUBLISHES.strength,
        "evidence": _text(row.get("evidence")),
        "source": _label(source, row.get("src")),
        "claimant": None,
        "claim": None,
        "inferred": False,
        "reason": None,
    }) for row in source.select(_AUTHORSHIP)]


def influence_graph(source: Source, *, authorship: bool = True) -> nx.MultiDiGraph:
    """The directed influence network: claims (and authorship) between entities."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    _add_nodes(graph, source)
    edges = claim_edges(source) + (authorship_edges(source) if authorship else [])
    for x, y, attrs in edges:
        if x in graph and y in graph:
            graph.add_edge(x, y, key=attrs["claim"] or f"{attrs['kind']}:{x}->{y}", **attrs)
    return graph


def relation_graph(source: Source) -> nx.MultiGraph:
    """Every relation between entities as undirected edges, each with relation and source."""
    import networkx as nx

    graph = nx.MultiGraph()
    _add_nodes(graph, source)

    def link(a: str, b: str, **attrs: Any) -> None:
        if a in graph and b in graph:
            attrs.setdefault("inferred", False)
            graph.add_edge(a, b, **attrs)

    for x, y, attrs in influence_graph(source).edges(data=True):
        link(x, y, **dict(attrs, direction=f"{x} -> {y}"))
    for row in source.select(_MEMBERSHIPS):
        role = _text(row.get("roleLabel")) or "member"
        link(str(row["person"]), str(row["org"]), relation=f"{role} of",
             kind="membership", evidence=_text(row.get("evidence")),
             source=_label(source, row.get("src")),
             inferred=str(row.get("inferred", "false")).lower() == "true",
             reason=_text(row.get("reason")), direction=f"{row['person']} -> {row['org']}")
    for row in source.select(_STRUCTURE):
        relation = "part of" if str(row["rel"]).endswith("isPartOf") else "sub-organisation of"
        link(str(row["a"]), str(row["b"]), relation=relation, kind=relation,
             evidence=_text(row.get("evidence")), source=_label(source, row.get("src")),
             direction=f"{row['a']} -> {row['b']}")
    for row in source.select(_INFERRED_LINKS):
        link(str(row["a"]), str(row["b"]), relation="same organisation as (inferred)",
             kind="inferred link", evidence=_text(row.get("evidence")), source=None,
             inferred=True, reason=_text(row.get("reason")),
             direction=f"{row['a']} -> {row['b']}")
    return graph
