"""Merging two entities a person has found to be one: DROP folded into KEEP, and undone.

Every statement about DROP becomes a statement about KEEP, and every reference to DROP
points at KEEP. DROP's labels become KEEP's ``skos:altLabel`` (so its old name still
finds KEEP), its identifiers and sources move over; KEEP keeps its own label, type and
date (DROP's date only fills a gap). DROP is left ``dcterms:isReplacedBy`` KEEP.

The merge is recorded as an ``ig:Merge`` (a ``prov:Activity``) with its time,
``prov:used`` KEEP, ``prov:invalidated`` DROP, and the exact triples it removed and added
(N-Triples text), so ``merge --undo ACTIVITY`` puts the graph back as it was.

Where it is written:

- **store**: one SPARQL update (``DELETE DATA``; ``INSERT DATA``): one transaction;
- **data file**: the first ``--data`` file is *re-serialised* as sorted Turtle (a merge
  rewrites triples, which appending cannot do): its comments and layout are lost, and
  the command says so. The file is replaced atomically, under its lock. DROP must not be
  mentioned in the other ``--data`` files (they are not rewritten).

The graph with the merge is checked like an addition (focused SHACL and time order); a
new violation refuses it.

Example:
    >>> merge(source, "THE CHALLENGE", "The Challenge", "mine.ttl")   # doctest: +SKIP
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EditRefused, ValidationFailed
from .graph import MemorySource, PathLike, Source, StoreSource, is_store, parse_into
from .names import Entity, resolve
from .vocab import IG, IGD, PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    Triple = tuple[Node, Node, Node]

_RDF = PREFIXES["rdf"]
_DCT = PREFIXES["dcterms"]
_PROV = PREFIXES["prov"]
_ONE_ONLY = {PREFIXES["rdfs"] + "label", _RDF + "type", _DCT + "issued"}
"""KEEP's own value wins for these (at most one label and date; KEEP's type)."""


@dataclass
class MergeResult:
    """What a merge (or its undoing) did: the entities, the activity, the triples removed
    and added, where, and whether it was written."""

    keep: str
    drop: str
    activity: str
    removed: list[Triple]
    added: list[Triple]
    target: Path
    written: bool
    reserialised: bool


def _ntriples(triples: list[Triple]) -> str:
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in sorted(triples))


def _parse_nt(text: str) -> list[Triple]:
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=text, format="nt")
    return list(graph)


def _has(source: Source, triple: Triple) -> bool:
    """Whether the graph has ``triple`` (the lookup closed at once: an open one would keep
    a store from being reopened for writing)."""
    found = source.triples(triple)
    try:
        return next(found, None) is not None
    finally:
        found.close()  # type: ignore[attr-defined]


def plan_merge(
    source: Source, keep: Entity, drop: Entity, now: datetime.datetime | None = None
) -> tuple[list[Triple], list[Triple], str]:
    """(removed, added, activity IRI) for folding ``drop`` into ``keep``."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    if keep.iri == drop.iri:
        raise EditRefused([f"{keep.label!r} and {drop.label!r} are the same entity"])
    k, d = URIRef(keep.iri), URIRef(drop.iri)
    removed = list(
        dict.fromkeys([*source.triples((d, None, None)), *source.triples((None, None, d))])
    )
    kept = {(str(p), o) for _, p, o in source.triples((k, None, None))}
    kept_predicates = {p for p, _ in kept}
    added: list[Triple] = []
    alt = URIRef(PREFIXES["skos"] + "altLabel")
    for s, p, o in removed:
        if s == d:
            if str(p) in (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel"):
                if (PREFIXES["rdfs"] + "label", o) not in kept:
                    added.append((k, alt, o))
                continue
            if str(p) in _ONE_ONLY and str(p) in kept_predicates:
                continue
            added.append((k, p, k if o == d else o))
        else:
            added.append((s, p, k))
    stamp = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
    digest = hashlib.blake2b(
        f"{keep.iri}\n{drop.iri}\n{stamp.isoformat()}".encode(), digest_size=6
    ).hexdigest()
    activity = URIRef(f"{IGD}merge-{digest}")
    gone = set(removed)
    added = [t for t in dict.fromkeys(added) if t not in gone and not _has(source, t)]
    record = [
        (d, URIRef(_DCT + "isReplacedBy"), k),
        (activity, URIRef(_RDF + "type"), URIRef(IG + "Merge")),
        (activity, URIRef(_RDF + "type"), URIRef(_PROV + "Activity")),
        (
            activity,
            URIRef(PREFIXES["rdfs"] + "label"),
            Literal(f"merge of {drop.label} into {keep.label}"),
        ),
        (
            activity,
            URIRef(_PROV + "startedAtTime"),
            Literal(stamp.isoformat(), datatype=XSD.dateTime),
        ),
        (activity, URIRef(_PROV + "used"), k),
        (activity, URIRef(_PROV + "invalidated"), d),
        (activity, URIRef(IG + "removedTriples"), Literal(_ntriples(removed))),
        (activity, URIRef(IG + "addedTriples"), Literal(_ntriples(added))),
    ]
    return removed, added + record, str(activity)


def _context(source: Source, removed: list[Triple], added: list[Triple]) -> Graph:
    """The graph around the change: everything about the nodes it touches, and the
    vocabulary (all of the graph, for files)."""
    from rdflib import Graph, URIRef

    from .edit import copy_graph
    from .graph import load_graph

    if isinstance(source, MemorySource):
        return copy_graph(source)
    graph = load_graph(Graph())
    nodes = {
        t for triple in [*removed, *added] for t in (triple[0], triple[2]) if isinstance(t, URIRef)
    }
    for var in ("s", "o"):
        for row in source.select_bound("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", var, nodes):
            graph.add((row["s"], row["p"], row["o"]))
    return graph


def _check(source: Source, removed: list[Triple], added: list[Triple], where: Path) -> None:
    """Refuse a change that gives the graph a violation it did not have."""
    from .validate import focused_check

    before = _context(source, removed, added)
    after = _context(source, removed, added)
    for triple in removed:
        after.remove(triple)
    for triple in added:
        after.add(triple)
    check = focused_check(after, added)
    old = {v.key for v in check.run(before)}
    new = [v for v in check.run(after) if v.key not in old]
    if new:
        raise ValidationFailed(
            [str(v) for v in new],
            f"refused: the graph would have {len(new)} new violation"
            f"{'s' if len(new) != 1 else ''}; {where} is unchanged",
        )


def _write(
    source: Source,
    target: Path,
    data: Sequence[PathLike],
    removed: list[Triple],
    added: list[Triple],
) -> bool:
    """Apply the change to the store or the first data file; True if a file was
    re-serialised."""
    if is_store(target):
        assert isinstance(source, StoreSource)
        store = source.writable()
        store.update(
            f"DELETE DATA {{\n{_ntriples(removed)}}} ;\nINSERT DATA {{\n{_ntriples(added)}}}"
        )
        store.flush()
        return False
    from rdflib import Graph

    from .files import locked, write_atomically

    with locked(target):
        old = target.read_bytes()
        graph = Graph()
        parse_into(graph, target)
        for other in data[1:]:
            extra = Graph()
            parse_into(extra, other)
            mentioned = {t for t in removed if t in extra}
            if mentioned:
                raise EditRefused(
                    [
                        f"{other} also mentions what the merge changes; merge "
                        f"works on one file: give it first with --data"
                    ]
                )
        for triple in removed:
            graph.remove(triple)
        for triple in added:
            graph.add(triple)
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        text = graph.serialize(format="nt" if target.suffix == ".nt" else "turtle")
        write_atomically(target, text.encode("utf-8"), expect=old)
    return True


def _target(source: Source, data: Sequence[PathLike]) -> Path:
    if isinstance(source, StoreSource):
        return source.path
    if not data:
        raise EditRefused(
            [
                "merging writes to the first --data file or a --store, and "
                "neither was given; the bundled graph is read-only"
            ]
        )
    return Path(data[0])


def merge(
    source: Source,
    keep_name: str,
    drop_name: str,
    data: Sequence[PathLike],
    *,
    dry_run: bool = False,
) -> MergeResult:
    """Fold the entity named ``drop_name`` into the one named ``keep_name`` (module
    docstring), in the store ``source`` is or the first of ``data``."""
    paths = [Path(p) for p in data]
    target = _target(source, paths)
    keep, drop = resolve(source, keep_name), resolve(source, drop_name)
    removed, added, activity = plan_merge(source, keep, drop)
    _check(source, removed, added, target)
    rewritten = False if dry_run else _write(source, target, paths, removed, added)
    return MergeResult(keep.iri, drop.iri, activity, removed, added, target, not dry_run, rewritten)


def undo(
    source: Source, activity: str, data: Sequence[PathLike], *, dry_run: bool = False
) -> MergeResult:
    """Undo the merge recorded as ``activity`` (its IRI, or its ``merge-...`` name): put
    back what it removed and take away what it added, the record included."""
    from rdflib import URIRef

    from .vocab import expand

    paths = [Path(p) for p in data]
    target = _target(source, paths)
    iri = URIRef(expand(activity) if ":" in activity else IGD + activity)
    record = list(source.triples((iri, None, None)))
    texts = {str(p): str(o) for _, p, o in record}
    if IG + "removedTriples" not in texts:
        raise EditRefused(
            [
                f"no merge is recorded as {activity!r}; merges are listed by "
                '`influencegraph sparql "SELECT ?m WHERE { ?m a ig:Merge }"`'
            ]
        )
    put_back = _parse_nt(texts[IG + "removedTriples"])
    keep = texts[_PROV + "used"]
    drop = texts[_PROV + "invalidated"]
    take_away = [
        *_parse_nt(texts[IG + "addedTriples"]),
        *record,
        (URIRef(drop), URIRef(_DCT + "isReplacedBy"), URIRef(keep)),
    ]
    take_away = list(dict.fromkeys(take_away))
    _check(source, take_away, put_back, target)
    rewritten = False if dry_run else _write(source, target, paths, take_away, put_back)
    return MergeResult(keep, drop, str(iri), take_away, put_back, target, not dry_run, rewritten)
