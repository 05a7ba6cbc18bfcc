"""Bulk import and dedupe at scale: generated OpenAlex works into an on-disk store.

Run: ``.venv/bin/python bench/bulk.py [--works 100000] [--workdir DIR]``

1. writes ``--works`` generated OpenAlex works (``bulk.sample``: 3 authorships each,
   up to 5 references to earlier works, half the authors with an ORCID, 1000 institutions
   with ROR ids) as gzipped JSON Lines, plus 1% near-copies (the same title in capitals
   under a new id, an author under a second OpenAlex id with the same ORCID), the kind of
   duplicates bulk sources really have;
2. imports the file into a new store (the bundled graph loaded first) in a child process,
   timing it and reading the child's peak memory (``ru_maxrss``);
3. imports the same file again: time, and whether the store changed (triple counts);
4. runs ``dedupe`` on the store (every entity), timing it and counting pairs by reason;
5. the loading floor: the N-Triples the first ``--floor-works`` works give, loaded by
   Oxigraph's own bulk loader alone (no Python per triple), in memory and on disk; at
   the import's triples per work this bounds any import's works/s on this machine.

Figures are printed; nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from influencegraph.bulk.sample import openalex_works  # noqa: E402

CHILD = """
import sys, time, resource
from influencegraph.bulk import import_file
from influencegraph.graph import StoreSource
store = StoreSource(sys.argv[1], read_only=False)
start = time.perf_counter()
result = import_file(store, sys.argv[2], "openalex", sys.argv[1])
took = time.perf_counter() - start
print(took, result.summary.imported, result.summary.unchanged, result.summary.claims,
      result.summary.lines, len(store.store),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_records(path: Path, works: int) -> int:
    """The generated works and their near-copies, as gzipped JSON Lines; how many."""
    count = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        for record in openalex_works(works, seed=7):
            out.write(json.dumps(record) + "\n")
            count += 1
            number = int(record["id"].rsplit("W", 1)[1])
            if number % 100 == 1:
                copy = dict(
                    record,
                    id=f"https://openalex.org/W{90_000_000 + number}",
                    doi=None,
                    referenced_works=[],
                )
                copy["display_name"] = copy["title"] = record["title"].upper()
                author = dict(record["authorships"][0]["author"])
                author["id"] = f"https://openalex.org/A{90_000_000 + number}"
                copy["authorships"] = [dict(record["authorships"][0], author=author)]
                out.write(json.dumps(copy) + "\n")
                count += 1
    return count


def run_import(store: Path, records: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), str(records)],
        capture_output=True,
        text=True,
        check=True,
    )
    took, imported, unchanged, claims, lines, size, rss = done.stdout.split()
    return {
        "seconds": float(took),
        "imported": int(imported),
        "unchanged": int(unchanged),
        "claims": int(claims),
        "lines": int(lines),
        "triples": int(size),
        "peak_mb": int(rss) / 1024,
    }


def loading_floor(records: Path, works: int, work: Path) -> None:
    """Print Oxigraph's bulk-load rate for the triples ``works`` records give, and the
    works/s that rate allows."""
    import itertools

    import pyoxigraph

    from influencegraph.bulk import build_spool
    from influencegraph.graph import StoreSource, default_data_paths
    from influencegraph.load import load_files

    part = work / "floor.jsonl"
    with gzip.open(records, "rt", encoding="utf-8") as lines:
        part.write_text("".join(itertools.islice(lines, works)), encoding="utf-8")
    empty = work / "floor-store"
    load_files(empty, default_data_paths())
    spool = work / "floor.nt"
    start = time.perf_counter()
    build_spool(StoreSource(empty), part, "openalex", spool)
    built = time.perf_counter() - start
    triples = sum(1 for _ in spool.open("rb"))
    for where, store in (
        ("in memory", pyoxigraph.Store()),
        ("on disk", pyoxigraph.Store(str(work / "floor-disk"))),
    ):
        start = time.perf_counter()
        store.bulk_load(path=str(spool), format=pyoxigraph.RdfFormat.N_TRIPLES)
        took = time.perf_counter() - start
        print(
            f"loading floor ({where}): {triples:,} triples of {works:,} works in {took:.1f} s ="
            f" {triples / took:,.0f} triples/s; at {triples / works:.0f} triples per work,"
            f" at most {works / took:,.0f} works/s before any Python"
        )
    print(f"building those triples in Python: {built:.1f} s = {works / built:,.0f} works/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--floor-works", type=int, default=10_000)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ig-bulk-"))
    work.mkdir(parents=True, exist_ok=True)
    records = work / "works.jsonl.gz"
    count = write_records(records, args.works)
    print(
        f"{count} records ({args.works} works + near-copies), "
        f"{records.stat().st_size / 1e6:.1f} MB gzipped"
    )

    from influencegraph.graph import default_data_paths
    from influencegraph.load import load_files

    store = work / "store"
    load_files(store, default_data_paths())
    first = run_import(store, records)
    print(
        f"import: {first['seconds']:.1f} s, {count / first['seconds']:,.0f} works/s, "
        f"{first['lines']:,} lines, {first['claims']:,} citation claims, store "
        f"{first['triples']:,} triples, peak {first['peak_mb']:,.0f} MB"
    )
    again = run_import(store, records)
    print(
        f"re-import: {again['seconds']:.1f} s, {count / again['seconds']:,.0f} works/s, "
        f"{again['unchanged']:,} unchanged, store {again['triples']:,} triples "
        f"({'no change' if again['triples'] == first['triples'] else 'CHANGED'}), "
        f"peak {again['peak_mb']:,.0f} MB"
    )

    from collections import Counter

    from influencegraph.dedupe import duplicates
    from influencegraph.graph import StoreSource
    from influencegraph.names import name_index

    source = StoreSource(store)
    start = time.perf_counter()
    pairs = duplicates(source)
    took = time.perf_counter() - start
    entities = len(name_index(source).entities)
    reasons = Counter(p.reason for p in pairs)
    print(
        f"dedupe: {took:.1f} s over {entities:,} entities; {len(pairs):,} pairs "
        f"({', '.join(f'{n} {r}' for r, n in sorted(reasons.items()))}); "
        f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
    )
    loading_floor(records, min(args.floor_works, count), work)


if __name__ == "__main__":
    main()
