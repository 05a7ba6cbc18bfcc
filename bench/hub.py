"""Issue 13's hub target alone: ``influence`` from the most-cited report, depth 2, at 1M
triples, as a whole command on an open on-disk store: wall and CPU time (user + system).

Builds the store as ``bench/serve.py`` does (``generate_corpus``, 30,000 documents, seed
1, about 1M triples) unless ``--store DIR`` names one built so already (kept with
``--keep DIR``), then runs the command ``--runs`` times (default 3) and prints the target
row: the median wall time, the CPU time of that run and the load average (the machine's
cores may be shared; CPU time moves less with load than wall time).

Usage: ``python bench/hub.py [--store DIR | --keep DIR] [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HUB = "Social integration review 1990 no. 1"
"""doc-0 of the generated corpus: the most-cited report (1,159 claims)."""


def build(folder: Path) -> Path:
    from influencegraph.generate import generate_corpus
    from influencegraph.load import load_files

    corpus = folder / "corpus.nt"
    generate_corpus(corpus, 30_000, seed=1)
    store = folder / "store"
    load_files(store, [corpus])
    corpus.unlink()
    return store


def compiled() -> None:
    """Byte-compile the package, as installing a wheel does: where PYTHONDONTWRITEBYTECODE
    is set (as on this project's machines) an editable install otherwise compiles its
    ~95 modules again in every run, about 0.1 s that an installed tool does not spend."""
    import compileall

    import influencegraph

    compileall.compile_dir(Path(influencegraph.__file__).parent, quiet=1)


def run_once(store: Path, name: str = HUB) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and hops of one whole command from
    ``name`` (a label or an IRI)."""
    exe = Path(sys.executable).parent / "influencegraph"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "influencegraph"]
    command += ["--store", str(store), "influence", name, "--depth", "2", "--format", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(json.loads(done.stdout)["hops"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store built as this script builds it")
    parser.add_argument("--keep", type=Path, help="build the store here and keep it")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = args.store
        if store is None:
            target = args.keep or Path(folder)
            target.mkdir(parents=True, exist_ok=True)
            store = build(target)
        compiled()
        run_once(store)  # warm the page cache
        runs = sorted(run_once(store) for _ in range(args.runs))
        wall, cpu, hops = runs[len(runs) // 2]
        load = os.getloadavg()[0]
        print(
            f"| influence from the most-cited report (depth 2, {hops:,} hops), whole command, "
            f"JSON | {wall:.2f} s wall, {cpu:.2f} s CPU (median of {args.runs}; CPU "
            f"{min(r[1] for r in runs):.2f}-{max(r[1] for r in runs):.2f} s; load {load:.1f}) "
            f"| target <= 2 s |"
        )


if __name__ == "__main__":
    main()
