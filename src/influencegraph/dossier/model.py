"""What a dossier holds: its parts as dataclasses, and the claim in words."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import __version__
from ..names import Entity
from ..vocab import INFLUENCE_KINDS, KIND_BY_IRI, PREFIXES

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
    "corroboration-members.rq",
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
        from ..corroboration import STATUSES

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

        from .document import render

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
