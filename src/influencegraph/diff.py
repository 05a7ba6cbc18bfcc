"""What changed between two versions of a graph: entities and claims, by label.

Entities are matched by IRI: one only in the new file is ``added``, one only in the old
file ``removed``, one in both whose statements differ ``changed`` (label, type, alternative
labels, year, evidence, source, publisher: every statement about it, except the influence
shortcuts, which are reported as claims). Influence claims are compared by their whole
content (influencer, target, kind, evidence, source document, claimant, year, and any
other statement about the claim), never by IRI, so a claim re-minted under a new IRI is
not a change; a claim whose ends, kind and source stay but whose quote, claimant or year
differ is ``changed``. Claims are named ``influencer -> target (kind)``; ``detail`` says
what changed.

Example:
    >>> [c.name for c in diff_files("old.ttl", "new.ttl")]        # doctest: +SKIP
    ['Bridging Divides', 'All Together Now -> Bridging Divides (draws on)']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from .graph import MemorySource, PathLike, load_graph
from .names import Entity, name_index
from .vocab import INFLUENCE_KINDS, PREFIXES, shorten

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

CHANGE_COLUMNS = ("change", "item", "name", "type", "detail")
"""Table and CSV columns; JSON rows add ``iri`` (the entity's, or the claim's)."""

_ORDER = {"added": 0, "removed": 1, "changed": 2}
_PROV = PREFIXES["prov"]
_SHORTCUTS = (_PROV + "qualifiedInfluence", _PROV + "wasInfluencedBy")
"""Statements on an entity that only restate its claims (with CiTO's): not entity facts."""

Facts = frozenset[tuple[str, str]]
"""Statements about one node as (predicate, object) in N-Triples form."""


@dataclass(frozen=True)
class Change:
    """One difference: ``change`` (added/removed/changed), ``item`` (entity/claim), the
    ``name`` by label, the entity ``type`` or the claim's kind, what changed (``detail``,
    for ``changed``) and the ``iri``."""

    change: str
    item: str
    name: str
    type: str
    detail: str
    iri: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _facts(graph: Graph, node: Node, skip: tuple[str, ...] = ()) -> Facts:
    """What ``graph`` says about ``node``; blank nodes compare as equal to each other."""
    from rdflib import BNode

    return frozenset(
        (str(p), "_:b" if isinstance(o, BNode) else o.n3())
        for p, o in graph.predicate_objects(node)
        if not str(p).startswith(skip)
    )


def _detail(old: Facts, new: Facts) -> str:
    """``dcterms:issued: "2016" -> "2017"; ig:evidence: ...`` for the predicates that differ."""
    said = []
    for predicate in sorted({p for p, _ in old ^ new}):
        before = ", ".join(sorted(o for p, o in old if p == predicate)) or "(none)"
        after = ", ".join(sorted(o for p, o in new if p == predicate)) or "(none)"
        said.append(f"{shorten(predicate)}: {before} -> {after}")
    return "; ".join(said)


@dataclass(frozen=True)
class _Claim:
    iri: str
    target: str
    facts: Facts

    def value(self, predicate: str) -> str:
        return min((o for p, o in self.facts if p == predicate), default="")

    @property
    def match(self) -> tuple[str, str, str, str]:
        """What makes two differing claims one changed claim: ends, kind and source."""
        return (
            self.target,
            self.value(_PROV + "influencer"),
            self.value(PREFIXES["ig"] + "kind"),
            self.value(PREFIXES["dcterms"] + "source"),
        )

    @property
    def content(self) -> tuple[str, Facts]:
        return (self.target, self.facts)


def _claims(graph: Graph) -> list[_Claim]:
    """Every claim that names its influencer and kind (a target's dangling link to a
    claim that is not there is no claim)."""
    from rdflib import BNode, URIRef

    found = [
        _Claim(str(claim), "_:b" if isinstance(y, BNode) else y.n3(), _facts(graph, claim))
        for y, claim in graph.subject_objects(URIRef(_PROV + "qualifiedInfluence"))
    ]
    return [c for c in found if all(c.match[1:3])]


def _label(index: dict[str, Entity], term: str) -> str:
    """The label of an IRI term (``<...>``) when it names something, else the term."""
    iri = term[1:-1] if term.startswith("<") else term
    return index[iri].label if iri in index else shorten(iri)


def _claim_change(status: str, claim: _Claim, index: dict[str, Entity], detail: str = "") -> Change:
    target, influencer, kind, _ = claim.match
    kind_label = _label(index, kind)
    name = f"{_label(index, influencer)} -> {_label(index, target)} ({kind_label})"
    return Change(status, "claim", name, kind_label, detail, claim.iri)


def _claim_changes(old: Graph, new: Graph, index: dict[str, Entity]) -> list[Change]:
    before, after = _claims(old), _claims(new)
    same = Counter(c.content for c in before) & Counter(c.content for c in after)
    gone, came = _unmatched(before, same), _unmatched(after, same)
    changes = []
    for claim in list(came):
        partner = next((c for c in gone if c.match == claim.match), None)
        if partner is not None:
            gone.remove(partner)
            came.remove(claim)
            changes.append(
                _claim_change("changed", claim, index, _detail(partner.facts, claim.facts))
            )
    changes += [_claim_change("added", c, index) for c in came]
    changes += [_claim_change("removed", c, index) for c in gone]
    return changes


def _unmatched(claims: list[_Claim], same: Counter[tuple[str, Facts]]) -> list[_Claim]:
    """The claims left once ``same`` (contents present on both sides) are taken out."""
    left = Counter(same)
    out = []
    for claim in claims:
        if left[claim.content] > 0:
            left[claim.content] -= 1
        else:
            out.append(claim)
    return out


def diff_sources(old: MemorySource, new: MemorySource) -> list[Change]:
    """Every entity and claim added, removed or changed from old to new."""
    from rdflib import URIRef

    old_graph, new_graph = old.graph, new.graph
    changes = []
    before, after = name_index(old).entities, name_index(new).entities
    for iri in after.keys() - before.keys():
        changes.append(Change("added", "entity", after[iri].label, after[iri].type, "", iri))
    for iri in before.keys() - after.keys():
        changes.append(Change("removed", "entity", before[iri].label, before[iri].type, "", iri))
    skip = (*_SHORTCUTS, PREFIXES["cito"])
    for iri in before.keys() & after.keys():
        a, b = before[iri], after[iri]
        facts_a = _facts(old_graph, URIRef(iri), skip)
        facts_b = _facts(new_graph, URIRef(iri), skip)
        if (a.label, a.type) != (b.label, b.type) or facts_a != facts_b:
            name = b.label if a.label == b.label else f"{a.label} -> {b.label}"
            kind = b.type if a.type == b.type else f"{a.type} -> {b.type}"
            changes.append(Change("changed", "entity", name, kind, _detail(facts_a, facts_b), iri))
    kinds = {k.iri: Entity(k.iri, k.label, "kind") for k in INFLUENCE_KINDS}
    labels = {**kinds, **before, **after}
    changes += _claim_changes(old_graph, new_graph, labels)
    return sorted(
        changes, key=lambda c: (_ORDER[c.change], c.item != "entity", c.name.casefold(), c.iri)
    )


def diff_files(old: PathLike, new: PathLike) -> list[Change]:
    """:func:`diff_sources` for two RDF files (Turtle, N-Triples, N-Quads or TriG)."""
    return diff_sources(MemorySource(load_graph([old])), MemorySource(load_graph([new])))


def summary(changes: list[Change]) -> str:
    """``"2 added, 1 removed, 0 changed"``."""
    counts = {k: sum(1 for c in changes if c.change == k) for k in _ORDER}
    return ", ".join(f"{n} {k}" for k, n in counts.items())
