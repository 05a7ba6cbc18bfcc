"""What changed between two versions of a graph: entities and claims, by label.

Entities are matched by IRI: one only in the new file is ``added``, one only in the old
file ``removed``, one in both whose label or type differs ``changed``. Influence claims
are matched by what they say (influencer, target, kind and source document), so a claim
re-minted under a new IRI is not a change, and are named ``influencer -> target (kind)``.

Example:
    >>> [c.name for c in diff_files("old.ttl", "new.ttl")]        # doctest: +SKIP
    ['Bridging Divides', 'All Together Now -> Bridging Divides (draws on)']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .graph import MemorySource, PathLike, Source, load_graph
from .names import name_index

CHANGE_COLUMNS = ("change", "item", "name", "type")
"""Table and CSV columns; JSON rows add ``iri`` (the entity's, or the claim's)."""

_ORDER = {"added": 0, "removed": 1, "changed": 2}


@dataclass(frozen=True)
class Change:
    """One difference: ``change`` (added/removed/changed), ``item`` (entity/claim), the
    ``name`` by label, the entity ``type`` or the claim's kind, and the ``iri``."""

    change: str
    item: str
    name: str
    type: str
    iri: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _claims(source: Source) -> dict[tuple[str, str, str, str], tuple[str, str, str]]:
    """(influencer, target, kind, source) -> (description, kind label, claim IRI)."""
    from .projection import claim_edges

    index = name_index(source)

    def label(iri: str) -> str:
        entity = index.entities.get(iri)
        return entity.label if entity else iri

    found = {}
    for x, y, attrs in claim_edges(source):
        key = (x, y, attrs["kind"], attrs["source"] or "")
        found[key] = (f"{label(x)} -> {label(y)} ({attrs['relation']})", attrs["relation"],
                      attrs["claim"])
    return found


def diff_sources(old: Source, new: Source) -> list[Change]:
    """Every entity and claim added, removed or (entities only) changed from old to new."""
    changes = []
    before, after = name_index(old).entities, name_index(new).entities
    for iri in after.keys() - before.keys():
        changes.append(Change("added", "entity", after[iri].label, after[iri].type, iri))
    for iri in before.keys() - after.keys():
        changes.append(Change("removed", "entity", before[iri].label, before[iri].type, iri))
    for iri in before.keys() & after.keys():
        a, b = before[iri], after[iri]
        if (a.label, a.type) != (b.label, b.type):
            name = b.label if a.label == b.label else f"{a.label} -> {b.label}"
            kind = b.type if a.type == b.type else f"{a.type} -> {b.type}"
            changes.append(Change("changed", "entity", name, kind, iri))
    old_claims, new_claims = _claims(old), _claims(new)
    for status, mine, theirs in (("added", new_claims, old_claims),
                                 ("removed", old_claims, new_claims)):
        for key in mine.keys() - theirs.keys():
            name, kind, iri = mine[key]
            changes.append(Change(status, "claim", name, kind, iri))
    return sorted(changes, key=lambda c: (_ORDER[c.change], c.item != "entity",
                                          c.name.casefold(), c.iri))


def diff_files(old: PathLike, new: PathLike) -> list[Change]:
    """:func:`diff_sources` for two RDF files (Turtle, N-Triples, N-Quads or TriG)."""
    return diff_sources(MemorySource(load_graph([old])), MemorySource(load_graph([new])))


def summary(changes: list[Change]) -> str:
    """``"2 added, 1 removed, 0 changed"``."""
    counts = {k: sum(1 for c in changes if c.change == k) for k in _ORDER}
    return ", ".join(f"{n} {k}" for k, n in counts.items())
