"""Every fact about one entity, by label, each with its evidence and source (``show``).

Facts come in three groups:

* what the entity is: its types, label, other names, date, description, and the quote
  and source that introduce it;
* how it is linked: influence claims in and out (with kind and claimant), authorship,
  memberships and posts (with role), structure (part of, sub-organisation) and
  inferred links (with their reason) - one hop of the relation network around it;
* anything else stated about it, shown with the property's short name, so nothing in
  the graph is left out. Shortcut triples that repeat a claim (``prov:wasInfluencedBy``,
  CiTO) or a link already shown are not repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .corroboration import status_labels
from .graph import Source
from .names import Entity, entities, resolve
from .output import Tabular
from .paths import entity_dict, hop_statuses
from .projection import expand
from .vocab import KIND_BY_IRI, PREFIXES, TYPE_NAMES, shorten

_RDF, _RDFS, _SKOS = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["skos"]
_DCT, _IG, _PROV, _ORG = PREFIXES["dcterms"], PREFIXES["ig"], PREFIXES["prov"], PREFIXES["org"]

_ATTRIBUTES = {
    _RDF + "type",
    _RDFS + "label",
    _SKOS + "altLabel",
    _SKOS + "prefLabel",
    _DCT + "issued",
    _RDFS + "comment",
    _IG + "evidence",
    _DCT + "source",
    _PROV + "qualifiedInfluence",
}
"""Outgoing properties shown as attributes (or, for claims, through the claim itself)."""

_LINKING = {
    _DCT + "publisher",
    _DCT + "creator",
    _ORG + "subOrganizationOf",
    _DCT + "isPartOf",
    _PROV + "wasInfluencedBy",
    _SKOS + "exactMatch",
}
"""Properties that repeat a link already shown when the two ends are linked."""

_NODE_LINKS = {
    _PROV + "influencer",
    _ORG + "member",
    _ORG + "organization",
    _RDF + "subject",
    _RDF + "object",
    _IG + "claimant",
}
"""Incoming properties from claim, membership and link nodes, shown through those."""

LINKS = (
    "published by",
    "published",
    "member of",
    "has member",
    "part of",
    "has part",
    "sub-organisation of",
    "has sub-organisation",
    "same organisation as (inferred)",
    "influenced by",
    "influenced",
)
"""Facts that join the entity to another by a relation of the network (the explorer's
entity page shows them in its claims and network view, not among the facts)."""

_ORDER = [
    "type",
    "label",
    "also called",
    "issued",
    "description",
    "evidence",
    *LINKS,
    "claimant of",
    "source of",
]


@dataclass(frozen=True)
class Fact:
    """One statement about the entity: ``fact`` (what), ``value`` (a label or text)."""

    fact: str
    value: str
    detail: str | None = None
    inferred: bool = False
    evidence: str | None = None
    source: str | None = None
    status: str | None = None
    """Corroboration status, for an influence claim (see influencegraph.corroboration)."""
    claim: str | None = None
    """The claim, membership or link node behind a relation (not in :meth:`as_dict`)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "value": self.value,
            "detail": self.detail,
            "inferred": self.inferred,
            "evidence": self.evidence,
            "source": self.source,
            "status": self.status,
        }


FACT_COLUMNS = ["fact", "value", "detail", "status", "evidence", "source"]


@dataclass
class EntityFacts(Tabular):
    """An entity and every fact about it."""

    COLUMNS: ClassVar[Sequence[str]] = FACT_COLUMNS

    entity: dict[str, Any]
    facts: list[Fact] = field(default_factory=list)
    neighbourhood: Any = field(default=None, repr=False, compare=False)
    """The entity and its relations one hop either way, as fetched for the facts (a
    :class:`~influencegraph.projection.Neighbourhood`; not in :meth:`as_dict`)."""

    def as_dict(self) -> dict[str, Any]:
        """Stable keys: entity {label, type, year, iri}, facts[] {fact, value, detail,
        inferred, evidence, source, status}."""
        return {"entity": self.entity, "facts": [f.as_dict() for f in self.facts]}

    def rows(self) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self.facts]


_OUT = "SELECT ?p ?o WHERE { ?e ?p ?o }"
_IN = "SELECT ?s ?p WHERE { ?s ?p ?e }"
_CLAIMS_MADE = """
SELECT ?claim ?x ?y ?kind ?evidence ?src WHERE {
  ?claim ig:claimant ?e ; prov:influencer ?x ; ig:kind ?kind .
  ?y prov:qualifiedInfluence ?claim .
  OPTIONAL { ?claim ig:evidence ?evidence }
  OPTIONAL { ?claim dcterms:source ?src }
}
"""


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _link_facts(iri: str, hood: Any, statuses: dict[str, str]) -> list[Fact]:
    """The relations around the entity, each read from the entity's side."""
    facts = []
    for x, y, attrs in hood.edges.values():
        outward = x == iri
        other = hood.nodes[y if outward else x]["label"]
        kind = attrs["kind"]
        detail = None
        if kind == "membership":
            name = "member of" if outward else "has member"
            detail = attrs["relation"].removesuffix(" of")
        elif kind == "publishes":
            name = "published" if outward else "published by"
        elif kind in ("part of", "sub-organisation of"):
            name = (
                kind
                if outward
                else {"part of": "has part", "sub-organisation of": "has sub-organisation"}[kind]
            )
        elif kind == "inferred link":
            name = "same organisation as (inferred)"
        else:
            name = "influenced" if outward else "influenced by"
            claimant = attrs["claimant"]
            detail = attrs["relation"] + (f" (claimed by {claimant})" if claimant else "")
        if attrs["inferred"] and attrs["reason"]:
            detail = f"{detail + '; ' if detail else ''}inferred: {attrs['reason']}"
        facts.append(
            Fact(
                name,
                other,
                detail,
                bool(attrs["inferred"]),
                attrs["evidence"],
                attrs["source"],
                statuses.get(attrs.get("claim") or ""),
                attrs.get("claim"),
            )
        )
    return facts


def entity_facts(source: Source, name: str) -> EntityFacts:
    """Every fact about the entity called ``name``, with evidence and sources, by label.

    Example:
        >>> facts = entity_facts(source, "All Together Now")  # doctest: +SKIP
        >>> [(f.fact, f.value) for f in facts.facts if f.fact == "influenced"]  # doctest: +SKIP
        [('influenced', 'Integrated Communities Strategy Green Paper')]
    """
    from rdflib import URIRef

    entity = resolve(source, name)
    node = URIRef(entity.iri)

    def known(term: Any) -> Entity | None:
        return entities(source, [str(term)]).get(str(term))

    def label(term: Any) -> str:
        found = known(term)
        return found.label if found else shorten(str(term))

    out = source.select(_OUT, {"e": node})
    incoming = source.select(_IN, {"e": node})
    made = source.select(_CLAIMS_MADE, {"e": node})
    entities(
        source,
        {
            str(row[k])
            for rows, keys in ((out, ("o",)), (incoming, ("s",)), (made, ("x", "y", "src")))
            for row in rows
            for k in keys
            if k in row
        },
    )  # their labels at once
    facts: list[Fact] = []
    sources = sorted(label(r["o"]) for r in out if str(r["p"]) == _DCT + "source")
    year = None
    for row in out:
        p, o = str(row["p"]), row["o"]
        if p == _RDF + "type":
            facts.append(Fact("type", TYPE_NAMES.get(str(o), shorten(str(o)))))
        elif p == _RDFS + "label":
            facts.append(Fact("label", str(o)))
        elif p in (_SKOS + "altLabel", _SKOS + "prefLabel"):
            facts.append(Fact("also called", str(o)))
        elif p == _DCT + "issued":
            year = str(o) if year is None or str(o) < year else year
            facts.append(Fact("issued", str(o)))
        elif p == _RDFS + "comment":
            facts.append(Fact("description", str(o)))
        elif p == _IG + "evidence":
            facts.append(Fact("evidence", str(o), source="; ".join(sources) or None))
    hood = expand(source, [entity.iri], "both", 1, relations="all")
    statuses = hop_statuses(source, hood.edges.values())
    statuses.update(status_labels(source, [str(r["claim"]) for r in made]))
    facts += _link_facts(entity.iri, hood, statuses)
    linked = {x if y == entity.iri else y for x, y, _ in hood.edges.values()}
    for row in made:
        kind = KIND_BY_IRI.get(str(row["kind"]))
        facts.append(
            Fact(
                "claimant of",
                f"{label(row['x'])} -> {label(row['y'])}",
                kind.label if kind else shorten(str(row["kind"])),
                evidence=_text(row.get("evidence")),
                source=label(row["src"]) if "src" in row else None,
                status=statuses.get(str(row["claim"])),
            )
        )
    for row in out:
        p, o = str(row["p"]), row["o"]
        if p in _ATTRIBUTES or (
            (p in _LINKING or p.startswith(PREFIXES["cito"])) and str(o) in linked
        ):
            continue
        facts.append(Fact(shorten(p), label(o)))
    cited = 0
    for row in incoming:
        s, p = row["s"], str(row["p"])
        if p in _NODE_LINKS or (
            (p in _LINKING or p.startswith(PREFIXES["cito"])) and str(s) in linked
        ):
            continue
        if p == _DCT + "source":
            if known(s) is not None and str(s) != entity.iri:
                facts.append(Fact("source of", label(s)))
            elif known(s) is None:
                cited += 1
            continue
        facts.append(Fact(f"is {shorten(p)} of", label(s)))
    if cited:
        facts.append(Fact("source of", f"{cited} claims, memberships and links"))
    rank = {name: i for i, name in enumerate(_ORDER)}
    facts.sort(
        key=lambda f: (rank.get(f.fact, len(rank)), f.fact, f.value.casefold(), f.detail or "")
    )
    return EntityFacts(entity_dict(entity, year), facts, hood)
