"""Items -> N-Triples lines, linked to what the graph already holds.

Linking an incoming entity (work, person, organisation), in this order:

1. by identifier: an entity of the graph with one of its identifiers (``dcterms:identifier``
   literal or ``owl:sameAs`` IRI) is that entity; it gains the identifiers it lacked (and
   the incoming name as a ``skos:altLabel`` when it differs);
2. by exact label and type (and year, for works), if that entity has no identifier of the
   same scheme that differs (two DOIs are two works);
3. otherwise a new entity whose IRI is made from its first identifier
   (``igd:openalex/W2741809807``, ``igd:ror/05dxps055``), so importing the same record
   again gives the same IRI and adds nothing. Never on fuzzy similarity: ``dedupe`` lists
   those pairs for a person to ``merge``.

Each record becomes an ``ig:SourceDocument`` (its API address, published by the service,
with ``dcterms:modified`` from the record): every entity and claim it gives cites it as
``dcterms:source``, with the record's own words as ``ig:evidence``. A record whose
document already has the same ``dcterms:modified`` is unchanged and skipped.

References become ``ig:cites`` influence claims (the cited work influences the citing one),
claimed by the service; they are resolved after every record is read, so a work may cite
one later in the file. A reference to a work neither in the graph nor in the file is
counted and left out: the graph holds no entity without a name.

Kept as one module: linking (:class:`Linker`) and writing (:class:`Builder`) share the IRI-
minting rules that make a second import of a record change nothing.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import quote

from ..edit import quote_string, slugify
from ..graph import Source
from ..identifiers import Identifier, parse
from ..strings import string_rows
from ..vocab import ENTITY_TYPES, IG, IGD, PREFIXES
from .model import Agent, BadRecord, Item, Work
from .read import Record

_RDF_TYPE = f"<{PREFIXES['rdf']}type>"
_LABEL = f"<{PREFIXES['rdfs']}label>"
_ALT = f"<{PREFIXES['skos']}altLabel>"
_DCT = PREFIXES["dcterms"]
_ID = f"<{_DCT}identifier>"
_SAME = f"<{PREFIXES['owl']}sameAs>"
_SOURCE = f"<{_DCT}source>"
_EVIDENCE = f"<{IG}evidence>"
_GYEAR = f"^^<{PREFIXES['xsd']}gYear>"
_PROV = PREFIXES["prov"]
_CITES = IG + "cites"
_MEMBER_OF = f"<{PREFIXES['org']}memberOf>"

_STAMPS = "SELECT ?s ?v WHERE { ?s dcterms:modified ?v }"
_STAMP_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s dcterms:modified ?v }"
SCAN_RATIO = 3
"""A stamp read by the scan costs about a third of one asked by a bound lookup."""
BATCH = 2000
"""Records linked per round of bound queries."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def literal(text: str) -> str:
    """An N-Triples string literal, as :func:`edit.quote_string` writes it, but fast for
    text with no control characters (nearly all: bulk imports write millions)."""
    return quote_string(text) if _CONTROL.search(text) else f'"{text.translate(_ESCAPE)}"'


WORK_TYPE = "Report"
"""The entity type imported works get (their own type is kept as ``dcterms:type``)."""


def entity_iri(ident: Identifier) -> str:
    """The IRI an entity first seen with ``ident`` gets: the same on every import.

    Example:
        >>> entity_iri(parse("10.7717/peerj.4375")).rsplit("/id/", 1)[1]
        'doi/10.7717/peerj.4375'
    """
    return _literal_iri(ident.literal)


def _literal_iri(text: str) -> str:
    """:func:`entity_iri` of the identifier a canonical literal holds, without parsing it."""
    scheme, _, value = text.partition(":")
    return f"{IGD}{scheme}/{quote(value, safe='/.-_~:;()')}"


def _named_iri(kind: str, label: str) -> str:
    """The IRI of an entity a record names without any identifier (a Crossref affiliation)."""
    digest = hashlib.blake2b(f"{kind}\n{label}".encode(), digest_size=5).hexdigest()
    return f"{IGD}{slugify(kind) or 'entity'}/{slugify(label, 40) or 'x'}-{digest}"


def _iri_of(value: str) -> str:
    return f"<{quote(value, safe=_SAFE)}>"


_SAFE = "/:?#[]@!$&'()*+,;=.-_~%"


@dataclass
class Provider:
    """A bulk source: its name, home page, and the module that reads its records."""

    key: str
    name: str
    home: str
    read: Any

    @property
    def iri(self) -> str:
        return f"{IGD}{self.key}"


@dataclass
class Summary:
    """What an import did: records read, imported, unchanged (skipped) and bad; entities
    linked to existing ones; citation claims; references left out; lines produced."""

    records: int = 0
    imported: int = 0
    unchanged: int = 0
    bad: list[str] = field(default_factory=list)
    linked: int = 0
    claims: int = 0
    unlinked: int = 0
    lines: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "imported": self.imported,
            "unchanged": self.unchanged,
            "bad": len(self.bad),
            "linked": self.linked,
            "claims": self.claims,
            "unlinked_references": self.unlinked,
        }


class Linker:
    """Finds, a batch of items at a time, which incoming entities the graph already has."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.found: dict[str, str] = {}
        """Identifier literal -> IRI of the graph entity that carries it."""
        self.names: dict[str, str] = {}
        """IRI of an entity found -> its label."""
        self.labelled: dict[tuple[str, str, str | None], list[tuple[str, set[str]]]] = {}
        """(label, type IRI, year) -> [(IRI, its identifier literals)] in the graph."""
        self._asked: set[str] = set()

    def lookup(self, query: str, var: str, values: list[str]) -> list[tuple[str, ...]]:
        """Rows as strings of a SELECT over many values of ``?var`` (N-Triples terms)."""
        return string_rows(self.source, query, var, values)

    def prime(self, ids: Iterable[Identifier], labels: Iterable[str]) -> None:
        """Ask the graph, in bound batches, about these identifiers and labels."""
        wanted = {i.literal: i for i in ids if i.literal not in self._asked}
        self._asked.update(wanted)
        if wanted:
            rows = self.lookup(
                "SELECT ?s ?id ?label WHERE { ?s dcterms:identifier ?id"
                " OPTIONAL { ?s rdfs:label ?label } }",
                "id",
                [literal(text) for text in wanted],
            )
            resolvable = {i.iri: text for text, i in wanted.items() if i.iri}
            for subject, ident, _ in rows:
                self.found.setdefault(ident, subject)
            same = self.lookup(
                "SELECT ?s ?iri ?label WHERE { ?s owl:sameAs ?iri"
                " OPTIONAL { ?s rdfs:label ?label } }",
                "iri",
                [_iri_of(iri) for iri in resolvable],
            )
            for subject, iri, _ in same:
                if iri in resolvable:
                    self.found.setdefault(resolvable[iri], subject)
            self.names.update((s, label) for s, _, label in [*rows, *same] if label)
        names = [text for text in dict.fromkeys(labels) if "label:" + text not in self._asked]
        self._asked.update("label:" + text for text in names)
        found: dict[tuple[str, str, str | None], dict[str, set[str]]] = {}
        for subject, label, kind, year, ident in self.lookup(
            "SELECT ?s ?label ?type ?year ?id WHERE { ?s rdfs:label ?label ; a ?type ."
            " OPTIONAL { ?s dcterms:issued ?year } OPTIONAL { ?s dcterms:identifier ?id }"
            " }",
            "label",
            [literal(text) for text in names],
        ):
            held = found.setdefault((label, kind, year[:4] or None), {}).setdefault(subject, set())
            if ident:
                held.add(ident)
        for key, entities in found.items():
            self.labelled[key] = sorted(entities.items())

    def existing(
        self, ids: list[Identifier], label: str, type_name: str, year: str | None = None
    ) -> str | None:
        """The IRI of the graph entity this incoming one is, or None (a new entity)."""
        for ident in ids:
            if ident.literal in self.found:
                return self.found[ident.literal]
        schemes = {i.scheme: i.literal for i in ids}
        for iri, known in self.labelled.get((label, ENTITY_TYPES[type_name], year), []):
            clash = any(k.split(":", 1)[0] in schemes and k not in schemes.values() for k in known)
            if not clash:
                return iri
        return None


class Builder:
    """Turns items into N-Triples lines, writing them to ``out``; references wait in
    ``pending`` until every record is read (:meth:`finish`)."""

    def __init__(
        self, source: Source, provider: Provider, out: IO[str], expected: int | None = None
    ) -> None:
        self.linker = Linker(source)
        self.source = source
        self.provider = provider
        self.out = out
        self.summary = Summary()
        self._stamps: dict[str, str] | None = None
        """Every record's ``dcterms:modified`` in the graph, once read (:meth:`_modified`)."""
        self._stored: int | None = None
        self._asked = 0
        self._expected = expected or 0
        """About how many records the file holds (:func:`.read.estimate_records`)."""
        self.emitted: set[str] = set()
        """Agents already written by this import (each is written once)."""
        self.imported: dict[str, str | None] = {}
        """Primary identifier literal of every work (or ROR organisation) imported -> its
        IRI when that is not :func:`entity_iri` of it (linked to an existing entity),
        else None."""
        self.pending: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by finish)
        """One line per reference or parent, resolved by :meth:`finish`: relation, citing
        IRI, cited identifier literal, record IRI and evidence (an N-Triples literal),
        tab-separated. On disk, not in memory: a million works make millions of them."""

    # -- batches

    def add_batch(self, records: list[Record]) -> None:
        """Check, link and write a batch of records: an unchanged one (its document has the
        same ``dcterms:modified``) is skipped before anything else; a bad one is counted
        in ``summary.bad`` as ``FILE:LINE: reason``."""
        stamps = {
            i: found
            for i, r in enumerate(records)
            if (found := self.provider.read.stamp(r.data)) is not None
        }
        known = self._modified([doc for doc, _ in stamps.values()])
        items = []
        for i, record in enumerate(records):
            if i in stamps and known.get(stamps[i][0]) == stamps[i][1]:
                self.summary.unchanged += 1
                continue
            try:
                items.append(self.provider.read.item(record.data))
            except BadRecord as exc:
                self.summary.bad.append(f"{record.where()}: {exc}")
        ids: list[Identifier] = []
        labels: list[str] = []
        for item in items:
            for _, entity_ids, label in _entities(item):
                ids += entity_ids
                labels.append(label)
        self.linker.prime(ids, labels)
        if items:
            self._provider_once()
        for item in items:
            self._item(item)
        self.summary.imported += len(items)

    def _modified(self, documents: list[str]) -> dict[str, str]:
        """Record address -> its ``dcterms:modified`` in the graph, for these records.

        Asked by bound lookups until the records asked about, or those the file is
        expected to hold, outnumber a third of the stamps in the graph; then every stamp
        is read in one scan. On a 7M-triple store a scanned stamp cost 8 us and a
        looked-up one 30 us (bench/results.md). The expected count is a guess from the
        file's size; where it is wrong or missing the rule is a ski-rental one, never
        paying more than about twice the cheaper way."""
        if self._stamps is None and self.summary.records >= BATCH:
            if self._stored is None:
                counted = string_rows(self.source, _STAMP_COUNT)
                self._stored = int(counted[0][0]) if counted else 0
            self._asked += len(documents)
            if max(self._asked, self._expected) * SCAN_RATIO >= self._stored:
                self._stamps = {row[0]: row[1] for row in string_rows(self.source, _STAMPS)}
        if self._stamps is not None:
            return {d: self._stamps[d] for d in documents if d in self._stamps}
        rows = self.linker.lookup(_STAMPS, "s", [f"<{d}>" for d in documents])
        return {row[0]: row[1] for row in rows}

    def finish(self) -> None:
        """Resolve the references and parents every record named, and write them."""
        self.pending.seek(0)
        while batch := [line.rstrip("\n").split("\t") for line in self.pending.readlines(1 << 20)]:
            self.linker.prime(
                [_identifier(cited) for _, _, cited, _, _ in batch if cited not in self.imported],
                [],
            )
            for relation, citing, cited, record, evidence in batch:
                target = self._resolve(cited)
                if target is None or target == citing:
                    self.summary.unlinked += relation == "cites"
                elif relation == "parent":
                    self._write([f"<{citing}> <{PREFIXES['org']}subOrganizationOf> <{target}> .\n"])
                else:
                    self._claim(citing, target, record, evidence)
        self.pending.close()

    def _later(
        self, relation: str, citing: str, cited: Identifier, record: str, evidence: str
    ) -> None:
        self.pending.write(
            f"{relation}\t{citing}\t{cited.literal}\t{record}\t{literal(evidence)}\n"
        )  # N-Triples literals hold no tab

    # -- pieces

    def _write(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.out.write(line)
            self.summary.lines += 1

    def _resolve(self, cited: str) -> str | None:
        if cited in self.imported:
            relinked = self.imported[cited]
            return relinked or _literal_iri(cited)
        return self.linker.found.get(cited)

    def _provider_once(self) -> None:
        if self.provider.iri in self.emitted:
            return
        self.emitted.add(self.provider.iri)
        home, org = f"<{self.provider.home}>", f"<{self.provider.iri}>"
        name = literal(self.provider.name)
        page = literal(f"{self.provider.name} ({self.provider.home})")
        self._write(
            [
                f"{org} {_RDF_TYPE} <{ENTITY_TYPES['Organisation']}> .\n",
                f"{org} {_LABEL} {name} .\n",
                f"{org} {_SOURCE} {home} .\n",
                f"{org} {_EVIDENCE} {name} .\n",
                f"{home} {_RDF_TYPE} <{ENTITY_TYPES['Source document']}> .\n",
                f"{home} {_LABEL} {page} .\n",
                f"{home} <{_DCT}title> {name} .\n",
                f"{home} <{_DCT}publisher> {org} .\n",
                f"{home} {_SOURCE} {home} .\n",
                f"{home} {_EVIDENCE} {name} .\n",
            ]
        )

    def _item(self, item: Item) -> None:
        doc = f"<{item.record}>"
        title = literal(item.title)
        lines = [
            f"{doc} {_RDF_TYPE} <{ENTITY_TYPES['Source document']}> .\n",
            f"{doc} {_LABEL} {title} .\n",
            f"{doc} <{_DCT}title> {title} .\n",
            f"{doc} <{_DCT}publisher> <{self.provider.iri}> .\n",
            f"{doc} {_SOURCE} {doc} .\n",
            f"{doc} {_EVIDENCE} {literal(item.record)} .\n",
        ]
        if item.modified:
            lines.append(f"{doc} <{_DCT}modified> {literal(item.modified)} .\n")
        self._write(lines)
        for agent in item.agents:
            iri = self._agent(agent, doc)
            primary = agent.ids[0]
            self.imported[primary.literal] = None if iri == entity_iri(primary) else iri
            for parent in agent.parents:
                self._later("parent", iri, parent, item.record, "")
        if item.work is not None:
            self._work(item.work, doc, item.record)

    def _entity(
        self,
        iri: str,
        existing: bool,
        type_name: str,
        label: str,
        ids: list[Identifier],
        doc: str,
        evidence: str,
    ) -> list[str]:
        """The lines describing an entity: all of it when new, only the identifiers (and
        the name as an alternative label) when the graph has it already."""
        node = f"<{iri}>"
        lines = [f"{node} {_ID} {literal(i.literal)} .\n" for i in ids]
        lines += [f"{node} {_SAME} {_iri_of(i.iri)} .\n" for i in ids if i.iri]
        if existing:
            self.summary.linked += 1
            if self.linker.names.get(iri, label) != label:
                lines.append(f"{node} {_ALT} {literal(label)} .\n")
            return lines
        return [
            f"{node} {_RDF_TYPE} <{ENTITY_TYPES[type_name]}> .\n",
            f"{node} {_LABEL} {literal(label)} .\n",
            f"{node} {_SOURCE} {doc} .\n",
            f"{node} {_EVIDENCE} {literal(evidence)} .\n",
            *lines,
        ]

    def _agent(self, agent: Agent, doc: str) -> str:
        found = self.linker.existing(agent.ids, agent.label, agent.type)
        iri = found or (
            entity_iri(agent.ids[0]) if agent.ids else _named_iri(agent.type, agent.label)
        )
        if iri not in self.emitted:
            self.emitted.add(iri)
            self._write(
                self._entity(
                    iri, found is not None, agent.type, agent.label, agent.ids, doc, agent.evidence
                )
            )
        return iri

    def _work(self, work: Work, doc: str, record: str) -> None:
        found = self.linker.existing(work.ids, work.label, WORK_TYPE, work.year)
        iri = found or entity_iri(work.ids[0])
        self.imported[work.ids[0].literal] = found
        lines = self._entity(
            iri, found is not None, WORK_TYPE, work.label, work.ids, doc, work.evidence
        )
        node = f"<{iri}>"
        if found is None:
            if work.year:
                lines.append(f'{node} <{_DCT}issued> "{work.year}"{_GYEAR} .\n')
            if work.kind:
                lines.append(f"{node} <{_DCT}type> {literal(work.kind)} .\n")
        self._write(lines)
        for author in work.authors:
            person = self._agent(author, doc)
            self._write([f"{node} <{_DCT}creator> <{person}> .\n"])
            for place in author.affiliations:
                self._write([f"<{person}> {_MEMBER_OF} <{self._agent(place, doc)}> .\n"])
        for ref in work.references:
            self._later("cites", iri, ref.ids[0], record, ref.evidence)

    def _claim(self, citing: str, cited: str, record: str, evidence: str) -> None:
        """A ``cites`` claim; ``evidence`` is written as an N-Triples literal already."""
        digest = hashlib.blake2b(f"{citing}\n{cited}\n{record}".encode(), digest_size=8).hexdigest()
        claim, x, y = f"<{IGD}claim/cites-{digest}>", f"<{cited}>", f"<{citing}>"
        self._write(
            [
                f"{y} <{_PROV}wasInfluencedBy> {x} .\n",
                f"{y} <{PREFIXES['cito']}cites> {x} .\n",
                f"{y} <{_PROV}qualifiedInfluence> {claim} .\n",
                f"{claim} {_RDF_TYPE} <{IG}InfluenceClaim> .\n",
                f"{claim} <{_PROV}influencer> {x} .\n",
                f"{claim} <{IG}kind> <{_CITES}> .\n",
                f"{claim} <{IG}claimant> <{self.provider.iri}> .\n",
                f"{claim} {_SOURCE} <{record}> .\n",
                f"{claim} {_EVIDENCE} {evidence} .\n",
            ]
        )
        self.summary.claims += 1


def _identifier(literal: str) -> Identifier:
    scheme, _, value = literal.partition(":")
    return parse(value, scheme)


def _entities(item: Item) -> Iterator[tuple[str, list[Identifier], str]]:
    """(type, identifiers, label) of every entity an item names, for priming the linker."""
    for agent in item.agents:
        yield agent.type, agent.ids + agent.parents, agent.label
    if item.work is not None:
        yield WORK_TYPE, item.work.ids, item.work.label
        for author in item.work.authors:
            yield author.type, author.ids, author.label
            for place in author.affiliations:
                yield place.type, place.ids, place.label
