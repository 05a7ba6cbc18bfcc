"""What a graph lacks that influencegraph or its users may rely on: ``doctor``.

influencegraph's own commands need only the data: the class hierarchy and the influence
kinds they use come with the tool (``vocab.py``, and the shipped queries list each class
with its subclasses). But a store or an endpoint loaded without the project's vocabulary
gives user queries no kind labels or strengths, no class hierarchy and no cue lexicon for
``extract``; a graph with no claims, no claimants or no sources cannot be judged. Each
check says what it found and what depends on it, so nothing goes missing without a word.

Example:
    >>> from influencegraph.graph import open_source
    >>> report = diagnose(open_source())
    >>> [c.name for c in report.checks if not c.ok]
    []
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import Source

CHECK_COLUMNS = ("check", "ok", "found", "affects")
"""Table and CSV columns; JSON rows carry the same keys."""

_COUNTS = {
    "data": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type . "
        "VALUES ?type { ig:Report ig:Survey ig:Strategy ig:Idea ig:Organisation "
        "ig:GovernmentBody ig:Group ig:APPG ig:WorkingGroup ig:Project ig:Programme "
        "foaf:Person } }",
        "every command: no entities of the project's types were found (on an endpoint "
        "with many graphs, name the one holding the data with --default-graph)",
    ),
    "claims": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?t prov:qualifiedInfluence ?c . "
        "?c prov:influencer ?i ; ig:kind ?k }",
        "path, influence, rank, dossier: no influence claims",
    ),
    "claimants": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a ig:InfluenceClaim ; ig:claimant ?x }",
        "corroboration: claims without a claimant are unattributed",
    ),
    "sources": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a ig:SourceDocument }",
        "evidence: quotes cannot be traced to a document",
    ),
    "kind vocabulary": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?k a ig:InfluenceKind ; ig:strength ?s }",
        "user queries (sparql, serve, examples/queries) get no kind labels "
        "or strengths; influencegraph's commands use the kinds it ships",
    ),
    "class hierarchy": (
        "SELECT (COUNT(*) AS ?n) WHERE { ig:Survey rdfs:subClassOf ?c }",
        "user queries using rdfs:subClassOf find no subclasses; "
        "influencegraph's commands list the subclasses themselves",
    ),
    "cue lexicon": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?k ig:cue ?cue }",
        "extract refuses to run: the graph declares no influence cues (load "
        "ontology/influencegraph.ttl with the data)",
    ),
}


@dataclass(frozen=True)
class Check:
    """One thing looked for: found how many times, and what depends on it."""

    name: str
    found: int
    affects: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.found > 0

    def as_row(self) -> dict[str, object]:
        """Stable keys: check, ok, found, affects (and error when the check failed)."""
        row: dict[str, object] = {
            "check": self.name,
            "ok": self.ok,
            "found": self.found,
            "affects": "" if self.ok else self.affects,
        }
        if self.error:
            row["error"] = self.error
        return row


@dataclass
class Diagnosis:
    """Every check on one graph."""

    where: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.where,
            "ok": self.ok,
            "checks": [check.as_row() for check in self.checks],
        }


def diagnose(source: Source) -> Diagnosis:
    """Run every check on ``source``; a check the engine cannot answer records its error
    instead of stopping the others."""
    from .errors import InfluenceGraphError

    diagnosis = Diagnosis(source.describe())
    for name, (query, affects) in _COUNTS.items():
        try:
            rows = source.select(query)
            found = int(rows[0]["n"].toPython()) if rows and "n" in rows[0] else 0
            diagnosis.checks.append(Check(name, found, affects))
        except InfluenceGraphError as exc:
            diagnosis.checks.append(Check(name, 0, affects, str(exc)))
    return diagnosis


__all__ = ["CHECK_COLUMNS", "Check", "Diagnosis", "diagnose"]
