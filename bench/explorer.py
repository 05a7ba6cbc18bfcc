"""The evidence explorer's speed: server time per page on a big store, and ``publish``.

Server: ``serve``'s explorer (:func:`influencegraph.explorer.routes.handle` behind the
real HTTP server) over an on-disk Oxigraph store of a generated corpus (default about 1M
triples: ``influencegraph generate`` then ``load``, as ``bench/run.py`` does; or
``--store DIR`` to reuse one). For entity pages (a sample of entities of every type),
search (a label with a typo), and path pages (the two ends of chains of claims), it
records the time the server spends building each page, first with one client, then with 50
concurrent clients, and prints medians and 95th percentiles against the targets (entity
<= 150 ms, search <= 100 ms, path <= 300 ms). ``serve`` builds one page per core at a time
(``routes.SLOTS``); under 50 clients the time a request waits for a slot is shown too.
The first search builds the label index once per server; it is reported apart.

Publish: ``influencegraph publish -o site/`` of the bundled graph (target <= 2 s) and
``influencegraph --data g.ttl publish -o site/`` of ``generate --documents 8700 --seed 1``
(10,309 entities; target <= 60 s), each the whole process as a user runs it, with its CPU
time (user + sys, forked page builders included), peak memory and the load average.

Usage: ``python bench/explorer.py [--documents 30000] [--store DIR] [--publish-documents
8700] [--skip-publish] [--skip-serve] [--write bench/results.md]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

TARGETS = {"entity": 0.150, "search": 0.100, "path": 0.300}
CLIENTS = 50
PER_KIND = 60
"""Requests of each kind per round."""

CHAINS = """
SELECT ?x ?z WHERE {
  ?y prov:qualifiedInfluence ?c1 . ?c1 prov:influencer ?x .
  ?z prov:qualifiedInfluence ?c2 . ?c2 prov:influencer ?y .
  FILTER(?x != ?z)
} LIMIT 2000"""


def prepare_store(documents: int, workdir: Path) -> Path:
    """Generate a corpus and load it into a fresh store (``generate`` + ``load``)."""
    from influencegraph.generate import generate_corpus
    from influencegraph.load import load_files

    data = workdir / f"corpus-{documents}.nt"
    generate_corpus(data, documents, 1)
    store = workdir / f"store-{documents}"
    load_files(store, [data])
    return store


def requests_for(source: Any, rng: random.Random) -> dict[str, list[str]]:
    """Addresses to ask for: entity pages, searches with a typo, path pages."""
    from influencegraph.explorer.addresses import slug
    from influencegraph.names import name_index

    index = name_index(source)
    people = sorted(iri for iri, e in index.entities.items() if e.type != "Source document")
    entities = rng.sample(people, PER_KIND)
    labels = [index.entities[iri].label for iri in rng.sample(people, PER_KIND)]
    typos = [label[:3] + label[4:] if len(label) > 6 else label for label in labels]
    chains = [(str(r["x"]), str(r["z"])) for r in source.select(CHAINS)]
    pairs = rng.sample(chains, min(PER_KIND, len(chains)))
    return {
        "entity": [f"entity/{slug(iri)}" for iri in entities],
        "search": ["search?" + urllib.parse.urlencode({"q": t}) for t in typos],
        "path": [
            "path?" + urllib.parse.urlencode({"from": a, "to": b, "mode": "shortest"})
            for a, b in pairs
        ],
    }


class Timed:
    """The explorer as ``serve`` runs it (``routes.explorer_for``: a slot per core), recording
    for every request the time spent building the page and the time it waited for a slot."""

    def __init__(self, source: Any) -> None:
        from influencegraph.explorer.routes import SLOTS, handle

        self.handle, self.slots, self.source = handle, SLOTS, source
        self.times: list[tuple[str, float, float]] = []
        self.lock = threading.Lock()

    def __call__(self, method: str, path: str, params: dict[str, list[str]]) -> Any:
        arrived = time.perf_counter()
        with self.slots:
            started = time.perf_counter()
            response = self.handle(self.source, method, path, params)
        spent = time.perf_counter() - started
        with self.lock:
            self.times.append((path, spent, started - arrived))
        return response


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def round_of(
    base: str, addresses: dict[str, list[str]], clients: int, timed: Timed
) -> dict[str, dict[str, float]]:
    """Every address once, by ``clients`` concurrent clients: server times per kind."""
    jobs = [(kind, address) for kind, items in addresses.items() for address in items]
    random.Random(7).shuffle(jobs)
    timed.times.clear()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(lambda job: fetch(base + job[1]), jobs))
    wall = time.perf_counter() - started
    bad = [s for s in statuses if s != 200]
    out: dict[str, dict[str, float]] = {}
    for kind in addresses:
        mine = [(t, w) for path, t, w in timed.times if path.split("/")[1] == kind]
        spent, waited = sorted(t for t, _ in mine), sorted(t + w for t, w in mine)
        out[kind] = {
            "n": len(spent),
            "median": statistics.median(spent),
            "p95": spent[int(0.95 * (len(spent) - 1))],
            "max": spent[-1],
            "latency_median": statistics.median(waited),
            "latency_p95": waited[int(0.95 * (len(waited) - 1))],
        }
    out["all"] = {"n": len(jobs), "wall": wall, "errors": len(bad)}
    return out


def serve_bench(store: Path) -> dict[str, Any]:
    from influencegraph.graph import StoreSource
    from influencegraph.server import Endpoint
    from influencegraph.sparql import QueryRunner

    source = StoreSource(store)
    triples = int(source.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    timed = Timed(source)
    with Endpoint(QueryRunner(source), port=0, explorer=timed).start() as server:
        started = time.perf_counter()
        fetch(server.url + "search?q=warm")  # builds the label index, once per server
        index_s = time.perf_counter() - started
        addresses = requests_for(source, random.Random(1))
        fetch(server.url + addresses["entity"][0])  # imports, templates, vis assets
        results = {
            "triples": triples,
            "index_s": index_s,
            "one": round_of(server.url, addresses, 1, timed),
            "fifty": round_of(server.url, addresses, CLIENTS, timed),
        }
    return results


def publish_bench(documents: int, workdir: Path) -> dict[str, Any]:
    """``influencegraph [--data g.ttl] publish -o site/`` as a user runs it, whole process:
    wall time, CPU time (user + sys, the forked page builders included), peak memory of
    the biggest process, and the load average when it ended."""
    import resource

    from influencegraph.generate import generate_corpus

    data = workdir / f"publish-{documents}.ttl"
    generate_corpus(data, documents, 1)
    out: dict[str, Any] = {}
    for name, path in (("bundled", None), ("generated", str(data))):
        site = workdir / f"site-{name}"
        command = [sys.executable, "-m", "influencegraph"]
        command += ["--data", path] if path else []
        command += ["publish", "-o", str(site)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out[name] = {
            "entities": len(list((site / "entity").iterdir())),
            "files": sum(1 for p in site.rglob("*") if p.is_file()) - 1,  # not the marker
            "process_s": wall,
            "cpu_s": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "peak_mb": after.ru_maxrss / 1024,
            "load": os.getloadavg()[0],
        }
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(serve: dict[str, Any] | None, publish: dict[str, Any] | None) -> str:
    lines = [
        f"### Explorer (issue 16), {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}",
        "",
    ]
    if serve:
        lines += [
            f"Server time per request on an on-disk store of {serve['triples']:,} "
            f"triples ({PER_KIND} requests of each kind per round; the label index "
            f"built once at start in {serve['index_s']:.1f} s):",
            "",
            "| page | server time, 1 client: median / p95 | server time, 50 clients: "
            "median / p95 | 50 clients, with the wait for a slot: median / p95 | "
            "target |",
            "|---|---|---|---|---|",
        ]
        for kind, target in TARGETS.items():
            one, fifty = serve["one"][kind], serve["fifty"][kind]
            lines.append(
                f"| {kind} | {ms(one['median'])} / {ms(one['p95'])} | "
                f"{ms(fifty['median'])} / {ms(fifty['p95'])} | "
                f"{ms(fifty['latency_median'])} / {ms(fifty['latency_p95'])} | "
                f"<= {ms(target)} |"
            )
        lines += [
            "",
            f"Whole rounds: {serve['one']['all']['n']} requests in "
            f"{serve['one']['all']['wall']:.1f} s with 1 client, in "
            f"{serve['fifty']['all']['wall']:.1f} s with {CLIENTS} "
            f"({serve['fifty']['all']['errors']} errors).",
            "",
        ]
    if publish:
        lines += [
            "| publish (whole process) | entities | pages and files | time | CPU time "
            "(user + sys) | peak memory | load average | target |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, target in (("bundled", 2), ("generated", 60)):
            done = publish[name]
            lines.append(
                f"| {name} graph | {done['entities']:,} | {done['files']:,} | "
                f"{done['process_s']:.1f} s | {done['cpu_s']:.1f} s | "
                f"{done['peak_mb']:.0f} MB | {done['load']:.1f} | <= {target} s |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=30000)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--publish-documents", type=int, default=8700)
    parser.add_argument("--skip-publish", action="store_true")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ig-explorer-bench-") as tmp:
        workdir = Path(tmp)
        serve = None
        if not args.skip_serve:
            store = args.store or prepare_store(args.documents, workdir)
            serve = serve_bench(store)
            print(json.dumps(serve, indent=1))
        publish = None if args.skip_publish else publish_bench(args.publish_documents, workdir)
        if publish:
            print(json.dumps(publish, indent=1))
    text = report(serve, publish)
    print(text)
    if args.write:
        with args.write.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
