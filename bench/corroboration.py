"""How long the corroboration status and a dossier take as the graph grows.

Generates graphs shaped like the seed (organisations publishing reports, strategies that
endorse or cite them, secretariats, memberships, claimants who are sometimes the
publisher and sometimes someone else), then times, in the same run:

* every claim's corroboration status (:func:`claim_statuses`, which runs the shipped
  ``queries/corroboration-*.rq`` and judges in Python) for the whole graph and bound to
  one influencer (what ``dossier`` does), on rdflib's memory store (the plain approach)
  and on Oxigraph's (what influencegraph reads files with), with the ratio;
* ``evidence-types.rq`` on both;
* one whole dossier (``build_dossier``) on both.

It also checks that both engines give every claim the same status.

Run: ``.venv/bin/python bench/corroboration.py [SIZES...]`` (organisations; default 50 200).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from influencegraph.corroboration import claim_statuses, evidence_types
from influencegraph.dossier import build_dossier
from influencegraph.graph import MemorySource, OxigraphMemorySource, load_graph

HEAD = """@prefix : <https://example.org/> .
@prefix ig: <https://w3id.org/influencegraph/ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

KINDS = ("ig:endorses", "ig:citesAsKeyInfluence", "ig:reflects", "ig:drawsOn")


def make_graph(orgs: int, seed: int = 7) -> tuple[str, int]:
    """Turtle for ``orgs`` organisations (3 reports, 1 strategy, 1 group, 2 people each)."""
    rnd = random.Random(seed)
    lines = [HEAD]
    claims = 0

    def claim(target: str, influencer: str, kind: str, claimants: list[str]) -> None:
        nonlocal claims
        by = ", ".join(f":{c}" for c in claimants)
        lines.append(
            f":{target} prov:qualifiedInfluence :c{claims} .\n"
            f":c{claims} a ig:InfluenceClaim ; prov:influencer :{influencer} ; "
            f"ig:kind {kind} ; ig:claimant {by} ."
        )
        claims += 1

    for o in range(orgs):
        lines.append(f':o{o} a ig:Organisation ; rdfs:label "Org {o}" .')
        lines.append(f':g{o} a ig:APPG ; rdfs:label "Group {o}" .')
        lines.append(f':s{o} a ig:Strategy ; rdfs:label "Strategy {o}" ; dcterms:publisher :o{o} .')
        claim(f"g{o}", f"o{o}", "ig:runsSecretariatOf", [f"o{o}"])
        for p in range(2):
            lines.append(f':p{o}_{p} a foaf:Person ; rdfs:label "Person {o} {p}" .')
            lines.append(
                f":m{o}_{p} a org:Membership ; org:member :p{o}_{p} ; org:organization :o{o} ."
            )
        for r in range(3):
            maker = f"g{o}" if r == 2 else f"o{o}"
            lines.append(
                f':r{o}_{r} a ig:Report ; rdfs:label "Report {o} {r}" ; '
                f'dcterms:publisher :{maker} ; dcterms:issued "{2010 + r}" .'
            )
    for o in range(orgs):
        for r in range(3):
            for _ in range(2):
                target = f"s{rnd.randrange(orgs)}"
                who = [f"o{o}"] if rnd.random() < 0.6 else [f"o{rnd.randrange(orgs)}"]
                if rnd.random() < 0.15:
                    who.append(f"p{rnd.randrange(orgs)}_0")
                claim(target, f"r{o}_{r}", rnd.choice(KINDS), who)
    return "\n".join(lines) + "\n", claims


def timed(label: str, run, took: dict[str, float]):
    start = time.perf_counter()
    result = run()
    took[label] = time.perf_counter() - start
    print(f"  {label:<50} {took[label]:8.3f} s")
    return result


def main(sizes: list[int]) -> None:
    for orgs in sizes:
        turtle, claims = make_graph(orgs)
        graph = load_graph(Graph().parse(data=turtle, format="turtle"))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "graph.ttl"
            path.write_text(turtle, encoding="utf-8")
            engines = {"rdflib": MemorySource(graph), "Oxigraph": OxigraphMemorySource([path])}
            print(f"{orgs} organisations, {claims} claims, {len(graph)} triples")
            seconds: dict[str, dict[str, float]] = {}
            statuses = {}
            for name, source in engines.items():
                took = seconds[name] = {}
                statuses[name] = timed(
                    f"statuses, whole graph, {name}", lambda s=source: claim_statuses(s), took
                )
                timed(
                    f"statuses, one influencer, {name}",
                    lambda s=source: claim_statuses(s, influencer="https://example.org/r0_0"),
                    took,
                )
                timed(
                    f"evidence types, whole graph, {name}", lambda s=source: evidence_types(s), took
                )
                timed(
                    f"dossier of one organisation, {name}",
                    lambda s=source: build_dossier(s, "https://example.org/o0"),
                    took,
                )
            for step, plain in seconds["rdflib"].items():
                ours = seconds["Oxigraph"][step.replace("rdflib", "Oxigraph")]
                print(
                    f"  {step.replace(', rdflib', ''):<50} rdflib/Oxigraph = {plain / ours:6.1f}x"
                )
            same = {c: s.status.iri for c, s in statuses["rdflib"].items()} == {
                c: s.status.iri for c, s in statuses["Oxigraph"].items()
            }
            print(f"  same status for every claim in both engines: {same}")
            counts: dict[str, int] = {}
            for status in statuses["Oxigraph"].values():
                counts[status.status.label] = counts.get(status.status.label, 0) + 1
            print(f"  statuses: {counts}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [50, 200])
