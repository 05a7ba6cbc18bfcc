"""Label -> entity resolution: names as people say them, suggestions, ambiguity.

Labels are matched case-insensitively with quotes, dashes and spacing folded, over
``rdfs:label``, ``skos:prefLabel`` and ``skos:altLabel`` (acronyms, longer forms).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from .errors import AmbiguousNameError, UnknownNameError
from .source import Source
from .vocab import ENTITY_TYPES, SUPERTYPE, TYPE_NAMES, expand


@dataclass(frozen=True)
class Entity:
    """A nameable entity: its IRI, its label and its (most specific) type's display name."""

    iri: str
    label: str
    type: str


@dataclass
class NameIndex:
    """Every entity with every label it answers to, for resolving and searching names."""

    entities: dict[str, Entity] = field(default_factory=dict)
    by_key: dict[str, set[str]] = field(default_factory=dict)
    labels: dict[str, set[str]] = field(default_factory=dict)

    def add_label(self, iri: str, label: str) -> None:
        self.by_key.setdefault(normalise(label), set()).add(iri)
        self.labels.setdefault(iri, set()).add(label)


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "`": "'", "“": '"', "”": '"',
                         "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Fold a label for matching: NFKC, case, curly quotes, dashes, spaces, trailing dots."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", text).strip().strip('"').strip()


_TYPE_VALUES = " ".join(f"<{iri}>" for iri in ENTITY_TYPES.values())
_INDEX_QUERY = (
    "SELECT ?s ?type ?label ?alt WHERE {\n"
    "  ?s a ?type ; rdfs:label ?label .\n"
    f"  VALUES ?type {{ {_TYPE_VALUES} }}\n"
    "  OPTIONAL { ?s skos:altLabel|skos:prefLabel ?alt }\n"
    "}\n"
)


def _most_specific(types: set[str]) -> str:
    """Of several display types, the narrowest (``Survey`` over ``Report``)."""
    broader = {SUPERTYPE.get(t) for t in types}
    narrow = sorted(t for t in types if t not in broader)
    return narrow[0] if narrow else sorted(types)[0]


def name_index(source: Source) -> NameIndex:
    """Build (once per source) the index of entities and the labels they answer to."""
    cached = getattr(source, "_name_index", None)
    if cached is not None:
        return cached
    types: dict[str, set[str]] = {}
    main_label: dict[str, str] = {}
    index = NameIndex()
    for row in source.select(_INDEX_QUERY):
        iri = str(row["s"])
        types.setdefault(iri, set()).add(TYPE_NAMES[str(row["type"])])
        main_label.setdefault(iri, str(row["label"]))
        index.add_label(iri, str(row["label"]))
        if "alt" in row:
            index.add_label(iri, str(row["alt"]))
    for iri, label in main_label.items():
        index.entities[iri] = Entity(iri, label, _most_specific(types[iri]))
    source._name_index = index  # type: ignore[attr-defined]
    return index


def resolve(source: Source, name: str) -> Entity:
    """The one entity a user means by ``name`` (a label, alternative label, CURIE or IRI).

    Raises :class:`UnknownNameError` with close labels, or :class:`AmbiguousNameError`
    listing the candidates with their types.
    """
    index = name_index(source)
    iri = expand(name.strip())
    if iri in index.entities:
        return index.entities[iri]
    key = normalise(name)
    found = index.by_key.get(key, set())
    if len(found) == 1:
        return index.entities[next(iter(found))]
    if found:
        primary = [i for i in found if normalise(index.entities[i].label) == key]
        if len(primary) == 1:
            return index.entities[primary[0]]
        candidates = sorted((index.entities[i].label, index.entities[i].type) for i in found)
        raise AmbiguousNameError(name, candidates)
    raise UnknownNameError(name, suggest(index, name))


def suggest(index: NameIndex, name: str, limit: int = 5) -> list[str]:
    """Main labels of the entities whose labels are closest to ``name``."""
    return [hit.entity.label for hit in search_index(index, name, limit=limit, cutoff=0.55)]


@dataclass(frozen=True)
class SearchHit:
    """A search result: the entity, the label that matched, and a score from 0 to 1."""

    entity: Entity
    matched: str
    score: float


def _score(query: str, label: str) -> float:
    """1.0 for equal, 0.9+ for a whole-word substring, else a similarity ratio."""
    if query == label:
        return 1.0
    if re.search(r"(^|\W)" + re.escape(query) + r"($|\W)", label):
        return 0.9 + 0.09 * len(query) / len(label)
    if query in label:
        return 0.8 + 0.09 * len(query) / len(label)
    ratio = difflib.SequenceMatcher(None, query, label).ratio()
    words = [difflib.SequenceMatcher(None, query, w).ratio() for w in label.split()]
    return max(ratio, 0.95 * max(words, default=0.0))


def search_index(index: NameIndex, text: str, limit: int = 10,
                 cutoff: float = 0.5) -> list[SearchHit]:
    """Entities ranked by how well their best label matches ``text`` (fuzzy)."""
    query = normalise(text)
    if not query:
        return []
    best: dict[str, SearchHit] = {}
    for iri, labels in index.labels.items():
        for label in sorted(labels):
            score = _score(query, normalise(label))
            if score >= cutoff and (iri not in best or score > best[iri].score):
                best[iri] = SearchHit(index.entities[iri], label, round(score, 3))
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.entity.label.casefold()))
    return ranked[:limit]


def search(source: Source, text: str, limit: int = 10, cutoff: float = 0.5) -> list[SearchHit]:
    """Fuzzy search over every label and alternative label."""
    return search_index(name_index(source), text, limit=limit, cutoff=cutoff)
