"""How fast is `influencegraph path`? Prints figures; asserts nothing.

1. Whole process on the bundled graph (target: at most 0.5 s), for the shortest, the
   strongest and --all, next to the plain approach in a fresh process: rdflib parse +
   project every influence edge into networkx + ``nx.shortest_path``. Read commands parse
   files with Oxigraph in memory; the same command with files on rdflib (as before) and
   on an on-disk store (``--store``) runs beside them. One run (load 1.2, 9 rounds):
   ``path`` ATN -> ICS median 0.22 s (best 0.19 s); on rdflib 0.55 s (0.50 s); on the
   store 0.23 s (0.22 s).
2. In process on a generated graph (default 4,000 works, 12,000 claims), already loaded:
   the bounded search (`find_paths`, which fetches only the neighbourhood) next to the
   whole projection (`influence_graph`) + ``nx.shortest_path``.

Run: ``.venv/bin/python bench/bench_paths.py [--runs N] [--works N]``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "triples.ttl"
CLI = Path(sys.executable).with_name("influencegraph")

PLAIN = r"""
import sys
import networkx as nx
from rdflib import Graph
g = Graph().parse(sys.argv[1], format="turtle")
q = '''PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?x ?y WHERE {
  { ?y prov:qualifiedInfluence ?c . ?c prov:influencer ?x }
  UNION { ?y dcterms:publisher|dcterms:creator ?x }
}'''
d = nx.DiGraph((str(x), str(y)) for x, y in g.query(q))
label = {}
for s, o in g.subject_objects(g.namespace_manager.expand_curie("rdfs:label")):
    label.setdefault(str(o).casefold(), str(s))
path = nx.shortest_path(d, label[sys.argv[2].casefold()], label[sys.argv[3].casefold()])
print(len(path) - 1, "hops")
"""


def once(command: list[str]) -> tuple[float, str]:
    """Wall time of one whole process, and its first output line."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    lines = (done.stdout or done.stderr).strip().splitlines()
    return elapsed, lines[0] if lines else f"exit {done.returncode}"


ON_RDFLIB = r"""
import sys
import influencegraph.graph as source
real = source.open_source
source.open_source = lambda *a, needs="edit", **k: real(*a, needs="edit", **k)
from influencegraph.cli import main
sys.argv = ["influencegraph", *sys.argv[1:]]
main()
"""
"""The CLI with every command reading files on rdflib, as all did before the Oxigraph engine."""


def whole_process(runs: int) -> None:
    import tempfile

    from influencegraph.load import load_files

    print(
        f"1. whole process on the bundled graph ({runs} rounds, cases interleaved so they "
        "share the machine's load; target <= 0.5 s)"
    )
    ics = "Integrated Communities Strategy Green Paper"
    store = Path(tempfile.mkdtemp()) / "seed.db"
    load_files(store, [DATA])
    shortest = ["path", "All Together Now", ics, "--format", "csv"]
    cases = [
        ("path ATN -> ICS (shortest)", [str(CLI), *shortest]),
        ("  same, files on rdflib (before)", [sys.executable, "-c", ON_RDFLIB, *shortest]),
        ("  same, --store (on-disk Oxigraph)", [str(CLI), "--store", str(store), *shortest]),
        (
            "path The Challenge -> ICS --strongest",
            [str(CLI), "path", "The Challenge", ics, "--strongest", "--format", "csv"],
        ),
        (
            "path The Challenge -> ICS --all",
            [str(CLI), "path", "The Challenge", ics, "--all", "--format", "csv"],
        ),
        ("path ATN -> ICS, table", [str(CLI), "path", "All Together Now", ics]),
        ("path ICS -> ATN (none: exit 1 + hints)", [str(CLI), "path", ics, "All Together Now"]),
        ("stats (for comparison)", [str(CLI), "stats", "--format", "csv"]),
        (
            "plain: rdflib + whole networkx + shortest_path",
            [sys.executable, "-c", PLAIN, str(DATA), "All Together Now", ics],
        ),
        (
            "baseline: python -c 'import rdflib, networkx'",
            [sys.executable, "-c", "import rdflib, networkx"],
        ),
    ]
    times: dict[str, list[float]] = {name: [] for name, _ in cases}
    first: dict[str, str] = {}
    for _ in range(runs):
        for name, command in cases:
            elapsed, first[name] = once(command)
            times[name].append(elapsed)
    for name, _ in cases:
        print(
            f"   {name:<48} median {statistics.median(times[name]):6.3f} s  "
            f"best {min(times[name]):6.3f} s   | {first[name][:40]}"
        )


def generated(works: int, claims_per_work: int, seed: int = 1):
    """A random dated influence graph: claims run from earlier to later works."""
    from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

    from influencegraph.graph import MemorySource, load_graph
    from influencegraph.vocab import IG, INFLUENCE_KINDS, PREFIXES

    rng = random.Random(seed)
    ex, ig = Namespace("https://example.org/"), Namespace(IG)
    prov, dct, xsd = (Namespace(PREFIXES[p]) for p in ("prov", "dcterms", "xsd"))
    graph = Graph()
    years = sorted(rng.randint(2000, 2020) for _ in range(works))
    orgs = works // 20
    for i in range(orgs):
        graph.add((ex[f"o{i}"], RDF.type, ig.Organisation))
        graph.add((ex[f"o{i}"], RDFS.label, Literal(f"Org {i}")))
    for i, year in enumerate(years):
        node = ex[f"w{i}"]
        graph.add((node, RDF.type, ig.Report))
        graph.add((node, RDFS.label, Literal(f"Work {i}")))
        graph.add((node, dct.issued, Literal(str(year), datatype=xsd.gYear)))
        graph.add((node, dct.publisher, ex[f"o{int(rng.paretovariate(1.2)) % orgs}"]))
    n = 0
    influencers: dict[int, list[int]] = {}
    for i in range(1, works):
        for _ in range(claims_per_work):
            j = rng.randrange(i)  # an earlier (or same-year) work influences a later one
            influencers.setdefault(i, []).append(j)
            claim = ex[f"c{n}"]
            n += 1
            graph.add((ex[f"w{i}"], prov.qualifiedInfluence, claim))
            graph.add((claim, prov.influencer, ex[f"w{j}"]))
            graph.add((claim, ig.kind, URIRef(rng.choice(INFLUENCE_KINDS).iri)))
            graph.add((claim, ig.evidence, Literal(f"quote {n}")))
    return MemorySource(load_graph(graph)), n, influencers


def in_process(works: int) -> None:
    import networkx as nx

    from influencegraph.names import name_index
    from influencegraph.paths import find_paths
    from influencegraph.projection import influence_graph

    start = time.perf_counter()
    source, claims, influencers = generated(works, 3)
    built = time.perf_counter() - start
    start = time.perf_counter()
    name_index(source)
    indexed = time.perf_counter() - start
    print(
        f"\n2. in process, generated graph: {works} works, {claims} claims, "
        f"{len(source.graph)} triples (built {built:.1f} s, name index {indexed:.2f} s)"
    )
    rng = random.Random(7)
    pairs = []
    while len(pairs) < 5:  # walk 3 claims upstream from a random work: a path exists
        b = rng.randrange(works // 2, works)
        a = b
        for _ in range(3):
            a = rng.choice(influencers.get(a, [a]))
        if a != b:
            pairs.append((f"Work {a}", f"Work {b}"))
    cases = [
        ("shortest", pairs),
        ("strongest", pairs),
        ("none: reversed, with hints", [(b, a) for a, b in pairs]),
    ]
    for name, chosen in cases:
        mode = "strongest" if name == "strongest" else "shortest"
        times, lengths = [], []
        for a, b in chosen:
            start = time.perf_counter()
            result = find_paths(source, a, b, max_hops=4, mode=mode)
            times.append(time.perf_counter() - start)
            lengths.append(len(result.paths[0].hops) if result.paths else 0)
        print(
            f"   bounded find_paths, {name:<27} median {statistics.median(times):6.3f} s"
            f"  max {max(times):6.3f} s  hops {lengths}"
        )
    start = time.perf_counter()
    whole = influence_graph(source)
    projected = time.perf_counter() - start
    times = []
    index = {attrs["label"]: iri for iri, attrs in whole.nodes(data=True)}
    for a, b in pairs:
        start = time.perf_counter()
        nx.shortest_path(whole, index[a], index[b])
        times.append(time.perf_counter() - start)
    print(
        f"   plain: whole influence_graph {projected:6.3f} s + nx.shortest_path median "
        f"{statistics.median(times):6.4f} s (no time rule)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--works", type=int, default=4000)
    args = parser.parse_args()
    if not CLI.exists():
        sys.exit(f"{CLI} not found: install the project in this venv first")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    whole_process(args.runs)
    in_process(args.works)


if __name__ == "__main__":
    main()
