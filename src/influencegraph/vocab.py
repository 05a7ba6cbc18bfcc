"""Namespaces, entity types and influence kinds (with their strengths).

Pure data, no I/O and no rdflib import, so the CLI can list kinds in ``--help``
without paying for rdflib. ``ontology/influencegraph.ttl`` declares the same kinds;
a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

IG = "https://w3id.org/influencegraph/ns#"
"""The project's vocabulary (terms the standard vocabularies lack)."""
IGD = "https://w3id.org/influencegraph/id/"
"""Identifiers of the bundled graph's entities."""

PREFIXES: dict[str, str] = {
    "ig": IG,
    "igd": IGD,
    "prov": "http://www.w3.org/ns/prov#",
    "cito": "http://purl.org/spar/cito/",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
"""Prefixes pre-bound in every query the project runs or accepts."""


def sparql_prefixes() -> str:
    """The PREFIX lines for :data:`PREFIXES`, to put before a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def expand(curie: str) -> str:
    """``"ig:Report"`` -> the full IRI string; a string with no known prefix is returned as is."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie


def shorten(iri: str) -> str:
    """The full IRI -> ``"ig:Report"`` where a known prefix fits, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


# ---------------------------------------------------------------- entity types

ENTITY_TYPES: dict[str, str] = {
    "Report": IG + "Report",
    "Survey": IG + "Survey",
    "Strategy": IG + "Strategy",
    "Idea": IG + "Idea",
    "Organisation": IG + "Organisation",
    "Government body": IG + "GovernmentBody",
    "Group": IG + "Group",
    "APPG": IG + "APPG",
    "Working group": IG + "WorkingGroup",
    "Project": IG + "Project",
    "Programme": IG + "Programme",
    "Person": PREFIXES["foaf"] + "Person",
    "Source document": IG + "SourceDocument",
}
"""Display name -> class IRI of every kind of entity a user can name."""

SUPERTYPE: dict[str, str] = {
    "Survey": "Report",
    "Government body": "Organisation",
    "APPG": "Group",
    "Working group": "Group",
}
"""A type's broader type, so ``--type Report`` also finds surveys."""

TYPE_NAMES: dict[str, str] = {iri: name for name, iri in ENTITY_TYPES.items()}
"""Class IRI -> display name."""


def type_family(name: str) -> set[str]:
    """The display name and every narrower type under it (``"Report"`` -> Report, Survey)."""
    family = {name}
    changed = True
    while changed:
        changed = False
        for narrower, broader in SUPERTYPE.items():
            if broader in family and narrower not in family:
                family.add(narrower)
                changed = True
    return family


def canonical_type(text: str) -> str | None:
    """Match a user's type name (any case, ``Organization``, plural) to a display name."""
    wanted = text.strip().casefold().replace("organization", "organisation").replace("_", " ")
    for name in ENTITY_TYPES:
        folded = name.casefold()
        if wanted in (folded, folded + "s", folded.replace(" ", ""), folded.replace(" ", "-")):
            return name
    return None


# ---------------------------------------------------------------- influence kinds


@dataclass(frozen=True)
class InfluenceKind:
    """One documented kind of influence and how strong it is (0..1)."""

    name: str
    label: str
    strength: float
    definition: str
    cito: str | None = None

    @property
    def iri(self) -> str:
        return IG + self.name


INFLUENCE_KINDS: tuple[InfluenceKind, ...] = (
    InfluenceKind(
        "citesAsKeyInfluence",
        "cites as key influence",
        0.9,
        "The target names the influencer as a key influence on it.",
        "http://purl.org/spar/cito/citesAsAuthority",
    ),
    InfluenceKind(
        "endorses",
        "endorses",
        0.8,
        "The target highlights and endorses the influencer's ideas.",
        "http://purl.org/spar/cito/agreesWith",
    ),
    InfluenceKind(
        "drawsOn",
        "draws on",
        0.7,
        "The target draws its conclusions or lessons from the influencer.",
        "http://purl.org/spar/cito/usesConclusionsFrom",
    ),
    InfluenceKind("chairs", "chairs", 0.7, "The influencer chairs the target group or project."),
    InfluenceKind(
        "reflects",
        "reflects",
        0.6,
        "The target reflects the influencer's mission, analysis or approach.",
        "http://purl.org/spar/cito/usesMethodIn",
    ),
    InfluenceKind(
        "runsSecretariatOf",
        "runs the secretariat of",
        0.6,
        "The influencer provides the secretariat of the target group.",
    ),
    InfluenceKind("funds", "funds", 0.5, "The influencer funds the target work."),
    InfluenceKind(
        "contributesTo",
        "contributes to",
        0.5,
        "The influencer contributes views or writing to the target work.",
    ),
    InfluenceKind(
        "memberOfWorkingGroup",
        "member of working group",
        0.4,
        "The influencer sits on the target working group.",
    ),
    InfluenceKind(
        "worksWith",
        "works with",
        0.3,
        "The influencer works with the target to develop its policies or programmes.",
    ),
    InfluenceKind(
        "cites",
        "cites",
        0.2,
        "The target's reference list includes the influencer (a bibliographic "
        "citation, as OpenAlex or Crossref record it).",
        "http://purl.org/spar/cito/cites",
    ),
)
"""Every documented influence kind, strongest first."""

KIND_BY_IRI: dict[str, InfluenceKind] = {k.iri: k for k in INFLUENCE_KINDS}

PUBLISHES = InfluenceKind(
    "publishes",
    "publishes",
    1.0,
    "The influencer published or created the target work "
    "(dcterms:publisher / dcterms:creator); not a claim, so no claimant.",
)
"""Authorship, drawn as an influence edge from an organisation or person to its work."""


def kind_named(text: str) -> InfluenceKind | None:
    """Find a kind by its name (``endorses``), label (``cites as key influence``) or IRI."""
    raw = text.strip()
    wanted = {raw.casefold().replace("-", " ").replace("_", " "), expand(raw).casefold()}
    for kind in INFLUENCE_KINDS:
        if wanted & {kind.name.casefold(), kind.label.casefold(), kind.iri.casefold()}:
            return kind
    return None
