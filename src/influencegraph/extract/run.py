"""Read documents and gather the proposed entities and claims of each, as review rows.

Each document is read twice, paragraph by paragraph (bounded memory): the first pass
collects the new entities the patterns propose, the second finds every mention (of the
graph's entities and of those proposals) and the claims the cue lexicon joins them by.
A document that cannot be read is recorded as a one-line failure; the others go on.

Example:
    >>> result = extract(open_source(), ["strategy.pdf"],               # doctest: +SKIP
    ...                  Options(publisher="HM Government"))
    >>> [row["kind"] for row in result.claims]                       # doctest: +SKIP
    ['cites as key influence']

Kept as one module: the two passes over a document share their context (sections, headings,
the names proposed earlier in the run), and a pass only makes sense beside the other.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..edit import (
    ALT_LABEL_SEPARATOR,
    CLAIM_COLUMNS,
    ENTITY_COLUMNS,
    REVIEW_COLUMNS,
    date_literal,
)
from ..errors import InfluenceGraphError
from ..graph import Source
from ..names import Entity, name_index, normalise
from .anaphora import RecentWorks
from .claims import ClaimProposal, CueLexicon, claims_in
from .mentions import Mention, Names, pipeline, sentence_ends
from .numbered import numbered_sets
from .proposals import _ORG_RUN, Proposal, affiliation_person, guess_type, propose
from .readers import SUFFIXES, Document, DocumentError, Unit, read_document
from .sections import linked_work

ENTITY_REVIEW_COLUMNS = (*ENTITY_COLUMNS, *REVIEW_COLUMNS)
CLAIM_REVIEW_COLUMNS = (*CLAIM_COLUMNS, *REVIEW_COLUMNS)
_HEADING = re.compile(r"[A-Z0-9][\w’'&-]*(?:,? [\w’'&-]+){0,8}")
"""A short line with no closing punctuation: a heading."""
_GROUP_HEADING = re.compile(
    r"\b(?:working group|steering group|advisory (?:board|group|panel)|"
    r"panel|committee|board|commissioners|members|trustees)\b",
    re.IGNORECASE,
)
_HEADING_OR_TITLE = re.compile(
    rf"(?:{_HEADING.pattern})(?:\s*\((?:19|20)\d\d(?:\s*(?:to|-|–)\s*(?:19|20)?\d\d)?\))?"
)
_TITLED_BELOW = re.compile(
    r"This (?:short |new |final |annual |literature )?(report|pamphlet|"
    r"survey|study|review|briefing|paper|collection)\b"
)
"""A paragraph that opens by naming a work: the heading above it is that work's title."""
SPOOL_BYTES = 16 * 1024 * 1024
"""A document's text is kept in memory between the passes up to this size, then on disk."""

_SOURCES = """SELECT ?s ?label ?title ?publisher WHERE {
  ?s a ig:SourceDocument ; rdfs:label ?label .
  OPTIONAL { ?s dcterms:title ?title }
  OPTIONAL { ?s dcterms:publisher ?publisher }
}"""
_CLAIMS = """SELECT ?x ?y ?kind ?src WHERE {
  ?y prov:qualifiedInfluence ?c . ?c prov:influencer ?x ; ig:kind ?kind .
  OPTIONAL { ?c dcterms:source ?src }
}"""


@dataclass
class Options:
    """What the command line says about the documents (applies to every one of them)."""

    publisher: str | None = None
    title: str | None = None
    year: str | None = None
    url: str | None = None


@dataclass
class Extraction:
    """The review rows of every document read, and the documents that failed."""

    entities: list[dict[str, str]] = field(default_factory=list)
    claims: list[dict[str, str]] = field(default_factory=list)
    known: dict[str, int] = field(default_factory=dict)
    """Label of each graph entity mentioned -> how many times."""
    failures: list[str] = field(default_factory=list)
    documents: int = 0
    units: int = 0
    pages: int = 0
    """PDF pages, plus one per 3,000 characters of other text (a page's worth)."""
    notes: list[str] = field(default_factory=list)


def document_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """The files to read: each file given, and every readable file under each folder
    (sorted, hidden ones skipped); a path that does not exist is a failure."""
    found: list[Path] = []
    failures: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            found.append(path)
        else:
            failures.append(f"{path}: no such file or folder")
    return found, failures


@dataclass
class _Context:
    """What every document of one run shares: the graph's names, sources and claims."""

    source: Source
    lexicon: CueLexicon
    index: Any
    known_names: Names
    sources: list[dict[str, str]]
    influences: set[tuple[str, str, str]]
    """(influencer, target, kind) of every claim in the graph."""
    claims_from: dict[str, set[tuple[str, str, str]]]
    """The same, by source document."""

    @classmethod
    def build(cls, source: Source) -> _Context:
        index = name_index(source)
        alts = {
            iri: [label for label in labels if label != index.entities[iri].label]
            for iri, labels in index.labels.items()
            if iri in index.entities
        }
        sources = [{k: str(v) for k, v in row.items()} for row in source.select(_SOURCES)]
        influences: set[tuple[str, str, str]] = set()
        claims_from: dict[str, set[tuple[str, str, str]]] = {}
        for r in source.select(_CLAIMS):
            influence = (str(r["x"]), str(r["y"]), str(r["kind"]))
            influences.add(influence)
            claims_from.setdefault(str(r.get("src", "")), set()).add(influence)
        return cls(
            source,
            CueLexicon.from_source(source),
            index,
            Names.from_entities(index.entities.values(), alts),
            sources,
            influences,
            claims_from,
        )

    def resolve(self, name: str) -> Entity | None:
        keys = self.index.by_key.get(normalise(name), set())
        return self.index.entities[sorted(keys)[0]] if len(keys) == 1 else None


def extract(
    source: Source,
    paths: Iterable[str | Path],
    options: Options | None = None,
    progress: Callable[[Path], None] | None = None,
) -> Extraction:
    """Read every document (files and folders) and propose entities and claims for review.

    ``progress`` is called with each file before it is read.
    """
    options = options or Options()
    if options.year is not None:
        try:
            date_literal(options.year)
        except ValueError as exc:
            raise InfluenceGraphError(f"--year: {exc}") from None
    files, failures = document_paths(paths)
    result = Extraction(failures=failures)
    if not files and not failures:
        raise InfluenceGraphError(
            "no documents to read: give HTML, PDF, Markdown or text files, or folders holding them"
        )
    context = _Context.build(source)
    taken: dict[str, dict[str, Any]] = {}
    for path in files:
        if progress is not None:
            progress(path)
        try:
            _Reading(context, read_document(path), options, result, taken).run()
        except DocumentError as exc:
            result.failures.append(str(exc))
        result.documents += 1
    return result


class _Reading:
    """One document: its source, its publisher, its proposals, mentions and claims."""

    def __init__(
        self,
        context: _Context,
        doc: Document,
        options: Options,
        result: Extraction,
        taken: dict[str, dict[str, Any]],
    ) -> None:
        self.context, self.doc, self.options, self.result = context, doc, options, result
        self.taken = taken
        """Proposals of this run by folded label: proposed once, mentioned in every
        document after."""
        self.names = Names(
            dict(context.known_names.entities),
            {k: set(v) for k, v in context.known_names.names.items()},
            dict(context.known_names.preferred),
        )
        for folded, entry in taken.items():
            self.names.add("new:" + folded, entry["entity"], entry["alts"])
        self.proposals: dict[str, dict[str, Any]] = {}
        self.heading: str | None = None
        self.previous: str | None = None
        """The text of the unit read before this one."""
        self.members: list[tuple[str, str, Unit]] = []
        """(person, heading, list line) for each person listed under a group heading."""
        self.title = options.title or doc.title or doc.path.stem
        self.year = options.year or doc.year
        self.source_row = self._source()
        self.publisher_key = self._publisher()

    # -- the source document and its publisher

    def _source(self) -> dict[str, str]:
        """The source columns every row of this document carries."""
        url = self.options.url or self.doc.url
        wanted = {normalise(self.title)}
        for row in self.context.sources:
            if (url and row["s"] == url) or wanted & {
                normalise(row.get("title", "")),
                normalise(row["label"]),
            }:
                publisher = self.context.index.entities.get(row.get("publisher", ""))
                self.claimant = publisher.label if publisher else (self.options.publisher or "")
                self.source_iri = row["s"]
                return {"source": row["label"], "source_title": "", "source_publisher": ""}
        self.claimant = self.options.publisher or ""
        self.source_iri = url or self.doc.path.resolve().as_uri()
        if not self.claimant:
            self.result.notes.append(
                f"{self.doc.path}: no --publisher given and the graph "
                "does not know this document; fill in the "
                "source_publisher column before importing"
            )
        return {
            "source": self.source_iri,
            "source_title": self.title,
            "source_publisher": self.claimant,
        }

    def _publisher(self) -> str | None:
        """The key "we" and "our" stand for: the publisher, known or proposed."""
        if not self.claimant:
            return None
        known = self.context.resolve(self.claimant)
        if known is not None:
            return known.iri
        key = "new:" + normalise(self.claimant)
        entity = Entity(key, self.claimant, guess_type(self.claimant) or "Organisation")
        self.names.add(key, entity)
        if normalise(self.claimant) not in self.taken:
            self.proposals[normalise(self.claimant)] = self.taken[normalise(self.claimant)] = {
                "entity": entity,
                "alts": [],
                "year": None,
                "evidence": None,
                "location": "",
                "why": "the document's publisher (--publisher)",
                "count": 1,
            }
        return key

    # -- the two passes

    def run(self) -> None:
        """Pass 1 proposes entities and keeps the text in a spool (in memory up to
        :data:`SPOOL_BYTES`, on disk beyond), so pass 2 does not parse the file again."""
        import json
        import tempfile

        with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as spool:
            for unit in self.doc.units():
                self._propose(unit)
                spool.write(json.dumps([unit.text, unit.page, unit.line, unit.paragraph]))
                spool.write("\n")
            spool.seek(0)
            units = (Unit(*json.loads(line)) for line in spool)
            self._claims(units)

    def _itself(self) -> str | None:
        """The entity the document is about: the one named by its title, or by the
        longest name its title starts with ("Bridge (2019): a report" -> Bridge)."""
        title = normalise(self.title)
        named = [
            (len(name), keys)
            for name, keys in self.names.names.items()
            if len(keys) == 1
            and len(name) >= 8
            and title.startswith(name)
            and not title[len(name) : len(name) + 1].isalnum()
        ]
        return sorted(max(named)[1])[0] if named else None

    def _member_claims(self, itself: str | None) -> list[dict[str, str]]:
        """Claims from a list of people under a group heading ("Working group"): each a
        member of the group, or its chair when marked "(Chair)" (as the bundled graph
        records it); the group is proposed if new."""
        if not self.members:
            return []
        heading = self.members[0][1]
        owner = self.names.entities[itself].label if itself else self.title
        label = f"{owner} {heading.lower()}"
        folded = normalise(label)
        if folded not in self.names.names:
            entity = Entity("new:" + folded, label, guess_type(label) or "Group")
            self.names.add(entity.iri, entity)
            first = self.members[0][2]
            self.proposals[folded] = self.taken[folded] = {
                "entity": entity,
                "alts": [],
                "year": None,
                "evidence": first.text,
                "location": first.location,
                "count": 1,
                "ours": False,
                "why": f"a list of people under the heading {heading!r}",
            }
        group = self.names.entities[sorted(self.names.names[folded])[0]]
        rows = []
        for person, _, unit in self.members:
            keys = sorted(self.names.names.get(normalise(person), ()))
            if not keys:
                continue
            member = self.names.entities[keys[0]]
            chair = re.search(r"\((?:co-)?chair\)", unit.text, re.IGNORECASE)
            for kind in ("chairs",) if chair else ("member of working group",):
                rows.append(
                    self._row(
                        member.label,
                        group.label,
                        kind,
                        unit.text,
                        unit,
                        0.6,
                        f"{person!r} listed under {heading!r}",
                        None,
                    )
                )
        return rows

    def _claims(self, units: Iterable[Unit]) -> None:
        itself = self._itself()
        member_rows = self._member_claims(itself)
        entity_rows = self._entity_rows()
        claims: dict[tuple[str, str, str], dict[str, str]] = {
            (r["from"], r["to"], r["kind"]): r for r in member_rows
        }
        subject = None
        if itself is not None:
            entity = self.names.entities[itself]
            subject = Mention(
                0,
                0,
                entity.label,
                entity.label,
                entity.type,
                not itself.startswith("new:"),
                "this document",
                itself if not itself.startswith("new:") else None,
            )
        count = chars = 0
        section: Mention | None = None
        """The work whose heading the paragraphs read now stand under."""
        nlp = pipeline()
        recent = RecentWorks()
        for unit in units:
            count += 1
            chars += len(unit.text)
            doc = nlp.make_doc(unit.text)  # sentences only where a cue is
            candidates = [
                doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
                for m in _ORG_RUN.finditer(doc.text)
                if " " in m.group(1)
            ]
            about = (
                itself if section is None else sorted(self.names.names[normalise(section.label)])[0]
            )
            mentions = self.names.find(
                doc, self.publisher_key, [c for c in candidates if c is not None], about
            )
            current = self.names.entities[about].label if about else None
            mentions = recent.resolve(doc, mentions, current)
            for mention in mentions:
                if mention.known and mention.how not in (
                    "publisher",
                    "this document",
                    "a reference back",
                ):
                    self.result.known[mention.label] = self.result.known.get(mention.label, 0) + 1
            if len(doc) <= 16 and _HEADING_OR_TITLE.fullmatch(unit.text):
                section = _section(mentions, doc)  # a new heading: a work's, or none
            cues = self.context.lexicon.matches(doc)
            if not cues:
                continue
            for sentence in _sentences(doc, {start for start, _, _ in cues}):
                for claim in claims_in(sentence, mentions, cues, section or subject):
                    row = self._claim_row(claim, unit)
                    if row is not None:
                        claims.setdefault((row["from"], row["to"], row["kind"]), row)
        self.result.units += count
        self.result.pages += self.doc.pages or max(1, round(chars / 3000))
        self.result.entities += entity_rows
        self.result.claims += sorted(claims.values(), key=_claim_order)

    def _propose(self, unit: Unit) -> None:
        found = [*propose(unit.text), *numbered_sets(unit.text)]
        titled = _TITLED_BELOW.match(unit.text)
        if titled and self.heading is not None and self.heading == self.previous:
            # "Heading" then "This report ...": the heading is the work's title
            noun = titled.group(1).lower()
            found.insert(
                0,
                Proposal(
                    self.heading,
                    guess_type(self.heading) or ("Survey" if noun == "survey" else "Report"),
                    -1,
                    -1,
                    f'a heading over "This {noun} ..."',
                ),
            )
        linked = linked_work(self.heading, unit.text) if len(unit.text) < 60 else None
        if linked is not None:  # "Heading", lines about it, then "Download the report"
            found.insert(0, linked)
        heading = self.heading
        person = (
            affiliation_person(unit.text) if heading and _GROUP_HEADING.search(heading) else None
        )
        if person is not None and heading:
            self.members.append((person, heading, unit))
        elif _HEADING.fullmatch(unit.text):
            self.heading = unit.text
        self.previous = unit.text
        accepted: list[Proposal] = []
        doc = None  # the unit's sentences, only when a new proposal needs its sentence
        for proposal in found:
            if any(
                p.start_char < proposal.end_char and proposal.start_char < p.end_char
                for p in accepted
            ):
                continue
            accepted.append(proposal)
            folded = normalise(proposal.label)
            if folded in self.context.known_names.names or any(
                normalise(a) in self.context.known_names.names for a in proposal.alt_labels
            ):
                continue
            if folded in self.proposals:
                entry = self.proposals[folded]
                entry["count"] += 1
                entry["alts"] += [a for a in proposal.alt_labels if a not in entry["alts"]]
                continue
            if folded in self.taken:
                continue
            longer = next(
                (
                    e
                    for f, e in self.proposals.items()
                    if f.startswith(folded + " ") and e["entity"].type == proposal.type
                ),
                None,
            )
            if longer is not None:  # a shorter form of a name already proposed
                longer["alts"].append(proposal.label)
                self.names.add(longer["entity"].iri, longer["entity"], [proposal.label])
                longer["count"] += 1
                continue
            entity = Entity("new:" + folded, proposal.label, proposal.type)
            if proposal.start_char < 0:  # named by the heading above: quote the heading
                sentence = proposal.label
            else:
                doc = doc or pipeline()(unit.text)
                span = doc.char_span(
                    proposal.start_char, proposal.end_char, alignment_mode="expand"
                )
                sentence = span.sent.text.strip() if span is not None else unit.text
            self.proposals[folded] = self.taken[folded] = {
                "entity": entity,
                "alts": list(proposal.alt_labels),
                "year": proposal.year,
                "evidence": sentence,
                "location": unit.location,
                "why": proposal.why,
                "count": 1,
                "ours": proposal.by_publisher,
            }
        folded_text = None
        for folded, entry in self.proposals.items():
            if "new:" + folded not in self.names.entities:
                self.names.add("new:" + folded, entry["entity"], entry["alts"])
            elif entry["evidence"] is None:  # the publisher: its first mention is evidence
                folded_text = folded_text or normalise(unit.text)
                if folded in folded_text:
                    entry["evidence"], entry["location"] = unit.text, unit.location

    def _entity_rows(self) -> list[dict[str, str]]:
        rows = []
        for entry in self.proposals.values():
            entity = entry["entity"]
            evidence = entry["evidence"] or self.title
            alts = [a for a in entry["alts"] if normalise(a) != normalise(entity.label)]
            confidence = min(0.9, 0.5 + 0.1 * entry["count"])
            rows.append(
                {
                    "type": entity.type,
                    "label": entity.label,
                    "alt_labels": ALT_LABEL_SEPARATOR.join(alts),
                    "year": entry["year"] or "",
                    "publisher": self.claimant if entry.get("ours") else "",
                    "evidence": evidence,
                    **self.source_row,
                    "confidence": f"{confidence:.1f}",
                    "location": self._where(entry["location"]),
                    "known": "new",
                    "why": entry["why"],
                }
            )
        return rows

    def _claim_row(self, claim: ClaimProposal, unit: Unit) -> dict[str, str] | None:
        x, y = claim.influencer, claim.target
        iris = (x.iri, y.iri, claim.kind.iri)
        if iris in self.context.claims_from.get(self.source_iri, ()):
            return None  # already in the graph from this very document
        return self._row(
            x.label,
            y.label,
            claim.kind.label,
            claim.sentence,
            unit,
            claim.confidence,
            claim.why + _how(x, y),
            claim.year,
            known=None not in iris and iris in self.context.influences,
        )

    def _row(
        self,
        x: str,
        y: str,
        kind: str,
        evidence: str,
        unit: Unit,
        confidence: float,
        why: str,
        year: str | None,
        *,
        known: bool = False,
    ) -> dict[str, str]:
        """One claim row of the review file."""
        return {
            "from": x,
            "to": y,
            "kind": kind,
            "evidence": evidence,
            "source": self.source_row["source"],
            "claimant": self.claimant,
            "year": year or self.year or "",
            "source_title": self.source_row["source_title"],
            "source_publisher": self.source_row["source_publisher"],
            "confidence": f"{confidence:.2f}",
            "location": self._where(unit.location),
            "known": "known" if known else "new",
            "why": why,
        }

    def _where(self, location: str) -> str:
        return f"{self.doc.path.name}: {location}" if location else self.doc.path.name


_WORK_TYPES = frozenset({"Report", "Survey", "Strategy", "Idea", "Project", "Programme"})


def _section(mentions: list[Mention], doc: Any) -> Mention | None:
    """The work a heading names ("A Sense of Belonging (2016)"), if it names one: the
    paragraphs below it are about it ("this report"; a cue with nobody on one side)."""
    works = [m for m in mentions if m.type in _WORK_TYPES and m.how != "publisher"]
    if len(works) == 1 and works[0].end - works[0].start >= len(doc) // 2:
        return works[0]
    return None


def _sentences(doc: Any, tokens: set[int]) -> list[Any]:
    """The sentences of ``doc`` that hold any of ``tokens``, split by spaCy's sentencizer
    rule (its punctuation list; a sentence starts at the first token after them that is
    not punctuation), read from the token arrays: running the sentencizer pipe itself made
    Python token objects for every word and took half the time of a whole extraction."""
    ends = sentence_ends()
    orth = doc.to_array("ORTH").tolist()
    punct = doc.to_array("IS_PUNCT").tolist()
    starts, seen = [0], False
    for i, (word, is_punct) in enumerate(zip(orth, punct, strict=True)):
        if word in ends:
            seen = True
        elif seen and not is_punct:
            starts.append(i)
            seen = False
    bounds = [*starts, len(doc)]
    return [doc[a:b] for a, b in itertools.pairwise(bounds) if any(a <= t < b for t in tokens)]


def _claim_order(row: dict[str, str]) -> int:
    """Claims in reading order (by the page, line or paragraph number of their location)."""
    numbers = re.findall(r"\d+", row["location"].rsplit(": ", 1)[-1])
    return int(numbers[0]) if numbers else 0


def _how(x: Mention, y: Mention) -> str:
    notes = [f"{m.text!r} is {m.how}" for m in (x, y) if m.how not in ("label",)]
    return "; " + "; ".join(notes) if notes else ""
