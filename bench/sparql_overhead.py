"""What the safe query path costs, next to the plain approach, on the bundled graph.

For each query in examples/queries/ it times (median of several runs, milliseconds):

- plain: rdflib's ``Graph.query`` with the prefixes pasted in front, rows materialised;
- safe: ``influencegraph.sparql.run_query`` (parse and inspect, worker thread with a
  deadline, the Source interface, rows materialised);
- http: the same query through the read-only endpoint (``Endpoint`` on a loopback port,
  urllib client, SPARQL JSON), including serialising and parsing the JSON.

Then how quickly a runaway query is given up and really stopped.

Run: .venv/bin/python bench/sparql_overhead.py [RUNS]
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from influencegraph.errors import QueryTimeout
from influencegraph.graph import open_source
from influencegraph.server import Endpoint
from influencegraph.sparql import QueryRunner, run_query
from influencegraph.vocab import sparql_prefixes

QUERIES = Path(__file__).resolve().parent.parent / "examples" / "queries"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(runs: int = 5) -> None:
    source = open_source()
    graph = open_source(needs="edit").graph  # the plain approach: rdflib on the same files
    prefixes = sparql_prefixes()
    print(f"bundled graph: {len(graph)} triples; median of {runs} runs, milliseconds\n")
    print(f"{'query':45} {'plain':>8} {'safe':>8} {'http':>8} {'safe/plain':>11}")
    totals = [0.0, 0.0, 0.0]
    with Endpoint(QueryRunner(source, timeout=30), port=0).start() as endpoint:
        for path in sorted(QUERIES.glob("*.rq")):
            text = path.read_text(encoding="utf-8")

            def plain(text=text):
                result = graph.query(prefixes + text)
                return list(result) if result.type == "SELECT" else result

            def safe(text=text):
                return run_query(source, text, timeout=30)

            url = endpoint.query_url + "?" + urllib.parse.urlencode({"query": text})

            def http(url=url):
                with urllib.request.urlopen(url, timeout=30) as response:
                    return response.read()

            figures = [median_ms(fn, runs) for fn in (plain, safe, http)]
            totals = [t + f for t, f in zip(totals, figures, strict=True)]
            print(
                f"{path.stem:45} {figures[0]:8.1f} {figures[1]:8.1f} {figures[2]:8.1f} "
                f"{figures[1] / figures[0]:11.2f}"
            )
    print(
        f"{'all queries':45} {totals[0]:8.1f} {totals[1]:8.1f} {totals[2]:8.1f} "
        f"{totals[1] / totals[0]:11.2f}\n"
    )

    for timeout in (0.1, 0.5):
        start = time.perf_counter()
        with contextlib.suppress(QueryTimeout):
            run_query(source, EXPENSIVE, timeout=timeout)
        given_up = time.perf_counter() - start
        while any(t.name == "influencegraph-query" for t in threading.enumerate()):
            time.sleep(0.001)
        stopped = time.perf_counter() - start
        print(
            f"runaway 3-way cross product, --timeout {timeout}: error after {given_up:.3f} s, "
            f"worker stopped after {stopped:.3f} s (the plain approach never returns)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
