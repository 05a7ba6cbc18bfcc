"""Formatting rows: the same fields in table, JSON and CSV; readable tables at any width."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from influencegraph.output import render_rows

COLUMNS = ["name", "note", "empty"]
ROWS = [
    {"name": "[bold]Org[/bold]", "note": "x" * 90, "empty": None},
    {"name": "Other", "note": "short", "empty": ""},
]


def test_table_shows_markup_as_text_and_leaves_out_empty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    out = render_rows(ROWS, COLUMNS, "table", title="T")
    assert "[bold]Org[/bold]" in out
    assert "empty" not in out
    assert "note" in out


def test_narrow_terminal_gets_one_block_per_row(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    wide = [{c: f"{c}-value-{i}" * 3 for c in "abcdefgh"} for i in range(2)]
    out = render_rows(wide, list("abcdefgh"), "table", title="Wide")
    lines = out.splitlines()
    assert lines[0] == "Wide"
    assert sum(line.startswith("-- ") for line in lines) == 2
    assert all(len(line) <= 60 for line in lines)
    assert "a-value-0a-value-0a-value-0" in out


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(st.fixed_dictionaries({"a": texts, "b": texts}), max_size=5))
def test_json_and_csv_carry_the_same_values(rows):
    as_json = json.loads(render_rows(rows, ["a", "b"], "json"))
    as_csv = list(csv.DictReader(io.StringIO(render_rows(rows, ["a", "b"], "csv"), newline="")))
    assert as_json == rows
    assert [dict(r) for r in as_csv] == rows
