"""How long adding, importing, exporting and diffing take as the graph grows.

Run: ``.venv/bin/python bench/bench_edit.py [ENTITIES...]`` (default 200 2000 10000).

For each size it writes a synthetic, conforming Turtle file (reports, organisations and
claims between them, with comments), then times, in the same run:

* ``add entity`` through the library (check, append, parse check, SHACL + time order,
  atomic write) against the plain approach: rdflib parse + add + re-serialise the whole
  file (which is what appending avoids: it drops every comment);
* the graph check alone, side by side: the whole-graph comparison ``add`` used to run
  (``validate_graph`` after the addition, and before it when anything was found) against
  the focused check it runs now (``validate.new_violations``), for one entity, a 100-claim
  import and a refused claim (backwards in time), with the ratio and whether both found
  the same violations; also on the bundled graph;
* importing a 100-row claims CSV (one validation for all rows);
* exporting GraphML, GEXF, JSON-LD, N-Triples and CSV;
* diffing the file before and after the import.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from influencegraph.diff import diff_files  # noqa: E402
from influencegraph.edit import (  # noqa: E402
    ClaimSpec,
    Draft,
    EntitySpec,
    add_entity,
    claim_spec,
    copy_graph,
    import_csv,
    read_table,
)
from influencegraph.export import export_graph  # noqa: E402
from influencegraph.graph import default_data_paths, open_source  # noqa: E402
from influencegraph.validate import new_violations, validate_graph  # noqa: E402

HEAD = """\
# synthetic graph for bench/bench_edit.py
@prefix : <https://w3id.org/influencegraph/id/> .
@prefix ig: <https://w3id.org/influencegraph/ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

:org-0 a ig:Organisation ; rdfs:label "Org 0" ; dcterms:source :src ; ig:evidence "q" .
:src a ig:SourceDocument ; rdfs:label "Bench page (Org 0)" ; dcterms:title "Bench page" ;
    dcterms:publisher :org-0 ; dcterms:source :src ; ig:evidence "q" .
"""


def synthetic(entities: int) -> str:
    """Half reports (dated), half organisations; each report claims to draw on the last."""
    parts = [HEAD]
    for i in range(1, entities):
        if i % 2:
            parts.append(
                f'# report {i}\n:r-{i} a ig:Report ; rdfs:label "Report {i}" ;\n'
                f'    dcterms:issued "{1900 + i % 100:04d}"^^xsd:gYear ;\n'
                f"    dcterms:publisher :org-{i - 1} ;\n"
                f'    dcterms:source :src ; ig:evidence "q{i}" .\n'
            )
        else:
            parts.append(
                f':org-{i} a ig:Organisation ; rdfs:label "Org {i}" ;\n'
                f'    dcterms:source :src ; ig:evidence "q{i}" .\n'
            )
        if i % 2 and i > 2:
            parts.append(
                f":r-{i} prov:wasInfluencedBy :org-{i - 1} ;\n"
                f"    prov:qualifiedInfluence :c-{i} .\n"
                f":c-{i} a ig:InfluenceClaim ; prov:influencer :org-{i - 1} ;\n"
                f"    ig:kind ig:worksWith ; ig:claimant :org-0 ;\n"
                f'    dcterms:source :src ; ig:evidence "c{i}" .\n'
            )
    return "\n".join(parts)


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    value = func(*args, **kwargs)
    print(f"  {label:<44} {time.perf_counter() - start:8.3f} s")
    return value


def plain_add(path: Path) -> None:
    """The plain approach: parse, add, re-serialise everything (comments are lost)."""
    from rdflib import RDF, RDFS, Graph, Literal, URIRef

    graph = Graph().parse(path, format="turtle")
    node = URIRef("https://w3id.org/influencegraph/id/plain")
    graph.add((node, RDF.type, URIRef("https://w3id.org/influencegraph/ns#Report")))
    graph.add((node, RDFS.label, Literal("Plain")))
    path.with_suffix(".plain.ttl").write_text(graph.serialize(format="turtle"), encoding="utf-8")


def claims_csv(path: Path, entities: int, rows: int = 100) -> None:
    lines = ["from,to,kind,evidence,source"]
    for i in range(rows):
        org, report = 2 * (i % (entities // 2)), 2 * (i % (entities // 2)) + 1
        if report < entities:
            lines.append(f"Org {org},Report {report},funds,quote {i},Bench page")
    path.write_text("\n".join(dict.fromkeys(lines)) + "\n", encoding="utf-8")


def whole_graph_check(draft: Draft) -> list:
    """What ``add`` ran before: validate the whole graph after the addition and, when that
    finds anything, the whole graph before it; keep what is new."""
    found = validate_graph(draft.work.graph)
    if not found:
        return []
    before = {v.key for v in validate_graph(copy_graph(draft.original))}
    return [v for v in found if v.key not in before]


def seconds(func, *args):
    start = time.perf_counter()
    value = func(*args)
    return time.perf_counter() - start, value


def compare_checks(label: str, source, fill) -> None:
    """Time both checks on the same draft (``fill`` adds to it) and print them side by side."""
    draft = Draft(source)
    problems = fill(draft)
    assert not problems, problems
    whole_s, whole = seconds(whole_graph_check, draft)
    focused_s, focused = seconds(new_violations, draft.work.graph, draft.fresh)
    same = sorted(v.key for v in whole) == sorted(v.key for v in focused)
    print(
        f"  check {label:<38} whole graph {whole_s:8.3f} s   focused {focused_s:8.3f} s"
        f"   {whole_s / max(focused_s, 1e-9):7.1f}x   {len(focused)} new, same: {same}"
    )


def compare_all(source, page: str, sheet: Path | None, late: str, early: str) -> None:
    """One entity, the claims of ``sheet``, and a claim from ``late`` back to ``early``."""
    compare_checks(
        "add entity",
        source,
        lambda d: d.add_entity(EntitySpec("Report", "Bench report", evidence="q", document=page)),
    )
    if sheet is not None:
        rows = read_table(sheet, "claims").rows
        compare_checks(
            f"import {len(rows)}-row claims CSV",
            source,
            lambda d: [p for _, row in rows for p in d.add_claim(claim_spec(row))],
        )
    compare_checks(
        "refused claim (backwards in time)",
        source,
        lambda d: d.add_claim(ClaimSpec(late, early, "endorses", evidence="q", document=page)),
    )


def run(entities: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        data = base / "g.ttl"
        data.write_text(synthetic(entities), encoding="utf-8")
        start_copy = base / "start.ttl"
        shutil.copy(data, start_copy)
        source = timed("open (rdflib parse)", open_source, [data])
        triples = sum(1 for _ in source.triples((None, None, None)))
        print(f"  {entities} entities, {triples} triples")
        timed(
            "add entity (append + validate + atomic)",
            add_entity,
            source,
            data,
            EntitySpec("Report", "Bench report", evidence="q", document="Bench page"),
        )
        timed("plain: parse + add + re-serialise", plain_add, data)
        sheet = base / "claims.csv"
        claims_csv(sheet, entities)
        newest = 99 if entities > 99 else max(i for i in range(1, entities) if i % 2)
        compare_all(source, "Bench page", sheet, f"Report {newest}", "Report 1")
        timed("import 100-row claims CSV", import_csv, open_source([data]), data, sheet, "claims")
        after = open_source([data])
        for fmt in ("graphml", "gexf", "jsonld", "nt", "csv"):
            timed(f"export {fmt}", export_graph, after, base / f"out.{fmt}")
        changes = timed("diff before/after import", diff_files, start_copy, data)
        print(f"  diff found {len(changes)} changes")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [200, 2000, 10000]
    print("== the bundled graph")
    bundled = open_source(default_data_paths())
    validate_graph(copy_graph(bundled))  # warm up: imports, the shapes, the query compiler
    print(f"  {sum(1 for _ in bundled.triples((None, None, None)))} triples")
    compare_all(
        bundled, "Policy Impact", None, "Social mixing in the workplace", "A Sense of Belonging"
    )
    for size in sizes:
        print(f"== {size} entities")
        run(size)


if __name__ == "__main__":
    main()
