"""What each explorer page shows: pure functions from a source and a request to page data.

Each function fetches only what its page shows, through the library's bounded queries
(names for search, :mod:`~influencegraph.facts` for an entity's facts,
the relations those facts already fetched for its neighbourhood,
:mod:`~influencegraph.paths`, :mod:`~influencegraph.ranking`,
:mod:`~influencegraph.dossier`, :mod:`~influencegraph.corroboration`); none loads the
whole graph per request (a ranking measures the whole network once per source and is
remembered). Each returns a :class:`PageData`: which template, a title and what it fills in.
:mod:`.views` renders it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InfluenceGraphError
from ..graph import Source
from ..names import Entity, entities, search
from ..projection import Edge, claims_by_iri, node_attributes
from ..vocab import INFLUENCE_KINDS
from .addresses import PageNotFound

SEARCH_LIMIT = 25
"""Results listed by the search page."""
SUGGEST_LIMIT = 8
"""Labels offered while typing a name."""
RANK_TOP = 50
"""Entities listed by a ranking page."""

_INFLUENCE = {kind.name for kind in INFLUENCE_KINDS}
IDENTIFIER_FACTS = (
    "dcterms:identifier",
    "owl:sameAs",
    "skos:exactMatch",
    "skos:closeMatch",
    "schema:identifier",
    "schema:sameAs",
    "foaf:homepage",
    "schema:url",
)
"""Facts shown as the entity's identifiers."""


@dataclass
class PageData:
    """One page: its template (in ``templates/explorer``), title, values and HTTP status."""

    template: str
    title: str
    values: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def _entity(source: Source, iri: str) -> Entity:
    found = entities(source, [iri]).get(iri)
    if found is None:
        raise PageNotFound(f"no entity {iri} in the graph")
    return found


def home() -> PageData:
    """The start page: search, the path form and the rankings (it fetches nothing)."""
    from ..ranking import METRICS, valid_types

    return PageData(
        "home.html.j2", "influencegraph explorer", {"metrics": METRICS, "types": valid_types()}
    )


def suggestions(source: Source, text: str, limit: int = SUGGEST_LIMIT) -> list[dict[str, str]]:
    """Entities whose labels match ``text`` as the user types: ``{label, type, iri}``."""
    if not text.strip():
        return []
    return [
        {"label": hit.entity.label, "type": hit.entity.type, "iri": hit.entity.iri}
        for hit in search(source, text, limit=limit)
    ]


def search_page(source: Source, text: str) -> PageData:
    """Entities matching ``text`` (fuzzy); with no match, the closest labels as suggestions."""
    hits = search(source, text, limit=SEARCH_LIMIT) if text.strip() else []
    close = [] if hits or not text.strip() else search(source, text, limit=5, cutoff=0.3)
    return PageData(
        "search.html.j2",
        f"Search: {text}" if text else "Search",
        {"query": text, "hits": hits, "suggestions": close},
    )


def entity_page(source: Source, iri: str) -> PageData:
    """An entity: its facts, its claims both ways (kind, quote, source, claimant, status,
    evidence type), its other relations, its identifiers, and its neighbourhood's network."""
    import networkx as nx

    from ..corroboration import evidence_types
    from ..dossier import SUBJECT_TYPES
    from ..facts import LINKS, entity_facts
    from ..render import build_page

    entity = _entity(source, iri)
    facts = entity_facts(source, entity.iri)
    hood = facts.neighbourhood
    graph = nx.MultiDiGraph()  # its neighbourhood: one relation away, as the facts fetched it
    graph.add_nodes_from(hood.nodes.items())
    incident: list[Edge] = list(hood.edges.values())
    for x, y, attrs in incident:
        graph.add_edge(x, y, **attrs)
    statuses = {f.claim: f.status for f in facts.facts if f.claim and f.status}
    claim_iris = [a["claim"] for _, _, a in incident if a["kind"] in _INFLUENCE and a["claim"]]
    types = evidence_types(source, claims=claim_iris) if claim_iris else {}
    claims, relations = [], []
    for x, y, attrs in sorted(incident, key=lambda e: (e[2]["relation"], e[0], e[1])):
        outward = x == entity.iri
        other = y if outward else x
        row = {
            "other": other,
            "other_label": graph.nodes[other]["label"],
            "other_type": graph.nodes[other]["type"],
            "outward": outward,
            **attrs,
        }
        if attrs["kind"] in _INFLUENCE:
            row["status"] = statuses.get(attrs["claim"] or "")
            row["evidence_type"] = types[attrs["claim"]].label if attrs["claim"] in types else None
            claims.append(row)
        else:
            relations.append(row)
    shown = [f for f in facts.facts if f.fact not in LINKS]
    identifiers = [f for f in shown if f.fact in IDENTIFIER_FACTS]
    view = build_page(graph, title=f"around {entity.label}")

    return PageData(
        "entity.html.j2",
        entity.label,
        {
            "entity": entity,
            "year": facts.entity.get("year"),
            "facts": [f for f in shown if f.fact not in IDENTIFIER_FACTS],
            "identifiers": identifiers,
            "claims_out": [c for c in claims if c["outward"]],
            "claims_in": [c for c in claims if not c["outward"]],
            "relations": relations,
            "view": view,
            "has_dossier": entity.type in SUBJECT_TYPES,
        },
    )


def claim_pages(source: Source, iris: Iterable[str]) -> Iterator[tuple[str, PageData]]:
    """The pages of influence claims (IRIs that name none are skipped), each with who
    influenced what and how, the quote, source, claimants, corroboration status (and why)
    and evidence type. One batch of queries serves them all: ``publish`` writes thousands."""
    from ..corroboration import claim_statuses, evidence_types

    wanted = sorted(set(iris))
    rows: dict[str, list[Edge]] = {}
    for edge in claims_by_iri(source, wanted):
        rows.setdefault(edge[2]["claim"], []).append(edge)
    nodes = node_attributes(source, {end for found in rows.values() for end in found[0][:2]})
    statuses = claim_statuses(source, claims=list(rows))
    types = evidence_types(source, claims=list(rows))

    def label(term: str) -> str:
        found = entities(source, [term]).get(term)
        return found.label if found else term

    for iri in wanted:
        if iri not in rows:
            continue
        x, y, attrs = rows[iri][0]
        status = statuses.get(iri)
        title = (
            f"{nodes.get(x, {}).get('label', x)} {attrs['relation']} "
            f"{nodes.get(y, {}).get('label', y)}"
        )
        yield (
            iri,
            PageData(
                "claim.html.j2",
                title,
                {
                    "iri": iri,
                    "influencer": x,
                    "target": y,
                    "nodes": nodes,
                    "claim": attrs,
                    "claimants": sorted({a["claimant"] for _, _, a in rows[iri] if a["claimant"]}),
                    "status": status.status if status else None,
                    "why": status.explain(label) if status else None,
                    "evidence_type": types.get(iri),
                },
            ),
        )


def claim_page(source: Source, iri: str) -> PageData:
    """One influence claim's page (see :func:`claim_pages`)."""
    for _, page in claim_pages(source, [iri]):
        return page
    raise PageNotFound(f"no influence claim {iri} in the graph")


def path_page(source: Source, origin: str, goal: str, mode: str = "shortest") -> PageData:
    """The influence path between two entities (names or IRIs), each hop's evidence, the
    path drawn highlighted; with none, the reasons and hints ``path`` gives."""
    from ..paths import find_paths
    from ..render import build_page, path_highlight

    values: dict[str, Any] = {
        "origin": origin,
        "goal": goal,
        "mode": mode,
        "result": None,
        "view": None,
        "error": None,
    }
    if not origin.strip() or not goal.strip():  # the form, an entity's IRI shown as its label
        known = entities(source, [name for name in (origin, goal) if name.strip()])
        values.update(
            origin=known[origin].label if origin in known else origin,
            goal=known[goal].label if goal in known else goal,
        )
        return PageData("path.html.j2", "Influence path", values)
    if mode not in ("shortest", "strongest"):
        raise InfluenceGraphError(f"unknown mode {mode!r}; use shortest or strongest")
    result = find_paths(source, origin, goal, mode=mode)  # type: ignore[arg-type]
    values["result"] = result
    title = f"Influence path from {result.origin['label']} to {result.goal['label']}"
    if result.paths:
        import networkx as nx

        path = result.paths[0]
        iris = [path.hops[0].influencer_iri, *(h.target_iri for h in path.hops)]
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(node_attributes(source, iris).items())
        for hop in path.hops:
            graph.add_edge(
                hop.influencer_iri,
                hop.target_iri,
                relation=hop.kind,
                kind=hop.kind,
                strength=hop.strength,
                evidence=hop.evidence,
                source=hop.source,
                claimant=hop.claimant,
                inferred=hop.inferred,
                reason=hop.reason,
            )
        values["view"] = build_page(graph, title=title, highlight=path_highlight(path))
    return PageData("path.html.j2", title, values)


def _ranking(source: Source, by: str) -> Any:
    """Every entity ranked by ``by``, measured once per source and remembered."""
    from ..ranking import rank

    cache: dict[str, Any] = source.__dict__.setdefault("_explorer_ranks", {})
    if by not in cache:
        cache[by] = rank(source, by=by, top=10**9)
    return cache[by]


def rank_page(source: Source, by: str, type_name: str | None) -> PageData:
    """The top entities by one measure, optionally of one type (narrower types included)."""
    from dataclasses import replace

    from ..ranking import METRICS, Ranking, resolve_type, valid_types
    from ..vocab import type_family

    full = _ranking(source, by)
    if type_name is None:
        ranking = replace(full, entries=full.entries[:RANK_TOP])
    else:
        name = resolve_type(type_name)
        family = type_family(name)
        chosen = [e for e in full.entries if e.type in family]
        ranking = Ranking(
            full.by,
            name,
            len(chosen),
            error=full.error,
            approximate=full.approximate,
            entries=[replace(e, rank=i) for i, e in enumerate(chosen[:RANK_TOP], 1)],
        )
    what = f"{ranking.type}s" if ranking.type else "Entities"
    return PageData(
        "rank.html.j2",
        f"{what} by {by}",
        {"ranking": ranking, "metrics": METRICS, "types": valid_types()},
    )


def dossier_page(source: Source, iri: str, *, network: Any = None) -> PageData:
    """The impact dossier of an organisation, person, group or project. ``network``: the
    whole :class:`~influencegraph.network.InfluenceNetwork`, when read already."""
    from ..dossier import build_dossier

    entity = _entity(source, iri)
    dossier = build_dossier(source, entity.iri, network=network)
    return PageData(
        "dossier.html.j2",
        f"Impact dossier: {entity.label}",
        {
            "dossier": dossier,
            "counts": dossier.status_counts(),
            "evidence": dossier.evidence_counts(),
        },
    )
