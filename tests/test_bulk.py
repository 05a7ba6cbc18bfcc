"""Bulk imports: OpenAlex, Crossref and ROR records into a store or a file."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from influencegraph.bulk import build_spool, import_file
from influencegraph.bulk.read import read_records
from influencegraph.bulk.sample import openalex_works
from influencegraph.errors import EditRefused
from influencegraph.graph import StoreSource, default_data_paths, open_source
from influencegraph.load import load_files
from influencegraph.names import resolve

REAL = "tests/data/bulk/"


@pytest.fixture
def store(tmp_path):
    directory = tmp_path / "store"
    load_files(directory, default_data_paths())
    return directory


def _size(store) -> int:
    return len(StoreSource(store).store)


def _run(invoke, store, *args):
    return invoke("--store", str(store), "import", *args)


def test_real_records_link_across_sources_and_reimport_changes_nothing(invoke, store, repo_root):
    real = repo_root / REAL
    first = _run(invoke, store, str(real / "openalex-W2741809807.json"), "--from", "openalex")
    assert first.exit_code == 0, first.output
    assert "1 imported" in first.output
    size = _size(store)
    again = _run(invoke, store, str(real / "openalex-W2741809807.json"), "--from", "openalex")
    assert "1 unchanged" in again.output and "0 triples added" in again.output
    assert _size(store) == size
    crossref = _run(invoke, store, str(real / "crossref-peerj.4375.json"), "--from", "crossref")
    assert "2 linked" in crossref.output, crossref.output  # the work by DOI, Piwowar by ORCID
    ror = _run(invoke, store, str(real / "ror-caltech.json"), "--from", "ror")
    assert ror.exit_code == 0, ror.output
    source = StoreSource(store)
    work = resolve(source, "10.7717/peerj.4375")
    assert work.iri.endswith("/id/openalex/W2741809807")
    assert resolve(source, "0000-0003-1613-5981").label == "Heather Piwowar"
    assert resolve(source, "Q161562").label == "California Institute of Technology"
    jpl = __import__("rdflib").URIRef(resolve(source, "ror:027k65916").iri)
    parent = source.select("SELECT ?p WHERE { ?c org:subOrganizationOf ?p }", {"c": jpl})
    assert [str(r["p"]) for r in parent] == [resolve(source, "05dxps055").iri]
    check = invoke("--store", str(store), "validate")
    assert check.exit_code == 0, check.output


def test_references_become_citation_claims_resolved_after_reading(tmp_path, store):
    records = list(openalex_works(30, seed=3))
    records.reverse()  # a work cites works later in the file
    path = tmp_path / "works.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    result = import_file(StoreSource(store), path, "openalex", store)
    cited = sum(len(r["referenced_works"]) for r in records)
    assert result.summary.claims == cited > 0 and result.summary.unlinked == 0
    source = StoreSource(store)
    rows = source.select(
        "SELECT ?c WHERE { ?c ig:kind ig:cites ; ig:claimant ?who ;"
        " dcterms:source ?doc ; ig:evidence ?e }"
    )
    assert len(rows) == cited
    again = import_file(StoreSource(store), path, "openalex", store)
    assert (again.summary.unchanged, again.added) == (30, 0)


def test_a_file_target_gets_only_what_it_lacks_and_reimport_leaves_it_identical(
    tmp_path, repo_root
):
    data = tmp_path / "mine.ttl"
    data.write_bytes((repo_root / "data" / "triples.ttl").read_bytes())
    record = repo_root / REAL / "ror-caltech.json"
    result = import_file(open_source([data]), record, "ror", data)
    assert result.added and result.added > 10
    before = data.read_bytes()
    again = import_file(open_source([data]), record, "ror", data)
    assert again.added == 0 and data.read_bytes() == before
    assert resolve(open_source([data]), "ror:027k65916").label == "Jet Propulsion Laboratory"


def test_bad_records_say_file_and_line_and_nothing_is_written(invoke, tmp_path, store):
    good = json.dumps(next(openalex_works(1)))
    bad_orcid = next(openalex_works(1, seed=1))
    bad_orcid["id"] = "https://openalex.org/W99"
    bad_orcid["authorships"][0]["author"]["orcid"] = "https://orcid.org/0000-0002-1825-0096"
    path = tmp_path / "works.jsonl"
    path.write_text(
        "\n".join(
            [
                good,
                '{"id": "https://openalex.org/W5", "title": "cut',
                json.dumps({"title": "no id"}),
                json.dumps(bad_orcid),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    size = _size(store)
    result = _run(invoke, store, str(path), "--from", "openalex")
    assert result.exit_code == 2
    assert f"{path}:2: not valid JSON (the line is cut short)" in result.output
    assert f"{path}:3: no 'id' field (is this the right --from?)" in result.output
    assert f"{path}:4: author orcid: " in result.output and "ORCID checksum fails" in result.output
    assert "nothing written" in result.output
    assert _size(store) == size
    kept = _run(invoke, store, str(path), "--from", "openalex", "--keep-going")
    assert kept.exit_code == 0, kept.output
    assert "4 records, 1 imported" in kept.output and "3 bad" in kept.output


def test_wrong_schema_and_truncated_gzip(tmp_path, store, repo_root):
    with pytest.raises(EditRefused, match=r"is not an OpenAlex work|no .id. field"):
        build_spool(
            StoreSource(store),
            repo_root / REAL / "crossref-peerj.4375.json",
            "openalex",
            tmp_path / "spool.nt",
        )
    path = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in openalex_works(50)))
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(EditRefused, match="gzip stream is damaged or ends early"):
        build_spool(StoreSource(store), path, "openalex", tmp_path / "spool.nt")


def test_api_pages_give_each_record_its_line(tmp_path):
    page = {"meta": {"count": 2}, "results": list(openalex_works(2))}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page, indent=2), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    found = list(read_records(path))
    assert [r.data["id"] for r in found] == [w["id"] for w in page["results"]]
    assert all(lines[r.line - 1].strip() == "{" for r in found)
    assert found[1].line > found[0].line


def test_linking_by_exact_label_type_and_year(tmp_path, repo_root):
    """An incoming work named exactly like a graph entity of the same type and year is it;
    a different year is a new entity."""
    data = tmp_path / "mine.ttl"
    data.write_bytes((repo_root / "data" / "triples.ttl").read_bytes())
    source = open_source([data])
    existing = resolve(source, "All Together Now")
    year = next(
        str(r["y"])
        for r in source.select(
            "SELECT ?y WHERE { ?w dcterms:issued ?y }",
            {"w": __import__("rdflib").URIRef(existing.iri)},
        )
    )
    records = [
        dict(
            next(openalex_works(1)),
            display_name="All Together Now",
            title="All Together Now",
            publication_year=int(year[:4]),
            authorships=[],
        ),
        dict(
            next(openalex_works(1, seed=2)),
            id="https://openalex.org/W77",
            doi=None,
            display_name="All Together Now",
            title="All Together Now",
            publication_year=1900,
            authorships=[],
        ),
    ]
    path = tmp_path / "works.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    result = import_file(source, path, "openalex", data)
    assert result.summary.linked == 1
    fresh = open_source([data])
    assert resolve(fresh, "openalex:W1000").iri == existing.iri
    assert resolve(fresh, "openalex:W77").iri != existing.iri


def test_add_writes_to_a_store_in_one_transaction(invoke, store):
    before = _size(store)
    added = invoke(
        "--store",
        str(store),
        "add",
        "entity",
        "--type",
        "Report",
        "--label",
        "Bridging Divides",
        "--evidence",
        "Bridging Divides (2019)",
        "--source",
        "Policy Impact",
    )
    assert added.exit_code == 0, added.output
    assert "triples written to" in added.output
    assert _size(store) == before + 4
    assert resolve(StoreSource(store), "Bridging Divides").type == "Report"
    refused = invoke(
        "--store",
        str(store),
        "add",
        "claim",
        "--from",
        "Bridging Divides",
        "--to",
        "Bridging Divides",
        "--kind",
        "endorses",
        "--evidence",
        "x",
        "--source",
        "Policy Impact",
    )
    assert refused.exit_code == 2 and _size(store) == before + 4


@given(st.text())
def test_the_fast_literal_writer_agrees_with_the_edit_one(text):
    from influencegraph.bulk.build import literal
    from influencegraph.edit import quote_string

    assert literal(text) == quote_string(text)


def test_cli_import_into_a_data_file_and_its_dry_run(invoke, tmp_path, repo_root):
    data = tmp_path / "mine.ttl"
    data.write_bytes((repo_root / "data" / "triples.ttl").read_bytes())
    record = str(repo_root / REAL / "ror-caltech.json")
    before = data.read_bytes()
    dry = invoke("--data", str(data), "import", record, "--from", "ror", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "2 imported" in dry.output and "dry run: nothing written" in dry.output
    assert data.read_bytes() == before
    done = invoke("--data", str(data), "import", record, "--from", "ror")
    assert done.exit_code == 0 and "written to" in done.output
    text = data.read_text(encoding="utf-8")
    assert text.startswith(before.decode("utf-8"))  # appended: the file's comments stay
    assert "# ==== imported from ror-caltech.json" in text
    neither = invoke("--data", str(data), "import", record)
    assert neither.exit_code == 2 and "--from openalex|crossref|ror" in neither.output


@pytest.mark.parametrize("whole", [False, True])
def test_bytes_that_are_not_utf8_are_named_by_line(tmp_path, whole):
    records = [json.dumps(r) for r in openalex_works(4)]
    bad = records[2].replace('"title": "', '"title": "\udcff').encode("utf-8", "surrogateescape")
    lines = [r.encode() for r in records[:2]] + [bad, records[3].encode()]
    path = tmp_path / "works.json"
    if whole:
        lines = [b"["] + [line + b"," for line in lines[:-1]] + [lines[-1], b"]"]
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(Exception, match="not UTF-8 text") as caught:
        list(read_records(path))
    assert caught.value.line == (4 if whole else 3)


@pytest.mark.parametrize("batch", [3, 2000])
def test_reimport_skips_records_by_their_stamp_however_the_stamps_are_read(
    tmp_path, store, monkeypatch, batch
):
    # batch 3: the file spans several batches, so every stamp is read in one scan;
    # 2000: one batch, its records' stamps asked for by bound lookups
    import influencegraph.bulk as bulk
    import influencegraph.bulk.build as build

    monkeypatch.setattr(bulk, "BATCH", batch)
    monkeypatch.setattr(build, "BATCH", batch)
    records = list(openalex_works(12, seed=5))
    path = tmp_path / "works.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records[:10]), encoding="utf-8")
    import_file(StoreSource(store), path, "openalex", store)
    size = _size(store)
    records[1]["updated_date"] = records[4]["updated_date"] = "2025-06-30T00:00:00"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    again = import_file(StoreSource(store), path, "openalex", store)
    assert (again.summary.unchanged, again.summary.imported) == (8, 4)
    assert _size(store) > size
    rows = StoreSource(store).select("SELECT ?d ?m WHERE { ?d dcterms:modified ?m }", {})
    stamped = {str(r["d"]).rsplit("/", 1)[1] for r in rows if str(r["m"]).startswith("2025")}
    assert stamped == {records[1]["id"].rsplit("/", 1)[1], records[4]["id"].rsplit("/", 1)[1]}


@given(st.lists(st.integers(min_value=20, max_value=400), min_size=1, max_size=60), st.booleans())
def test_the_record_count_guess_follows_the_file(lengths, gzipped):
    import tempfile
    from pathlib import Path

    from influencegraph.bulk.read import estimate_records

    lines = b"".join(json.dumps({"t": "x" * n}).encode() + b"\n" for n in lengths)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.jsonl"
        path.write_bytes(gzip.compress(lines) if gzipped else lines)
        guess = estimate_records(path)
        path.write_bytes(b"")
        nothing = estimate_records(path)
    first = len(json.dumps({"t": "x" * lengths[0]})) + 1
    assert guess == len(lines) // first  # the gzip trailer gives the unpacked size
    assert nothing is None and estimate_records(Path("no-such-file.jsonl")) is None
