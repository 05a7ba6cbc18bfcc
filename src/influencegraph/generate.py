"""A synthetic policy corpus, for trying the tool at scale and for the benchmark.

:func:`generate_corpus` writes organisations (some of them government bodies), people
with memberships and roles, APPGs and working groups, and ``documents`` reports,
surveys and strategies with years, publishers and heavy-tailed citations between them
(preferential attachment: a few works are cited very often, most rarely). Every citation
is a full influence claim (kind from :data:`vocab.INFLUENCE_KINDS`, evidence, source
document, claimant), so the corpus conforms to ``ontology/shapes.ttl`` and to the
time-order rule (a work only cites works of the same year or earlier).

The output is written as text, block by block, without rdflib (a million triples take about
a second), through :func:`files.write_atomically`: a temporary file that replaces the
target only when complete. The same
seed and size always give the same bytes.

Kept as one module: the corpus is written in one streaming pass whose parts (organisations,
people, groups, works, citations) share one writer and one random stream; split, keeping
every seeded corpus identical would depend on the order of imports and calls across files.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InfluenceGraphError
from .files import write_atomically
from .vocab import IG, INFLUENCE_KINDS, PREFIXES

SYN = "https://example.org/influencegraph-synthetic/"
"""Namespace of generated entities (example.org: the corpus is made up)."""

_NAMESPACES = {
    "syn": SYN,
    **{
        p: PREFIXES[p]
        for p in ("ig", "prov", "cito", "dcterms", "org", "foaf", "rdf", "rdfs", "xsd")
    },
}

FORMATS = {".nt": "nt", ".ntriples": "nt", ".ttl": "turtle", ".turtle": "turtle"}
"""Output formats by file suffix."""

FIRST_YEAR = 1990
LAST_YEAR = 2024

_PLACES = (
    "Northfield",
    "Riverside",
    "Eastgate",
    "Westbury",
    "Hillcrest",
    "Lakeside",
    "Kingsway",
    "Ashford",
    "Brookdale",
    "Fairview",
    "Greenwich",
    "Harbour",
    "Millbrook",
    "Oakham",
    "Redcliffe",
    "Stonebridge",
    "Thornbury",
    "Upland",
    "Valemont",
    "Whitmore",
)
_FIELDS = (
    "Social",
    "Policy",
    "Community",
    "Education",
    "Housing",
    "Health",
    "Civic",
    "Economic",
    "Urban",
    "Rural",
    "Youth",
    "Integration",
)
_ORG_KINDS = (
    "Institute",
    "Foundation",
    "Trust",
    "Centre",
    "Network",
    "Forum",
    "Council",
    "Alliance",
)
_GOV_KINDS = ("Department", "Authority", "Office", "Commission")
_TOPICS = (
    "social integration",
    "local housing",
    "youth services",
    "adult learning",
    "community cohesion",
    "public health",
    "regional growth",
    "civic participation",
    "migration",
    "loneliness",
    "early years",
    "skills and work",
    "neighbourhoods",
    "transport access",
    "digital inclusion",
    "volunteering",
)
_REPORT_FORMS = ("review", "evidence paper", "briefing", "report", "working paper")
_SURVEY_FORMS = ("survey", "panel study", "census analysis")
_STRATEGY_FORMS = ("strategy", "green paper", "action plan", "white paper")
_FIRST_NAMES = (
    "Alex",
    "Amira",
    "Ben",
    "Chloe",
    "Daniel",
    "Esther",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jade",
    "Kwame",
    "Laura",
    "Mohammed",
    "Nia",
    "Owen",
    "Priya",
    "Rhys",
    "Sarah",
    "Tom",
    "Uma",
    "Victor",
    "Wen",
    "Yusuf",
    "Zara",
)
_LAST_NAMES = (
    "Adams",
    "Begum",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
)
_ROLES = ("Chair", "Director", "Trustee", "Research Fellow", "Policy Adviser", "Member")

_DOC_KINDS = [
    (k, w)
    for k, w in zip(
        ("citesAsKeyInfluence", "endorses", "drawsOn", "reflects"), (1, 2, 4, 3), strict=True
    )
]


@dataclass
class CorpusSummary:
    """What :func:`generate_corpus` wrote. ``as_dict`` gives the stable JSON shape."""

    path: str
    format: str
    seed: int
    documents: int
    organisations: int = 0
    people: int = 0
    groups: int = 0
    memberships: int = 0
    claims: int = 0
    triples: int = 0
    seconds: float = 0.0
    claims_by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "seed": self.seed,
            "documents": self.documents,
            "organisations": self.organisations,
            "people": self.people,
            "groups": self.groups,
            "memberships": self.memberships,
            "claims": self.claims,
            "triples": self.triples,
            "seconds": round(self.seconds, 3),
        }


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


class _Writer:
    """Serialises subject blocks as N-Triples or Turtle text; counts the triples."""

    def __init__(self, fmt: str) -> None:
        self.turtle = fmt == "turtle"
        self.triples = 0

    def iri(self, prefix: str, local: str) -> str:
        if self.turtle:
            return f"{prefix}:{local}"
        return f"<{_NAMESPACES[prefix]}{local}>"

    def full(self, iri: str) -> str:
        """A full IRI in the output syntax (shortened in Turtle where a prefix fits)."""
        if self.turtle:
            for prefix, ns in _NAMESPACES.items():
                local = iri[len(ns) :]
                if iri.startswith(ns) and local.replace("-", "").isalnum():
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def text(self, value: str) -> str:
        return f'"{_escape(value)}"'

    def year(self, value: int) -> str:
        dt = "xsd:gYear" if self.turtle else f"<{PREFIXES['xsd']}gYear>"
        return f'"{value:04d}"^^{dt}'

    def header(self) -> str:
        if not self.turtle:
            return ""
        lines = [f"@prefix {p}: <{ns}> ." for p, ns in _NAMESPACES.items()]
        return (
            "# A synthetic policy corpus made by `influencegraph generate`.\n"
            + "\n".join(lines)
            + "\n\n"
        )

    def block(self, subject: str, pairs: list[tuple[str, str]]) -> str:
        self.triples += len(pairs)
        if self.turtle:
            body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
            return f"{subject} {body} .\n"
        return "".join(f"{subject} {p} {o} .\n" for p, o in pairs)


@dataclass
class _Entity:
    iri: str
    label: str
    source: str


def _skewed(rng: random.Random, n: int) -> int:
    """An index in [0, n) where low indexes are much more likely (a few prolific actors)."""
    return min(n - 1, int(n * rng.random() ** 3))


def _unique_name(parts: tuple[tuple[str, ...], ...], i: int) -> str:
    """The i-th combination of the word lists; a number is added once they run out."""
    words = []
    rest = i
    for options in reversed(parts):
        rest, pick = divmod(rest, len(options))
        words.append(options[pick])
    name = " ".join(reversed(words))
    return name if rest == 0 else f"{name} {rest + 1}"


def corpus_lines(
    documents: int, seed: int = 0, fmt: str = "turtle", summary: CorpusSummary | None = None
) -> Iterator[str]:
    """The corpus as chunks of N-Triples or Turtle text (see :func:`generate_corpus`).

    Example:
        >>> text = "".join(corpus_lines(5, seed=1, fmt="nt"))
        >>> "InfluenceClaim" in text
        True
    """
    if documents < 1:
        raise InfluenceGraphError("documents must be at least 1")
    rng = random.Random(seed)
    w = _Writer(fmt)
    a, label, source, evidence = "rdf:type", "rdfs:label", "dcterms:source", "ig:evidence"
    if not w.turtle:
        a, label, source, evidence = (
            w.full(PREFIXES["rdf"] + "type"),
            w.full(PREFIXES["rdfs"] + "label"),
            w.full(PREFIXES["dcterms"] + "source"),
            w.full(IG + "evidence"),
        )
    p = {
        name: w.full(iri)
        for name, iri in {
            "title": PREFIXES["dcterms"] + "title",
            "publisher": PREFIXES["dcterms"] + "publisher",
            "creator": PREFIXES["dcterms"] + "creator",
            "issued": PREFIXES["dcterms"] + "issued",
            "qualified": PREFIXES["prov"] + "qualifiedInfluence",
            "influenced": PREFIXES["prov"] + "wasInfluencedBy",
            "influencer": PREFIXES["prov"] + "influencer",
            "kind": IG + "kind",
            "claimant": IG + "claimant",
            "member": PREFIXES["org"] + "member",
            "organization": PREFIXES["org"] + "organization",
            "role": PREFIXES["org"] + "role",
        }.items()
    }
    t = {
        name: w.full(iri)
        for name, iri in {
            "SourceDocument": IG + "SourceDocument",
            "Organisation": IG + "Organisation",
            "GovernmentBody": IG + "GovernmentBody",
            "Person": PREFIXES["foaf"] + "Person",
            "APPG": IG + "APPG",
            "WorkingGroup": IG + "WorkingGroup",
            "Report": IG + "Report",
            "Survey": IG + "Survey",
            "Strategy": IG + "Strategy",
            "Claim": IG + "InfluenceClaim",
            "Membership": PREFIXES["org"] + "Membership",
            "Role": PREFIXES["org"] + "Role",
        }.items()
    }
    kinds = {
        k.name: (w.full(k.iri), w.full(k.cito) if k.cito else None, k.label)
        for k in INFLUENCE_KINDS
    }
    summary = summary if summary is not None else CorpusSummary("", fmt, seed, documents)
    summary.documents = documents

    yield w.header()

    # Organisations (every fifth a government body), each with its own publications page.
    n_orgs = max(2, documents // 25)
    orgs: list[_Entity] = []
    govs: list[int] = []
    out: list[str] = []
    for i in range(n_orgs):
        gov = i % 5 == 0
        name = (
            _unique_name((_PLACES, _FIELDS, _GOV_KINDS), i // 5)
            if gov
            else _unique_name((_PLACES, _FIELDS, _ORG_KINDS), i)
        )
        iri, src = w.iri("syn", f"org-{i}"), w.iri("syn", f"src-{i}")
        orgs.append(_Entity(iri, name, src))
        if gov:
            govs.append(i)
        page = f"Publications of {name}"
        out.append(
            w.block(
                src,
                [
                    (a, t["SourceDocument"]),
                    (label, w.text(page)),
                    (p["title"], w.text(page)),
                    (p["publisher"], iri),
                    (source, src),
                    (evidence, w.text(f"The publications and people of {name}.")),
                ],
            )
        )
        out.append(
            w.block(
                iri,
                [
                    (a, t["GovernmentBody" if gov else "Organisation"]),
                    (label, w.text(name)),
                    (source, src),
                    (evidence, w.text(f"{name} publishes its work on this page.")),
                ],
            )
        )
    summary.organisations = n_orgs
    roles = []
    for j, role in enumerate(_ROLES):
        iri = w.iri("syn", f"role-{j}")
        roles.append(iri)
        out.append(w.block(iri, [(a, t["Role"]), (label, w.text(role))]))
    yield "".join(out)

    # People, each a member of one or two organisations.
    n_people = max(2, documents // 10)
    people: list[_Entity] = []
    out = []
    n_memberships = 0
    for i in range(n_people):
        name = _unique_name((_FIRST_NAMES, _LAST_NAMES), i)
        iri = w.iri("syn", f"person-{i}")
        home = orgs[_skewed(rng, n_orgs)]
        people.append(_Entity(iri, name, home.source))
        out.append(
            w.block(
                iri,
                [
                    (a, t["Person"]),
                    (label, w.text(name)),
                    (source, home.source),
                    (evidence, w.text(f"{name} works at {home.label}.")),
                ],
            )
        )
        for org in {
            home.iri: home,
            **({} if rng.random() < 0.7 else {(o := orgs[rng.randrange(n_orgs)]).iri: o}),
        }.values():
            r = rng.randrange(len(_ROLES))
            out.append(
                w.block(
                    w.iri("syn", f"m-{n_memberships}"),
                    [
                        (a, t["Membership"]),
                        (p["member"], iri),
                        (p["organization"], org.iri),
                        (p["role"], roles[r]),
                        (source, org.source),
                        (evidence, w.text(f"{name}, {_ROLES[r]}, {org.label}")),
                    ],
                )
            )
            n_memberships += 1
    summary.people = n_people
    summary.memberships = n_memberships
    yield "".join(out)

    claims = 0
    by_kind: dict[str, int] = {}

    def claim(
        target: str, influencer: str, kind_name: str, quote: str, by: _Entity
    ) -> tuple[list[tuple[str, str]], str]:
        """Target-side pairs and the claim's own block."""
        nonlocal claims
        kind_iri, cito, _ = kinds[kind_name]
        iri = w.iri("syn", f"claim-{claims}")
        claims += 1
        by_kind[kind_name] = by_kind.get(kind_name, 0) + 1
        target_pairs = [(p["qualified"], iri), (p["influenced"], influencer)]
        if cito:
            target_pairs.append((cito, influencer))
        return target_pairs, w.block(
            iri,
            [
                (a, t["Claim"]),
                (p["influencer"], influencer),
                (p["kind"], kind_iri),
                (evidence, w.text(quote)),
                (source, by.source),
                (p["claimant"], by.iri),
            ],
        )

    # Groups: APPGs (chaired, with a secretariat) and working groups (chair and members).
    n_groups = max(1, documents // 200)
    out = []
    for i in range(n_groups):
        appg = i % 2 == 0
        topic = _TOPICS[(i // 2) % len(_TOPICS)].capitalize()
        name = f"APPG on {topic}" if appg else f"{topic} working group"
        if i >= 2 * len(_TOPICS):
            name += f" {i // (2 * len(_TOPICS)) + 1}"
        iri = w.iri("syn", f"group-{i}")
        host = orgs[_skewed(rng, n_orgs)]
        pairs = [
            (a, t["APPG" if appg else "WorkingGroup"]),
            (label, w.text(name)),
            (source, host.source),
            (evidence, w.text(f"{host.label} supports the {name}.")),
        ]
        chair = people[rng.randrange(n_people)]
        extra, block = claim(iri, chair.iri, "chairs", f"{chair.label} (Chair), {name}", host)
        pairs += extra
        out.append(block)
        if appg:
            extra, block = claim(
                iri,
                host.iri,
                "runsSecretariatOf",
                f"{host.label} provides the secretariat of the {name}",
                host,
            )
            pairs += extra
            out.append(block)
        else:
            for m in dict.fromkeys(rng.randrange(n_people) for _ in range(rng.randint(2, 6))):
                member = people[m]
                extra, block = claim(
                    iri,
                    member.iri,
                    "memberOfWorkingGroup",
                    f"{member.label} sits on the {name}",
                    host,
                )
                pairs += extra
                out.append(block)
        out.append(w.block(iri, pairs))
    summary.groups = n_groups
    yield "".join(out)

    # Documents in date order; each cites earlier ones, preferring the already well cited.
    kind_names = [k for k, _ in _DOC_KINDS]
    kind_weights = [wt for _, wt in _DOC_KINDS]
    span = LAST_YEAR - FIRST_YEAR + 1
    docs: list[tuple[str, str]] = []  # (iri, title)
    pool: list[int] = []
    out = []
    for i in range(documents):
        year = FIRST_YEAR + (i * span) // documents
        roll = rng.random()
        topic = _TOPICS[rng.randrange(len(_TOPICS))]
        if roll < 0.1 and govs:
            kind, form, publisher = (
                "Strategy",
                _STRATEGY_FORMS[i % 4],
                orgs[govs[_skewed(rng, len(govs))]],
            )
        elif roll < 0.2:
            kind, form, publisher = "Survey", _SURVEY_FORMS[i % 3], orgs[_skewed(rng, n_orgs)]
        else:
            kind, form, publisher = "Report", _REPORT_FORMS[i % 5], orgs[_skewed(rng, n_orgs)]
        title = f"{topic.capitalize()} {form} {year} no. {i + 1}"
        iri = w.iri("syn", f"doc-{i}")
        docs.append((iri, title))
        pairs = [
            (a, t[kind]),
            (label, w.text(title)),
            (p["title"], w.text(title)),
            (p["issued"], w.year(year)),
            (p["publisher"], publisher.iri),
            (source, publisher.source),
            (evidence, w.text(f"{title}, published by {publisher.label} in {year}.")),
        ]
        if rng.random() < 0.3:
            pairs.append((p["creator"], people[_skewed(rng, n_people)].iri))
        if pool:
            wanted = min(len(docs) - 1, 40, int(rng.paretovariate(1.4)))
            cited: dict[int, None] = {}
            for _ in range(wanted * 2):
                if len(cited) >= wanted:
                    break
                cited.setdefault(pool[rng.randrange(len(pool))])
            for j in cited:
                kind_name = rng.choices(kind_names, kind_weights)[0]
                quote = f"{title} {kinds[kind_name][2]} {docs[j][1]}."
                extra, block = claim(iri, docs[j][0], kind_name, quote, publisher)
                pairs += extra
                out.append(block)
                pool.append(j)
        roll = rng.random()
        if roll < 0.08:
            person = people[rng.randrange(n_people)]
            extra, block = claim(
                iri,
                person.iri,
                "contributesTo",
                f"{person.label} contributed to {title}.",
                publisher,
            )
            pairs += extra
            out.append(block)
        elif roll < 0.12:
            funder = orgs[_skewed(rng, n_orgs)]
            extra, block = claim(
                iri, funder.iri, "funds", f"{title} was funded by {funder.label}.", publisher
            )
            pairs += extra
            out.append(block)
        if kind == "Strategy" and rng.random() < 0.3:
            partner = orgs[rng.randrange(n_orgs)]
            extra, block = claim(
                iri,
                partner.iri,
                "worksWith",
                f"{publisher.label} worked with {partner.label} on {title}.",
                publisher,
            )
            pairs += extra
            out.append(block)
        out.append(w.block(iri, pairs))
        pool.append(i)
        if len(out) >= 2000:
            yield "".join(out)
            out = []
    yield "".join(out)
    summary.claims = claims
    summary.claims_by_kind = dict(sorted(by_kind.items()))
    summary.triples = w.triples


def output_format(path: str | os.PathLike[str]) -> str:
    """``nt`` or ``turtle`` from the file's suffix; a clear error for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InfluenceGraphError(
            f"{path}: cannot tell the format from {suffix or 'no suffix'!r}; "
            f"use one of {', '.join(sorted(FORMATS))}"
        )
    return FORMATS[suffix]


def generate_corpus(path: str | os.PathLike[str], documents: int, seed: int = 0) -> CorpusSummary:
    """Write a synthetic, shape-conforming policy corpus of ``documents`` works to ``path``.

    The format follows the suffix (``.ttl`` Turtle, ``.nt`` N-Triples). About 30 triples
    per document; deterministic for a given ``seed``.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "corpus.ttl"
        >>> generate_corpus(out, documents=100, seed=7).documents
        100
    """
    fmt = output_format(path)
    summary = CorpusSummary(str(path), fmt, seed, documents)
    started = time.perf_counter()
    write_atomically(path, corpus_lines(documents, seed, fmt, summary))
    summary.seconds = time.perf_counter() - started
    return summary
