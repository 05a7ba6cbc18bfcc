"""Counts that describe a graph: entities by type, claims by kind and by claimant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from .graph import Source
from .names import name_index
from .output import Tabular
from .vocab import KIND_BY_IRI


@dataclass
class Stats(Tabular):
    """What a graph holds. ``as_dict`` gives the stable JSON shape."""

    COLUMNS: ClassVar[Sequence[str]] = ("group", "name", "count")

    triples: int
    entities_by_type: dict[str, int] = field(default_factory=dict)
    claims_by_kind: dict[str, int] = field(default_factory=dict)
    claims_by_claimant: dict[str, int] = field(default_factory=dict)
    sources: int = 0

    @property
    def entities(self) -> int:
        return sum(self.entities_by_type.values())

    @property
    def claims(self) -> int:
        return sum(self.claims_by_kind.values())

    def as_dict(self) -> dict[str, object]:
        """Stable keys: triples, entities, claims, sources, and the three breakdowns."""
        return {
            "triples": self.triples,
            "entities": self.entities,
            "claims": self.claims,
            "sources": self.sources,
            "entities_by_type": self.entities_by_type,
            "claims_by_kind": self.claims_by_kind,
            "claims_by_claimant": self.claims_by_claimant,
        }

    def rows(self) -> list[dict[str, object]]:
        """The same figures as flat rows (group, name, count) for tables and CSV."""
        rows: list[dict[str, object]] = [
            {"group": "total", "name": name, "count": self.as_dict()[name]}
            for name in ("triples", "entities", "claims", "sources")
        ]
        for group, counts in (
            ("entities by type", self.entities_by_type),
            ("claims by kind", self.claims_by_kind),
            ("claims by claimant", self.claims_by_claimant),
        ):
            rows += [{"group": group, "name": k, "count": v} for k, v in counts.items()]
        return rows


_CLAIMS = """
SELECT ?kind ?claimant (COUNT(DISTINCT ?claim) AS ?n) WHERE {
  ?claim a ig:InfluenceClaim ; ig:kind ?kind .
  OPTIONAL { ?claim ig:claimant ?claimant }
} GROUP BY ?kind ?claimant
"""

_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _sorted_counts(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold())))


def graph_stats(source: Source) -> Stats:
    """Count what ``source`` holds, by entity type, claim kind and claimant."""
    index = name_index(source)
    by_type: dict[str, int] = {}
    for entity in index.entities.values():
        by_type[entity.type] = by_type.get(entity.type, 0) + 1
    by_kind: dict[str, int] = {}
    by_claimant: dict[str, int] = {}
    for row in source.select(_CLAIMS):
        kind_iri = str(row["kind"])
        kind = KIND_BY_IRI[kind_iri].label if kind_iri in KIND_BY_IRI else kind_iri
        n = int(row["n"])
        by_kind[kind] = by_kind.get(kind, 0) + n
        claimant_iri = str(row.get("claimant", ""))
        who = index.entities.get(claimant_iri)
        claimant = who.label if who else (claimant_iri or "(none)")
        by_claimant[claimant] = by_claimant.get(claimant, 0) + n
    triples = int(source.select(_TRIPLES)[0]["n"])
    return Stats(
        triples=triples,
        entities_by_type=_sorted_counts(
            {k: v for k, v in by_type.items() if k != "Source document"}
        ),
        claims_by_kind=_sorted_counts(by_kind),
        claims_by_claimant=_sorted_counts(by_claimant),
        sources=by_type.get("Source document", 0),
    )
