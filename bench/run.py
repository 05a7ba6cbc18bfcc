"""Speed and memory: the plain approach against influencegraph's, side by side, in one run.

Plain: an rdflib memory graph (``Graph().parse``) and networkx over the whole graph.
Project: an on-disk Oxigraph store (``influencegraph.load.load_files``) read through
``StoreSource`` with bounded SPARQL.

For each size (generated triples; default 10k, 100k and 1M) it generates a corpus with
``influencegraph.generate``, then runs every step in a fresh child process so peak memory
(``ru_maxrss``) belongs to that step alone:

* load: rdflib parse of the Turtle file / ``load`` of the same Turtle file, and of the
  same corpus as N-Triples (both cut into pieces for two threads), three times each into
  a fresh store (median and best: the disk makes single loads vary by a third);
* selective SPARQL: documents within two hops of one document, with titles;
* whole-graph aggregate: citations per publisher (GROUP BY);
* PageRank end to end: influence edges -> networkx -> ``nx.pagerank`` (plain), or
  straight into ``ranking.pagerank_scores`` (project);
* path and 3-hop influence: plain = project the whole graph to networkx once, then
  networkx; project = the library's ``paths.find_paths`` and ``paths.influence`` on the
  open store (bounded SPARQL expansions hop by hop), first call (which builds the label
  index) and then warm;
* ``ranking.rank(by="pagerank")`` as the ``rank`` command runs it on the store (it projects
  the whole influence network with every edge's evidence, source and claimant);
* the hub query (issue 13): ``influence`` downstream at depth 2 from the most-cited
  document, through the library and as a whole ``influencegraph influence`` command
  (JSON out); plain = networkx reach at depth 2 from the same document in the projected
  graph (no time rule, evidence or statuses, so no ratio);
* ``influencegraph --help`` start-up.

Usage: ``python bench/run.py [--sizes 10k,100k,1M] [--write bench/results.md]``.
The full run takes about 2 minutes on 2 cores (most of it rdflib parsing 1M triples,
once); ``--sizes 10k,100k`` about 15 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TRIPLES_PER_DOCUMENT = 33.2
"""What ``generate`` writes per document on average (measured at 30k documents)."""
SEED = 1

SELECTIVE = """
SELECT DISTINCT ?d ?title WHERE {
  { ?x prov:wasInfluencedBy ?d } UNION { ?x prov:wasInfluencedBy ?m . ?m prov:wasInfluencedBy ?d }
  ?d dcterms:title ?title
}"""

AGGREGATE = """
SELECT ?publisher (COUNT(?claim) AS ?citations) WHERE {
  ?work prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?cited .
  ?cited dcterms:publisher ?publisher .
} GROUP BY ?publisher ORDER BY DESC(?citations)"""

AUTHORSHIP = """
SELECT ?agent ?work WHERE {
  ?work dcterms:publisher|dcterms:creator ?agent .
  FILTER NOT EXISTS { ?work a ig:SourceDocument }
}"""

BY_KIND = """
SELECT ?kind (COUNT(?claim) AS ?claims) WHERE { ?claim ig:kind ?kind } GROUP BY ?kind"""

HUB = """
SELECT ?d (COUNT(?claim) AS ?n) WHERE {
  ?work prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?d .
} GROUP BY ?d ORDER BY DESC(?n) ?d LIMIT 1"""
"""The most-cited entity: the hub of issue 13's query (ties broken by IRI, as the plain
side does)."""

EDGES = """
SELECT ?x ?y ?kind WHERE {
  ?y prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?x ; ig:kind ?kind .
}"""

# ---------------------------------------------------------------- helpers


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def repeats_for(seconds: float, budget: float = 3.0) -> int:
    """How many more runs fit a time budget (at least 1, at most 200)."""
    return max(1, min(200, int(budget / max(seconds, 1e-5))))


def probe_document(documents: int) -> str:
    """A late document (it cites, so two hops reach something), the same in both worlds."""
    from influencegraph.generate import SYN

    return f"{SYN}doc-{documents - 5}"


def strengths() -> dict[str, float]:
    from influencegraph.vocab import KIND_BY_IRI

    return {iri: kind.strength for iri, kind in KIND_BY_IRI.items()}


def warm_up() -> None:
    """Import networkx and SciPy and rank a toy graph, so no step's time includes imports
    (start-up is measured on its own)."""
    import networkx as nx

    nx.pagerank(nx.path_graph(3, create_using=nx.DiGraph))


def pagerank_from_rows(rows: list[tuple[Any, Any, Any]]) -> dict[Any, float]:
    """The plain way: a networkx graph of the edges, then ``nx.pagerank``."""
    import networkx as nx

    weight = strengths()
    graph = nx.DiGraph()
    for x, y, kind in rows:
        graph.add_edge(str(x), str(y), weight=weight.get(str(kind), 0.1))
    return nx.pagerank(graph, weight="weight")


def pagerank_project(rows: list[tuple[Any, Any, Any]]) -> dict[Any, float]:
    """The project's way: the same edges (one per pair, the last kind wins as above)
    straight into ``ranking.pagerank_scores`` (SciPy), no networkx graph."""
    from influencegraph.ranking import pagerank_scores

    weight = strengths()
    index: dict[str, int] = {}
    pairs: dict[tuple[int, int], float] = {}
    for x, y, kind in rows:
        a = index.setdefault(str(x), len(index))
        b = index.setdefault(str(y), len(index))
        pairs[(a, b)] = weight.get(str(kind), 0.1)
    scores = pagerank_scores(
        len(index), [a for a, _ in pairs], [b for _, b in pairs], list(pairs.values())
    )
    return dict(zip(index, scores, strict=True))


# ---------------------------------------------------------------- child steps


def child_plain(turtle: str, documents: int) -> dict[str, Any]:
    """rdflib memory graph + networkx: parse, queries, PageRank, whole-graph path."""
    import networkx as nx
    from rdflib import Graph, URIRef, Variable

    from influencegraph.vocab import PREFIXES

    warm_up()
    out: dict[str, Any] = {}
    started = time.perf_counter()
    graph = Graph()
    graph.parse(turtle, format="turtle")
    out["load_s"] = time.perf_counter() - started
    out["load_peak_mb"] = peak_mb()
    out["triples"] = len(graph)
    doc = URIRef(probe_document(documents))

    def run(query: str, **bindings: Any) -> list[Any]:
        init = {Variable(k): v for k, v in bindings.items()}
        return list(graph.query(query, initNs=PREFIXES, initBindings=init))

    out["selective_first_s"], rows = timed(lambda: run(SELECTIVE, x=doc))
    once, _ = timed(lambda: run(SELECTIVE, x=doc))
    out["selective_s"], rows = timed(lambda: run(SELECTIVE, x=doc), repeats_for(once))
    out["selective_rows"] = len(rows)
    out["aggregate_s"], rows = timed(lambda: run(AGGREGATE))
    out["aggregate_rows"] = len(rows)
    out["by_kind_s"], rows = timed(lambda: run(BY_KIND), 3)
    out["by_kind_rows"] = len(rows)
    started = time.perf_counter()
    edges = run(EDGES)
    ranks = pagerank_from_rows(edges)
    out["pagerank_s"] = time.perf_counter() - started
    out["edges"] = len(edges)
    out["top"] = max(ranks, key=ranks.__getitem__)

    started = time.perf_counter()
    whole = nx.DiGraph()  # claims and authorship, as the project's influence network
    whole.add_edges_from((str(x), str(y)) for x, y, _ in edges)
    whole.add_edges_from((str(x), str(y)) for x, y in run(AUTHORSHIP))
    out["project_s"] = time.perf_counter() - started
    cited: dict[str, int] = {}
    for x, _, _ in edges:
        cited[str(x)] = cited.get(str(x), 0) + 1
    hub = min(cited, key=lambda n: (-cited[n], n))
    out["hub"], out["hub_claims"] = hub, cited[hub]
    out["hub_s"], reached = timed(
        lambda: nx.single_source_shortest_path_length(whole, hub, cutoff=2), 5
    )
    out["hub_nodes"] = len(reached) - 1
    target = str(doc)
    upstream = nx.single_source_shortest_path_length(whole.reverse(copy=False), target, cutoff=3)
    docs = [n for n in upstream if "/doc-" in n]
    start = max(docs, key=lambda n: (upstream[n], n))
    out["path_s"], path = timed(lambda: nx.shortest_path(whole, start, target), 5)
    out["path_len"] = len(path) - 1
    out["influence_s"], reached = timed(
        lambda: nx.single_source_shortest_path_length(whole.reverse(copy=False), target, cutoff=3),
        5,
    )
    out["influence_nodes"] = len(reached) - 1
    out["path_start"] = start
    out["peak_mb"] = peak_mb()
    return out


LOAD_RUNS = 3
"""Loads per file (each into a fresh store): the disk makes single loads vary by a third."""


def child_load(path: str, store: str) -> dict[str, Any]:
    """Load ``path`` into a fresh store :data:`LOAD_RUNS` times; the median and the best,
    and the last store kept for the query steps."""
    import shutil

    from influencegraph.load import load_files

    runs = []
    for _ in range(LOAD_RUNS):
        shutil.rmtree(store, ignore_errors=True)
        started = time.perf_counter()
        summary = load_files(store, [path])
        runs.append((time.perf_counter() - started, summary.optimize_seconds))
    runs.sort()
    median = runs[len(runs) // 2]
    return {
        "load_s": median[0],
        "load_best_s": runs[0][0],
        "load_peak_mb": peak_mb(),
        "optimize_s": median[1],
        "triples": summary.triples,
    }


def child_store(store: str, documents: int, path_start: str) -> dict[str, Any]:
    """The project's way: an open store, bounded queries through the Source interface."""
    from rdflib import URIRef

    from influencegraph.graph import StoreSource

    warm_up()
    out: dict[str, Any] = {}
    started = time.perf_counter()
    source = StoreSource(store)
    out["open_s"] = time.perf_counter() - started
    doc = URIRef(probe_document(documents))
    out["selective_first_s"], rows = timed(lambda: source.select(SELECTIVE, {"x": doc}))
    once, _ = timed(lambda: source.select(SELECTIVE, {"x": doc}))
    out["selective_s"], rows = timed(
        lambda: source.select(SELECTIVE, {"x": doc}), repeats_for(once)
    )
    out["selective_rows"] = len(rows)
    once, rows = timed(lambda: source.select(AGGREGATE))
    out["aggregate_s"], rows = timed(lambda: source.select(AGGREGATE), min(3, repeats_for(once)))
    out["aggregate_rows"] = len(rows)
    out["by_kind_s"], rows = timed(lambda: source.select(BY_KIND), 3)
    out["by_kind_rows"] = len(rows)
    started = time.perf_counter()
    result = source.query(EDGES)
    ranks = pagerank_project(result.rows)  # type: ignore[arg-type]
    out["pagerank_s"] = time.perf_counter() - started
    out["edges"] = len(result.rows)
    out["top"] = max(ranks, key=ranks.__getitem__)
    from influencegraph.names import resolve
    from influencegraph.paths import find_paths, influence
    from influencegraph.ranking import rank

    target = str(doc)
    out["path_first_s"], found = timed(lambda: find_paths(source, path_start, target))
    out["path_s"], found = timed(lambda: find_paths(source, path_start, target), 5)
    out["path_len"] = len(found.paths[0].hops) if found.paths else None
    out["influence_s"], result = timed(
        lambda: influence(source, target, direction="upstream", depth=3), 5
    )
    out["influence_nodes"] = len({h.influencer_iri for h in result.hops} - {target})
    started = time.perf_counter()
    ranking = rank(source, by="pagerank", top=10)
    out["rank_s"] = time.perf_counter() - started
    out["rank_top"] = ranking.entries[0].iri if ranking.entries else None
    out["resolve_s"], _ = timed(lambda: resolve(source, found.origin["label"]), 5)
    out["peak_mb"] = peak_mb()
    hub = str(source.select(HUB)[0]["d"])  # after the peak: it reads far more than the rest
    out["hub"] = hub
    out["hub_s"], result = timed(lambda: influence(source, hub, direction="downstream", depth=2))
    out["hub_hops"] = len(result.hops)
    out["hub_nodes"] = len({h.target_iri for h in result.hops} - {hub})
    return out


def hub_command(store: str, hub: str) -> dict[str, Any]:
    """The hub query as a user runs it: the whole ``influence`` command, JSON out."""
    exe = Path(sys.executable).parent / "influencegraph"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "influencegraph"]
    command += ["--store", store, "influence", hub, "--depth", "2", "--format", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "hub_cli_s": time.perf_counter() - started,
        "hub_cli_cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "hops": len(json.loads(done.stdout)["hops"]),
    }


def child_help() -> dict[str, Any]:
    exe = Path(sys.executable).parent / "influencegraph"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "influencegraph"]
    times = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run([*command, "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    bare = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
    return {"help_s": statistics.median(times), "python_s": statistics.median(bare)}


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "plain": child_plain,
    "load": child_load,
    "store": child_store,
    "help": child_help,
}


def in_child(step: str, *args: Any) -> dict[str, Any]:
    """Run one step in a fresh interpreter; its JSON answer."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", step, json.dumps(args)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- report


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 0.001:
        return f"{seconds * 1000:.3f} ms"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio(plain: float, ours: float) -> str:
    return f"{plain / ours:.1f}x" if ours > 0 else "-"


def machine() -> str:
    import importlib.metadata as md

    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kb = int(handle.readline().split()[1])
        ram = f"{kb / 1024 / 1024:.0f} GB RAM"
    except OSError:
        ram = "RAM unknown"
    versions = ", ".join(
        f"{name} {md.version(name)}" for name in ("rdflib", "pyoxigraph", "networkx", "scipy")
    )
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores (nproc), {ram}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; {versions}; "
        f"load average at start {load[0]:.2f} (the cores are shared)"
    )


def run_size(size: int, workdir: Path) -> list[str]:
    from influencegraph.generate import generate_corpus

    documents = max(1, round(size / TRIPLES_PER_DOCUMENT))
    turtle, ntriples = workdir / f"corpus-{size}.ttl", workdir / f"corpus-{size}.nt"
    started = time.perf_counter()
    summary = generate_corpus(turtle, documents, SEED)
    generate_s = time.perf_counter() - started
    generate_corpus(ntriples, documents, SEED)
    plain = in_child("plain", str(turtle), documents)
    store_ttl = in_child("load", str(turtle), str(workdir / f"store-{size}-ttl"))
    store_nt = in_child("load", str(ntriples), str(workdir / f"store-{size}-nt"))
    ours = in_child("store", str(workdir / f"store-{size}-nt"), documents, plain["path_start"])
    hub = hub_command(str(workdir / f"store-{size}-nt"), ours["hub"])
    same = (
        plain["selective_rows"] == ours["selective_rows"]
        and plain["aggregate_rows"] == ours["aggregate_rows"]
        and plain["by_kind_rows"] == ours["by_kind_rows"]
        and plain["edges"] == ours["edges"]
        and plain["path_len"] == ours["path_len"]
        and plain["influence_nodes"] == ours["influence_nodes"]
        and plain["hub"] == ours["hub"]
        and hub["hops"] == ours["hub_hops"]
    )
    lines = [
        f"### {summary.triples:,} triples ({documents:,} documents, {summary.claims:,} claims; "
        f"generated in {generate_s:.2f} s)",
        "",
        "| step | plain: rdflib + networkx | project: Oxigraph store | ratio | target |",
        "|---|---|---|---|---|",
        f"| load Turtle (time; project: median of {LOAD_RUNS}, best "
        f"{ms(store_ttl['load_best_s'])}) | {ms(plain['load_s'])} | {ms(store_ttl['load_s'])} "
        f"(of which optimize {ms(store_ttl['optimize_s'])}) | "
        f"{ratio(plain['load_s'], store_ttl['load_s'])} | <= 3 s, >= 8x |",
        f"| load Turtle (peak memory) | {plain['load_peak_mb']:.0f} MB | "
        f"{store_ttl['load_peak_mb']:.0f} MB | "
        f"{store_ttl['load_peak_mb'] / plain['load_peak_mb']:.0%} of plain | <= 60% |",
        f"| load same corpus as N-Triples (median of {LOAD_RUNS}, best "
        f"{ms(store_nt['load_best_s'])}) | | {ms(store_nt['load_s'])} "
        f"(optimize {ms(store_nt['optimize_s'])}), {store_nt['load_peak_mb']:.0f} MB | "
        f"{ratio(plain['load_s'], store_nt['load_s'])}, "
        f"{store_nt['load_peak_mb'] / plain['load_peak_mb']:.0%} of plain memory | |",
        f"| selective SPARQL, 2 hops with titles ({plain['selective_rows']} rows) | "
        f"{ms(plain['selective_s'])} (first {ms(plain['selective_first_s'])}) | "
        f"{ms(ours['selective_s'])} (first {ms(ours['selective_first_s'])}) | "
        f"{ratio(plain['selective_s'], ours['selective_s'])} | >= 20x |",
        f"| whole-graph GROUP BY ({plain['aggregate_rows']} publishers) | "
        f"{ms(plain['aggregate_s'])} | {ms(ours['aggregate_s'])} | "
        f"{ratio(plain['aggregate_s'], ours['aggregate_s'])} | >= 10x |",
        f"| one-pattern GROUP BY (claims by kind) | {ms(plain['by_kind_s'])} | "
        f"{ms(ours['by_kind_s'])} | {ratio(plain['by_kind_s'], ours['by_kind_s'])} | |",
        f"| PageRank end to end ({plain['edges']:,} influence edges) | "
        f"{ms(plain['pagerank_s'])} | {ms(ours['pagerank_s'])} | "
        f"{ratio(plain['pagerank_s'], ours['pagerank_s'])} | <= 2 s |",
        f"| path, {plain['path_len']} hops (plain: networkx after projecting the whole "
        f"graph in {ms(plain['project_s'])}; project: `find_paths`, first call / then) | "
        f"{ms(plain['path_s'])} | {ms(ours['path_first_s'])} / {ms(ours['path_s'])} | | "
        f"<= 50 ms |",
        f"| 3-hop influence upstream, {plain['influence_nodes']} entities (project: "
        f"`influence`) | {ms(plain['influence_s'])} | {ms(ours['influence_s'])} | | <= 50 ms |",
        f"| hub: `influence` from the most-cited document ({plain['hub_claims']:,} claims), "
        f"depth 2, {ours['hub_hops']:,} hops to {ours['hub_nodes']:,} entities (plain: "
        f"networkx reach, {plain['hub_nodes']:,} entities, no time rule or statuses; "
        f"project: library / whole command, JSON, with its CPU time) | {ms(plain['hub_s'])} | "
        f"{ms(ours['hub_s'])} / {ms(hub['hub_cli_s'])} ({ms(hub['hub_cli_cpu_s'])} CPU) | | "
        f"<= 2 s |",
        f"| `rank --by pagerank` as the command runs it (whole influence network with "
        f"evidence) | | {ms(ours['rank_s'])} | | |",
        f"| opening the store / resolving a name once the label index is built | | "
        f"{ms(ours['open_s'])} / {ms(ours['resolve_s'])} | | |",
        f"| peak memory of the query process | {plain['peak_mb']:.0f} MB | "
        f"{ours['peak_mb']:.0f} MB | | |",
        "",
        f"Both sides gave the same answers: {'yes' if same else 'NO'}"
        f" (rows, edges, path length, nodes reached, hub).",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="10k,100k,1M",
        help="comma-separated triple counts (default: 10k,100k,1M)",
    )
    parser.add_argument("--workdir", help="where to keep corpora and stores (default: a temp dir)")
    parser.add_argument("--write", metavar="FILE", help="also write the report to FILE")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="?", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        result = CHILDREN[options.child](*json.loads(options.args or "[]"))
        print(json.dumps(result))
        return
    started = time.perf_counter()
    lines = [
        "# Benchmark: plain rdflib + networkx against influencegraph's store",
        "",
        f"Machine: {machine()}.",
        "",
        f"Command: `python bench/run.py --sizes {options.sizes}`",
        "",
    ]
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(options.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in (parse_size(s) for s in options.sizes.split(",")):
            block = run_size(size, workdir)
            print("\n".join(block), flush=True)
            lines += block
    start_up = in_child("help")
    tail = [
        f"`influencegraph --help`: {ms(start_up['help_s'])} (target <= 0.2 s; a bare "
        f"`python -c pass` takes {ms(start_up['python_s'])} here).",
        "",
        f"Whole run: {time.perf_counter() - started:.0f} s.",
    ]
    print("\n".join(tail))
    lines += tail
    if options.write:
        Path(options.write).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
