"""An impact dossier for an organisation, person, group or project, built from the graph.

Funders and assessors (REF impact case studies, Researchfish) ask for claimed impact with
corroborating sources. A dossier gathers, for one entity:

* its outputs by year (works it published or created, their parts, and the works of the
  groups it runs the secretariat of or chairs);
* the people and groups around it (memberships and posts, chairs, secretariat, funders,
  partners, inferred joins);
* every influence claim on or from its work, with the quote, the source, the claimant,
  the evidence type and the corroboration status (see :mod:`influencegraph.corroboration`);
* the influence paths from its work into policy (to strategies);
* a short list of what to corroborate next.

Every fact comes from a query shipped in ``influencegraph/queries/`` (``dossier-scope``,
``dossier-people``, ``dossier-claims``, ``corroboration``, ``evidence-types``), run with
the entity bound through ``Source.select``; labels and types come from the name index.
Where the sources state no outcome (the British Academy's project page describes the
project, its reports and its working group only), the dossier says so.

Build, then write: :func:`build_dossier` returns a :class:`Dossier`, :func:`render`
turns it into Markdown, HTML or JSON, and :func:`files.write_atomically` writes a file through a
temporary file and a rename, so a reader never sees half a dossier.

Example:
    >>> from influencegraph.graph import open_source
    >>> d = build_dossier(open_source(), "The Challenge")
    >>> d.entity.label, d.outcome_stated
    ('The Challenge', True)
    >>> render(d, "md").splitlines()[0]
    '# Impact dossier: The Challenge'
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .corroboration import claim_statuses, evidence_types
from .errors import InfluenceGraphError
from .graph import Source
from .names import Entity, name_index, resolve
from .queries import load_query
from .vocab import INFLUENCE_KINDS, KIND_BY_IRI, PREFIXES

FORMATS = ("md", "html", "json")
"""Output formats of a dossier."""

SUBJECT_TYPES = (
    "Organisation",
    "Government body",
    "Person",
    "Group",
    "APPG",
    "Working group",
    "Project",
    "Programme",
)
"""Entity types a dossier can be about (works are reached through their makers)."""

WORK_TYPES = ("Report", "Survey", "Strategy", "Idea")
"""Entity types listed as outputs."""

DATED_TYPES = ("Report", "Survey", "Strategy")
"""Outputs that should carry a publication year (an idea lives inside a dated work)."""

POLICY_TYPES = ("Strategy",)
"""Entity types that count as policy for "influence paths into policy"."""

QUERIES = (
    "dossier-scope.rq",
    "dossier-people.rq",
    "dossier-claims.rq",
    "corroboration-claims.rq",
    "corroboration-groups.rq",
    "corroboration-sides.rq",
    "corroboration-ties.rq",
    "evidence-types.rq",
)
"""The shipped queries a dossier's facts come from."""

NEXT_STEPS_SHOWN = 10
"""How many "what to corroborate next" items a dossier lists before summarising the rest."""

_STRENGTH = {k.iri: k.strength for k in INFLUENCE_KINDS}
_DCT = PREFIXES["dcterms"]


# ---------------------------------------------------------------- the dossier's facts


@dataclass(frozen=True)
class Output:
    """A work of the entity: its label, type, year (``dcterms:issued``) and how it is its."""

    label: str
    type: str
    year: str | None
    how: str
    period: str | None = None


@dataclass(frozen=True)
class Neighbour:
    """A person or group around the entity and the relation, in one sentence."""

    label: str
    type: str
    relation: str
    sources: tuple[str, ...]
    quote: str | None = None
    inferred: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class ClaimEntry:
    """One influence claim on or from the entity's work, with its verdicts."""

    claim: str
    sentence: str
    influencer: str
    target: str
    target_type: str
    kind: str
    direction: str
    evidence_type: str
    status: str
    why: str
    claimants: tuple[str, ...]
    quote: str | None
    source: str | None
    date: str | None = None
    target_publisher: str | None = None
    strength: float = 0.0


@dataclass(frozen=True)
class PathStep:
    """One step of an influence path: ``source`` -(relation)-> ``target``, with the
    corroboration status of the claim behind it (None for authorship)."""

    source: str
    relation: str
    target: str
    status: str | None = None


@dataclass(frozen=True)
class PolicyPath:
    """An influence path from the entity or one of its works to a policy document."""

    start: str
    end: str
    steps: tuple[PathStep, ...]
    strength: float | None = None


@dataclass(frozen=True)
class NextStep:
    """Something to corroborate next, and why."""

    item: str
    reason: str


@dataclass
class Dossier:
    """Everything a dossier says about one entity. ``as_dict`` is the stable JSON shape."""

    entity: Entity
    sources: list[str] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    people: list[Neighbour] = field(default_factory=list)
    claims: list[ClaimEntry] = field(default_factory=list)
    paths: list[PolicyPath] = field(default_factory=list)
    paths_note: str | None = None
    outcome_stated: bool = False
    outcome_note: str = ""
    next_steps: list[NextStep] = field(default_factory=list)
    queries: tuple[str, ...] = QUERIES

    def status_counts(self) -> dict[str, int]:
        """Claims by corroboration status, every status present (0 where none)."""
        from .corroboration import STATUSES

        counts = {s.label: 0 for s in STATUSES}
        for claim in self.claims:
            counts[claim.status] += 1
        return counts

    def evidence_counts(self) -> dict[str, int]:
        """Claims by evidence type (only the types that occur), most frequent first."""
        counts: dict[str, int] = {}
        for claim in self.claims:
            counts[claim.evidence_type] = counts.get(claim.evidence_type, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def _repr_html_(self) -> str:
        """In Jupyter: the dossier's HTML page in a frame (its styles stay its own)."""

        return (
            f'<iframe sandbox="" style="width:100%;height:600px;border:0" '
            f'srcdoc="{html.escape(render(self, "html"))}"></iframe>'
        )

    def as_dict(self) -> dict[str, Any]:
        """Stable keys: entity, sources, summary, outcome, outputs, people, claims, paths,
        corroborate_next, queries, generator."""
        return {
            "entity": {
                "label": self.entity.label,
                "type": self.entity.type,
                "iri": self.entity.iri,
            },
            "sources": list(self.sources),
            "summary": {
                "outputs": len(self.outputs),
                "people": len(self.people),
                "claims": len(self.claims),
                "claims_by_status": self.status_counts(),
                "claims_by_evidence_type": self.evidence_counts(),
                "paths_into_policy": len(self.paths),
            },
            "outcome": {"stated": self.outcome_stated, "note": self.outcome_note},
            "outputs": [asdict(o) for o in self.outputs],
            "people": [dict(asdict(p), sources=list(p.sources)) for p in self.people],
            "claims": [dict(asdict(c), claimants=list(c.claimants)) for c in self.claims],
            "paths": [
                {
                    "start": p.start,
                    "end": p.end,
                    "strength": p.strength,
                    "steps": [asdict(s) for s in p.steps],
                }
                for p in self.paths
            ],
            "paths_note": self.paths_note,
            "corroborate_next": [asdict(n) for n in self.next_steps],
            "queries": list(self.queries),
            "generator": f"influencegraph {__version__}",
        }


# ---------------------------------------------------------------- gathering


_SENTENCES = {
    "citesAsKeyInfluence": "{target} cites {influencer} as a key influence",
    "memberOfWorkingGroup": "{influencer} sits on {target}",
}
"""Kinds whose label does not read as a verb in a sentence."""


def claim_sentence(kind_iri: str, influencer: str, target: str) -> str:
    """The claim in words. Kinds with a CiTO citation are said by the target ("All of Us
    reflects The Challenge"); the others by the influencer ("The Challenge runs the
    secretariat of APPG on Social Integration").

    Example:
        >>> claim_sentence("https://w3id.org/influencegraph/ns#endorses", "ATN", "ICS")
        'ICS endorses ATN'
    """
    kind = KIND_BY_IRI.get(kind_iri)
    if kind is None:
        return f"{influencer} influences {target} ({kind_iri})"
    if kind.name in _SENTENCES:
        return _SENTENCES[kind.name].format(influencer=influencer, target=target)
    if kind.cito:
        return f"{target} {kind.label} {influencer}"
    return f"{influencer} {kind.label} {target}"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _year_key(year: str | None) -> str:
    return year[:4] if year else ""


@dataclass
class _Context:
    source: Source
    entity: Entity
    label: Callable[[str], str]
    type_of: Callable[[str], str]
    scope: dict[str, dict[str, Any]] = field(default_factory=dict)


def _subject(source: Source, name: str) -> Entity:
    entity = resolve(source, name)
    if entity.type in SUBJECT_TYPES:
        return entity
    from rdflib import URIRef

    makers = sorted(
        name_index(source).entities[str(o)].label
        for _, _, o in source.triples((URIRef(entity.iri), URIRef(_DCT + "publisher"), None))
        if str(o) in name_index(source).entities
    )
    hint = f"; try its publisher {makers[0]!r}" if makers else ""
    raise InfluenceGraphError(
        f"{entity.label!r} is a {entity.type}; a dossier is about an organisation, person, "
        f"group or project{hint}"
    )


def _gather_scope(ctx: _Context) -> None:
    """The entity and its work, from ``dossier-scope.rq`` (one entry per member)."""
    from rdflib import URIRef

    for row in ctx.source.select(load_query("dossier-scope"), {"entity": URIRef(ctx.entity.iri)}):
        member = str(row["member"])
        entry = ctx.scope.setdefault(
            member,
            {
                "how": set(),
                "via": {},
                "part_of": set(),
                "year": None,
                "period": None,
                "sources": set(),
            },
        )
        entry["how"].add(str(row["how"]))
        if "via" in row:
            entry["via"][str(row["via"])] = str(row["viaKind"])
        if "partOf" in row:
            entry["part_of"].add(str(row["partOf"]))
        entry["year"] = entry["year"] or _text(row.get("year"))
        entry["period"] = entry["period"] or _text(row.get("period"))
        if "source" in row:
            entry["sources"].add(str(row["source"]))


_HOW_ORDER = ("itself", "same", "part", "leads", "led-part")


def _output_how(ctx: _Context, member: str) -> str:
    entry = ctx.scope[member]
    how: str = min(entry["how"], key=_HOW_ORDER.index)
    parents = sorted(p for p in entry["part_of"] if p in ctx.scope)
    if how == "part" and parents:
        return "part of " + ", ".join(ctx.label(p) for p in parents)
    if how == "part":
        return "its own"
    if how == "led-part":
        group, kind = sorted(entry["via"].items())[0]
        lead = (
            "whose secretariat it runs" if kind.endswith("runsSecretariatOf") else "which it chairs"
        )
        return f"from {ctx.label(group)}, {lead}"
    return how


def _outputs(ctx: _Context) -> list[Output]:
    outputs = []
    for member, entry in ctx.scope.items():
        kind = ctx.type_of(member)
        if kind not in WORK_TYPES:
            continue
        outputs.append(
            Output(
                ctx.label(member), kind, entry["year"], _output_how(ctx, member), entry["period"]
            )
        )
    # Newest first, by label within a year; works with no year last.
    outputs.sort(key=lambda o: o.label.casefold())
    dated = sorted((o for o in outputs if o.year), key=lambda o: _year_key(o.year), reverse=True)
    return dated + [o for o in outputs if not o.year]


def _relation_sentence(ctx: _Context, row: dict[str, Any]) -> str:
    first, second = ctx.label(str(row["from"])), ctx.label(str(row["to"]))
    relation = str(row["relation"])
    if relation == "membership":
        role = _text(row.get("role"))
        post = "a member" if role is None or role.casefold() == "member" else role
        return f"{first} is {post} of {second}"
    if relation == "claim":
        return claim_sentence(str(row["kind"]), first, second)
    if relation == "part":
        return f"{first} is part of {second}"
    return f"{first} is the same organisation as {second}"


def _rows_by_member(ctx: _Context, name: str) -> list[dict[str, Any]]:
    """Rows of a shipped query bound to ``?member``, for every member of the scope at once
    (VALUES batches, not a query per member), in member order and the query's own order
    within each member."""
    from rdflib import URIRef

    by_member: dict[str, list[dict[str, Any]]] = {}
    for row in ctx.source.select_bound(
        load_query(name), "member", [URIRef(m) for m in sorted(ctx.scope)]
    ):
        by_member.setdefault(str(row["member"]), []).append(row)
    return [row for member in sorted(ctx.scope) for row in by_member.get(member, [])]


def _people(ctx: _Context) -> list[Neighbour]:
    """People and groups around the entity's scope, from ``dossier-people.rq``."""

    gathered: dict[tuple[str, str], dict[str, Any]] = {}
    pairs_with_membership: set[frozenset[str]] = set()
    itself = {m for m, e in ctx.scope.items() if e["how"] & {"itself", "same"}}
    for row in _rows_by_member(ctx, "dossier-people"):
        other = str(row["other"])
        if other == ctx.entity.iri:
            continue
        sentence = _relation_sentence(ctx, row)
        entry = gathered.setdefault(
            (other, sentence),
            {"row": row, "sources": set(), "pair": frozenset((str(row["from"]), str(row["to"])))},
        )
        if "source" in row:
            entry["sources"].add(ctx.label(str(row["source"])))
        if str(row["relation"]) == "membership":
            pairs_with_membership.add(entry["pair"])
    # Groups that are part of its work (a project's working group) are around it too.
    for member, entry in ctx.scope.items():
        if entry["how"] & {"part", "led-part"} and ctx.type_of(member) not in WORK_TYPES:
            owners = sorted(p for p in entry["part_of"] if p in ctx.scope) or [ctx.entity.iri]
            sentence = f"{ctx.label(member)} is part of {ctx.label(owners[0])}"
            gathered.setdefault(
                (member, sentence),
                {
                    "row": {},
                    "sources": {ctx.label(s) for s in entry["sources"]},
                    "pair": frozenset(),
                },
            )
    people = []
    for (other, sentence), entry in gathered.items():
        row = entry["row"]
        # A claim that repeats a stated membership (member of working group) adds nothing here.
        if (
            row.get("relation") is not None
            and str(row["relation"]) == "claim"
            and entry["pair"] in pairs_with_membership
        ):
            continue
        if other in itself and str(row.get("relation", "")) != "same":
            continue
        people.append(
            Neighbour(
                label=ctx.label(other),
                type=ctx.type_of(other),
                relation=sentence,
                sources=tuple(sorted(entry["sources"])),
                quote=_text(row.get("quote")),
                inferred=str(row.get("inferred", "false")).lower() == "true",
                reason=_text(row.get("reason")),
            )
        )
    return sorted(people, key=lambda p: (p.type != "Person", p.label.casefold(), p.relation))


_DIRECTIONS = ("from its work", "within its work", "on its work")


def _claims(ctx: _Context) -> list[ClaimEntry]:
    """Claims on or from the entity's work, from ``dossier-claims.rq``, with the status
    (:func:`~influencegraph.corroboration.claim_statuses`) and evidence type
    (``evidence-types.rq``) of each."""

    rows: dict[str, dict[str, Any]] = {}
    for row in _rows_by_member(ctx, "dossier-claims"):
        entry = rows.setdefault(str(row["claim"]), {"row": row, "claimants": set()})
        if "claimant" in row:
            entry["claimants"].add(str(row["claimant"]))
    # Judged relative to the subject: its own and its allies' claims are never independent.
    statuses = claim_statuses(ctx.source, claims=rows, subject=ctx.entity.iri)
    types = evidence_types(ctx.source, claims=rows)
    claims = []
    for claim, entry in rows.items():
        row = entry["row"]
        influencer, target = str(row["influencer"]), str(row["target"])
        inside = (influencer in ctx.scope, target in ctx.scope)
        direction = {(True, False): _DIRECTIONS[0], (True, True): _DIRECTIONS[1]}.get(
            inside, _DIRECTIONS[2]
        )
        status = statuses[claim]
        publisher = row.get("targetPublisher")
        claims.append(
            ClaimEntry(
                claim=claim,
                sentence=claim_sentence(str(row["kind"]), ctx.label(influencer), ctx.label(target)),
                influencer=ctx.label(influencer),
                target=ctx.label(target),
                target_type=ctx.type_of(target),
                kind=KIND_BY_IRI[str(row["kind"])].label
                if str(row["kind"]) in KIND_BY_IRI
                else str(row["kind"]),
                direction=direction,
                evidence_type=types[claim].label,
                status=status.status.label,
                why=status.explain(ctx.label),
                claimants=tuple(sorted(ctx.label(c) for c in entry["claimants"])),
                quote=_text(row.get("quote")),
                source=ctx.label(str(row["source"])) if "source" in row else None,
                date=_text(row.get("date")),
                target_publisher=ctx.label(str(publisher)) if publisher is not None else None,
                strength=_STRENGTH.get(str(row["kind"]), 0.0),
            )
        )
    return sorted(
        claims, key=lambda c: (_DIRECTIONS.index(c.direction), -c.strength, c.sentence.casefold())
    )


PATHS_PER_POLICY = 10
"""At most this many paths are listed from one start to one policy document."""


def _policy_paths(ctx: _Context) -> tuple[list[PolicyPath], str | None]:
    """Influence paths from the entity (or, where it reaches none, from the rest of its
    work) to strategies, found by :mod:`influencegraph.paths`: directed, time-consistent,
    at most :data:`~influencegraph.paths.DEFAULT_MAX_HOPS` hops, strongest first. Paths
    made of authorship alone (a government publishing its own strategy) are left out."""
    from .paths import DEFAULT_MAX_HOPS, find_paths, influence

    starts = [ctx.entity.iri, *sorted(m for m in ctx.scope if m != ctx.entity.iri)]
    reached: set[str] = set()
    downstream: set[str] = set()
    found: list[PolicyPath] = []
    for start in starts:
        if start in downstream:
            continue  # the entity's own paths already run through it
        hops = influence(ctx.source, start, depth=DEFAULT_MAX_HOPS).hops
        if start == ctx.entity.iri:
            downstream = {h.target_iri for h in hops}
        goals = sorted(
            {
                h.target_iri
                for h in hops
                if ctx.type_of(h.target_iri) in POLICY_TYPES and h.target_iri not in reached
            },
            key=ctx.label,
        )
        for goal in goals:
            result = find_paths(ctx.source, start, goal, mode="all", limit=PATHS_PER_POLICY)
            for path in sorted(result.paths, key=lambda p: (-p.strength, len(p.hops))):
                if all(h.status is None for h in path.hops):
                    continue  # authorship only (a body publishing its own strategy)
                found.append(
                    PolicyPath(
                        start=ctx.label(start),
                        end=ctx.label(goal),
                        strength=round(path.strength, 4),
                        steps=tuple(
                            PathStep(h.influencer, h.kind, h.target, h.status) for h in path.hops
                        ),
                    )
                )
            reached.add(goal)
    note = (
        f"paths of at most {DEFAULT_MAX_HOPS} hops that never go back in time, found by "
        "influencegraph.paths"
    )
    return found, note


def _outcome(ctx: _Context, claims: Sequence[ClaimEntry], sources: Sequence[str]) -> str:
    outward = [c for c in claims if c.direction == "from its work"]
    if outward:
        n = len(outward)
        return (
            f"{n} claim{'s' if n != 1 else ''} say{'s' if n == 1 else ''} that its work "
            "influenced something outside it."
        )
    where = " and ".join(sources) if sources else "its sources"
    return (
        f"No outcome is stated. {where} describe{'s' if len(sources) == 1 else ''} "
        f"{ctx.entity.label} but state{'s' if len(sources) == 1 else ''} no outcome: "
        "no claim says that it, or any of its work, influenced anything outside it."
    )


def _next_steps(ctx: _Context, d: Dossier) -> list[NextStep]:
    steps: list[NextStep] = []
    if not d.outcome_stated:
        steps.append(
            NextStep(
                "Find evidence of an outcome of its work",
                "its sources state none: look for a policy document, programme or body that "
                "cites, uses or credits it",
            )
        )
    for claim in d.claims:
        if claim.status == "self-reported":
            ask = "look for a source other than " + " and ".join(claim.claimants)
            if claim.target_publisher and claim.target_publisher not in claim.claimants:
                ask += f", e.g. {claim.target} itself (published by {claim.target_publisher})"
            elif claim.target_type not in WORK_TYPES and not claim.target_publisher:
                ask += f", e.g. a statement by {claim.target}"
            steps.append(
                NextStep(
                    f"Find an independent source for: {claim.sentence}",
                    f"self-reported ({claim.why}); {ask}",
                )
            )
        elif claim.status == "unattributed":
            steps.append(
                NextStep(
                    f"Record who states: {claim.sentence}",
                    "no claimant is recorded, so it cannot be judged",
                )
            )
    for person in d.people:
        if person.inferred:
            steps.append(
                NextStep(
                    f"Confirm that {person.relation}",
                    f"inferred, not stated: {person.reason or 'no reason given'}",
                )
            )
    for output in d.outputs:
        if output.year is None and output.type in DATED_TYPES:
            covers = (
                f" (the source gives only the period it covers: {output.period})"
                if output.period
                else ""
            )
            steps.append(
                NextStep(
                    f"Find the publication year of {output.label}", f"no year is stated{covers}"
                )
            )
    return steps


def build_dossier(source: Source, name: str) -> Dossier:
    """Gather the dossier of the entity called ``name`` (an organisation, person, group or
    project). Raises :class:`UnknownNameError` / :class:`AmbiguousNameError` for a bad
    name and :class:`InfluenceGraphError` for a work (whose maker it suggests).

    Example:
        >>> from influencegraph.graph import open_source
        >>> d = build_dossier(open_source(), "If you could do one thing...")
        >>> d.outcome_stated
        False
    """
    entity = _subject(source, name)
    index = name_index(source)

    def label(iri: str) -> str:
        found = index.entities.get(iri)
        return found.label if found else iri

    def type_of(iri: str) -> str:
        found = index.entities.get(iri)
        return found.type if found else "unknown"

    ctx = _Context(source, entity, label, type_of)
    _gather_scope(ctx)
    sources = sorted(
        {label(s) for e in ctx.scope.values() if e["how"] & {"itself"} for s in e["sources"]}
    )
    dossier = Dossier(entity=entity, sources=sources)
    dossier.outputs = _outputs(ctx)
    dossier.people = _people(ctx)
    dossier.claims = _claims(ctx)
    dossier.paths, dossier.paths_note = _policy_paths(ctx)
    dossier.outcome_stated = any(c.direction == "from its work" for c in dossier.claims)
    dossier.outcome_note = _outcome(ctx, dossier.claims, sources)
    dossier.next_steps = _next_steps(ctx, dossier)
    return dossier


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True)
class _Block:
    """One piece of the document both Markdown and HTML are written from."""

    kind: str  # h1 h2 h3 p list olist table quote note
    text: str = ""
    items: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _document(d: Dossier) -> list[_Block]:
    blocks = [
        _Block("h1", f"Impact dossier: {d.entity.label}"),
        _Block(
            "p",
            f"{d.entity.type}. Drawn from: "
            + ("; ".join(d.sources) if d.sources else "no source document")
            + ".",
        ),
    ]
    counts = d.status_counts()
    years = sorted({_year_key(o.year) for o in d.outputs if o.year})
    undated = sum(1 for o in d.outputs if o.year is None)
    span = (
        f"{years[0]}–{years[-1]}; {undated} with no year"
        if len(years) > 1
        else f"{years[0]}; {undated} with no year"
        if years
        else "none with a year"
    )
    blocks += [
        _Block("h2", "Summary"),
        _Block(
            "list",
            items=(
                f"Outputs: {_plural(len(d.outputs), 'work')} ({span})",
                f"People and groups around it: {len(d.people)}",
                f"Influence claims: {len(d.claims)} — "
                + ", ".join(f"{n} {status}" for status, n in counts.items()),
                "Evidence types: "
                + (", ".join(f"{t} {n}" for t, n in d.evidence_counts().items()) or "none"),
                f"Influence paths into policy: {len(d.paths)}",
                f"Outcome: {d.outcome_note}",
            ),
        ),
        _Block("h2", "Outputs by year"),
    ]
    if not d.outputs:
        blocks.append(_Block("p", "No works of it are in the graph."))
    by_year: dict[str, list[Output]] = {}
    for output in d.outputs:
        by_year.setdefault(_year_key(output.year) or "No year stated", []).append(output)
    for year, outputs in by_year.items():
        blocks.append(_Block("h3", year))
        blocks.append(
            _Block(
                "list",
                items=tuple(
                    f"{o.label} ({o.type}"
                    + (f", {o.year}" if o.year and len(o.year) > 4 else "")
                    + f") — {o.how}"
                    + (f"; covers {o.period}" if o.period else "")
                    for o in outputs
                ),
            )
        )
    blocks.append(_Block("h2", "People and groups around it"))
    if d.people:
        blocks.append(
            _Block(
                "table",
                columns=("who", "type", "relation", "source"),
                rows=tuple(
                    (
                        p.label,
                        p.type,
                        p.relation + (" (inferred)" if p.inferred else ""),
                        "; ".join(p.sources),
                    )
                    for p in d.people
                ),
            )
        )
    else:
        blocks.append(_Block("p", "No people or groups are linked to it in the graph."))
    blocks.append(_Block("h2", "Influence claims"))
    if not d.claims:
        blocks.append(_Block("p", "No influence claim involves it or its work."))
    for number, c in enumerate(d.claims, start=1):
        blocks += [
            _Block("h3", f"{number}. {c.sentence}"),
            _Block(
                "list",
                items=(
                    f"{c.direction[0].upper()}{c.direction[1:]}; evidence type: {c.evidence_type}",
                    f"Status: {c.status} — {c.why}",
                    f"Claimant: {', '.join(c.claimants) or 'none recorded'}; "
                    f"source: {c.source or 'none recorded'}"
                    + (f"; dated {c.date}" if c.date else ""),
                ),
            ),
        ]
        if c.quote:
            blocks.append(_Block("quote", c.quote))
    blocks.append(_Block("h2", "Influence paths into policy"))
    if d.paths:
        blocks.append(
            _Block(
                "p",
                f"{len(d.paths)} influence path"
                f"{'s' if len(d.paths) != 1 else ''} from it or its work to a "
                f"strategy ({d.paths_note}); each claim's status after its kind:",
            )
        )
        blocks.append(_Block("olist", items=tuple(_path_text(p) for p in d.paths)))
    else:
        blocks.append(
            _Block(
                "p",
                "No influence path leads from it or its work to a strategy"
                + (f" ({d.paths_note})." if d.paths_note else "."),
            )
        )
    blocks.append(_Block("h2", "What to corroborate next"))
    shown = d.next_steps[:NEXT_STEPS_SHOWN]
    items = [f"{n.item} — {n.reason}" for n in shown]
    if len(d.next_steps) > len(shown):
        items.append(f"… and {len(d.next_steps) - len(shown)} more (see the claims above)")
    blocks.append(
        _Block("olist", items=tuple(items))
        if items
        else _Block("p", "Nothing: every claim has an independent source.")
    )
    blocks.append(
        _Block(
            "note",
            f"Generated by influencegraph {__version__}. Every fact above "
            "comes from the queries shipped in influencegraph/queries/ ("
            + ", ".join(d.queries)
            + "), run on the loaded graph; the "
            "paths from influencegraph.paths over the same graph.",
        )
    )
    return blocks


def _path_text(path: PolicyPath) -> str:
    parts = [path.steps[0].source] if path.steps else [path.start]
    for step in path.steps:
        status = f" ({step.status})" if step.status else ""
        parts.append(f"—{step.relation}{status}→ {step.target}")
    text = " ".join(parts)
    return text + (f" (strength {path.strength:.2f})" if path.strength is not None else "")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#])")


def _md(text: str) -> str:
    """Escape Markdown (and inline HTML) in a label or quote; fold line breaks."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _to_markdown(blocks: Iterable[_Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out += ["#" * int(b.kind[1]) + " " + _md(b.text), ""]
        elif b.kind == "p":
            out += [_md(b.text), ""]
        elif b.kind == "list":
            out += [f"- {_md(item)}" for item in b.items] + [""]
        elif b.kind == "olist":
            out += [f"{n}. {_md(item)}" for n, item in enumerate(b.items, start=1)] + [""]
        elif b.kind == "quote":
            out += ["> " + _md(b.text), ""]
        elif b.kind == "table":
            out.append("| " + " | ".join(_md(c) for c in b.columns) + " |")
            out.append("|" + "---|" * len(b.columns))
            out += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in b.rows]
            out.append("")
        elif b.kind == "note":
            out += ["---", "", _md(b.text), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render(dossier: Dossier, fmt: str = "md") -> str:
    """The dossier as Markdown (``md``), a self-contained HTML page (``html``, every label
    escaped, no scripts, nothing fetched) or JSON (``json``, the keys of
    :meth:`Dossier.as_dict`)."""
    if fmt == "json":
        return json.dumps(dossier.as_dict(), indent=2, ensure_ascii=False) + "\n"
    blocks = _document(dossier)
    if fmt == "md":
        return _to_markdown(blocks)
    if fmt == "html":
        from .templating import template

        return str(
            template("dossier.html.j2").render(
                blocks=blocks, title=f"Impact dossier: {dossier.entity.label}"
            )
        )
    raise InfluenceGraphError(f"unknown dossier format {fmt!r}; use one of {', '.join(FORMATS)}")


def format_for(path: str | os.PathLike[str] | None, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` if given, else by the file's suffix (``.html``/``.htm``,
    ``.json``, ``.md``/``.markdown``/``.txt`` or none for Markdown). Any other suffix
    (``.pdf``, ``.docx``) is refused rather than filled with Markdown.

    Example:
        >>> format_for("report.htm"), format_for("notes"), format_for("x.pdf", "md")
        ('html', 'md', 'md')
    """
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower() if path else ""
    by_suffix = {
        ".html": "html",
        ".htm": "html",
        ".json": "json",
        ".md": "md",
        ".markdown": "md",
        ".txt": "md",
        "": "md",
    }
    if suffix not in by_suffix:
        raise InfluenceGraphError(
            f"{path}: a dossier is written as Markdown (.md), HTML (.html) or JSON (.json), "
            f"not {suffix}; use one of those suffixes, or --format to choose"
        )
    return by_suffix[suffix]


def dossier_text(source: Source, name: str, fmt: str = "md") -> str:
    """Build and render the dossier of ``name`` in one call (what the CLI uses).

    Example:
        >>> from influencegraph.graph import open_source
        >>> '"outcome"' in dossier_text(open_source(), "The Challenge", "json")
        True
    """
    return render(build_dossier(source, name), fmt)
