"""Issue 13's targets: ``serve`` against the Oxigraph server binary, runaway queries, the
worker processes' overhead, and ``influence`` from a hub, measured in one run.

* throughput: ``influencegraph serve --store`` and ``oxigraph serve-read-only`` on the same
  on-disk store (a generated corpus, about 33 triples per document), the same mix of
  selective queries (a title, two hops of influence, a count of claims: 1-30 rows each,
  what the explorer and ``dossier`` send), ``--clients`` concurrent clients (threads in
  this process, urllib, one connection per request) for ``--seconds`` each; requests per
  second, the ratio, and the CPU seconds (user + system) of each server and of the client;
* the client's own ceiling: the same client against the Oxigraph server answering
  ``ASK {}``, which touches no data; when a server nears it, the client is the limit;
* a runaway cross product sent to ``serve --timeout 1``: when its 503 comes back, and how
  long a plain ASK sent meanwhile waits;
* the worker processes: a query through ``QueryRunner`` (worker already started) against
  the same query straight in pyoxigraph, and the first query of a new runner (worker
  start-up included), on the bundled graph;
* ``influence`` from the most-cited report, depth 2, as a whole command on the store.

The issue's "today's rdflib-backed serve" is run as it was: the package as of
:data:`BASELINE` (the last commit whose ``serve`` evaluated on rdflib), exported from this
repository's history with ``git archive``, serving the same corpus file (``--data``, read
into rdflib's memory store: about a minute and 1.5 GB at a million triples), measured
with the same client and mix (``--baseline ''`` skips it; so does a checkout without
that history). The plain approach is also given: rdflib's memory store answering the
same queries in-process, on one thread, with no HTTP, on a ``--plain-documents`` corpus.

Usage: ``python bench/serve.py [--documents 30000] [--clients 20] [--seconds 8]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from hub import compiled, run_once  # bench/hub.py: the hub target's own timing

from influencegraph.generate import SYN, generate_corpus
from influencegraph.load import load_files

EXE = Path(sys.executable).parent
QUERIES = [
    "SELECT ?t WHERE {{ <{doc}> dcterms:title ?t }}",
    "SELECT DISTINCT ?d WHERE {{ {{ <{doc}> prov:wasInfluencedBy ?d }} UNION "
    "{{ <{doc}> prov:wasInfluencedBy ?m . ?m prov:wasInfluencedBy ?d }} }}",
    "SELECT (COUNT(?c) AS ?n) WHERE {{ ?w prov:qualifiedInfluence ?c . "
    "?c prov:influencer <{doc}> }}",
]
PREFIXES = (
    "PREFIX dcterms: <http://purl.org/dc/terms/>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
)
BASELINE = "ffaf7ca68ab411c1206a072f836f0ebf27029c4c"
"""The last commit whose ``serve`` evaluated queries on rdflib (the next one, 6ac7c39,
moved ``sparql`` and ``serve`` to Oxigraph): the issue's "today's rdflib-backed serve"."""
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(
                url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2
            ).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def ask(url: str, query: str, timeout: float = 60) -> tuple[int, float]:
    """Status and seconds of one GET."""
    start = time.perf_counter()
    request = urllib.request.Request(
        url + "?query=" + urllib.parse.quote(PREFIXES + query),
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - start


def load(
    url: str, docs: list[str], clients: int, seconds: float, queries: list[str] = QUERIES
) -> tuple[float, int]:
    """Answers (HTTP 200) per second over ``seconds`` with ``clients`` threads, and the
    requests that got anything else."""
    done, failed = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        i = n
        while time.monotonic() < stop:
            query = queries[i % len(queries)].format(doc=docs[i % len(docs)])
            status, _ = ask(url, query)
            with lock:
                done[0] += 1
                failed[0] += status != 200
            i += clients

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (done[0] - failed[0]) / (time.perf_counter() - start), failed[0]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live children (Linux /proc)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measured(
    url: str, pid: int, docs: list[str], clients: int, seconds: float, queries: list[str] = QUERIES
) -> tuple[float, int, float, float, float]:
    """Requests/s, failures, server CPU s, client CPU s, load average, over one run."""
    server, client = cpu_seconds(pid), os.times()
    rate, failed = load(url, docs, clients, seconds, queries)
    after = os.times()
    client_cpu = after.user - client.user + after.system - client.system
    return rate, failed, cpu_seconds(pid) - server, client_cpu, os.getloadavg()[0]


def start(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def baseline_server(
    rev: str, corpus: Path, folder: Path, port: int
) -> tuple[subprocess.Popen[bytes] | None, str]:
    """``serve`` as of commit ``rev`` on ``corpus``, started from a ``git archive`` export
    of it; (None, why) when this checkout cannot give that commit."""
    root = Path(__file__).resolve().parent.parent
    export = folder / "baseline"
    export.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", rev],
        capture_output=True,
    )
    if archive.returncode != 0:
        return None, archive.stderr.decode(errors="replace").strip() or "git archive failed"
    subprocess.run(["tar", "-x", "-C", str(export)], input=archive.stdout, check=True)
    command = [sys.executable, "-m", "influencegraph", "--data", str(corpus), "serve"]
    process = start(
        [*command, "--port", str(port)], {**os.environ, "PYTHONPATH": str(export / "src")}
    )
    try:  # a failure to start shows at once; a good start parses the corpus for a minute
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return process, ""
    return None, f"serve as of {rev[:7]} exited with {process.returncode} on start"


def plain_rate(documents: int, seconds: float) -> tuple[float, int]:
    """Queries per second of rdflib's memory store on the same mix, one thread."""
    from rdflib import Graph

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plain.nt"
        summary = generate_corpus(path, documents, seed=1)
        graph = Graph().parse(path, format="nt")
    docs = [f"{SYN}doc-{i}" for i in range(documents - 200, documents)]
    count, stop, i = 0, time.monotonic() + seconds, 0
    begin = time.perf_counter()
    while time.monotonic() < stop:
        list(graph.query(PREFIXES + QUERIES[i % 3].format(doc=docs[i % len(docs)])))
        count += 1
        i += 1
    return count / (time.perf_counter() - begin), summary.triples


def worker_overhead() -> dict[str, float]:
    """Milliseconds: the same query straight in pyoxigraph, through a warm runner, and as
    the first query of a new runner (worker start-up included)."""
    from influencegraph.graph import OxigraphMemorySource, default_data_paths
    from influencegraph.sparql import QueryRunner
    from influencegraph.vocab import PREFIXES as ALL

    query = "SELECT ?r ?t WHERE { ?r a ig:Report ; dcterms:title ?t }"
    source = OxigraphMemorySource(default_data_paths())
    direct = []
    for _ in range(50):
        begin = time.perf_counter()
        list(source.store.query(query, prefixes=ALL))
        direct.append(time.perf_counter() - begin)
    begin = time.perf_counter()
    runner = QueryRunner(source, timeout=30)
    runner.run(query)
    first = time.perf_counter() - begin
    warm = []
    for _ in range(50):
        begin = time.perf_counter()
        runner.run(query)
        warm.append(time.perf_counter() - begin)
    runner.close()
    return {
        "direct": statistics.median(direct) * 1000,
        "warm": statistics.median(warm) * 1000,
        "first": first * 1000,
    }


def baseline_row(
    run: tuple[float, int, float, float, float] | None,
    rev: str,
    why: str,
    ours: float,
    triples: int,
) -> str:
    """The report's row for the issue's rdflib-backed serve, or why it was not measured."""
    name = f"serve as of {rev[:7]} (rdflib, --data on the same {triples:,} triples)"
    if run is None:
        return f"| {name} | | not measured: {why} | |"
    ratio = f"serve is {ours / run[0]:.1f}x" if run[0] else "it answered nothing"
    return (
        f"| {name} | | {run[0]:.0f}/s ({run[1]} failed; server {run[2]:.1f} CPU s, load "
        f"{run[4]:.2f}) | {ratio} (target >= 10x) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=30000)
    parser.add_argument("--plain-documents", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument(
        "--baseline",
        default=BASELINE,
        help="the commit whose rdflib-backed serve to measure ('' skips it)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.nt"
        summary = generate_corpus(corpus, args.documents, seed=1)
        store = Path(folder) / "store"
        load_files(store, [corpus])
        print(
            f"corpus: {summary.triples:,} triples, {args.documents:,} documents; "
            f"{args.clients} clients, {args.seconds:g} s each"
        )
        docs = [f"{SYN}doc-{i}" for i in range(args.documents - 500, args.documents)]

        ours_port, theirs_port, bounded_port = free_port(), free_port(), free_port()
        ours = start(
            [
                str(EXE / "influencegraph"),
                "--store",
                str(store),
                "serve",
                "--port",
                str(ours_port),
                "--timeout",
                "30",
                "--max-rows",
                "100000",
            ]
        )
        theirs = start(
            [
                str(EXE / "oxigraph"),
                "serve-read-only",
                "--location",
                str(store),
                "--bind",
                f"127.0.0.1:{theirs_port}",
            ]
        )
        bounded = start(
            [
                str(EXE / "influencegraph"),
                "--store",
                str(store),
                "serve",
                "--port",
                str(bounded_port),
                "--timeout",
                "1",
            ]
        )
        try:
            ours_url = f"http://127.0.0.1:{ours_port}/sparql"
            theirs_url = f"http://127.0.0.1:{theirs_port}/query"
            bounded_url = f"http://127.0.0.1:{bounded_port}/sparql"
            for url in (ours_url, theirs_url, bounded_url):
                wait_up(url)
            load(ours_url, docs, 2, 1.0)  # warm both
            load(theirs_url, docs, 2, 1.0)
            ours_run = measured(ours_url, ours.pid, docs, args.clients, args.seconds)
            theirs_run = measured(theirs_url, theirs.pid, docs, args.clients, args.seconds)
            ceiling = measured(  # the client's ceiling: no data touched
                theirs_url, theirs.pid, docs, args.clients, args.seconds, ["ASK {{}}"]
            )

            outcome: dict[str, tuple[int, float]] = {}
            runaway = threading.Thread(
                target=lambda: outcome.update(runaway=ask(bounded_url, EXPENSIVE))
            )
            runaway.start()
            time.sleep(0.2)
            outcome["meanwhile"] = ask(bounded_url, "ASK { ?s ?p ?o }")
            runaway.join()
        finally:
            for process in (ours, theirs, bounded):
                process.terminate()
                process.wait(timeout=30)

        baseline_run: tuple[float, int, float, float, float] | None = None
        why = "skipped (--baseline '')"
        if args.baseline:
            port = free_port()
            old, why = baseline_server(args.baseline, corpus, Path(folder), port)
            if old is not None:
                try:
                    old_url = f"http://127.0.0.1:{port}/sparql"
                    wait_up(old_url, seconds=600)  # it parses the whole corpus first
                    load(old_url, docs, 2, 1.0)
                    baseline_run = measured(old_url, old.pid, docs, args.clients, args.seconds)
                finally:
                    old.terminate()
                    old.wait(timeout=30)

        hub_query = (
            "SELECT ?d (COUNT(?c) AS ?n) WHERE { ?w prov:qualifiedInfluence ?c . "
            "?c prov:influencer ?d } GROUP BY ?d ORDER BY DESC(?n) LIMIT 1"
        )
        found = subprocess.run(
            [
                str(EXE / "influencegraph"),
                "--store",
                str(store),
                "sparql",
                "--format",
                "json",
                hub_query,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        hub = json.loads(found.stdout)["results"]["bindings"][0]
        compiled()  # as hub.py does: an installed package does not compile itself per run
        run_once(store, hub["d"]["value"])  # warm the page cache
        hub_runs = sorted(run_once(store, hub["d"]["value"]) for _ in range(3))
        hub_seconds, _, hops = hub_runs[1]

    plain, plain_triples = plain_rate(args.plain_documents, args.seconds)
    overhead = worker_overhead()
    ours_rate, ours_failed = ours_run[:2]
    theirs_rate, theirs_failed = theirs_run[:2]
    status, runaway_seconds = outcome["runaway"]
    _, meanwhile_seconds = outcome["meanwhile"]
    print(f"""
| measure | influencegraph | reference | ratio / target |
|---|---|---|---|
| serve, queries/s ({args.clients} clients, {summary.triples:,} triples) | \
{ours_rate:.0f} ({ours_failed} failed) | oxigraph serve-read-only {theirs_rate:.0f} \
({theirs_failed} failed) | {ours_rate / theirs_rate:.1%} (target >= 80%) |
| CPU s (user+sys) in those runs: server; client; load average | {ours_run[2]:.1f}; \
{ours_run[3]:.1f}; {ours_run[4]:.2f} | {theirs_run[2]:.1f}; {theirs_run[3]:.1f}; \
{theirs_run[4]:.2f} | |
| the client's ceiling: oxigraph answering ASK {{}} (no data) | | {ceiling[0]:.0f}/s \
(client {ceiling[3]:.1f} CPU s, load {ceiling[4]:.2f}) | |
{baseline_row(baseline_run, args.baseline, why, ours_rate, summary.triples)}
| same mix, plain rdflib memory store in-process, 1 thread, no HTTP | | {plain:.0f}/s on \
{plain_triples:,} triples | serve ({summary.triples:,} triples) is {ours_rate / plain:.1f}x \
(no HTTP, a tenth of the data) |
| runaway cross product, --timeout 1 | HTTP {status} after {runaway_seconds:.2f} s | | \
target <= 1.5 s |
| plain ASK sent meanwhile | {meanwhile_seconds * 1000:.0f} ms | | answered while it ran |
| a query through a warm worker (bundled graph) | {overhead["warm"]:.2f} ms | \
pyoxigraph direct {overhead["direct"]:.2f} ms | +{overhead["warm"] - overhead["direct"]:.2f} ms |
| first query of a new runner (worker start-up) | {overhead["first"]:.0f} ms | | |
| influence from the most-cited report ({hub["n"]["value"]} claims), depth 2, \
whole command | {hub_seconds:.2f} s (median of 3), {hops:,} hops | | target <= 2 s |
""")


if __name__ == "__main__":
    main()
