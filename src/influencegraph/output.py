"""Turning result rows into text: a readable table, JSON or CSV.

Every listing command formats through :func:`render_rows`, so JSON field names and CSV
columns are the row keys, the same in every format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def render_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
                *, title: str | None = None, json_value: Any = None) -> str:
    """Format ``rows`` (dicts keyed by ``columns``) as ``table``, ``json`` or ``csv``.

    ``json_value`` replaces the row list in JSON output where a command has a richer
    document to give (e.g. nested paths); tables and CSV always show the rows.
    """
    if fmt == "json":
        value = json_value if json_value is not None else [
            {c: row.get(c) for c in columns} for row in rows]
        return json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return buffer.getvalue()
    if fmt == "table":
        return _table(rows, columns, title)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str | None) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        # Cells are plain text: markup in labels must never be interpreted.
        table.add_row(*(_escape(_cell(row.get(c))) for c in columns))
    console = Console(file=io.StringIO(), width=120, color_system=None, force_terminal=False)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
