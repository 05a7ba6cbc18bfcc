"""Corroboration status and evidence type of every influence claim, derived from the graph.

Funders and assessors ask for claimed impact *with corroborating sources*. Nothing here is
entered by hand: both are computed by queries shipped with the package
(``queries/corroboration-*.rq`` and ``queries/evidence-types.rq``): who claims what, who
stands behind whom and who is tied to whom are SPARQL anyone can run; :func:`judge`
combines them by the rules below.

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
    ``subject=`` to :func:`claim_statuses`; :func:`judge` applies the rule.

Evidence type
    What sort of evidence a claim is, kept apart as citation-tracking services do (cites
    research, endorses, reflects approach, names a person, policy cites policy, membership
    or role, funding, collaboration, other); the rules are in ``queries/evidence-types.rq``.

Example:
    >>> from influencegraph.graph import open_source
    >>> statuses = claim_statuses(open_source())
    >>> statuses["https://w3id.org/influencegraph/id/claim-ics-endorses-atn"].status.label
    'self-reported'

Kept as one module: the status rules, the queries they read and :func:`judge` are one
definition that dossiers, paths and the explorer quote; it is meant to be read top to
bottom, rules first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .graph import VALUES_BATCH, Source
from .queries import load_query
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


SELF_REPORTED = Concept(
    "SelfReported",
    "self-reported",
    "Every claimant of the influence is the influencer itself or an ally of it.",
)
INDEPENDENT = Concept(
    "Independent",
    "independent",
    "Every claimant of the influence is independent of the influencer (not an ally).",
)
CORROBORATED = Concept(
    "Corroborated",
    "corroborated",
    "The influencer's side states the influence and at least one independent claimant confirms it.",
)
UNATTRIBUTED = Concept(
    "Unattributed",
    "unattributed",
    "No claim of the influence names a claimant, so it cannot be judged (validate reports this).",
)

STATUSES: tuple[Concept, ...] = (SELF_REPORTED, INDEPENDENT, CORROBORATED, UNATTRIBUTED)
"""Every corroboration status; ``ontology/influencegraph.ttl`` declares the same."""
STATUS_BY_IRI: dict[str, Concept] = {s.iri: s for s in STATUSES}

EVIDENCE_TYPES: tuple[Concept, ...] = (
    Concept(
        "CitesResearch",
        "cites research",
        "A work cites, draws on or builds on a report, survey or idea.",
    ),
    Concept(
        "EndorsesWork", "endorses", "A work highlights and endorses the influencer's work or ideas."
    ),
    Concept(
        "ReflectsApproach",
        "reflects approach",
        "A work reflects the influencer's mission, analysis or approach without citing a work.",
    ),
    Concept(
        "NamesPerson",
        "names a person",
        "A work names a person as contributing to it or influencing it.",
    ),
    Concept(
        "PolicyCitesPolicy",
        "policy cites policy",
        "A strategy or policy document draws on another strategy or policy document.",
    ),
    Concept(
        "MembershipOrRole",
        "membership or role",
        "The influencer chairs, sits on or runs the secretariat of the target.",
    ),
    Concept("Funding", "funding", "The influencer funds the target."),
    Concept(
        "Collaboration",
        "collaboration",
        "The influencer works with the target on its policies or programmes.",
    ),
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
"""The ties ``corroboration-ties.rq`` and ``corroboration-members.rq`` recognise between a
claimant and the influencer's side, each with the sentence that explains it."""


_SUBJECT_ROLES = {
    "subject": "the dossier's subject",
    "subject-maker": "the publisher or creator of the dossier's subject",
    "subject-whole": "a work containing the dossier's subject",
}
"""A dossier's subject's side (``queries/corroboration-sides.rq``), as the explanations
say it."""


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
                parts.append(
                    f"{label(verdict.claimant)} has no tie to "
                    f"{label(self.influencer)} or those behind it"
                )
        own_allies = sum(1 for v in self.claimants if v.ally)
        other_allies = self.ally_count - own_allies
        other_independent = (
            self.claimant_count - self.ally_count - (len(self.claimants) - own_allies)
        )
        for count, kind in ((other_allies, "allied"), (other_independent, "independent")):
            if count > 0:
                parts.append(
                    f"{count} other {kind} claimant{'s' if count != 1 else ''} "
                    "state the same influence"
                )
        return "; ".join(parts)


def _bindings(influencer: str | None, target: str | None) -> dict[str, Any]:
    from rdflib import URIRef

    bound = {"influencer": influencer, "target": target}
    return {name: URIRef(iri) for name, iri in bound.items() if iri is not None}


def claim_statuses(
    source: Source,
    *,
    influencer: str | None = None,
    target: str | None = None,
    claims: Iterable[str] | None = None,
    subject: str | None = None,
) -> dict[str, ClaimStatus]:
    """The corroboration status of every influence claim, keyed by claim IRI.

    Who states what, who stands behind whom and who is tied to whom come from the shipped
    queries ``queries/corroboration-*.rq``, each bound to the claims, influencers and
    claimants at hand (never a whole-graph pass for a few claims, and simple enough for
    any engine: Virtuoso refused the single query this once was); the rule that combines
    them is :func:`judge`. ``influencer`` and ``target`` (IRIs) restrict it to the claims
    from or to one entity, and ``claims`` to those claim IRIs. ``subject`` (an IRI) judges
    them as a dossier of that subject does: its own and its allies' claims are never
    independent.

    Example:
        >>> from influencegraph.graph import open_source
        >>> s = claim_statuses(open_source())
        >>> s["https://w3id.org/influencegraph/id/claim-phf-funds-project"].status.label
        'independent'
    """
    from rdflib import URIRef

    if claims is not None:
        wanted = [URIRef(c) for c in sorted({str(c) for c in claims})]
        rows = source.select_bound(load_query("corroboration-claims"), "claim", wanted)
    else:
        rows = source.select(load_query("corroboration-claims"), _bindings(influencer, target))
    return judge(source, rows, subject)


def judge(
    source: Source,
    rows: Iterable[Mapping[str, Any]],
    subject: str | None = None,
    *,
    siblings: Iterable[Mapping[str, Any]] | None = None,
) -> dict[str, ClaimStatus]:
    """Statuses of the claims in ``rows`` (of ``corroboration-claims.rq``): the claimants
    of each claim's group, the sides of its influencer (and of ``subject``) and the ties
    between those claimants and those sides, each fetched once for all the claims.

    ``siblings`` (rows of the same form) may hold every claim of these claims' groups,
    read already: a caller that read all the claims of an entity (each claim with the
    entity as influencer, or each with it as target) holds the whole group of each of
    them, since a group shares both ends. The groups are then taken from those rows
    (:func:`groups_from_rows`) instead of asked with ``corroboration-groups.rq``."""
    judging = _Judging(source, rows, subject, siblings)
    result = {}
    for claim, key in judging.claims.items():
        target, influencer, kind = key
        status, claimants, allies = judging.status(key)
        verdicts = []
        for claimant in sorted(set(judging.named[claim])):
            why = judging.via(claimant, influencer)
            verdicts.append(
                ClaimantVerdict(
                    claimant, why is not None, AllyTie.parse(why) if why is not None else None
                )
            )
        result[claim] = ClaimStatus(
            claim=claim,
            influencer=influencer,
            target=target,
            kind=kind,
            status=status,
            claimants=tuple(verdicts),
            claimant_count=claimants,
            ally_count=allies,
        )
    return result


class _Judging:
    """What :func:`judge` reads before judging: the claims in ``rows`` and the claimants
    named on each, their groups, the sides and the ties; :meth:`status` judges one."""

    def __init__(
        self,
        source: Source,
        rows: Iterable[Mapping[str, Any]],
        subject: str | None,
        siblings: Iterable[Mapping[str, Any]] | None,
    ) -> None:
        self.claims: dict[str, Group] = {}
        self.named: dict[str, list[str]] = {}
        for row in rows:
            claim = str(row["claim"])
            self.claims.setdefault(
                claim, (str(row["target"]), str(row["influencer"]), str(row["kind"]))
            )
            self.named.setdefault(claim, [])
            if "claimant" in row:
                self.named[claim].append(str(row["claimant"]))
        keys = sorted(set(self.claims.values()))
        if siblings is None:
            self.groups = _groups(source, keys)
        else:
            known = groups_from_rows(siblings)
            self.groups = {key: known.get(key, set()) for key in keys}
        influencers = {influencer for _, influencer, _ in keys}
        self.sides = _sides(source, influencers | ({subject} if subject else set()))
        self.behind_subject = (
            {
                (side, "subject" if kind == "itself" else f"subject-{kind}")
                for side, kind in self.sides[subject]
            }
            if subject
            else set()
        )
        # a claim's own claimants are among its group's (the claim is in its own group)
        self.ties = _ties(
            source,
            {
                (c, side)
                for (_, influencer, _), claimants in self.groups.items()
                for c in claimants
                for side, _ in self.sides[influencer] | self.behind_subject
            },
        )
        self.via = functools.cache(self._via)

    def _via(self, claimant: str, influencer: str) -> str | None:
        """The first of the claimant's ties to the influencer's side (then to the
        subject's, marked "~"), as ``"<tie> <side kind> <side IRI>"``; None: no ally."""
        found = [
            f"{tie} {kind} {side}"
            for side, kind in self.sides[influencer]
            for tie in self.ties.get((claimant, side), ())
        ]
        found += [
            f"~{tie} {kind} {side}"
            for side, kind in self.behind_subject
            for tie in self.ties.get((claimant, side), ())
        ]
        return min(found) if found else None

    def status(self, key: Group) -> tuple[Concept, int, int]:
        """The status of the influence ``key`` states, with its group's claimant and ally
        counts."""
        claimants = self.groups[key]
        allies = sum(1 for c in claimants if self.via(c, key[1]) is not None)
        status = (
            UNATTRIBUTED
            if not claimants
            else SELF_REPORTED
            if allies == len(claimants)
            else INDEPENDENT
            if allies == 0
            else CORROBORATED
        )
        return status, len(claimants), allies


Group = tuple[str, str, str]
"""The influence a claim states: (target, influencer, kind), all IRIs."""
GROUP_KEY = ("target", "influencer", "kind")
"""The parameter slot of ``corroboration-groups.rq``: one influence per row."""


def _groups(source: Source, keys: list[Group]) -> dict[Group, set[str]]:
    """The claimants of every claim stating each of these influences
    (``corroboration-groups.rq``, bound in batches)."""
    from rdflib import URIRef

    groups: dict[Group, set[str]] = {key: set() for key in keys}
    for row in source.select_filled(
        load_query("corroboration-groups"),
        GROUP_KEY,
        [tuple(map(URIRef, key)) for key in keys],
        batch=VALUES_BATCH,
    ):
        key = (str(row["target"]), str(row["influencer"]), str(row["kind"]))
        groups[key].add(str(row["claimant"]))
    return groups


def groups_from_rows(rows: Iterable[Mapping[str, Any]]) -> dict[Group, set[str]]:
    """The claimants of each influence stated in ``rows`` (of ``corroboration-claims.rq``:
    claim, influencer, target, kind, and claimant when one is named), as
    ``corroboration-groups.rq`` would give them for the influences whose claims are all
    in ``rows``. An influence whose claims name no claimant maps to an empty set.

    Example:
        >>> rows = [
        ...     {"claim": "c1", "influencer": "x", "target": "y", "kind": "k", "claimant": "a"},
        ...     {"claim": "c2", "influencer": "x", "target": "y", "kind": "k", "claimant": "b"},
        ...     {"claim": "c3", "influencer": "x", "target": "z", "kind": "k"},
        ... ]
        >>> sorted((key, sorted(c)) for key, c in groups_from_rows(rows).items())
        [(('y', 'x', 'k'), ['a', 'b']), (('z', 'x', 'k'), [])]
    """
    groups: dict[Group, set[str]] = {}
    for row in rows:
        key = (str(row["target"]), str(row["influencer"]), str(row["kind"]))
        claimants = groups.setdefault(key, set())
        if row.get("claimant") is not None:
            claimants.add(str(row["claimant"]))
    return groups


def _sides(source: Source, entities: set[str]) -> dict[str, set[tuple[str, str]]]:
    """Each entity's side: itself, the works containing it (any depth, walked one step
    per query) and the makers of it and of those works."""
    wholes: dict[str, set[str]] = {}
    makers: dict[str, set[str]] = {}
    asked: set[str] = set()
    todo = set(entities)
    while todo:
        asked |= todo
        for row in source.select_text(load_query("corroboration-sides"), "entity", sorted(todo)):
            entity = row["entity"]
            if "whole" in row:
                wholes.setdefault(entity, set()).add(row["whole"])
            if "maker" in row:
                makers.setdefault(entity, set()).add(row["maker"])
        todo = {w for e in todo for w in wholes.get(e, ())} - asked
    sides = {}
    for entity in entities:
        containing: set[str] = set()
        step = wholes.get(entity, set())
        while step - containing:
            containing |= step
            step = {w for x in step for w in wholes.get(x, ())}
        sides[entity] = (
            {(entity, "itself")}
            | {(w, "whole") for w in containing}
            | {(m, "maker") for x in {entity} | containing for m in makers.get(x, ())}
        )
    return sides


TIES_CLAIMANTS = 200
"""Claimants per ties query: the query's ten branches each carry the list, so a query
stays a few tens of kilobytes."""


def _ties(source: Source, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """``{(claimant, side): {tie, ...}}`` for the pairs asked about; a claimant is tied to
    itself ("is").

    Only the query's ``?claimant`` slot is filled: each claimant's ties are few, and
    binding ``?side`` too made engines (Oxigraph) try every claimant with every side in
    each branch, ten times slower for a thousand of each. The has-member ties are read
    from the sides (``corroboration-members.rq``): an organisation may have thousands of
    members. Ties to pairs not asked about are dropped here."""
    ties: dict[tuple[str, str], set[str]] = {(c, s): {"is"} for c, s in pairs if c == s}
    claimants = sorted({claimant for claimant, _ in pairs})
    sides = sorted({side for _, side in pairs})
    for row in source.select_filled_text(
        load_query("corroboration-ties"), "claimant", claimants, batch=TIES_CLAIMANTS
    ) + source.select_filled_text(load_query("corroboration-members"), "side", sides):
        key = (row["claimant"], row["side"])
        if key in pairs:
            ties.setdefault(key, set()).add(row["tie"])
    return ties


def status_labels(
    source: Source, claims: Iterable[str], *, rows: Iterable[Mapping[str, Any]] | None = None
) -> dict[str, str]:
    """``{claim IRI: status label}`` for the given claim IRIs.

    For commands that show a few claims (``show``, ``path``, ``influence``): the statuses
    are judged for these claims only, never over the whole graph. IRIs that are not
    influence claims (a membership, an authorship link) are simply not answered.

    ``rows`` (of ``corroboration-claims.rq``: claim, influencer, target, kind, claimant)
    are claims read already, every claim of some entities (all those it influenced, or
    all that influenced it; :attr:`~influencegraph.projection.Neighbourhood.claim_rows`):
    the claims among them, and their groups, are then not asked again (see :func:`judge`).

    Example:
        >>> from influencegraph.graph import open_source
        >>> igd = "https://w3id.org/influencegraph/id/"
        >>> status_labels(open_source(), [igd + "claim-phf-funds-project"])
        {'https://w3id.org/influencegraph/id/claim-phf-funds-project': 'independent'}
    """
    wanted = set(claims)
    if (every := source.__dict__.get(_EVERY_STATUS)) is not None:
        return {claim: every[claim] for claim in dict.fromkeys(claims) if claim in every}

    def judged(claims: set[str]) -> dict[str, str]:
        return {
            c: status.status.label for c, status in claim_statuses(source, claims=claims).items()
        }

    if rows is None:
        labels = judged(wanted)
    else:
        read = list(rows)
        asked = [row for row in read if str(row["claim"]) in wanted]
        labels = _labels(_Judging(source, asked, None, read))
        if missing := wanted - labels.keys():
            labels.update(judged(missing))
    return {claim: label for claim, label in labels.items() if claim in wanted}


_EVERY_STATUS = "_every_status_label"


def remember_statuses(source: Source) -> dict[str, str]:
    """Judge every influence claim of ``source`` once, and remember the labels on it:
    :func:`status_labels` then looks them up instead of judging. For a run over a
    read-only source that asks about most claims (``publish``). The same answers: a
    claim's status (with no subject) rests on its own group, influencer and claimants
    only, never on which claims are judged with it."""
    rows = source.select(load_query("corroboration-claims"))
    labels = _labels(_Judging(source, rows, None, rows))  # every group is among the rows
    source.__dict__[_EVERY_STATUS] = labels
    return labels


def _labels(judging: _Judging) -> dict[str, str]:
    """The status label of each claim ``judging`` holds: what :func:`judge` finds, without
    the verdicts on each claimant that only a full :class:`ClaimStatus` shows."""
    return {claim: judging.status(key)[0].label for claim, key in judging.claims.items()}


def evidence_types(
    source: Source,
    *,
    influencer: str | None = None,
    target: str | None = None,
    claims: Iterable[str] | None = None,
) -> dict[str, Concept]:
    """The evidence type of every influence claim, keyed by claim IRI.

    Runs the shipped ``queries/evidence-types.rq``; the rules live only in that query.
    ``influencer``, ``target`` and ``claims`` restrict it as in :func:`claim_statuses`.

    Example:
        >>> from influencegraph.graph import open_source
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
