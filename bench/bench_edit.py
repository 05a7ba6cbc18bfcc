"""How long adding, importing, exporting and diffing take as the graph grows.

Run: ``.venv/bin/python bench/bench_edit.py [ENTITIES...]`` (default 200 2000 10000).

For each size it writes a synthetic, conforming Turtle file (reports, organisations and
claims between them, with comments), then times, in the same run:

* ``add entity`` through the library (check, append, parse check, SHACL + time order,
  atomic write) against the plain approach: rdflib parse + add + re-serialise the whole
  file (which is what appending avoids: it drops every comment);
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
from influencegraph.edit import EntitySpec, add_entity, import_csv  # noqa: E402
from influencegraph.export import export_graph  # noqa: E402
from influencegraph.source import open_source  # noqa: E402

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
            parts.append(f"# report {i}\n:r-{i} a ig:Report ; rdfs:label \"Report {i}\" ;\n"
                         f"    dcterms:issued \"{1900 + i % 100:04d}\"^^xsd:gYear ;\n"
                         f"    dcterms:publisher :org-{i - 1} ;\n"
                         f"    dcterms:source :src ; ig:evidence \"q{i}\" .\n")
        else:
            parts.append(f":org-{i} a ig:Organisation ; rdfs:label \"Org {i}\" ;\n"
                         f"    dcterms:source :src ; ig:evidence \"q{i}\" .\n")
        if i % 2 and i > 2:
            parts.append(f":r-{i} prov:wasInfluencedBy :org-{i - 1} ;\n"
                         f"    prov:qualifiedInfluence :c-{i} .\n"
                         f":c-{i} a ig:InfluenceClaim ; prov:influencer :org-{i - 1} ;\n"
                         f"    ig:kind ig:worksWith ; ig:claimant :org-0 ;\n"
                         f"    dcterms:source :src ; ig:evidence \"c{i}\" .\n")
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
    path.with_suffix(".plain.ttl").write_text(graph.serialize(format="turtle"),
                                              encoding="utf-8")


def claims_csv(path: Path, entities: int, rows: int = 100) -> None:
    lines = ["from,to,kind,evidence,source"]
    for i in range(rows):
        org, report = 2 * (i % (entities // 2)), 2 * (i % (entities // 2)) + 1
        if report < entities:
            lines.append(f"Org {org},Report {report},funds,quote {i},Bench page")
    path.write_text("\n".join(dict.fromkeys(lines)) + "\n", encoding="utf-8")


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
        timed("add entity (append + validate + atomic)", add_entity, source, data,
              EntitySpec("Report", "Bench report", evidence="q", source="Bench page"))
        timed("plain: parse + add + re-serialise", plain_add, data)
        sheet = base / "claims.csv"
        claims_csv(sheet, entities)
        timed("import 100-row claims CSV", import_csv, open_source([data]), data, sheet,
              "claims")
        after = open_source([data])
        for fmt in ("graphml", "gexf", "jsonld", "nt", "csv"):
            timed(f"export {fmt}", export_graph, after, base / f"out.{fmt}")
        changes = timed("diff before/after import", diff_files, start_copy, data)
        print(f"  diff found {len(changes)} changes")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [200, 2000, 10000]
    for size in sizes:
        print(f"== {size} entities")
        run(size)


if __name__ == "__main__":
    main()
