"""Drafts of additions: what the user asked for, checked and built as triples.

A :class:`Draft` holds a working copy of the graph; each entity or claim it accepts is
added to that copy at once (so later inputs can name earlier ones) and kept as
:class:`Block` paragraphs for :mod:`influencegraph.edit.writer` to append. Here "source"
is the graph being edited; the document a quote comes from is the *document* (the
``--source`` option and ``source`` CSV column keep their user-facing names).

Kept as one module: the two specs and the :class:`Draft` that checks them share the name
resolution, the quote and document checks and the IRI minting; an entity and a claim are
drafted by the same rules, read side by side.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..dates import date_literal
from ..errors import AmbiguousNameError, InfluenceGraphError, UnknownNameError
from ..graph import Source
from ..names import Entity, invisible_characters, name_index, normalise, resolve
from ..vocab import (
    ENTITY_TYPES,
    IG,
    IGD,
    INFLUENCE_KINDS,
    PREFIXES,
    canonical_type,
    expand,
    kind_named,
)

if TYPE_CHECKING:
    from rdflib import Graph, Literal, URIRef
    from rdflib.term import Node

WORK_TYPES = frozenset({"Report", "Survey", "Strategy", "Idea"})
"""Entity types that are works: a claim between two works also gets its CiTO citation."""

ADDABLE_TYPES = tuple(name for name in ENTITY_TYPES if name != "Source document")
"""Types ``add entity`` accepts; source documents come from ``--source URL``."""
_DCT = PREFIXES["dcterms"]
_PROV = PREFIXES["prov"]
_RDFS = PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]


# ---------------------------------------------------------------- inputs


@dataclass
class EntitySpec:
    """What ``add entity`` (or one row of an entities CSV) asks for, as the user typed it."""

    type: str
    label: str
    evidence: str | None = None
    document: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    year: str | None = None
    publisher: str | None = None
    document_title: str | None = None
    document_publisher: str | None = None
    document_file: str | None = None
    """A local copy of the source document: the quote must be in it (``--source-file``)."""


@dataclass
class ClaimSpec:
    """What ``add claim`` (or one row of a claims CSV) asks for, as the user typed it.

    ``influencer`` and ``target`` are the ``--from`` and ``--to`` names.
    """

    influencer: str
    target: str
    kind: str
    evidence: str | None = None
    document: str | None = None
    claimant: str | None = None
    year: str | None = None
    document_title: str | None = None
    document_publisher: str | None = None
    document_file: str | None = None
    """A local copy of the source document: the quote must be in it (``--source-file``)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: the field (CSV column name) and what is wrong."""

    field: str
    message: str

    def as_option(self) -> str:
        """``--alt-label: ...`` for the command line."""
        option = {"alt_labels": "alt-label"}.get(self.field, self.field.replace("_", "-"))
        return f"--{option}: {self.message}"


# ---------------------------------------------------------------- small pieces


def slugify(text: str, max_length: int = 60) -> str:
    """An IRI-safe slug of a label: ASCII letters, digits and single hyphens.

    Example:
        >>> slugify("Lord O’Shaughnessy: Café & Co.")
        'lord-oshaughnessy-cafe-co'
    """
    text = re.sub(r"['’‘`]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")
    return slug


def mint_iri(
    slug: str,
    taken: set[str] | None = None,
    graph: Graph | None = None,
    *,
    fallback: str = "entity",
) -> str:
    """A new IRI under the graph's id namespace: ``IGD + slug``, then ``-2``, ``-3``... until
    it is neither in ``taken`` nor used in ``graph``.

    Example:
        >>> mint_iri("all-together-now", {IGD + "all-together-now"}).rsplit("/", 1)[1]
        'all-together-now-2'
    """
    from rdflib import URIRef

    base = IGD + (slug or fallback)
    candidate, n = base, 1
    while True:
        used = candidate in (taken or set())
        if not used and graph is not None:
            term = URIRef(candidate)
            used = (term, None, None) in graph or (None, None, term) in graph
        if not used:
            return candidate
        n += 1
        candidate = f"{base}-{n}"


_URL = re.compile(r"(?:https?://|file:///)[^\s<>\"{}|\\^`]+", re.IGNORECASE)
"""A new source document's address: a web page, or a local file (``extract`` of a file)."""


def _text(value: str | None) -> str:
    return (value or "").strip()


def _bad_text(value: str) -> str | None:
    """Why a text cannot be written (undecodable bytes from the shell), or None."""
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        return "contains bytes that are not valid UTF-8 text"
    return None


def _quote_checked(evidence: str, document_file: str, problems: list[Problem]) -> str | None:
    """``evidence`` if it is in the document at ``document_file`` (verbatim up to white
    space), else None with the problem: altered (the closest passage quoted) or missing."""
    from ..verify import check_quote

    try:
        status, closest = check_quote(evidence, document_file)
    except InfluenceGraphError as exc:
        problems.append(Problem("source_file", str(exc)))
        return None
    if status == "altered":
        problems.append(
            Problem(
                "evidence",
                f"not in {document_file} as quoted; the closest passage says {closest!r}",
            )
        )
    elif status == "missing":
        problems.append(
            Problem("evidence", f"not in {document_file}: quote the document's own words")
        )
    return evidence if status == "found" else None


def _bad_name(value: str) -> str | None:
    """Why a name (label, alternative label, title) cannot be written, or None: on top of
    :func:`_bad_text`, invisible characters, which would make a name nobody can type."""
    if (reason := _bad_text(value)) is not None:
        return reason
    if found := invisible_characters(value):
        return f"contains invisible characters ({', '.join(found)}); remove them"
    return None


# ---------------------------------------------------------------- building


@dataclass
class Block:
    """One subject's new statements, rendered as one Turtle paragraph."""

    subject: URIRef
    statements: list[tuple[URIRef, list[Node]]]
    comment: str | None = None

    def triples(self) -> list[tuple[Node, Node, Node]]:
        return [(self.subject, p, o) for p, objects in self.statements for o in objects]


def copy_graph(source: Source) -> Graph:
    """Every triple of ``source`` in a new rdflib graph, with the project's prefixes bound."""
    from rdflib import Graph

    graph = Graph()
    for triple in source.triples((None, None, None)):
        graph.add(triple)
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


class Draft:
    """Additions prepared against a working copy of the graph, before anything is written.

    Each ``add_*`` call checks one input and returns its problems; an input without
    problems is added to the working copy at once, so later inputs can name what earlier
    ones added (a claims CSV can use an entity added three rows above). ``note`` heads
    the comment over each added item; an input's ``origin`` (``"row 4"``) replaces it and
    also names that input in any violation the graph check finds.

    Example:
        >>> draft = Draft(open_source())                            # doctest: +SKIP
        >>> draft.add_claim(ClaimSpec("All Together Now", "All of Us", "reflects",
        ...                           evidence="...", document="Policy Impact"))  # doctest: +SKIP
        []
    """

    def __init__(self, source: Source, note: str | None = None) -> None:
        from .working import working_copy

        self.original = source
        self.note = note
        self.work = working_copy(source)
        self.index = name_index(self.work)
        self.blocks: list[Block] = []
        self.origins: dict[str, str] = {}
        self.added: list[str] = []
        self.fresh: set[tuple[Node, Node, Node]] = set()
        """The added triples the graph did not already have (what validation looks at)."""
        self._minted: set[str] = set()
        self._titles: dict[str, list[Entity]] | None = None

    # -- public

    def add_entity(self, spec: EntitySpec, origin: str | None = None) -> list[Problem]:
        """Check one entity; when it has no problems, add it (and any new source document)."""
        from rdflib import RDF, Literal, URIRef

        problems: list[Problem] = []
        type_name = self._type(spec.type, problems)
        label = self._label(spec.label, problems)
        alts = [a for a in (_text(x) for x in spec.alt_labels) if a]
        for alt in alts:
            if (reason := _bad_name(alt)) is not None:
                problems.append(Problem("alt_labels", f"{alt!r} {reason}"))
        year = self._date("year", spec.year, problems)
        publisher = (
            self._name("publisher", spec.publisher, problems) if _text(spec.publisher) else None
        )
        evidence = self._evidence(spec.evidence, problems, spec.document_file)
        itself = None
        if type_name is not None and label is not None:
            itself = Entity(
                mint_iri(
                    slugify(label),
                    self._minted,
                    self.work.graph,
                    fallback=slugify(type_name) or "entity",
                ),
                label,
                type_name,
            )
        doc = self._document(
            spec.document,
            spec.document_title,
            spec.document_publisher,
            evidence,
            problems,
            itself=itself,
        )
        if problems or itself is None or doc is None or evidence is None:
            return problems
        assert type_name is not None and label is not None

        iri = URIRef(itself.iri)
        statements: list[tuple[URIRef, list[Node]]] = [
            (RDF.type, [URIRef(ENTITY_TYPES[type_name])]),
            (URIRef(_RDFS + "label"), [Literal(label)]),
        ]
        if alts:
            statements.append(
                (URIRef(PREFIXES["skos"] + "altLabel"), [Literal(a) for a in dict.fromkeys(alts)])
            )
        if year is not None:
            statements.append((URIRef(_DCT + "issued"), [year]))
        if publisher is not None:
            statements.append((URIRef(_DCT + "publisher"), [URIRef(publisher.iri)]))
        statements += [
            (URIRef(_DCT + "source"), [doc.iri_ref]),
            (URIRef(IG + "evidence"), [Literal(evidence)]),
        ]
        what = f'{type_name} "{" ".join(label.split())}"'
        self._commit(
            doc, [Block(iri, statements)], what, origin, new_entities=[itself], alt_labels=alts
        )
        return []

    def add_claim(self, spec: ClaimSpec, origin: str | None = None) -> list[Problem]:
        """Check one influence claim; when it has no problems, add it as a PROV qualified
        influence with the ``prov:wasInfluencedBy`` shortcut and, between two works, the
        kind's CiTO citation."""
        from rdflib import RDF, Literal, URIRef

        problems: list[Problem] = []
        x = self._name("from", spec.influencer, problems, required=True, end=True)
        y = self._name("to", spec.target, problems, required=True, end=True)
        kind = kind_named(spec.kind) if _text(spec.kind) else None
        if kind is None:
            valid = ", ".join(k.name for k in INFLUENCE_KINDS)
            said = f"unknown kind {spec.kind!r}" if _text(spec.kind) else "is required"
            problems.append(Problem("kind", f"{said}; use one of {valid}"))
        evidence = self._evidence(spec.evidence, problems, spec.document_file)
        doc = self._document(
            spec.document, spec.document_title, spec.document_publisher, evidence, problems
        )
        claimant = self._name("claimant", spec.claimant, problems) if _text(spec.claimant) else None
        year = self._date("year", spec.year, problems)
        if x is not None and y is not None and x.iri == y.iri:
            problems.append(Problem("to", f"{y.label!r} cannot influence itself"))
        if doc is not None and claimant is None:
            if doc.publisher is None:
                problems.append(
                    Problem(
                        "claimant",
                        f"the source {doc.label!r} names no publisher; say who makes the claim",
                    )
                )
            else:
                claimant = doc.publisher
        if problems or None in (x, y, kind, doc, claimant, evidence):
            return problems
        assert x is not None and y is not None and kind is not None and doc is not None
        assert claimant is not None and evidence is not None
        if self._claim_exists(x.iri, y.iri, kind.iri, doc.iri):
            return [
                Problem(
                    "kind",
                    f"the graph already has this claim: {x.label} -> "
                    f"{y.label} ({kind.label}) from {doc.label!r}",
                )
            ]

        slug = "claim-" + "-".join(
            p for p in (slugify(x.label, 25), slugify(kind.label, 25), slugify(y.label, 25)) if p
        )
        claim = URIRef(mint_iri(slug, self._minted, self.work.graph))
        x_ref, y_ref = URIRef(x.iri), URIRef(y.iri)
        shortcut: list[tuple[URIRef, list[Node]]] = [(URIRef(_PROV + "wasInfluencedBy"), [x_ref])]
        if kind.cito and x.type in WORK_TYPES and y.type in WORK_TYPES:
            shortcut.append((URIRef(kind.cito), [x_ref]))
        shortcut.append((URIRef(_PROV + "qualifiedInfluence"), [claim]))
        statements: list[tuple[URIRef, list[Node]]] = [
            (RDF.type, [URIRef(IG + "InfluenceClaim")]),
            (URIRef(_PROV + "influencer"), [x_ref]),
            (URIRef(IG + "kind"), [URIRef(kind.iri)]),
            (URIRef(IG + "claimant"), [URIRef(claimant.iri)]),
            (URIRef(_DCT + "source"), [doc.iri_ref]),
            (URIRef(IG + "evidence"), [Literal(evidence)]),
        ]
        if year is not None:
            statements.append((URIRef(_DCT + "date"), [year]))
        what = f"claim {x.label} -> {y.label} ({kind.label})"
        self._commit(doc, [Block(y_ref, shortcut), Block(claim, statements)], what, origin)
        return []

    def triples(self) -> list[tuple[Node, Node, Node]]:
        """Every triple the draft adds, in the order it will be written."""
        return [t for block in self.blocks for t in block.triples()]

    # -- checking inputs

    def _type(self, text: str, problems: list[Problem]) -> str | None:
        valid = ", ".join(ADDABLE_TYPES)
        if not _text(text):
            problems.append(Problem("type", f"is required; use one of {valid}"))
            return None
        name = canonical_type(text)
        if name == "Source document":
            problems.append(
                Problem(
                    "type",
                    "source documents are added by giving a URL as "
                    "the source, with source_title and "
                    "source_publisher",
                )
            )
            return None
        if name is None:
            problems.append(Problem("type", f"unknown type {text!r}; use one of {valid}"))
        return name

    def _label(self, text: str, problems: list[Problem]) -> str | None:
        label = _text(text)
        if not normalise(label):
            problems.append(Problem("label", "is required (the name people use for it)"))
            return None
        if (reason := _bad_name(label)) is not None:
            problems.append(Problem("label", reason))
            return None
        key = normalise(label)
        holders = [self.index.entities[iri] for iri in sorted(self.index.by_key.get(key, ()))]
        if holders:  # a label that is another's alias would take that name over
            other = min(holders, key=lambda e: (normalise(e.label) != key, e.label))
            said = (
                "already has this label"
                if normalise(other.label) == key
                else f"already answers to {label!r} (an alternative label)"
            )
            problems.append(
                Problem("label", f"{other.label!r} ({other.type}) {said}; choose a distinct one")
            )
            return None
        if expand(label) in self.index.entities:
            problems.append(
                Problem(
                    "label",
                    f"{label!r} is the identifier of {self.index.entities[expand(label)].label!r}",
                )
            )
            return None
        return label

    def _name(
        self,
        field_name: str,
        text: str | None,
        problems: list[Problem],
        *,
        required: bool = False,
        end: bool = False,
    ) -> Entity | None:
        if not _text(text):
            if required:
                problems.append(Problem(field_name, "is required (an entity's label)"))
            return None
        try:
            entity = resolve(self.work, _text(text))
        except (UnknownNameError, AmbiguousNameError) as exc:
            problems.append(Problem(field_name, str(exc)))
            return None
        if end and entity.type == "Source document":
            problems.append(
                Problem(field_name, f"{entity.label!r} is a source document; claims link entities")
            )
            return None
        return entity

    def _date(self, field_name: str, text: str | None, problems: list[Problem]) -> Literal | None:
        if not _text(text):
            return None
        try:
            return date_literal(_text(text))
        except ValueError as exc:
            problems.append(Problem(field_name, str(exc)))
            return None

    def _evidence(
        self, text: str | None, problems: list[Problem], document_file: str | None = None
    ) -> str | None:
        evidence = _text(text)
        if not evidence:
            problems.append(
                Problem("evidence", "is required: quote the source's own words that support this")
            )
            return None
        if (reason := _bad_text(evidence)) is not None:
            problems.append(Problem("evidence", reason))
            return None
        if _text(document_file):
            return _quote_checked(evidence, _text(document_file), problems)
        return evidence

    def _document(
        self,
        text: str | None,
        title: str | None,
        publisher: str | None,
        evidence: str | None,
        problems: list[Problem],
        itself: Entity | None = None,
    ) -> _Document | None:
        """The source document named by ``text``: an existing one, or a new one for a URL.

        A new source may be published by ``itself`` (the entity being added), so an empty
        graph can start with an organisation and its own page.
        """
        name = _text(text)
        if not name:
            problems.append(
                Problem(
                    "source",
                    "is required: the label of a source document "
                    f"in the graph ({self._known_documents()}), or "
                    "the URL of a new one with source_title and "
                    "source_publisher",
                )
            )
            return None
        before = len(problems)
        entity = self._existing_document(name, problems)
        if entity is not None:
            for column, value in (("source_title", title), ("source_publisher", publisher)):
                if _text(value) and not self._document_says(entity, column, _text(value)):
                    problems.append(
                        Problem(
                            column,
                            f"only for a new source; {entity.label!r} is already in the graph",
                        )
                    )
            return self._document_of(entity)
        if len(problems) > before:
            return None
        if not _URL.fullmatch(name):
            problems.append(
                Problem(
                    "source",
                    f"no source document is called {name!r}; "
                    f"known: {self._known_documents()}; or give the "
                    "URL of a new one with source_title and "
                    "source_publisher",
                )
            )
            return None
        return self._new_document(name, title, publisher, evidence, problems, itself)

    def _document_says(self, entity: Entity, column: str, value: str) -> bool:
        """Whether a known source document has this title or publisher already: every row
        of a review file repeats its new source's title and publisher, and only the first
        imported adds the source."""
        from rdflib import URIRef

        if column == "source_title":
            said = self.work.graph.value(URIRef(entity.iri), URIRef(_DCT + "title"))
            return said is not None and normalise(str(said)) == normalise(value)
        publisher = self._document_of(entity).publisher
        return publisher is not None and normalise(value) in {
            normalise(label) for label in self.index.labels.get(publisher.iri, {publisher.label})
        }

    def _known_documents(self) -> str:
        return (
            "; ".join(
                repr(e.label) for e in self.index.entities.values() if e.type == "Source document"
            )
            or "none yet"
        )

    def _existing_document(self, name: str, problems: list[Problem]) -> Entity | None:
        """A source document by IRI, label or title; None when there is none (no fuzzy
        suggestions here: an unknown source may be a new URL, and suggesting is slow)."""
        from rdflib import URIRef

        key = normalise(name)
        if expand(name) not in self.index.entities and key not in self.index.by_key:
            # People say a page's title ("Policy Impact"), not its label.
            if self._titles is None:
                title = URIRef(_DCT + "title")
                self._titles = {}
                for e in self.index.entities.values():
                    if e.type == "Source document":
                        said = self.work.graph.value(URIRef(e.iri), title)
                        key_of = normalise("" if said is None else str(said))
                        self._titles.setdefault(key_of, []).append(e)
            hits = self._titles.get(key, [])
            return hits[0] if len(hits) == 1 else None
        try:
            entity = resolve(self.work, name)
        except AmbiguousNameError as exc:
            problems.append(Problem("source", str(exc)))
            return None
        if entity.type != "Source document":
            problems.append(
                Problem("source", f"{entity.label!r} is a {entity.type}, not a source document")
            )
            return None
        return entity

    def _document_of(self, entity: Entity) -> _Document:
        from rdflib import URIRef

        publisher = self.work.graph.value(URIRef(entity.iri), URIRef(_DCT + "publisher"))
        known = self.index.entities.get(str(publisher)) if publisher is not None else None
        pub = known or (Entity(str(publisher), str(publisher), "") if publisher else None)
        return _Document(entity.iri, entity.label, pub)

    def _new_document(
        self,
        url: str,
        title: str | None,
        publisher: str | None,
        evidence: str | None,
        problems: list[Problem],
        itself: Entity | None,
    ) -> _Document | None:
        from rdflib import RDF, Literal, URIRef

        before = len(problems)
        if not _text(title):
            problems.append(
                Problem(
                    "source_title", f"a new source ({url}) needs its title, as the page gives it"
                )
            )
        elif (reason := _bad_name(_text(title))) is not None:
            problems.append(Problem("source_title", reason))
        pub = None
        if not _text(publisher):
            problems.append(
                Problem(
                    "source_publisher",
                    f"a new source ({url}) needs its publisher (an entity's label)",
                )
            )
        elif itself is not None and normalise(_text(publisher)) == normalise(itself.label):
            pub = itself
        else:
            pub = self._name("source_publisher", publisher, problems)
        if len(problems) > before or pub is None or evidence is None:
            return None
        ref = URIRef(url)
        label = f"{_text(title)} ({pub.label})"
        block = Block(
            ref,
            [
                (RDF.type, [URIRef(IG + "SourceDocument")]),
                (URIRef(_RDFS + "label"), [Literal(label)]),
                (URIRef(_DCT + "title"), [Literal(_text(title))]),
                (URIRef(_DCT + "publisher"), [URIRef(pub.iri)]),
                (URIRef(_DCT + "source"), [ref]),
                (URIRef(IG + "evidence"), [Literal(evidence)]),
            ],
        )
        return _Document(url, label, pub, block)

    def _claim_exists(self, x: str, y: str, kind: str, doc: str) -> bool:
        from rdflib import URIRef

        graph = self.work.graph
        for claim in graph.objects(URIRef(y), URIRef(_PROV + "qualifiedInfluence")):
            if (
                (claim, URIRef(_PROV + "influencer"), URIRef(x)) in graph
                and (claim, URIRef(IG + "kind"), URIRef(kind)) in graph
                and (claim, URIRef(_DCT + "source"), URIRef(doc)) in graph
            ):
                return True
        return False

    # -- recording

    def _commit(
        self,
        doc: _Document,
        blocks: list[Block],
        what: str,
        origin: str | None,
        *,
        new_entities: Sequence[Entity] = (),
        alt_labels: Sequence[str] = (),
    ) -> None:
        if doc.block is not None:
            self._titles = None  # a new source: titles are looked up afresh
            blocks = [doc.block, *blocks]
            new_entities = [Entity(doc.iri, doc.label, "Source document"), *new_entities]
        prefix = origin or self.note
        blocks[0].comment = f"{prefix}: {what}" if prefix else what
        graph = self.work.graph
        fresh = [
            b.subject
            for b in blocks
            if (b.subject, None, None) not in graph and (None, None, b.subject) not in graph
        ]
        if origin:  # violations on what this input created name its row
            self.origins.update((str(subject), origin) for subject in fresh)
        for block in blocks:
            self.blocks.append(block)
            self.fresh.update(t for t in block.triples() if t not in graph)
            self.work.add(block.triples())
        for entity in new_entities:
            self.index.entities[entity.iri] = entity
            self.index.add_label(entity.iri, entity.label)
            self._minted.add(entity.iri)
        if new_entities:
            for alt in alt_labels:
                self.index.add_label(new_entities[-1].iri, alt)
        self._minted.update(str(b.subject) for b in blocks)
        self.added.append(what)


@dataclass
class _Document:
    iri: str
    label: str
    publisher: Entity | None
    block: Block | None = None

    @property
    def iri_ref(self) -> URIRef:
        from rdflib import URIRef

        return URIRef(self.iri)
