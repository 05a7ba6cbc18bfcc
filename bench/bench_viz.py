"""How fast is a big HTML view written? influencegraph's renderer vs pyvis's own way.

Builds a generated influence-like graph (20k nodes, 100k edges by default: typed, dated
nodes; edges with kind, strength, a quote, source and claimant), then times

* influencegraph: ``build_page`` (data filled directly, PageRank sizes) + ``render_html``
  (vis-network inlined) + ``write_html`` (atomic) - target <= 1 s for 20k nodes;
* pyvis's plain approach: ``add_node``/``add_edge`` in a loop, then its ``write_html``
  (``in_line``, which still links Bootstrap from a CDN). It is quadratic (list membership
  checks), so it runs at a smaller size, beside influencegraph at that size, unless
  ``--pyvis-full`` is given.

Prints figures; asserts nothing. Run: ``.venv/bin/python bench/bench_viz.py``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx

from influencegraph.render import build_page, render_html, write_html
from influencegraph.vocab import ENTITY_TYPES, INFLUENCE_KINDS


def generated_graph(nodes: int, edges: int, seed: int = 1) -> nx.MultiDiGraph:
    """A heavy-tailed random influence graph with the attributes projection gives."""
    rng = random.Random(seed)
    types = [t for t in ENTITY_TYPES if t != "Source document"]
    graph = nx.MultiDiGraph()
    for i in range(nodes):
        kind = rng.choice(types)
        year = str(rng.randint(2000, 2024)) if kind in ("Report", "Strategy", "Survey") else None
        graph.add_node(f"https://example.org/id/n{i}", label=f"{kind} {i}", type=kind, year=year)
    ids = list(graph.nodes)
    weights = [1.0 / (i + 1) ** 0.8 for i in range(nodes)]  # a few hubs, a long tail
    sources = rng.choices(ids, weights=weights, k=edges)
    targets = rng.choices(ids, k=edges)
    for n, (x, y) in enumerate(zip(sources, targets, strict=True)):
        kind = INFLUENCE_KINDS[n % len(INFLUENCE_KINDS)]
        graph.add_edge(
            x,
            y,
            relation=kind.label,
            kind=kind.name,
            strength=kind.strength,
            evidence=f"Quote number {n} from the page that says so.",
            source="A source page",
            claimant="Someone",
            inferred=n % 97 == 0,
        )
    return graph


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def ours(graph: nx.Graph, out: Path) -> dict[str, float]:
    page, t_build = timed(build_page, graph)
    html, t_render = timed(render_html, page)
    _, t_write = timed(write_html, html, out)
    return {
        "build": t_build,
        "render": t_render,
        "write": t_write,
        "total": t_build + t_render + t_write,
        "mb": out.stat().st_size / 1e6,
    }


def pyvis_loop(graph: nx.Graph, out: Path) -> dict[str, float]:
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    for node, attrs in graph.nodes(data=True):
        net.add_node(node, label=attrs["label"], title=attrs["type"])
    t_nodes = time.perf_counter() - start
    for x, y, attrs in graph.edges(data=True):
        net.add_edge(x, y, title=attrs["evidence"], label=attrs["relation"])
    t_add = time.perf_counter() - start
    net.write_html(str(out))
    total = time.perf_counter() - start
    return {"nodes": t_nodes, "add": t_add, "total": total, "mb": out.stat().st_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pyvis-nodes",
        type=int,
        default=5_000,
        help="size for pyvis's add_node/add_edge loop (quadratic)",
    )
    parser.add_argument(
        "--pyvis-full",
        action="store_true",
        help="run pyvis's loop at the full size too (about 30 s at 20k)",
    )
    args = parser.parse_args()

    print(f"generating {args.nodes} nodes / {args.edges} edges ...", flush=True)
    big = generated_graph(args.nodes, args.edges)
    small_nodes = min(args.pyvis_nodes, args.nodes)
    small = generated_graph(small_nodes, small_nodes * args.edges // args.nodes)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.chdir(folder)  # pyvis writes relative to the working directory
        ours(small, folder / "warm.html")  # first call reads vis-network and compiles the template
        runs = [ours(big, folder / "ours.html") for _ in range(args.repeat)]
        best = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"\ninfluencegraph, {args.nodes} nodes / {args.edges} edges (median of {args.repeat}):"
        )
        print(
            f"  build_page {best['build']:.3f} s   render_html {best['render']:.3f} s   "
            f"write_html {best['write']:.3f} s"
        )
        verdict = "within" if best["total"] <= 1.0 else "OVER"
        print(f"  total {best['total']:.3f} s ({verdict} the 1 s target), file {best['mb']:.1f} MB")

        sizes = [(small_nodes, small)]
        if args.pyvis_full and small_nodes < args.nodes:
            sizes.append((args.nodes, big))
        for n, graph in sizes:
            mine = ours(graph, folder / "ours_small.html")
            loop = pyvis_loop(graph, folder / "pyvis_loop.html")
            print(f"\n{n} nodes / {graph.number_of_edges()} edges:")
            print(
                f"  pyvis add_node/add_edge loop + write_html: {loop['total']:.3f} s "
                f"(add_node {loop['nodes']:.3f} s, add_edge {loop['add'] - loop['nodes']:.3f} s)"
            )
            print(
                f"  influencegraph build + render + write:     {mine['total']:.3f} s "
                f"({loop['total'] / mine['total']:.0f}x faster)"
            )
        if not args.pyvis_full:
            print(
                f"\n(pyvis's loop is quadratic; it ran at {small_nodes} nodes only. "
                "--pyvis-full runs it at the full size.)"
            )


if __name__ == "__main__":
    main()
