"""Building a dossier: the shipped queries run for one entity, gathered into a
:class:`~.model.Dossier`.

Kept as one module: each part of a dossier is one shipped query and one small function over
the same context; the parts are read in the order the dossier shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..corroboration import claim_statuses, evidence_types
from ..errors import InfluenceGraphError
from ..graph import Source
from ..names import Entity, name_index, resolve
from ..queries import load_query
from ..vocab import KIND_BY_IRI
from .model import (
    _DCT,
    _STRENGTH,
    DATED_TYPES,
    POLICY_TYPES,
    SUBJECT_TYPES,
    WORK_TYPES,
    ClaimEntry,
    Dossier,
    Neighbour,
    NextStep,
    Output,
    PathStep,
    PolicyPath,
    _text,
    _year_key,
    claim_sentence,
)

if TYPE_CHECKING:
    from ..network import InfluenceNetwork


@dataclass
class _Context:
    source: Source
    entity: Entity
    label: Callable[[str], str]
    type_of: Callable[[str], str]
    scope: dict[str, dict[str, Any]] = field(default_factory=dict)
    network: InfluenceNetwork | None = None


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
    from ..paths import DEFAULT_MAX_HOPS, find_paths, influence

    starts = [ctx.entity.iri, *sorted(m for m in ctx.scope if m != ctx.entity.iri)]
    reached: set[str] = set()
    downstream: set[str] = set()
    found: list[PolicyPath] = []
    for start in starts:
        if start in downstream:
            continue  # the entity's own paths already run through it
        targets = (
            {h.target_iri for h in influence(ctx.source, start, depth=DEFAULT_MAX_HOPS).hops}
            if ctx.network is None
            else ctx.network.reached(start, DEFAULT_MAX_HOPS)
        )
        if start == ctx.entity.iri:
            downstream = targets
        goals = sorted(
            {t for t in targets if ctx.type_of(t) in POLICY_TYPES and t not in reached},
            key=lambda t: (ctx.label(t), t),  # by IRI within a label: not the hash seed's order
        )
        for goal in goals:
            paths = (
                find_paths(ctx.source, start, goal, mode="all", limit=PATHS_PER_POLICY).paths
                if ctx.network is None
                else ctx.network.paths(ctx.source, start, goal, limit=PATHS_PER_POLICY)
            )
            for path in sorted(paths, key=lambda p: (-p.strength, len(p.hops))):
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


def build_dossier(source: Source, name: str, *, network: InfluenceNetwork | None = None) -> Dossier:
    """Gather the dossier of the entity called ``name`` (an organisation, person, group or
    project). Raises :class:`UnknownNameError` / :class:`AmbiguousNameError` for a bad
    name and :class:`InfluenceGraphError` for a work (whose maker it suggests).

    ``network``: the whole influence network read already (``publish`` builds thousands
    of dossiers); its paths to policy are then searched there, with the same answers.

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

    ctx = _Context(source, entity, label, type_of, network=network)
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
