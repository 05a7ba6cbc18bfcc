"""Formatting rows: the same fields in table, JSON and CSV; readable tables at any width."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from influencegraph.output import json_text, render_rows

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


@pytest.mark.parametrize(
    "value",
    [
        {"hops": [{"step": 1, "kind": "cites", "strength": 0.35, "year": None, "ok": True}]},
        {"a": [], "b": {}, "c": [[], {}, [1, [2.5, "x"]]], "d": 'ünï "q" {"} \\ \n\t\x00'},
        [1, 2.0, -0.0, 1e300, float("nan"), float("inf"), "", None, False],
        {"nested": {"deeper": {"leaf": [{"k": "v"}, {"k": "w", "n": {}}]}}},
        {"tuple": (1, 2), "set": {1}},  # left to json.dumps (default=str)
        {1: "key not text"},
        "plain",
        3,
        [],
        {},
    ],
)
def test_json_text_is_json_dumps_indented(value):
    """The fast writer gives json.dumps(indent=2)'s text exactly, unusual values included."""
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False, default=str)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_json_text_matches_json_dumps_on_any_document(value):
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False, default=str)
