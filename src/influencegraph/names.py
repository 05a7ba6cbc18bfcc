"""Label -> entity resolution: names as people say them, suggestions, ambiguity.

Labels are matched case-insensitively with quotes, dashes and spacing folded, over
``rdfs:label``, ``skos:prefLabel`` and ``skos:altLabel`` (acronyms, longer forms); a label
written exactly as given wins over ones that only match folded.

A name written exactly as a label (or an IRI or CURIE) is looked up directly, with a bound
query, and so are the labels and types of the entities a command meets
(:func:`entities`): one command on a store of millions of triples never reads every label.
Only folded matching, suggestions and search build the whole index (:func:`name_index`).

A name that is a valid identifier (``10.7717/peerj.4375``, ``0000-0002-1825-0097``,
``Q42``, ``https://ror.org/05dxps055``: see :mod:`.identifiers`) is looked up by its
``dcterms:identifier`` literal or ``owl:sameAs`` IRI first, with one bound query too.

Kept as one module: resolution, suggestions and search share one normalisation and one
index; apart, they would drift on what counts as the same name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import AmbiguousNameError, UnknownNameError
from .graph import XSD_STRING, Source
from .graph.terms import literal_term
from .identifiers import Identifier, looks_like
from .queries.text import with_term_values
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
    plain: dict[str, set[str]] = field(default_factory=dict)
    """Entities by labels that are plain strings (no language tag), exactly as written:
    what the direct lookup in :func:`resolve` can find."""

    def add_label(self, iri: str, label: str, *, plain: bool = True) -> None:
        self.by_key.setdefault(normalise(label), set()).add(iri)
        self.labels.setdefault(iri, set()).add(label)
        if plain:
            self.plain.setdefault(label, set()).add(iri)


_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‛": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}
)


INVISIBLE_CHARACTERS = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
"""Characters that show nothing and cannot be typed (soft hyphen, zero-width spaces and
joiners, direction marks, bidi embeddings, overrides and isolates, the byte-order mark), as
a regex class body. ``ontology/shapes.ttl`` forbids the same ones in labels."""
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in ``text``, named: ``['U+200F RIGHT-TO-LEFT MARK']``."""
    return [
        f"U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')}"
        for ch in dict.fromkeys(_INVISIBLE.findall(text))
    ]


def visible(text: str) -> str:
    """``text`` without its invisible characters: what a person can type of it."""
    return _INVISIBLE.sub("", text)


def normalise(text: str) -> str:
    """Fold a label for matching: invisible characters, NFKC, case, curly quotes, dashes,
    spaces, trailing dots."""
    text = unicodedata.normalize("NFKC", visible(text)).translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", text).strip().strip('"').strip()


_ENTITY = (
    "?s a ?type ; rdfs:label ?label .\n"
    f"  FILTER(?type IN ({', '.join(f'<{iri}>' for iri in ENTITY_TYPES.values())}))"
)
"""A named entity: a typed, labelled thing. FILTER, not VALUES, for the types: bound to
some entities, Oxigraph would otherwise start from every typed entity in the graph."""
_INDEX_QUERY = (
    "SELECT ?s ?type ?label ?alt WHERE {\n"
    f"  {_ENTITY}\n"
    "  OPTIONAL { ?s skos:altLabel|skos:prefLabel ?alt }\n}\n"
)
_ENTITY_QUERY = f"SELECT ?s ?type ?label WHERE {{\n  {_ENTITY}\n}}\n"
_DATED_QUERY = (
    f"SELECT ?s ?type ?label ?year WHERE {{\n  {_ENTITY}\n"
    "  OPTIONAL { ?s dcterms:issued ?year }\n}\n"
)
_EXACT_QUERY = "SELECT DISTINCT ?s WHERE { ?s rdfs:label|skos:altLabel|skos:prefLabel ?name }"
_IDENTIFIER_QUERY = "SELECT DISTINCT ?s WHERE { ?s dcterms:identifier ?id }"
_SAME_AS_QUERY = (
    "SELECT DISTINCT ?s WHERE { { ?s dcterms:identifier ?id } UNION { ?s owl:sameAs ?iri } }"
)


def _most_specific(types: set[str]) -> str:
    """Of several display types, the narrowest (``Survey`` over ``Report``)."""
    broader = {SUPERTYPE.get(t) for t in types}
    narrow = sorted(t for t in types if t not in broader)
    return narrow[0] if narrow else sorted(types)[0]


def entities_from_rows(rows: Iterable[dict[str, Any]]) -> dict[str, Entity]:
    """Entities from rows of ``?s ?type ?label``: the most specific type, and the first
    label in sort order should an entity (against the shapes) have several."""
    types: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in rows:
        iri, label = str(row["s"]), str(row["label"])
        types.setdefault(iri, set()).add(TYPE_NAMES[str(row["type"])])
        labels[iri] = min(labels.get(iri, label), label)
    return {iri: Entity(iri, label, _most_specific(types[iri])) for iri, label in labels.items()}


def _is_plain(term: Any) -> bool:
    return (
        getattr(term, "language", None) is None
        and str(getattr(term, "datatype", None) or XSD_STRING) == XSD_STRING
    )


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*\Z")
"""Only such strings can name an entity; anything else (a literal's text) is not asked."""


def name_index(source: Source) -> NameIndex:
    """Build (once per source) the index of entities and the labels they answer to."""
    cached: NameIndex | None = getattr(source, "_name_index", None)
    if cached is not None:
        return cached
    index = NameIndex()
    rows = _index_rows(source)
    index.entities = entities_from_rows(rows)
    for row in rows:
        iri = row["s"]
        index.add_label(iri, row["label"], plain=row["label_plain"])
        if "alt" in row:
            index.add_label(iri, row["alt"], plain=row["alt_plain"])
    source._name_index = index  # type: ignore[attr-defined]
    return index


def _index_rows(source: Source) -> list[dict[str, Any]]:
    """The rows of the index query as text: ``s``, ``type``, ``label`` and ``alt`` (when
    bound), with ``label_plain`` and ``alt_plain``. From an Oxigraph store the terms' text
    is read as Oxigraph gives it: converting every term to rdflib first took most of the
    index's time (0.3 of 0.45 s for 11k entities)."""
    from .graph import OxigraphSource

    if not isinstance(source, OxigraphSource):
        return [
            {
                name: value
                for key, term in row.items()
                for name, value in ((key, str(term)), (f"{key}_plain", _is_plain(term)))
            }
            for row in source.select(_INDEX_QUERY)
        ]
    from pyoxigraph import Literal

    rows = []
    for solution in source.solutions(_INDEX_QUERY):
        row: dict[str, Any] = {"s": solution["s"].value, "type": solution["type"].value}
        for key in ("label", "alt"):
            term = solution[key]
            if term is not None:
                row[key] = term.value
                row[f"{key}_plain"] = not isinstance(term, Literal) or (
                    term.language is None and term.datatype.value == XSD_STRING
                )
        rows.append(row)
    return rows


def entities(source: Source, iris: Iterable[str]) -> dict[str, Entity]:
    """The entities among ``iris``, with label and type; IRIs that name no entity (a
    source document's page, a literal's datatype) are left out.

    Uses the whole index when it is built already; otherwise asks the source about just
    these IRIs (bound queries, remembered per source), so a command that meets a few
    hundred entities never reads every label in a big store.
    """
    wanted = list(dict.fromkeys(iris))
    index = getattr(source, "_name_index", None)
    if index is not None:
        return {iri: index.entities[iri] for iri in wanted if iri in index.entities}
    known: dict[str, Entity | None] = source.__dict__.setdefault("_entities", {})
    missing = [iri for iri in wanted if iri not in known]
    if missing:
        _ask(source, _ENTITY_QUERY, missing)
    return {iri: entity for iri in wanted if (entity := known[iri]) is not None}


def dated_entities(source: Source, iris: Iterable[str]) -> tuple[dict[str, Entity], dict[str, str]]:
    """:func:`entities` of ``iris`` and the earliest ``dcterms:issued`` of each that has
    one, read by one bound query: asking for the years apart costs a second lookup of
    every IRI (at a depth-2 hub's 8,612 entities on disk, 0.26 s against 0.06 s more
    for the entity query).

    With the name index built, the index gives the entities and the years are asked alone.
    """
    wanted = list(dict.fromkeys(iris))
    if getattr(source, "_name_index", None) is not None:
        found = entities(source, wanted)
        return found, _earliest(source.select_text(_YEARS, "s", list(found), ordered=False))
    rows = _ask(source, _DATED_QUERY, wanted)
    known: dict[str, Entity | None] = source.__dict__["_entities"]
    return {iri: e for iri in wanted if (e := known[iri]) is not None}, _earliest(rows)


_YEARS = "SELECT ?s ?year WHERE { ?s dcterms:issued ?year }"


def _earliest(rows: Iterable[dict[str, str]]) -> dict[str, str]:
    """The earliest ``year`` of each ``s`` among the rows that have one."""
    years: dict[str, str] = {}
    for row in rows:
        if "year" in row:
            iri, year = row["s"], row["year"]
            if iri not in years or year < years[iri]:
                years[iri] = year
    return years


def _ask(source: Source, query: str, iris: list[str]) -> list[dict[str, str]]:
    """Rows of ``query`` with ``?s`` bound to each of ``iris`` that can be an IRI; what
    they say of each IRI (an entity, or none) remembered on the source."""
    known: dict[str, Entity | None] = source.__dict__.setdefault("_entities", {})
    asked = [iri for iri in iris if _ABSOLUTE_IRI.match(iri)]
    rows = source.select_text(query, "s", asked, ordered=False)
    found = entities_from_rows(rows)
    known.update({iri: found.get(iri) for iri in iris})
    return rows


def entity_of(source: Source, iri: str) -> Entity | None:
    """The entity ``iri`` names, as :func:`entities` finds it, answered from what is
    known already without building lists: edges ask this once per claim for its source
    and claimant."""
    index: NameIndex | None = getattr(source, "_name_index", None)
    if index is not None:
        return index.entities.get(iri)
    known: dict[str, Entity | None] | None = source.__dict__.get("_entities")
    if known is not None and iri in known:
        return known[iri]
    return entities(source, [iri]).get(iri)


def _resolve_directly(source: Source, name: str) -> Entity | None:
    """The entity ``name`` names as an IRI, a CURIE or a plain label written exactly,
    found without the whole index; None when that is not enough to decide."""
    text = name.strip()
    iri = expand(text)
    if ":" in iri and (hit := entities(source, [iri]).get(iri)):
        return hit
    rows = source.select_text(with_term_values(_EXACT_QUERY, "name", [literal_term(text)]))
    found = entities(source, [row["s"] for row in rows])
    if len(found) == 1:
        return next(iter(found.values()))
    main = [entity for entity in found.values() if entity.label == text]
    return main[0] if len(main) == 1 else None


def identified(source: Source, identifier: Identifier) -> list[Entity]:
    """The entities that carry ``identifier`` (as a ``dcterms:identifier`` literal or an
    ``owl:sameAs`` IRI), by one bound query; more than one means likely duplicates."""
    from rdflib import Literal, URIRef

    bindings: dict[str, Any] = {"id": Literal(identifier.literal)}
    query = _IDENTIFIER_QUERY
    if identifier.iri is not None:
        bindings["iri"] = URIRef(identifier.iri)
        query = _SAME_AS_QUERY
    found = entities(source, [str(row["s"]) for row in source.select(query, bindings)])
    return sorted(found.values(), key=lambda e: (e.label.casefold(), e.iri))


def resolve(source: Source, name: str) -> Entity:
    """The one entity a user means by ``name`` (a label, alternative label, CURIE or IRI).

    An exact match wins: an IRI or CURIE, then a plain label written exactly as given
    (the main label first if several entities share it), then labels matched folded
    (case, quotes, dashes, spacing). Raises :class:`UnknownNameError` with close labels,
    or :class:`AmbiguousNameError` listing the candidates with their types. A valid
    identifier is looked up as one before anything else.
    """
    identifier = looks_like(name)
    if identifier is not None and (found := identified(source, identifier)):
        if len(found) == 1:
            return found[0]
        raise AmbiguousNameError(name, [(e.label, e.type) for e in found])
    if getattr(source, "_name_index", None) is None:
        direct = _resolve_directly(source, name)
        if direct is not None:
            return direct
    index = name_index(source)
    iri = expand(name.strip())
    if iri in index.entities:
        return index.entities[iri]
    key = normalise(name)
    matches = index.by_key.get(key, set())
    if len(matches) == 1:
        return index.entities[next(iter(matches))]
    if matches:
        text = name.strip()
        exact = index.plain.get(text, set()) & matches
        for narrowed in (
            exact,
            {i for i in exact if index.entities[i].label == text},
            {i for i in matches if normalise(index.entities[i].label) == key},
        ):
            if len(narrowed) == 1:
                return index.entities[next(iter(narrowed))]
        candidates = sorted((index.entities[i].label, index.entities[i].type) for i in matches)
        raise AmbiguousNameError(name, candidates)
    raise UnknownNameError(name, suggest(index, name))


def suggest(index: NameIndex, name: str, limit: int = 5) -> list[str]:
    """Main labels of the entities whose labels are closest to ``name``, as they can be
    typed (invisible characters left out: :func:`resolve` folds them away)."""
    hits = search_index(index, name, limit=limit, cutoff=0.55)
    return [typed for hit in hits if normalise(typed := visible(hit.entity.label))]


@dataclass(frozen=True)
class SearchHit:
    """A search result: the entity, the label that matched, and a score from 0 to 1."""

    entity: Entity
    matched: str
    score: float


def _score(query: str, label: str, floor: float = 0.0) -> float:
    """1.0 for equal, 0.9+ for a whole-word substring, else a similarity ratio (of the
    whole label, or 0.95 of its best word's). A score below ``floor`` may come back as
    less than it is: difflib's cheap upper bounds skip what cannot reach ``floor`` (for a
    typo among 36,000 generated labels, suggestions took 1 s instead of 7)."""
    if query == label:
        return 1.0
    if re.search(r"(^|\W)" + re.escape(query) + r"($|\W)", label):
        return 0.9 + 0.09 * len(query) / len(label)
    if query in label:
        return 0.8 + 0.09 * len(query) / len(label)
    best = _ratio(query, label, floor)
    for word in label.split():
        best = max(best, 0.95 * _ratio(query, word, max(floor, best) / 0.95))
    return best


def _ratio(a: str, b: str, floor: float) -> float:
    """difflib's similarity ratio of ``a`` and ``b``, or 0.0 if it cannot reach ``floor``."""
    if 2.0 * min(len(a), len(b)) < floor * (len(a) + len(b)):  # real_quick_ratio, unbuilt
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b)
    return 0.0 if matcher.quick_ratio() < floor else matcher.ratio()


FULL_SCAN_UP_TO = 3_000
"""Search scores every label of up to this many entities; above, only the likeliest."""
CANDIDATES = 120
"""Labels scored per search on a big index: those sharing the most trigrams with the query
(and every label that contains it)."""


@dataclass
class _Grams:
    """Every label folded, and for each character trigram the labels holding it."""

    rows: list[tuple[str, str, str]]
    """(IRI, label, folded label), in a fixed order."""
    postings: dict[str, Any]
    """trigram -> numpy array of row numbers."""
    joined: str
    """The folded labels, one per line, to find every label containing a text at once."""
    starts: list[int]
    """Where each row's label begins in :attr:`joined`."""

    def containing(self, query: str) -> set[int]:
        """The rows whose folded label contains ``query``."""
        import bisect

        found: set[int] = set()
        at = self.joined.find(query)
        while at >= 0:
            found.add(bisect.bisect_right(self.starts, at) - 1)
            at = self.joined.find(query, at + 1)
        return found


def _trigrams(folded: str) -> set[str]:
    padded = f"  {folded} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _grams(index: NameIndex) -> _Grams:
    """The trigram index of ``index`` (built once, on the first search of a big index)."""
    cached = getattr(index, "_grams", None)
    if cached is None:
        import numpy as np

        rows = [
            (iri, label, normalise(label))
            for iri, labels in index.labels.items()
            for label in sorted(labels)
        ]
        lists: dict[str, list[int]] = {}
        for number, (_, _, folded) in enumerate(rows):
            for gram in _trigrams(folded):
                lists.setdefault(gram, []).append(number)
        starts, offset = [], 0
        for _, _, folded in rows:
            starts.append(offset)
            offset += len(folded) + 1
        cached = _Grams(
            rows,
            {g: np.asarray(n, dtype=np.int32) for g, n in lists.items()},
            "\n".join(folded for _, _, folded in rows),
            starts,
        )
        index._grams = cached  # type: ignore[attr-defined]
    return cached


def _candidates(index: NameIndex, query: str) -> list[tuple[str, str, str]]:
    """The labels worth scoring for ``query``: all of them on a small index; on a big one
    those sharing the most trigrams with it, and every label containing it."""
    if len(index.entities) <= FULL_SCAN_UP_TO:
        return [
            (iri, label, normalise(label))
            for iri, labels in index.labels.items()
            for label in sorted(labels)
        ]
    import numpy as np

    grams = _grams(index)
    hits = [grams.postings[g] for g in _trigrams(query) if g in grams.postings]
    chosen = grams.containing(query)
    if hits:
        counts = np.bincount(np.concatenate(hits), minlength=len(grams.rows))
        top = min(CANDIDATES, len(counts) - 1)
        chosen.update(int(n) for n in np.argpartition(-counts, top)[:top] if counts[n])
    return [grams.rows[n] for n in sorted(chosen)]


def search_index(
    index: NameIndex, text: str, limit: int = 10, cutoff: float = 0.5
) -> list[SearchHit]:
    """Entities ranked by how well their best label matches ``text`` (fuzzy).

    On an index of more than :data:`FULL_SCAN_UP_TO` labels only :data:`CANDIDATES` are
    scored, picked by shared trigrams: on 34,000 generated entities a typo took 4 to 16 s
    to score against every label, and about 20 ms this way.
    """
    query = normalise(text)
    if not query:
        return []
    best: dict[str, SearchHit] = {}
    for iri, label, folded in _candidates(index, query):
        score = _score(query, folded, cutoff)
        if score >= cutoff and (iri not in best or score > best[iri].score):
            best[iri] = SearchHit(index.entities[iri], label, round(score, 3))
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.entity.label.casefold()))
    return ranked[:limit]


def search(source: Source, text: str, limit: int = 10, cutoff: float = 0.5) -> list[SearchHit]:
    """Fuzzy search over every label and alternative label; an identifier finds the entities
    that carry it (score 1.0) before any label."""
    identifier = looks_like(text)
    exact = (
        [SearchHit(e, identifier.literal, 1.0) for e in identified(source, identifier)]
        if identifier is not None
        else []
    )
    if len(exact) >= limit:
        return exact[:limit]
    seen = {hit.entity.iri for hit in exact}
    fuzzy = search_index(name_index(source), text, limit=limit + len(exact), cutoff=cutoff)
    return (exact + [hit for hit in fuzzy if hit.entity.iri not in seen])[:limit]
