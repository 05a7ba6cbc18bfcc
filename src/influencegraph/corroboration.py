"""Corroboration status and evidence type of every influence claim, derived from the graph.

Funders and assessors ask for claimed impact *with corroborating sources*. Nothing here is
entered by hand: both are computed by queries shipped with the package
(``queries/corroboration.rq`` and ``queries/evidence-types.rq``), and these functions only
run them and read their rows, so the SPARQL and the Python can never disagree.

Corroboration status
    Judged over all the claims that state the same influence (same influencer, target and
    kind), by who states them:

    * **self-reported**: every claimant is an ally of the influencer;
    * **independent**: no claimant is an ally of the influencer;
    * **corroborated**: at least one allied and at least one independent claimant
      (several claimants that disagree in this way are exactly what corroboration means);
    * **unattributed**: no claim of the influence names a claimant.

    A claimant counts once however many claims it makes.

Ally
    A claimant C is an *ally* of the influencer X when C is tied to someone on X's side.

    * X's side: X itself; whoever published or created X (``dcterms:publisher``,
      ``dcterms:creator``) or a work X is part of (``dcterms:isPartOf``, any depth); and
      those containing works.
    * Ties, one step, either direction: being the same node; an ``org:Membership`` (any
      role); a claim of kind runs-the-secretariat-of, chairs or member-of-working-group;
      ``org:subOrganizationOf``; an ``ig:InferredLink``, ``skos:exactMatch`` or
      ``owl:sameAs``. Ties are not chained (an ally's ally is not an ally). A tie that
      rests on an inference (an ``ig:InferredLink``, a membership marked ``ig:inferred``)
      counts, and the explanation says so.

    So The Challenge's claim that the Government endorses *its* report All Together Now is
    self-reported (it published the report), and so is its claim about the APPG's report
    Integration Not Demonisation (The Challenge runs the APPG's secretariat). A statement
    by the target, or by someone tied only to the target, is independent: the body
    influenced confirming the influence is what corroboration means.

Subject (dossiers)
    A dossier judges claims *relative to its subject*: a claim made by the subject itself,
    by whoever published or created it (or what it is part of), or by an ally of those
    (tied to them as above) is never independent evidence of the subject's impact,
    whoever the influencer is. So "Chuka Umunna chairs the APPG on
    Social Integration", claimed by The Challenge, is independent in general (The Challenge
    is no ally of Chuka Umunna) but self-reported in The Challenge's dossier. Pass
    ``subject=`` to :func:`claim_statuses`; the rule is the ``subject`` branch of the query.

Evidence type
    What sort of evidence a claim is, kept apart as citation-tracking services do (cites
    research, endorses, reflects approach, names a person, policy cites policy, membership
    or role, funding, collaboration, other); the rules are in ``queries/evidence-types.rq``.

Example:
    >>> from influencegraph.source import open_source
    >>> statuses = claim_statuses(open_source())
    >>> statuses["https://w3id.org/influencegraph/id/claim-ics-endorses-atn"].status.label
    'self-reported'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .queries import load_query
from .source import VALUES_BATCH, Source, values_block, values_inside
from .vocab import IG


@dataclass(frozen=True)
class Concept:
    """A documented concept of the vocabulary (a status or an evidence type)."""

    name: str
    label: str
    definition: str

    @property
    def iri(self) -> str:
        return IG + self.name


SELF_REPORTED = Concept("SelfReported", "self-reported",
                        "Every claimant of the influence is the influencer itself or an ally "
                        "of it.")
INDEPENDENT = Concept("Independent", "independent",
                      "Every claimant of the influence is independent of the influencer "
                      "(not an ally).")
CORROBORATED = Concept("Corroborated", "corroborated",
                       "The influencer's side states the influence and at least one "
                       "independent claimant confirms it.")
UNATTRIBUTED = Concept("Unattributed", "unattributed",
                       "No claim of the influence names a claimant, so it cannot be judged "
                       "(validate reports this).")

STATUSES: tuple[Concept, ...] = (SELF_REPORTED, INDEPENDENT, CORROBORATED, UNATTRIBUTED)
"""Every corroboration status; ``ontology/influencegraph.ttl`` declares the same."""
STATUS_BY_IRI: dict[str, Concept] = {s.iri: s for s in STATUSES}

EVIDENCE_TYPES: tuple[Concept, ...] = (
    Concept("CitesResearch", "cites research",
            "A work cites, draws on or builds on a report, survey or idea."),
    Concept("EndorsesWork", "endorses",
            "A work highlights and endorses the influencer's work or ideas."),
    Concept("ReflectsApproach", "reflects approach",
            "A work reflects the influencer's mission, analysis or approach without citing "
            "a work."),
    Concept("NamesPerson", "names a person",
            "A work names a person as contributing to it or influencing it."),
    Concept("PolicyCitesPolicy", "policy cites policy",
            "A strategy or policy document draws on another strategy or policy document."),
    Concept("MembershipOrRole", "membership or role",
            "The influencer chairs, sits on or runs the secretariat of the target."),
    Concept("Funding", "funding", "The influencer funds the target."),
    Concept("Collaboration", "collaboration",
            "The influencer works with the target on its policies or programmes."),
    Concept("OtherEvidence", "other", "An influence that fits none of the other evidence types."),
)
"""Every evidence type; ``ontology/influencegraph.ttl`` declares the same."""
EVIDENCE_TYPE_BY_IRI: dict[str, Concept] = {t.iri: t for t in EVIDENCE_TYPES}

TIES: dict[str, str] = {
    "is": "{claimant} is {side}",
    "member-of": "{claimant} is a member of {side}",
    "has-member": "{claimant} has {side} as a member",
    "runsSecretariatOf": "{claimant} runs the secretariat of {side}",
    "inverse-runsSecretariatOf": "{side} runs the secretariat of {claimant}",
    "chairs": "{claimant} chairs {side}",
    "inverse-chairs": "{side} chairs {claimant}",
    "memberOfWorkingGroup": "{claimant} sits on {side}",
    "inverse-memberOfWorkingGroup": "{side} sits on {claimant}",
    "sub-organisation-of": "{claimant} is part of {side}",
    "parent-of": "{side} is part of {claimant}",
    "inferred-link": "{claimant} is joined to {side} by an inferred link",
    "same-as": "{claimant} is the same as {side}",
}
"""The ties ``corroboration.rq`` recognises between a claimant and the influencer's side,
each with the sentence that explains it."""


_SUBJECT_ROLES = {"subject": "the dossier's subject",
                  "subject-maker": "the publisher or creator of the dossier's subject",
                  "subject-whole": "a work containing the dossier's subject"}
"""A dossier's subject's side (``queries/corroboration.rq``), as the explanations say it."""


@dataclass(frozen=True)
class AllyTie:
    """Why a claimant is an ally: its ``tie`` to ``side``, which is the influencer itself
    (``side_kind`` ``"itself"``), its publisher or creator (``"maker"``), or a work
    containing it (``"whole"``)."""

    tie: str
    side_kind: str
    side: str

    @property
    def inferred(self) -> bool:
        """Whether the tie rests on an inference (an inferred link or membership)."""
        return self.tie.endswith("-inferred") or self.tie == "inferred-link"

    @classmethod
    def parse(cls, text: str) -> AllyTie:
        """Read the query's ``allyVia`` column: ``"<tie> <side kind> <side IRI>"`` (a tie
        to a dossier's subject starts with ``~``)."""
        tie, side_kind, side = text.removeprefix("~").split(" ", 2)
        return cls(tie, side_kind, side)

    def explain(self, claimant: str, influencer: str, label: Callable[[str], str]) -> str:
        """One sentence: ``"The Challenge runs the secretariat of APPG on Social Integration,
        publisher or creator of Integration Not Demonisation"``."""
        if self.tie == "is" and self.side_kind == "itself":
            return f"{label(claimant)} is the influencer itself"
        subject_role = _SUBJECT_ROLES.get(self.side_kind)
        if self.tie == "is" and subject_role:
            return f"{label(claimant)} is {subject_role}"
        tie = self.tie.removesuffix("-inferred")
        template = TIES.get(tie, "{claimant} " + tie + " {side}")
        sentence = template.format(claimant=label(claimant), side=label(self.side))
        if self.tie.endswith("-inferred"):
            sentence += " (an inferred membership)"
        if self.side_kind == "itself":
            return sentence
        if subject_role:
            return f"{sentence}, {subject_role}"
        role = "publisher or creator of" if self.side_kind == "maker" else "a work containing"
        if self.tie == "is":
            return f"{label(claimant)} is the {role} {label(influencer)}"
        return f"{sentence}, {role} {label(influencer)}"


@dataclass(frozen=True)
class ClaimantVerdict:
    """One claimant of a claim: whether it is an ally of the influencer, and why."""

    claimant: str
    ally: bool
    via: AllyTie | None = None


@dataclass(frozen=True)
class ClaimStatus:
    """The corroboration status of one claim, with the verdict on each of its claimants.

    ``claimant_count`` and ``ally_count`` are over every claim stating the same influence
    (distinct claimants), which is what the status is judged on.
    """

    claim: str
    influencer: str
    target: str
    kind: str
    status: Concept
    claimants: tuple[ClaimantVerdict, ...]
    claimant_count: int
    ally_count: int

    def explain(self, label: Callable[[str], str]) -> str:
        """Why the claim has its status, in words (claimants by label)."""
        if not self.claimants:
            return "no claimant is recorded"
        parts = []
        for verdict in self.claimants:
            if verdict.ally and verdict.via is not None:
                parts.append(verdict.via.explain(verdict.claimant, self.influencer, label))
            else:
                parts.append(f"{label(verdict.claimant)} has no tie to "
                             f"{label(self.influencer)} or those behind it")
        own_allies = sum(1 for v in self.claimants if v.ally)
        other_allies = self.ally_count - own_allies
        other_independent = (self.claimant_count - self.ally_count
                             - (len(self.claimants) - own_allies))
        for count, kind in ((other_allies, "allied"), (other_independent, "independent")):
            if count > 0:
                parts.append(f"{count} other {kind} claimant{'s' if count != 1 else ''} "
                             "state the same influence")
        return "; ".join(parts)


def _value(term: object) -> object:
    to_python = getattr(term, "toPython", None)
    return to_python() if callable(to_python) else term


def _bindings(influencer: str | None, target: str | None) -> dict[str, Any]:
    from rdflib import URIRef

    bound = {"influencer": influencer, "target": target}
    return {name: URIRef(iri) for name, iri in bound.items() if iri is not None}


def claim_statuses(source: Source, *, influencer: str | None = None,
                   target: str | None = None,
                   claims: Iterable[str] | None = None,
                   subject: str | None = None) -> dict[str, ClaimStatus]:
    """The corroboration status of every influence claim, keyed by claim IRI.

    Runs the shipped ``queries/corroboration.rq`` (one row per claim and claimant) and
    gathers its rows; the rules live only in that query. ``influencer`` and ``target``
    (IRIs) restrict it to the claims from or to one entity, and ``claims`` to those claim
    IRIs, bound as query parameters: much faster than judging the whole graph (rdflib
    needs about 10 ms a claim for that). ``subject`` (an IRI) judges them as a dossier of
    that subject does: its own and its allies' claims are never independent.

    Example:
        >>> from influencegraph.source import open_source
        >>> s = claim_statuses(open_source())
        >>> s["https://w3id.org/influencegraph/id/claim-phf-funds-project"].status.label
        'independent'
    """
    if claims is not None:
        return _statuses_of(source, claims, subject)
    bindings = _bindings(influencer, target)
    if not bindings:
        return _gather(source.select(_query(source, subject)))
    return _statuses_of(source, (row["claim"] for row in source.select(_ENDS, bindings)),
                        subject)


_SUBJECT_SIDE = """
SELECT DISTINCT ?side ?kind WHERE {
  { ?subject dcterms:isPartOf*/(dcterms:publisher|dcterms:creator) ?side .
    BIND("subject-maker" AS ?kind) }
  UNION { ?subject dcterms:isPartOf+ ?side . BIND("subject-whole" AS ?kind) }
}"""
"""Who stands behind a dossier's subject: its publishers or creators (and those of what it
is part of), and what it is part of; as behind an influencer in ``corroboration.rq``."""


def _query(source: Source, subject: str | None) -> str:
    """``corroboration.rq``, judged relative to ``subject`` when one is given (its side
    bound where the query marks ``#VALUES ?subjectSide ?subjectKind``)."""
    text = load_query("corroboration")
    if subject is None:
        return text
    from rdflib import Literal, URIRef

    rows = source.select(_SUBJECT_SIDE, {"subject": URIRef(subject)})
    sides = {(row["side"], Literal(str(row["kind"]))) for row in rows}
    sides.add((URIRef(subject), Literal("subject")))
    names = ("subjectSide", "subjectKind")
    return values_inside(text, names, values_block(names, sorted(sides)))


_ENDS = "SELECT ?claim ?target ?influencer WHERE { ?target prov:qualifiedInfluence ?claim . " \
    "?claim prov:influencer ?influencer }"
_GROUPS = """
SELECT DISTINCT ?sibling ?c ?influencer WHERE {
  ?target prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?influencer ; ig:kind ?kind .
  ?target prov:qualifiedInfluence ?sibling .
  ?sibling prov:influencer ?influencer ; ig:kind ?kind ; ig:claimant ?c .
}"""


def _statuses_of(source: Source, claims: Iterable[Any],
                 subject: str | None = None) -> dict[str, ClaimStatus]:
    """The statuses of ``claims`` only (IRIs), judged by ``corroboration.rq`` bound to them
    and to what follows from them: their targets and influencers, and the claimants of the
    claims that state the same influence (see the query's header). Binding by claim keeps
    a much-cited report's thousands of other claims out."""
    from rdflib import URIRef

    wanted = sorted({str(claim) for claim in claims})
    rows: list[dict[str, Any]] = []
    for start in range(0, len(wanted), VALUES_BATCH):
        batch = [URIRef(claim) for claim in wanted[start:start + VALUES_BATCH]]
        ends = source.select_bound(_ENDS, "claim", batch)
        groups = {(row["sibling"], row["c"], row["influencer"])
                  for row in source.select_bound(_GROUPS, "claim", batch)}
        text = _query(source, subject)
        for names, values in (("claim", batch),
                              ("influencer", {row["influencer"] for row in ends}),
                              ("target", {row["target"] for row in ends}),
                              ("c", {c for _, c, _ in groups}),
                              (("q1", "c"), {(q, c) for q, c, _ in groups}),
                              (("q0", "c", "influencer"), groups)):
            text = values_inside(text, names, values_block(names, values))
        rows += source.select(text)
    return _gather(rows)


def status_labels(source: Source, claims: Iterable[str]) -> dict[str, str]:
    """``{claim IRI: status label}`` for the given claim IRIs.

    For commands that show a few claims (``show``, ``path``, ``influence``): the shipped
    query runs bound to these claims, never over the whole graph. IRIs that are not
    influence claims (a membership, an authorship link) are simply not answered.

    Example:
        >>> from influencegraph.source import open_source
        >>> igd = "https://w3id.org/influencegraph/id/"
        >>> status_labels(open_source(), [igd + "claim-phf-funds-project"])
        {'https://w3id.org/influencegraph/id/claim-phf-funds-project': 'independent'}
    """
    wanted = set(claims)
    return {claim: status.status.label for claim, status in _statuses_of(source, wanted).items()
            if claim in wanted}


def _gather(rows: list[dict[str, Any]]) -> dict[str, ClaimStatus]:
    """Rows of ``corroboration.rq`` (one per claim and claimant) -> one status per claim."""
    gathered: dict[str, dict[str, object]] = {}
    for row in rows:
        claim = str(row["claim"])
        entry = gathered.setdefault(claim, {"row": row, "verdicts": []})
        if "claimant" in row:
            via = AllyTie.parse(str(row["allyVia"])) if "allyVia" in row else None
            verdict = ClaimantVerdict(str(row["claimant"]), bool(_value(row["claimantIsAlly"])),
                                      via)
            entry["verdicts"].append(verdict)  # type: ignore[union-attr]
    result = {}
    for claim, entry in gathered.items():
        row = entry["row"]
        assert isinstance(row, dict)
        verdicts = sorted(entry["verdicts"], key=lambda v: v.claimant)  # type: ignore[arg-type]
        result[claim] = ClaimStatus(
            claim=claim,
            influencer=str(row["influencer"]),
            target=str(row["target"]),
            kind=str(row["kind"]),
            status=STATUS_BY_IRI[str(row["status"])],
            claimants=tuple(verdicts),
            claimant_count=int(_value(row["claimants"])),  # type: ignore[arg-type]
            ally_count=int(_value(row["allies"])),  # type: ignore[arg-type]
        )
    return result


def evidence_types(source: Source, *, influencer: str | None = None,
                   target: str | None = None,
                   claims: Iterable[str] | None = None) -> dict[str, Concept]:
    """The evidence type of every influence claim, keyed by claim IRI.

    Runs the shipped ``queries/evidence-types.rq``; the rules live only in that query.
    ``influencer``, ``target`` and ``claims`` restrict it as in :func:`claim_statuses`.

    Example:
        >>> from influencegraph.source import open_source
        >>> types = evidence_types(open_source())
        >>> types["https://w3id.org/influencegraph/id/claim-ics-cites-inc"].label
        'cites research'
    """
    query = load_query("evidence-types")
    if claims is not None:
        from rdflib import URIRef

        rows = source.select_bound(query, "claim", [URIRef(c) for c in sorted(set(claims))])
    else:
        rows = source.select(query, _bindings(influencer, target))
    return {str(row["claim"]): EVIDENCE_TYPE_BY_IRI[str(row["evidenceType"])] for row in rows}
