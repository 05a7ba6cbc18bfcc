"""Likely duplicates: pairs of entities that may be one thing, each with why.

Three reasons, strongest first, each found by blocking (never by comparing all pairs):

- ``same identifier``: two entities carry one identifier (a ``dcterms:identifier`` literal
  or ``owl:sameAs`` IRI): grouped by the identifier;
- ``same label``: the same label once folded (case, quotes, dashes, spacing; main or
  alternative labels) and the same type (works issued in different years excepted, as
  ``import`` links them): grouped by the folded label;
- ``similar name``: names at least ``min_score`` alike (rapidfuzz's token-sort ratio) and
  of the same type, that also share a neighbour (an author, publisher, member, citation):
  compared only within blocks of entities sharing a rare word of their names.

Nothing is merged: ``influencegraph merge KEEP DROP`` is for a person who has looked.

Example:
    >>> [p.reason for p in duplicates(open_source())]                # doctest: +SKIP
    ['same label']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .graph import Source
from .names import Entity, entities_from_rows, normalise
from .strings import string_rows
from .vocab import ENTITY_TYPES, PREFIXES

PAIR_COLUMNS = ("reason", "a", "a_type", "b", "b_type", "detail", "score")
"""Table and CSV columns; JSON rows add ``a_iri`` and ``b_iri``."""

MAX_BLOCK = 200
"""A word shared by more entities than this is too common to block on."""
MAX_GROUP = 20
"""Larger groups (one label on many entities) are reported as pairs with their first member."""

_STOP = frozenset(["the", "and", "for", "with", "from", "its", "into", "new"])
"""Words too common to block on (words of one or two letters are never used)."""
_IGNORED = {
    PREFIXES["rdf"] + "type",
    PREFIXES["dcterms"] + "source",
    PREFIXES["owl"] + "sameAs",
    PREFIXES["prov"] + "qualifiedInfluence",
    PREFIXES["dcterms"] + "isReplacedBy",
    "https://w3id.org/influencegraph/ns#claimant",
}
"""Links that say nothing about who or what an entity is near (types, records, claims)."""
_TYPES = [f"<{iri}>" for name, iri in ENTITY_TYPES.items() if name != "Source document"]
"""The types compared: every entity type but source documents (named by their address).
Asked as VALUES: Oxigraph then reads the type index, not every typed node."""
_SHARED_IDS = (
    "SELECT ?id (GROUP_CONCAT(STR(?s); separator=' ') AS ?members) WHERE {"
    " { ?s dcterms:identifier ?id } UNION { ?s owl:sameAs ?id } }"
    " GROUP BY ?id HAVING (COUNT(DISTINCT ?s) > 1)"
)
"""Identifiers carried by more than one node, with the nodes (IRIs hold no spaces)."""


@dataclass(frozen=True)
class Pair:
    """Two entities that may be one, why, and how sure (1.0 for a shared identifier)."""

    a: Entity
    b: Entity
    reason: str
    detail: str
    score: float

    def row(self) -> dict[str, object]:
        return {
            "reason": self.reason,
            "a": self.a.label,
            "a_type": self.a.type,
            "b": self.b.label,
            "b_type": self.b.type,
            "detail": self.detail,
            "score": self.score,
            "a_iri": self.a.iri,
            "b_iri": self.b.iri,
        }


def _pairs(members: list[str]) -> Iterator[tuple[str, str]]:
    """Every pair of a small group; for a big one, each member with the first."""
    members = sorted(set(members))
    if len(members) <= MAX_GROUP:
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                yield a, b
    else:
        yield from ((members[0], b) for b in members[1:])


def _words(folded: str) -> set[str]:
    return {w for w in re.findall(r"\w+", folded) if len(w) > 2 and w not in _STOP}


def duplicates(source: Source, *, min_score: float = 0.9) -> list[Pair]:
    """Likely duplicate pairs in ``source``, strongest reason first (module docstring)."""
    rows = string_rows(
        source, "SELECT ?s ?type ?label WHERE { ?s a ?type ; rdfs:label ?label }", "type", _TYPES
    )
    entities = entities_from_rows({"s": s, "type": t, "label": label} for s, t, label in rows)
    by_key: dict[str, set[str]] = {}
    folded: dict[str, str] = {}
    for subject, _, label in rows:
        folded[label] = folded.get(label) or normalise(label)
        by_key.setdefault(folded[label], set()).add(subject)
    for subject, alt in string_rows(
        source, "SELECT ?s ?alt WHERE { ?s skos:altLabel|skos:prefLabel ?alt }"
    ):
        if subject in entities:
            by_key.setdefault(normalise(alt), set()).add(subject)
    found: dict[tuple[str, str], Pair] = {}

    def add(a: str, b: str, reason: str, detail: str, score: float) -> None:
        key = (min(a, b), max(a, b))
        if a != b and key not in found and a in entities and b in entities:
            found[key] = Pair(entities[key[0]], entities[key[1]], reason, detail, score)

    for ident, holders in sorted(string_rows(source, _SHARED_IDS)):
        for a, b in _pairs(holders.split()):
            add(a, b, "same identifier", ident, 1.0)

    groups = {key: members for key, members in by_key.items() if len(members) > 1}
    years = {
        row[0]: row[1]
        for row in string_rows(
            source,
            "SELECT ?s ?y WHERE { ?s dcterms:issued ?y }",
            "s",
            [f"<{i}>" for members in groups.values() for i in members],
        )
    }
    for key, members in sorted(groups.items()):
        by_type: dict[tuple[str, str | None], list[str]] = {}
        for iri in members:
            if iri in entities:
                by_type.setdefault((entities[iri].type, years.get(iri, "")[:4]), []).append(iri)
        for (kind, _), group in by_type.items():
            for a, b in _pairs(group):
                add(a, b, "same label", f"{key!r} ({kind})", 1.0)

    for a, b, score in _similar(entities.values(), folded, min_score):
        if (min(a, b), max(a, b)) not in found:
            shared = _shared_neighbours(source, a, b)
            if shared:
                add(
                    a,
                    b,
                    "similar name",
                    f"{len(shared)} shared neighbour{'s' if len(shared) != 1 else ''}",
                    score,
                )
    order = {"same identifier": 0, "same label": 1, "similar name": 2}
    return sorted(
        found.values(),
        key=lambda p: (order[p.reason], -p.score, p.a.label.casefold(), p.b.label.casefold()),
    )


def _similar(
    entities: Iterable[Entity], folded: dict[str, str], min_score: float
) -> Iterator[tuple[str, str, float]]:
    """Pairs of the same type whose names are alike, compared within rare-word blocks;
    ``folded`` holds each label folded (:func:`names.normalise`)."""
    from rapidfuzz import fuzz

    listed = list(entities)
    words = {e.iri: _words(folded[e.label]) for e in listed}
    counts = Counter(w for ws in words.values() for w in ws)
    blocks: dict[tuple[str, str], list[Entity]] = {}
    for entity in listed:
        rare = sorted(
            (w for w in words[entity.iri] if counts[w] <= MAX_BLOCK), key=lambda w: (counts[w], w)
        )[:2]
        for word in rare:
            blocks.setdefault((entity.type, word), []).append(entity)
    seen: set[tuple[str, str]] = set()
    cutoff = min_score * 100
    for block in blocks.values():
        names = [folded[e.label] for e in block]
        for i, a in enumerate(block):
            for j in range(i + 1, len(block)):
                b = block[j]
                key = (min(a.iri, b.iri), max(a.iri, b.iri))
                if key in seen:
                    continue
                seen.add(key)
                score = fuzz.token_sort_ratio(names[i], names[j], score_cutoff=cutoff)
                if score:
                    yield a.iri, b.iri, round(score / 100, 3)


def _shared_neighbours(source: Source, a: str, b: str) -> set[str]:
    """IRIs linked to both ``a`` and ``b`` (either direction), ignoring types and records."""
    from rdflib import URIRef

    def neighbours(iri: str) -> set[str]:
        rows = source.select(
            "SELECT ?p ?n WHERE { { ?e ?p ?n } UNION { ?n ?p ?e } FILTER(isIRI(?n)) }",
            {"e": URIRef(iri)},
        )
        return {str(r["n"]) for r in rows if str(r["p"]) not in _IGNORED}

    return (neighbours(a) & neighbours(b)) - {a, b}
