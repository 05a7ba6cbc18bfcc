"""Growing the graph: new entities and influence claims, appended to a data file.

The data files are hand-written Turtle with comments and grouping, so nothing here
re-serialises a file. An addition is built as triples, rendered as a new commented block
(reusing the prefixes the file declares, declaring the ones it lacks) and appended:

1. the inputs are checked (names resolved by label, kinds and types looked up, a quote and
   a source document required); any problem refuses the whole addition
   (:class:`~influencegraph.errors.EditRefused`, exit 2);
2. the old file plus the block is parsed: it must hold every new triple and nothing
   unexpected (so a misread prefix can never put wrong statements in the file);
3. the loaded graph plus the new triples is validated (SHACL and time order) where the new
   triples can change anything (:func:`~influencegraph.validate.new_violations`: the nodes
   and claims they touch, and what the shapes reach back to from them, not the whole graph);
   a violation the graph did not already have refuses the addition
   (:class:`~influencegraph.errors.ValidationFailed`, exit 1);
4. only then the complete new content is written to a temporary file in the same folder,
   flushed to disk and renamed over the old one (:func:`write_atomically`).

A refused or interrupted addition leaves the file byte-identical.

Example:
    >>> from influencegraph.source import open_source
    >>> src = open_source(["mine.ttl"])                             # doctest: +SKIP
    >>> spec = EntitySpec(type="Report", label="Bridging Divides",
    ...                   evidence="Bridging Divides (2019)",
    ...                   source="Policy Impact (The Challenge)")
    >>> add_entity(src, Path("mine.ttl"), spec).triples_added       # doctest: +SKIP
    4
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import (
    AmbiguousNameError,
    EditRefused,
    InfluenceGraphError,
    UnknownNameError,
    ValidationFailed,
)
from .files import write_atomically
from .names import Entity, name_index, normalise, resolve
from .source import MemorySource, PathLike, Source, default_data_paths, rdf_format
from .vocab import (
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

    from .validate import Violation

WORK_TYPES = frozenset({"Report", "Survey", "Strategy", "Idea"})
"""Entity types that are works: a claim between two works also gets its CiTO citation."""

ADDABLE_TYPES = tuple(name for name in ENTITY_TYPES if name != "Source document")
"""Types ``add entity`` accepts; source documents come from ``--source URL``."""

WRITABLE_FORMATS = ("turtle", "nt")
"""Formats an addition can be appended to without re-serialising the file."""

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
    source: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    year: str | None = None
    publisher: str | None = None
    source_title: str | None = None
    source_publisher: str | None = None


@dataclass
class ClaimSpec:
    """What ``add claim`` (or one row of a claims CSV) asks for, as the user typed it.

    ``influencer`` and ``target`` are the ``--from`` and ``--to`` names.
    """

    influencer: str
    target: str
    kind: str
    evidence: str | None = None
    source: str | None = None
    claimant: str | None = None
    year: str | None = None
    source_title: str | None = None
    source_publisher: str | None = None


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


def mint_iri(slug: str, taken: set[str] | None = None, graph: Graph | None = None,
             *, fallback: str = "entity") -> str:
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


def date_literal(text: str) -> Literal:
    """``"2018"`` -> xsd:gYear, ``"2018-03"`` -> xsd:gYearMonth, ``"2018-03-05"`` -> xsd:date.

    Raises ``ValueError`` with the reason for anything else.
    """
    from rdflib import Literal, URIRef

    value = text.strip()
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=URIRef(_XSD + "gYear"))
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if match and 1 <= int(match.group(2)) <= 12:
        return Literal(value, datatype=URIRef(_XSD + "gYearMonth"))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
        return Literal(value, datatype=URIRef(_XSD + "date"))
    raise ValueError(f"{value!r} is not a year: use YYYY, YYYY-MM or YYYY-MM-DD")


_URL = re.compile(r"(?:https?://|file:///)[^\s<>\"{}|\\^`]+", re.IGNORECASE)
"""A new source document's address: a web page, or a local file (``extract`` of a file)."""


def _text(value: str | None) -> str:
    return (value or "").strip()


def _bad_text(value: str) -> str | None:
    """Why a text cannot be written (undecodable bytes from the shell), or None."""
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        return "contains bytes that are not valid UTF-8 text"
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
        ...                           evidence="...", source="Policy Impact"))  # doctest: +SKIP
        []
    """

    def __init__(self, source: Source, note: str | None = None) -> None:
        self.original = source
        self.note = note
        self.work = MemorySource(copy_graph(source))
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
            if (reason := _bad_text(alt)) is not None:
                problems.append(Problem("alt_labels", f"{alt!r} {reason}"))
        year = self._date("year", spec.year, problems)
        publisher = self._name("publisher", spec.publisher, problems) if _text(
            spec.publisher) else None
        evidence = self._evidence(spec.evidence, problems)
        itself = None
        if type_name is not None and label is not None:
            itself = Entity(mint_iri(slugify(label), self._minted, self.work.graph,
                                     fallback=slugify(type_name) or "entity"), label, type_name)
        src = self._source(spec.source, spec.source_title, spec.source_publisher, evidence,
                           problems, itself=itself)
        if problems or itself is None or src is None or evidence is None:
            return problems
        assert type_name is not None and label is not None

        iri = URIRef(itself.iri)
        statements: list[tuple[URIRef, list[Node]]] = [
            (RDF.type, [URIRef(ENTITY_TYPES[type_name])]),
            (URIRef(_RDFS + "label"), [Literal(label)]),
        ]
        if alts:
            statements.append((URIRef(PREFIXES["skos"] + "altLabel"),
                               [Literal(a) for a in dict.fromkeys(alts)]))
        if year is not None:
            statements.append((URIRef(_DCT + "issued"), [year]))
        if publisher is not None:
            statements.append((URIRef(_DCT + "publisher"), [URIRef(publisher.iri)]))
        statements += [(URIRef(_DCT + "source"), [src.iri_ref]),
                       (URIRef(IG + "evidence"), [Literal(evidence)])]
        what = f'{type_name} "{" ".join(label.split())}"'
        self._commit(src, [Block(iri, statements)], what, origin, new_entities=[itself],
                     alt_labels=alts)
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
        evidence = self._evidence(spec.evidence, problems)
        src = self._source(spec.source, spec.source_title, spec.source_publisher, evidence,
                           problems)
        claimant = self._name("claimant", spec.claimant, problems) if _text(
            spec.claimant) else None
        year = self._date("year", spec.year, problems)
        if x is not None and y is not None and x.iri == y.iri:
            problems.append(Problem("to", f"{y.label!r} cannot influence itself"))
        if src is not None and claimant is None:
            if src.publisher is None:
                problems.append(Problem("claimant", f"the source {src.label!r} names no "
                                                    "publisher; say who makes the claim"))
            else:
                claimant = src.publisher
        if problems or None in (x, y, kind, src, claimant, evidence):
            return problems
        assert x is not None and y is not None and kind is not None and src is not None
        assert claimant is not None and evidence is not None
        if self._claim_exists(x.iri, y.iri, kind.iri, src.iri):
            return [Problem("kind", f"the graph already has this claim: {x.label} -> "
                                    f"{y.label} ({kind.label}) from {src.label!r}")]

        slug = "claim-" + "-".join(p for p in (slugify(x.label, 25), slugify(kind.label, 25),
                                               slugify(y.label, 25)) if p)
        claim = URIRef(mint_iri(slug, self._minted, self.work.graph))
        x_ref, y_ref = URIRef(x.iri), URIRef(y.iri)
        shortcut: list[tuple[URIRef, list[Node]]] = [
            (URIRef(_PROV + "wasInfluencedBy"), [x_ref])]
        if kind.cito and x.type in WORK_TYPES and y.type in WORK_TYPES:
            shortcut.append((URIRef(kind.cito), [x_ref]))
        shortcut.append((URIRef(_PROV + "qualifiedInfluence"), [claim]))
        statements: list[tuple[URIRef, list[Node]]] = [
            (RDF.type, [URIRef(IG + "InfluenceClaim")]),
            (URIRef(_PROV + "influencer"), [x_ref]),
            (URIRef(IG + "kind"), [URIRef(kind.iri)]),
            (URIRef(IG + "claimant"), [URIRef(claimant.iri)]),
            (URIRef(_DCT + "source"), [src.iri_ref]),
            (URIRef(IG + "evidence"), [Literal(evidence)]),
        ]
        if year is not None:
            statements.append((URIRef(_DCT + "date"), [year]))
        what = f"claim {x.label} -> {y.label} ({kind.label})"
        self._commit(src, [Block(y_ref, shortcut), Block(claim, statements)], what, origin)
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
            problems.append(Problem("type", "source documents are added by giving a URL as "
                                            "the source, with source_title and "
                                            "source_publisher"))
            return None
        if name is None:
            problems.append(Problem("type", f"unknown type {text!r}; use one of {valid}"))
        return name

    def _label(self, text: str, problems: list[Problem]) -> str | None:
        label = _text(text)
        if not normalise(label):
            problems.append(Problem("label", "is required (the name people use for it)"))
            return None
        if (reason := _bad_text(label)) is not None:
            problems.append(Problem("label", reason))
            return None
        key = normalise(label)
        for iri in self.index.by_key.get(key, set()):
            other = self.index.entities[iri]
            if normalise(other.label) == key:
                problems.append(Problem("label", f"{other.label!r} ({other.type}) already has "
                                                 "this label; choose a distinct one"))
                return None
        if expand(label) in self.index.entities:
            problems.append(Problem("label", f"{label!r} is the identifier of "
                                             f"{self.index.entities[expand(label)].label!r}"))
            return None
        return label

    def _name(self, field_name: str, text: str | None, problems: list[Problem],
              *, required: bool = False, end: bool = False) -> Entity | None:
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
            problems.append(Problem(field_name, f"{entity.label!r} is a source document; "
                                                "claims link entities"))
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

    def _evidence(self, text: str | None, problems: list[Problem]) -> str | None:
        evidence = _text(text)
        if not evidence:
            problems.append(Problem("evidence", "is required: quote the source's own words "
                                                "that support this"))
            return None
        if (reason := _bad_text(evidence)) is not None:
            problems.append(Problem("evidence", reason))
            return None
        return evidence

    def _source(self, text: str | None, title: str | None, publisher: str | None,
                evidence: str | None, problems: list[Problem],
                itself: Entity | None = None) -> _SourceDoc | None:
        """The source document named by ``text``: an existing one, or a new one for a URL.

        A new source may be published by ``itself`` (the entity being added), so an empty
        graph can start with an organisation and its own page.
        """
        name = _text(text)
        if not name:
            problems.append(Problem("source", "is required: the label of a source document "
                                              f"in the graph ({self._known_sources()}), or "
                                              "the URL of a new one with source_title and "
                                              "source_publisher"))
            return None
        before = len(problems)
        entity = self._existing_source(name, problems)
        if entity is not None:
            for column, value in (("source_title", title), ("source_publisher", publisher)):
                if _text(value) and not self._source_says(entity, column, _text(value)):
                    problems.append(Problem(column, f"only for a new source; {entity.label!r} "
                                                    "is already in the graph"))
            return self._source_doc(entity)
        if len(problems) > before:
            return None
        if not _URL.fullmatch(name):
            problems.append(Problem("source", f"no source document is called {name!r}; "
                                              f"known: {self._known_sources()}; or give the "
                                              "URL of a new one with source_title and "
                                              "source_publisher"))
            return None
        return self._new_source(name, title, publisher, evidence, problems, itself)

    def _source_says(self, entity: Entity, column: str, value: str) -> bool:
        """Whether a known source has this title or publisher already: every row of a
        review file repeats its new source's title and publisher, and only the first
        imported adds the source."""
        from rdflib import URIRef

        if column == "source_title":
            said = self.work.graph.value(URIRef(entity.iri), URIRef(_DCT + "title"))
            return said is not None and normalise(str(said)) == normalise(value)
        publisher = self._source_doc(entity).publisher
        return publisher is not None and normalise(value) in {
            normalise(label) for label in self.index.labels.get(publisher.iri, {publisher.label})}

    def _known_sources(self) -> str:
        return "; ".join(repr(e.label) for e in self.index.entities.values()
                         if e.type == "Source document") or "none yet"

    def _existing_source(self, name: str, problems: list[Problem]) -> Entity | None:
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
                        said = self.work.graph.value(URIRef(e.iri), title, default="")
                        self._titles.setdefault(normalise(str(said)), []).append(e)
            hits = self._titles.get(key, [])
            return hits[0] if len(hits) == 1 else None
        try:
            entity = resolve(self.work, name)
        except AmbiguousNameError as exc:
            problems.append(Problem("source", str(exc)))
            return None
        if entity.type != "Source document":
            problems.append(Problem("source", f"{entity.label!r} is a {entity.type}, not a "
                                              "source document"))
            return None
        return entity

    def _source_doc(self, entity: Entity) -> _SourceDoc:
        from rdflib import URIRef

        publisher = self.work.graph.value(URIRef(entity.iri), URIRef(_DCT + "publisher"))
        known = self.index.entities.get(str(publisher)) if publisher is not None else None
        pub = known or (Entity(str(publisher), str(publisher), "") if publisher else None)
        return _SourceDoc(entity.iri, entity.label, pub)

    def _new_source(self, url: str, title: str | None, publisher: str | None,
                    evidence: str | None, problems: list[Problem],
                    itself: Entity | None) -> _SourceDoc | None:
        from rdflib import RDF, Literal, URIRef

        before = len(problems)
        if not _text(title):
            problems.append(Problem("source_title", f"a new source ({url}) needs its title, "
                                                    "as the page gives it"))
        elif (reason := _bad_text(_text(title))) is not None:
            problems.append(Problem("source_title", reason))
        pub = None
        if not _text(publisher):
            problems.append(Problem("source_publisher", f"a new source ({url}) needs its "
                                                        "publisher (an entity's label)"))
        elif itself is not None and normalise(_text(publisher)) == normalise(itself.label):
            pub = itself
        else:
            pub = self._name("source_publisher", publisher, problems)
        if len(problems) > before or pub is None or evidence is None:
            return None
        ref = URIRef(url)
        label = f"{_text(title)} ({pub.label})"
        block = Block(ref, [
            (RDF.type, [URIRef(IG + "SourceDocument")]),
            (URIRef(_RDFS + "label"), [Literal(label)]),
            (URIRef(_DCT + "title"), [Literal(_text(title))]),
            (URIRef(_DCT + "publisher"), [URIRef(pub.iri)]),
            (URIRef(_DCT + "source"), [ref]),
            (URIRef(IG + "evidence"), [Literal(evidence)]),
        ])
        return _SourceDoc(url, label, pub, block)

    def _claim_exists(self, x: str, y: str, kind: str, src: str) -> bool:
        from rdflib import URIRef

        graph = self.work.graph
        for claim in graph.objects(URIRef(y), URIRef(_PROV + "qualifiedInfluence")):
            if ((claim, URIRef(_PROV + "influencer"), URIRef(x)) in graph
                    and (claim, URIRef(IG + "kind"), URIRef(kind)) in graph
                    and (claim, URIRef(_DCT + "source"), URIRef(src)) in graph):
                return True
        return False

    # -- recording

    def _commit(self, src: _SourceDoc, blocks: list[Block], what: str, origin: str | None,
                *, new_entities: Sequence[Entity] = (), alt_labels: Sequence[str] = ()) -> None:
        if src.block is not None:
            self._titles = None  # a new source: titles are looked up afresh
            blocks = [src.block, *blocks]
            new_entities = [Entity(src.iri, src.label, "Source document"), *new_entities]
        prefix = origin or self.note
        blocks[0].comment = f"{prefix}: {what}" if prefix else what
        graph = self.work.graph
        fresh = [b.subject for b in blocks if (b.subject, None, None) not in graph
                 and (None, None, b.subject) not in graph]
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
class _SourceDoc:
    iri: str
    label: str
    publisher: Entity | None
    block: Block | None = None

    @property
    def iri_ref(self) -> URIRef:
        from rdflib import URIRef

        return URIRef(self.iri)


# ---------------------------------------------------------------- rendering

_PREFIX_DECL = re.compile(
    r"""(?P<comment>\#[^\r\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?<![\w:.-])(?:@prefix|[Pp][Rr][Ee][Ff][Ii][Xx])\s+
          (?P<name>[A-Za-z][\w.-]*|):\s*<(?P<ns>[^<>\s]*)>
    | [^#"'<@Pp]+ | .""",
    re.VERBOSE | re.DOTALL)


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes in effect at the end of a Turtle text (later declarations win).

    Comments, strings and IRIs are skipped, so a ``@prefix`` inside a quote does not count.
    The result is only used to pick names; the parse check after rendering is what
    guarantees the appended block means what was intended.

    Example:
        >>> declared_prefixes('@prefix : <https://x/> .  # @prefix no: <n> .')
        {'': 'https://x/'}
    """
    found: dict[str, str] = {}
    for match in _PREFIX_DECL.finditer(text):
        if match.group("ns") is not None:
            found[match.group("name")] = match.group("ns")
    return found


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}


def quote_string(text: str) -> str:
    """A Turtle / N-Triples string literal, every special character escaped.

    Example:
        >>> print(quote_string('say "hi"\\n'))
        "say \\"hi\\"\\n"
    """
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


class _Namer:
    """Writes terms with the prefixes a file already has, declaring the missing ones."""

    def __init__(self, in_effect: dict[str, str] | None) -> None:
        self.in_effect = in_effect  # None: N-Triples, full IRIs only
        self.declare: dict[str, str] = {}

    def _prefix_for(self, namespace: str) -> str | None:
        assert self.in_effect is not None
        names = [n for n, ns in {**self.in_effect, **self.declare}.items() if ns == namespace]
        preferred = [n for n, ns in PREFIXES.items() if ns == namespace]
        for name in preferred + sorted(names):
            if name in names:
                return name
        for name in preferred:
            if name not in self.in_effect and name not in self.declare:
                self.declare[name] = namespace
                return name
        return None

    def iri(self, iri: str) -> str:
        if self.in_effect is not None:
            spaces = {*PREFIXES.values(), *self.in_effect.values()}
            for namespace in sorted(spaces, key=len, reverse=True):
                local = iri[len(namespace):]
                if iri.startswith(namespace) and _LOCAL.fullmatch(local):
                    name = self._prefix_for(namespace)
                    if name is not None:
                        return f"{name}:{local}"
        return f"<{iri}>"

    def term(self, node: Node) -> str:
        from rdflib import Literal

        if isinstance(node, Literal):
            text = quote_string(str(node))
            if node.language:
                return f"{text}@{node.language}"
            if node.datatype is not None:
                return f"{text}^^{self.iri(str(node.datatype))}"
            return text
        return self.iri(str(node))


def _comment(text: str) -> str:
    """One comment line: white space (and so line breaks) folded."""
    return "# " + " ".join(text.split())


def render_turtle(blocks: Sequence[Block], in_effect: dict[str, str],
                  header: str | None = None) -> str:
    """The Turtle block to append: a header comment, any missing @prefix lines, paragraphs."""
    from rdflib import RDF

    namer = _Namer(dict(in_effect))
    paragraphs = []
    for i, block in enumerate(blocks):
        # With no header, the first block's comment heads the text, above any @prefix.
        lines = [_comment(block.comment)] if block.comment and (header or i) else []
        subject = namer.term(block.subject)
        parts = []
        for predicate, objects in block.statements:
            verb = "a" if predicate == RDF.type else namer.term(predicate)
            parts.append(f"{verb} " + ", ".join(namer.term(o) for o in objects))
        if block.statements and block.statements[0][0] == RDF.type:
            # ":x a ig:Report ;" then one indented statement per line
            body = f"{subject} {parts[0]}" + "".join(f" ;\n    {p}" for p in parts[1:])
        else:
            body = subject + "\n    " + " ;\n    ".join(parts)
        lines.append(body + " .")
        paragraphs.append("\n".join(lines))
    heading = header or (blocks[0].comment if blocks else None)
    top = [_comment(heading)] if heading else []
    top += [f"@prefix {name}: <{ns}> ." for name, ns in namer.declare.items()]
    if header or namer.declare:
        return "\n".join(top) + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return "\n".join([*top, "\n\n".join(paragraphs)]) + "\n"


def render_ntriples(blocks: Sequence[Block], header: str | None = None) -> str:
    """The N-Triples lines to append, each block after its comment."""
    namer = _Namer(None)
    lines = [_comment(header)] if header else []
    for block in blocks:
        if block.comment:
            lines.append(_comment(block.comment))
        lines += [" ".join(namer.term(t) for t in triple) + " ." for triple in block.triples()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- writing


def edit_target(data: Sequence[PathLike], *, dry_run: bool = False) -> Path:
    """The file additions go to: the first ``--data`` file.

    Without ``--data`` the bundled graph would be the target; it is part of the installed
    package, so writing to it is refused (a dry run may still show what would be added).
    """
    if data:
        return Path(data[0])
    bundled = default_data_paths()[0]
    if dry_run:
        return bundled
    raise EditRefused([
        "adding writes to the first --data file, and none was given; the bundled graph is "
        f"read-only: copy it (cp {bundled} mine.ttl) and pass --data mine.ttl"])


@dataclass
class EditResult:
    """What an addition did (or, in a dry run, would do)."""

    path: Path
    text: str
    """The Turtle (or N-Triples) appended."""
    added: list[str]
    """One description per entity or claim added."""
    triples_added: int
    triples_total: int
    written: bool


def _parse_text(text: str, fmt: str, path: Path) -> Graph:
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    return graph


def _check_append(new_text: str, wanted: set[tuple[Node, Node, Node]], known: Graph,
                  fmt: str, path: Path) -> None:
    """The new file must parse, hold every wanted triple, and nothing unexpected.

    ``known`` is the loaded graph plus the wanted triples. The old part of the file parsed
    on its own when it was loaded, and appending text cannot change what earlier
    statements say, so one parse of the new content is enough: a triple that is neither
    wanted nor already known (blank nodes aside: the block has none) means the block was
    misread, and nothing is written.
    """
    from rdflib import BNode

    try:
        new = _parse_text(new_text, fmt, path)
    except Exception as exc:  # a rendering bug must never reach the disk
        raise InfluenceGraphError(f"{path}: the text to append did not parse ({exc}); "
                                  "nothing written") from None
    unexpected = (t for t in new if t not in known
                  and not any(isinstance(term, BNode) for term in t))
    if any(t not in new for t in wanted) or next(unexpected, None) is not None:
        raise InfluenceGraphError(f"{path}: the text to append would not say exactly what was "
                                  "meant; nothing written")


def _new_violations(draft: Draft) -> list[Violation]:
    from .validate import new_violations

    return new_violations(draft.work.graph, draft.fresh)


def write_draft(draft: Draft, target: PathLike, *, dry_run: bool = False,
                header: str | None = None) -> EditResult:
    """Validate the draft and append it to ``target`` atomically (or only render it).

    Raises :class:`ValidationFailed` when the graph with the additions would have a
    violation it did not have before; the file is then untouched.
    """
    path = Path(target)
    fmt = rdf_format(path)
    if fmt not in WRITABLE_FORMATS:
        raise EditRefused([f"{path}: additions are appended to Turtle (.ttl) or N-Triples "
                           "(.nt) files; give one of those first with --data"])
    if not draft.blocks:
        raise EditRefused(["nothing to add"])
    try:
        old_bytes = path.read_bytes()
        old_text = old_bytes.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InfluenceGraphError(f"{path}: cannot read ({exc})") from None
    if fmt == "nt":
        text = render_ntriples(draft.blocks, header)
    else:
        text = render_turtle(draft.blocks, declared_prefixes(old_text), header)
    first_line, has_break, _ = old_text.partition("\n")
    newline = "\r\n" if has_break and first_line.endswith("\r") else "\n"
    if newline != "\n":  # keep a Windows file's line endings (literals hold no raw breaks)
        text = text.replace("\n", newline)
    joiner = "" if not old_text else (newline if old_text.endswith("\n") else newline * 2)
    new_text = old_text + joiner + text
    triples = draft.triples()
    _check_append(new_text, set(triples), draft.work.graph, fmt, path)

    violations = _new_violations(draft)
    if violations:
        lines = [f"{draft.origins[v.focus]}: {v}" if v.focus in draft.origins else str(v)
                 for v in violations]
        raise ValidationFailed(lines, f"refused: the graph would have {len(violations)} new "
                                      f"violation{'s' if len(violations) != 1 else ''}; "
                                      f"{path} is unchanged")
    if not dry_run:
        write_atomically(path, new_text.encode("utf-8"), expect=old_bytes)
    return EditResult(path, text, list(draft.added), len(set(triples)), len(draft.work.graph),
                      written=not dry_run)


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise EditRefused(["; ".join(p.as_option() for p in problems)])


def add_entity(source: Source, target: PathLike, spec: EntitySpec, *,
               dry_run: bool = False) -> EditResult:
    """Add one entity to ``target`` (checked, validated, atomic).

    Example:
        >>> add_entity(src, "mine.ttl", EntitySpec("Report", "Bridging Divides",
        ...     evidence="Bridging Divides (2019)", source="Policy Impact"))  # doctest: +SKIP
    """
    draft = Draft(source, note="---- added by `influencegraph add entity`")
    _refuse(draft.add_entity(spec))
    return write_draft(draft, target, dry_run=dry_run)


def add_claim(source: Source, target: PathLike, spec: ClaimSpec, *,
              dry_run: bool = False) -> EditResult:
    """Add one influence claim to ``target`` (checked, validated, atomic).

    Example:
        >>> add_claim(src, "mine.ttl", ClaimSpec("All Together Now", "All of Us", "reflects",
        ...     evidence="...", source="Policy Impact"))                  # doctest: +SKIP
    """
    draft = Draft(source, note="---- added by `influencegraph add claim`")
    _refuse(draft.add_claim(spec))
    return write_draft(draft, target, dry_run=dry_run)


# ---------------------------------------------------------------- CSV import

ENTITY_COLUMNS = ("type", "label", "alt_labels", "year", "publisher", "evidence", "source",
                  "source_title", "source_publisher")
CLAIM_COLUMNS = ("from", "to", "kind", "evidence", "source", "claimant", "year",
                 "source_title", "source_publisher")
COLUMNS = {"entities": ENTITY_COLUMNS, "claims": CLAIM_COLUMNS}
REQUIRED_COLUMNS = {"entities": ("type", "label", "evidence", "source"),
                    "claims": ("from", "to", "kind", "evidence", "source")}
ALT_LABEL_SEPARATOR = "|"
REVIEW_COLUMNS = ("confidence", "location", "known", "why")
"""Columns of an ``extract`` review file, for the reviewer only: read and ignored."""


@dataclass
class CsvTable:
    """The data rows of an import file, each with the row number a spreadsheet shows."""

    rows: list[tuple[int, dict[str, str]]]
    problems: list[str]


def read_table(path: PathLike, kind: str) -> CsvTable:
    """Read an entities or claims CSV: ``#`` lines are comments, the first other row is the
    header (column names in any order and case), blank rows are skipped.

    Row numbers count every row of the file, comments included, so they match the row
    numbers a spreadsheet shows. File-level problems (unreadable, no header, unknown or
    missing columns) raise :class:`EditRefused`; row-level ones are collected.
    """
    name = str(path)
    columns = COLUMNS[kind]
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise EditRefused([f"{name}: no such file"]) from None
    except UnicodeDecodeError as exc:
        raise EditRefused([f"{name}: not UTF-8 text (save the sheet as CSV UTF-8); "
                           f"first bad byte at offset {exc.start}"]) from None
    except OSError as exc:
        raise EditRefused([f"{name}: {exc.strerror or exc}"]) from None
    header: list[str] | None = None
    table = CsvTable([], [])
    try:
        records = list(csv.reader(text.splitlines(keepends=True)))
    except csv.Error as exc:
        raise EditRefused([f"{name}: not a readable CSV file ({exc})"]) from None
    for number, record in enumerate(records, start=1):
        cells = [c.strip() for c in record]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header is None:
            header = [c.lower().replace(" ", "_").replace("-", "_") for c in cells]
            unknown = [c for c in header if c and c not in columns and c not in REVIEW_COLUMNS]
            missing = [c for c in REQUIRED_COLUMNS[kind] if c not in header]
            if unknown or missing:
                said = [f"unknown column {c!r}" for c in unknown]
                said += [f"missing column {c!r}" for c in missing]
                raise EditRefused([f"row {number}: header: " + "; ".join(said) +
                                   f"; the columns for {kind} are " + ", ".join(columns)])
            continue
        if len(cells) > len(header) and any(cells[len(header):]):
            table.problems.append(f"row {number}: {len(cells)} cells but the header has "
                                  f"{len(header)} columns")
            continue
        table.rows.append((number, {c: v for c, v in zip(header, cells, strict=False)
                                    if c and c not in REVIEW_COLUMNS}))
    if header is None:
        raise EditRefused([f"{name}: no header row; see examples/{kind}.csv"])
    if not table.rows and not table.problems:
        raise EditRefused([f"{name}: a header but no rows to import"])
    return table


def _entity_spec(row: dict[str, str]) -> EntitySpec:
    alts = [a.strip() for a in row.get("alt_labels", "").split(ALT_LABEL_SEPARATOR) if a.strip()]
    return EntitySpec(type=row.get("type", ""), label=row.get("label", ""),
                      evidence=row.get("evidence"), source=row.get("source"), alt_labels=alts,
                      year=row.get("year"), publisher=row.get("publisher"),
                      source_title=row.get("source_title"),
                      source_publisher=row.get("source_publisher"))


def _claim_spec(row: dict[str, str]) -> ClaimSpec:
    return ClaimSpec(influencer=row.get("from", ""), target=row.get("to", ""),
                     kind=row.get("kind", ""), evidence=row.get("evidence"),
                     source=row.get("source"), claimant=row.get("claimant"),
                     year=row.get("year"), source_title=row.get("source_title"),
                     source_publisher=row.get("source_publisher"))


def import_csv(source: Source, target: PathLike, csv_path: PathLike, kind: str, *,
               dry_run: bool = False) -> EditResult:
    """Add every row of an entities or claims CSV to ``target``, or nothing at all.

    Every bad row is reported as ``row N: column: problem``; any bad row refuses the whole
    file (:class:`EditRefused`). Rows may name entities added by earlier rows.

    Example:
        >>> import_csv(src, "mine.ttl", "examples/claims.csv", "claims")  # doctest: +SKIP
    """
    if kind not in COLUMNS:
        raise EditRefused([f"unknown kind {kind!r}; use entities or claims"])
    table = read_table(csv_path, kind)
    draft = Draft(source)
    problems = list(table.problems)
    for number, row in table.rows:
        origin = f"row {number}"
        if kind == "entities":
            found = draft.add_entity(_entity_spec(row), origin)
        else:
            found = draft.add_claim(_claim_spec(row), origin)
        problems += [f"{origin}: {p.field}: {p.message}" for p in found]
    if problems:
        bad = len({p.split(":", 1)[0] for p in problems})
        raise EditRefused(problems, f"nothing written: {bad} bad row{'s' if bad != 1 else ''} "
                                    f"in {csv_path}")
    return write_draft(draft, target, dry_run=dry_run,
                       header=f"==== imported from {Path(csv_path).name} by "
                              f"`influencegraph import --kind {kind}`")
