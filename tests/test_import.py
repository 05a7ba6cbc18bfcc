"""Spreadsheet import: all rows or nothing, every bad row named as a spreadsheet shows it."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from influencegraph.edit import CLAIM_COLUMNS, ENTITY_COLUMNS, import_csv, read_table
from influencegraph.errors import EditRefused
from influencegraph.graph import load_graph, open_source
from influencegraph.names import resolve
from influencegraph.validate import validate_graph
from influencegraph.vocab import IG, PREFIXES

ENTITY_HEADER = "type,label,alt_labels,year,publisher,evidence,source\n"
CLAIM_HEADER = "from,to,kind,evidence,source,claimant,year,source_title,source_publisher\n"


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _spreadsheet_row(text: str, needle: str) -> int:
    """The 1-based record number of the first CSV record containing ``needle``."""
    for number, record in enumerate(csv.reader(text.splitlines(keepends=True)), start=1):
        if any(needle in cell for cell in record):
            return number
    raise AssertionError(needle)


def test_rows_may_use_entities_added_by_earlier_rows(invoke, data_copy, tmp_path):
    sheet = _write(
        tmp_path / "e.csv",
        "# two new entities, the second published by the first\n"
        + ENTITY_HEADER
        + "Organisation,Bridge Trust,BT,,,Bridge Trust says,Policy Impact\n"
        + "Report,Bridges 2020,,2020,BT,Bridges 2020 (2020),Policy Impact\n",
    )
    result = invoke("--data", str(data_copy), "import", str(sheet), "--kind", "entities")
    assert result.exit_code == 0, result.output
    source = open_source([data_copy], needs="edit")
    report = resolve(source, "Bridges 2020")
    trust = resolve(source, "Bridge Trust")
    assert source.graph.value(
        URIRef(report.iri), URIRef(PREFIXES["dcterms"] + "publisher")
    ) == URIRef(trust.iri)
    assert validate_graph(source.graph) == []

    claims = _write(
        tmp_path / "c.csv",
        CLAIM_HEADER + "Bridge Trust,Bridges 2020,funds,q1,https://example.org/b,,,Bridges,"
        "Bridge Trust\n" + "All Together Now,Bridges 2020,drawsOn,q2,https://example.org/b,,,,\n",
    )
    result = invoke("--data", str(data_copy), "import", str(claims), "--kind", "claims")
    assert result.exit_code == 0, result.output
    graph = load_graph([data_copy])
    page = URIRef("https://example.org/b")
    made = [
        c
        for c in graph.subjects(URIRef(PREFIXES["dcterms"] + "source"), page)
        if (c, URIRef(IG + "kind"), None) in graph
    ]
    assert len(made) == 2  # the second row used the source the first row created
    assert validate_graph(graph) == []


def test_one_bad_row_writes_nothing_and_names_the_row(invoke, data_copy, tmp_path):
    text = (
        "# claims\n# (comments count as spreadsheet rows too)\n"
        + CLAIM_HEADER
        + "\n"
        + 'All Together Now,All of Us,endorses,"a quote, with a comma",Policy Impact,,,,\n'
        + "All Together Now,All of Us,inspires,another quote,Policy Impact,,,,\n"
        + "The Challenge,Integration City,funds,q,Policy Impact,,,,\n"
    )
    sheet = _write(tmp_path / "c.csv", text)
    before = data_copy.read_bytes()
    result = invoke("--data", str(data_copy), "import", str(sheet), "--kind", "claims")
    assert result.exit_code == 2
    bad = _spreadsheet_row(text, "inspires")
    assert bad == 6  # 2 comments, header, blank, a good row, then this one
    assert f"row {bad}: kind: unknown kind 'inspires'" in result.output
    assert "nothing written: 1 bad row" in result.output
    assert data_copy.read_bytes() == before
    assert sorted(p.name for p in data_copy.parent.iterdir()) == ["c.csv", "triples.ttl"]


def test_every_bad_row_is_reported(data_source, data_copy, tmp_path):
    text = (
        ENTITY_HEADER
        + "Widget,A thing,,,,q,Policy Impact\n"
        + "Report,,,,,q,Policy Impact\n"
        + "Report,Fine report,,,,q,Policy Impact\n"
        + "Report,Undated,,someday,,,Policy Impact\n"
    )
    sheet = _write(tmp_path / "e.csv", text)
    with pytest.raises(EditRefused) as info:
        import_csv(data_source, data_copy, sheet, "entities")
    lines = info.value.problems
    assert any(line.startswith("row 2: type: unknown type 'Widget'") for line in lines)
    assert any(line.startswith("row 3: label: is required") for line in lines)
    assert any(line.startswith("row 5: year: 'someday' is not a year") for line in lines)
    assert any(line.startswith("row 5: evidence: is required") for line in lines)
    assert not any(line.startswith("row 4") for line in lines)
    assert "3 bad rows" in str(info.value)


def test_row_numbers_follow_records_not_lines(data_source, data_copy, tmp_path):
    text = (
        ENTITY_HEADER
        + 'Report,Long quote report,,,,"first line\nsecond line",Policy Impact\n'
        + "Report,Broken,,,,q,Nowhere\n"
    )
    sheet = _write(tmp_path / "e.csv", text)
    with pytest.raises(EditRefused) as info:
        import_csv(data_source, data_copy, sheet, "entities")
    assert info.value.problems[0].startswith("row 3: source: no source document is called")


def test_header_problems_are_reported_with_the_columns(invoke, data_copy, tmp_path):
    sheet = _write(tmp_path / "e.csv", "# x\ntype,name,evidence,source\nReport,a,b,c\n")
    result = invoke("--data", str(data_copy), "import", str(sheet), "--kind", "entities")
    assert result.exit_code == 2
    assert "row 2: header: unknown column 'name'; missing column 'label'" in result.output


def test_bad_rows_in_check_are_exit_1_naming_the_row(invoke, data_copy, tmp_path):
    text = (
        CLAIM_HEADER
        + "All Together Now,Integration Not Demonisation,drawsOn,q,Policy Impact,,,,\n"
        + "Social mixing in the workplace,All Together Now,drawsOn,q,Policy Impact,,,,\n"
    )
    sheet = _write(tmp_path / "c.csv", text)
    before = data_copy.read_bytes()
    result = invoke("--data", str(data_copy), "import", str(sheet), "--kind", "claims")
    assert result.exit_code == 1
    assert "row 3: claim Social mixing in the workplace -> All Together Now" in result.output
    assert "runs backwards in time" in result.output
    assert data_copy.read_bytes() == before


def test_dry_run_prints_and_writes_nothing(invoke, data_copy, repo_root):
    before = data_copy.read_bytes()
    result = invoke(
        "--data",
        str(data_copy),
        "import",
        str(repo_root / "examples" / "claims.csv"),
        "--kind",
        "claims",
        "--dry-run",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ==== imported from claims.csv")
    assert "cito:agreesWith :design-principles" in result.stdout
    assert data_copy.read_bytes() == before


def test_the_example_templates_import_cleanly(invoke, data_copy, repo_root):
    for kind in ("entities", "claims"):
        result = invoke(
            "--data",
            str(data_copy),
            "import",
            str(repo_root / "examples" / f"{kind}.csv"),
            "--kind",
            kind,
        )
        assert result.exit_code == 0, result.output
    assert validate_graph(load_graph([data_copy])) == []


@pytest.mark.parametrize("kind,columns", [("entities", ENTITY_COLUMNS), ("claims", CLAIM_COLUMNS)])
def test_templates_document_every_column(repo_root, kind, columns):
    path = repo_root / "examples" / f"{kind}.csv"
    text = path.read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    header = next(line for line in text.splitlines() if line and not line.startswith("#"))
    assert tuple(header.split(",")) == columns
    for column in columns:
        assert f"# {column}" in comments or f" {column}" in comments, column
    assert read_table(path, kind).rows


def test_excel_bom_and_blank_rows_are_fine(data_source, data_copy, tmp_path):
    sheet = tmp_path / "e.csv"
    sheet.write_bytes(
        ("\ufeff" + ENTITY_HEADER + ",,,,,,\n" + "Person,Ada,,,,q,Policy Impact\n").encode("utf-8")
    )
    result = import_csv(data_source, data_copy, sheet, "entities")
    assert result.added == ['Person "Ada"']


def test_non_utf8_sheet_is_refused(invoke, data_copy, tmp_path):
    sheet = tmp_path / "e.csv"
    sheet.write_bytes(ENTITY_HEADER.encode() + "Person,Zoë,,,,q,Policy Impact\n".encode("latin-1"))
    result = invoke("--data", str(data_copy), "import", str(sheet), "--kind", "entities")
    assert result.exit_code == 2
    assert "not UTF-8" in result.output


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.sampled_from(["comment", "blank", "good"]), max_size=6),
    st.lists(st.sampled_from(["comment", "blank"]), max_size=3),
)
def test_bad_row_number_is_the_spreadsheet_row(tiny_graph_text, before, after_header):
    lines = {"comment": "# a note, with a comma\n", "blank": "\n"}
    text = "".join(lines[k] for k in after_header)  # before the header
    text += "type,label,evidence,source\n"
    for i, kind in enumerate(before):
        text += f"Person,Person {i},q,Tiny page\n" if kind == "good" else lines[kind]
    text += "Widget,Broken,q,Tiny page\n"
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "g.ttl"
        data.write_text(tiny_graph_text, encoding="utf-8")
        sheet = _write(Path(folder) / "e.csv", text)
        with pytest.raises(EditRefused) as info:
            import_csv(open_source([data]), data, sheet, "entities")
        assert data.read_text(encoding="utf-8") == tiny_graph_text
    row = _spreadsheet_row(text, "Widget")
    assert row == text.count("\n")  # the last line, counted the way an editor does
    assert info.value.problems == [
        f"row {row}: type: unknown type 'Widget'; use one of "
        "Report, Survey, Strategy, Idea, Organisation, Government "
        "body, Group, APPG, Working group, Project, Programme, Person"
    ]
