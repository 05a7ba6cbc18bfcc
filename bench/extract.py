"""How well and how fast `extract` reads documents (figures for bench/results.md).

Measured, in one run:

* **Seed pages, ontology only**: each page in data/sources/ is extracted against the
  vocabulary alone (no curated entities or claims), read as text and as a PDF made from
  it (fpdf2). Recall: of the curated claims whose quote comes from that page, the share
  proposed with the same influencer, target and kind (labels resolved against the curated
  graph). Precision: of the claims proposed, the share that is a curated claim of that
  page. Entities: of the curated entities of that page, the share proposed with the
  right type.
* **Bundled graph loaded**: of the graph's entities a plain search for their labels finds
  in a page (the plain approach: folded substring search), the share `extract` links.
* **Speed**: pages of text per second (a generated text of 300 pages of 3,000
  characters: seven sentences in ten plain prose, three naming organisations, reports,
  people and bodies, with a cue), and a generated 300-page PDF of the same text end to
  end, each in a fresh process, with its peak memory.

Run: ``.venv/bin/python bench/extract.py``.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "Policy Impact (The Challenge)": ("policy-impact.txt", "The Challenge", "Policy Impact"),
    '"If you could do one thing..." Local actions to improve social integration '
    "(British Academy)": (
        "ba-local-actions.txt",
        "British Academy",
        '"If you could do one thing..." Local actions to improve social integration',
    ),
}


def curated(graph, label: str):
    """The curated claims and entities whose source is the page labelled ``label``."""
    from rdflib import Literal

    from influencegraph.graph import MemorySource

    source = MemorySource(graph)
    rows = source.select(
        """SELECT ?x ?y ?kind WHERE {
        ?src rdfs:label ?label . ?y prov:qualifiedInfluence ?c .
        ?c prov:influencer ?x ; ig:kind ?kind ; dcterms:source ?src }""",
        bindings={"label": Literal(label)},
    )
    claims = {(str(r["x"]), str(r["y"]), str(r["kind"])) for r in rows}
    rows = source.select(
        """SELECT ?e ?type WHERE {
        ?src rdfs:label ?label . ?e dcterms:source ?src ; a ?type ; rdfs:label ?l .
        FILTER(?type != ig:SourceDocument && ?type != ig:InfluenceClaim
               && ?type != prov:Influence) }""",
        bindings={"label": Literal(label)},
    )
    return claims, rows


def resolve(index, label: str) -> set[str]:
    from influencegraph.names import normalise

    return set(index.by_key.get(normalise(label), set()))


def make_pdf(text: str, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", fname=_font())
    pdf.set_font("dejavu", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 5, text)
    pdf.output(str(path))


def _font() -> str:
    for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        if Path(candidate).exists():
            return candidate
    raise SystemExit(
        "needs the DejaVu font (apt-get install fonts-dejavu-core) for curly quotes in the PDF"
    )


def quality(workdir: Path) -> list[str]:
    from influencegraph.extract.run import Options, extract
    from influencegraph.graph import MemorySource, default_data_paths, load_graph
    from influencegraph.names import name_index
    from influencegraph.vocab import KIND_BY_IRI, TYPE_NAMES, kind_named

    seed = load_graph(default_data_paths())
    seed_source = MemorySource(seed, default_data_paths())
    index = name_index(seed_source)
    ontology = MemorySource(load_graph([]))
    lines = [
        "| page | read as | curated claims | proposed | recall | precision | "
        "curated entities | proposed with right type |",
        "|---|---|---|---|---|---|---|---|",
    ]
    totals = {"curated": 0, "found": 0, "proposed": 0, "right": 0, "entities": 0, "typed": 0}
    for label, (name, publisher, title) in PAGES.items():
        text_path = ROOT / "data" / "sources" / name
        pdf_path = workdir / (Path(name).stem + ".pdf")
        make_pdf(text_path.read_text(encoding="utf-8"), pdf_path)
        claims, entity_rows = curated(seed, label)
        types = {}
        for row in entity_rows:
            types.setdefault(str(row["e"]), set()).add(TYPE_NAMES.get(str(row["type"])))
        for path, how in ((text_path, "text"), (pdf_path, "PDF")):
            result = extract(ontology, [path], Options(publisher=publisher, title=title))
            found, right = set(), 0
            for row in result.claims:
                kind = kind_named(row["kind"]).iri
                hits = {
                    (x, y, kind)
                    for x in resolve(index, row["from"])
                    for y in resolve(index, row["to"])
                } & claims
                found |= hits
                right += bool(hits)
            typed = 0
            for iri, wanted in types.items():
                ok = any(
                    iri
                    in resolve(index, e["label"])
                    | set().union(*(resolve(index, a) for a in e["alt_labels"].split("|") if a))
                    and e["type"] in wanted
                    for e in result.entities
                )
                typed += ok
            proposed = len(result.claims)
            lines.append(
                f"| {name} | {how} | {len(claims)} | {proposed} | "
                f"{len(found)}/{len(claims)} = {len(found) / len(claims):.0%} | "
                f"{right}/{proposed} = {right / max(proposed, 1):.0%} | "
                f"{len(types)} | {typed}/{len(types)} = {typed / len(types):.0%} |"
            )
            for key, value in (
                ("curated", len(claims)),
                ("found", len(found)),
                ("proposed", proposed),
                ("right", right),
                ("entities", len(types)),
                ("typed", typed),
            ):
                totals[key] += value
            if how == "text":
                missed = claims - found
                for x, y, kind in sorted(missed):
                    print(
                        f"  missed ({name}): {index.entities[x].label} -> "
                        f"{KIND_BY_IRI[kind].label} -> {index.entities[y].label}",
                        file=sys.stderr,
                    )
    lines.append(
        f"| **all** | both | {totals['curated']} | {totals['proposed']} | "
        f"**{totals['found'] / totals['curated']:.0%}** | "
        f"**{totals['right'] / max(totals['proposed'], 1):.0%}** | "
        f"{totals['entities']} | **{totals['typed'] / totals['entities']:.0%}** |"
    )
    lines += ["", linking(seed_source, index)]
    return lines


def linking(seed_source, index) -> str:
    """Entities a plain label search finds in each page, and how many extract links."""
    import re

    from influencegraph.extract.run import Options, extract
    from influencegraph.names import normalise

    plain_total = linked_total = 0
    missed = []
    for _label, (name, publisher, title) in PAGES.items():
        path = ROOT / "data" / "sources" / name
        folded = normalise(path.read_text(encoding="utf-8"))
        hits = sorted(
            (
                (m.start(), m.end(), iri)
                for key, iris in index.by_key.items()
                if len(key) > 3
                for iri in iris
                if index.entities[iri].type != "Source document"
                for m in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded)
            ),
            key=lambda h: h[0] - h[1],
        )
        taken: set[int] = set()
        plain = set()
        for start, end, iri in hits:  # longest first: "Local Government" is no Government
            if not taken.intersection(range(start, end)) or any(
                s == start and e == end for s, e, _ in hits if _ != iri
            ):
                plain.add(index.entities[iri].label)
                taken.update(range(start, end))
        result = extract(seed_source, [path], Options(publisher=publisher, title=title))
        plain_total += len(plain)
        linked_total += len(plain & set(result.known))
        missed += sorted(plain - set(result.known))
    return (
        f"Mentions linked with the bundled graph: {linked_total}/{plain_total} = "
        f"**{linked_total / plain_total:.0%}** of the entities a plain folded label "
        f"search (longest match first) finds in the two pages (missed: "
        f"{', '.join(missed) or 'none'})."
    )


# ---------------------------------------------------------------- speed

SENTENCES = [
    "The {org} published {title} in {year}, drawing on evidence from {n} local areas.",
    "{title} was cited by the {strategy} as a key influence on its approach.",
    "Professor {person} chairs the {org} advisory board.",
    "We work with the {gov} and the {org} to improve community services.",
    "Funding from the {fund} supported a survey of {n} households.",
    "The report found that shared spaces matter more than programmes.",
]
PROSE = [
    "Residents told us that everyday contact in shops, parks and schools mattered most.",
    "Most councils reported rising demand for language classes and for youth work.",
    "Evidence from the pilots suggests that small grants can go a long way.",
    "Volunteers organised meals, sports clubs and reading groups across the area.",
    "Attendance grew steadily over the second year, especially among older people.",
    "The findings were discussed at a series of workshops with local practitioners.",
    "Further work is needed to understand what lasts once funding ends.",
    "Case studies describe how trust was built between neighbours over time.",
]
"""Plain sentences with no names: real pages hold far more of these than named ones."""
WORDS = ["Harbour", "Meadow", "Granite", "Willow", "Beacon", "Lantern", "Orchard", "Summit"]


def generated_text(pages: int, seed: int = 1) -> list[str]:
    """``pages`` pages of about 3,000 characters of policy-like prose with varied names."""
    rng = random.Random(seed)
    out = []
    for _ in range(pages):
        page = []
        while sum(len(s) for s in page) < 3000:
            a, b = rng.sample(WORDS, 2)
            if rng.random() < 0.7:
                page.append(rng.choice(PROSE))
                continue
            page.append(
                rng.choice(SENTENCES).format(
                    org=f"{a} {b} Foundation",
                    title=f"‘{a} and {b}’",
                    year=rng.randint(2000, 2024),
                    n=rng.randint(2, 90),
                    strategy=f"{a} Communities Strategy",
                    person=f"{a.title()} {b}son",
                    gov=f"Department for {a} Affairs",
                    fund=f"{b} Trust",
                )
            )
        out.append(" ".join(page))
    return out


def timed_child(path: Path, warm_up: Path) -> tuple[float, float, int, float]:
    """Run extract on ``path`` in a fresh process, after a one-line ``warm_up`` document:
    (seconds, peak MB, pages, seconds of the warm-up)."""
    code = (
        "import resource, sys, time\n"
        "from influencegraph.extract.run import Options, extract\n"
        "from influencegraph.graph import open_source\n"
        "source = open_source(needs='edit')\n"
        "begin = time.perf_counter()\n"
        f"extract(source, [{str(warm_up)!r}], Options(publisher='The Challenge'))\n"
        "warm = time.perf_counter() - begin\n"
        "start = time.perf_counter()\n"
        f"r = extract(source, [{str(path)!r}], Options(publisher='The Challenge'))\n"
        "took = time.perf_counter() - start\n"
        "print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, r.pages,"
        " len(r.claims), len(r.failures), warm)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    took, peak, pages, _claims, failures, warm = done.stdout.split()
    assert failures == "0", done.stdout
    return float(took), float(peak), int(pages), float(warm)


def speed(workdir: Path) -> list[str]:
    from fpdf import FPDF

    pages = generated_text(300)
    text = workdir / "big.txt"
    text.write_text("\n\n".join(pages), encoding="utf-8")
    pdf_path = workdir / "big.pdf"
    pdf = FPDF()
    pdf.add_font("dejavu", fname=_font())
    pdf.set_font("dejavu", size=9)
    for page in pages:
        pdf.add_page()
        pdf.multi_cell(0, 4, page)
    pdf.output(str(pdf_path))
    warm_up = workdir / "warm-up.txt"
    warm_up.write_text("The Harbour Fund funds the Tidewater Survey.\n", encoding="utf-8")
    lines = [
        "| input | pages | extract (s) | pages/s | peak memory of the process | "
        "first document (start-up: spaCy, names, cues) |",
        "|---|---|---|---|---|---|",
    ]
    big = workdir / "bigger.txt"
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(10):
            handle.write("\n\n".join(pages) + "\n\n")
    for label, path in (
        ("300 pages of text (.txt)", text),
        ("300-page PDF", pdf_path),
        ("3,000 pages of text (memory stays flat)", big),
    ):
        took, peak, counted, warm = timed_child(path, warm_up)
        lines.append(
            f"| {label} | {counted} | {took:.1f} | {counted / took:.0f} | "
            f"{peak:.0f} MB | {warm:.1f} s |"
        )
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "influencegraph",
            "extract",
            str(pdf_path),
            "--publisher",
            "The Challenge",
            "-o",
            str(workdir / "r.csv"),
        ],
        capture_output=True,
        text=True,
    )
    whole = time.perf_counter() - start
    lines.append(
        f"| 300-page PDF, whole `influencegraph extract` command | | {whole:.1f} "
        f"| | exit {done.returncode} | |"
    )
    lines.append(
        f"\nLoad average while measuring: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores (the machine is shared)."
    )
    return lines


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        report = [
            "### Quality: seed pages, ontology only",
            "",
            *quality(workdir),
            "",
            "### Speed (bundled graph loaded)",
            "",
            *speed(workdir),
        ]
    print("\n".join(report))
    print(
        f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
