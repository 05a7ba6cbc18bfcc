"""Turning result rows into text: a readable table, JSON or CSV.

Every listing command formats through :func:`render_rows`, so JSON field names and CSV
columns are the row keys, the same in every format.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Sequence
from typing import Any, ClassVar

FORMATS = ("table", "json", "csv")


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun`` in agreement: ``1 hop``, ``2 hops``, ``1 entity``, ``3 entities``.

    Example:
        >>> plural(1, "entity"), plural(2, "entity"), plural(0, "match")
        ('1 entity', '2 entities', '0 matches')
    """
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}{'es' if noun.endswith(('s', 'x', 'ch', 'sh')) else 's'}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def render_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    title: str | None = None,
    json_value: Any = None,
) -> str:
    """Format ``rows`` (dicts keyed by ``columns``) as ``table``, ``json`` or ``csv``.

    ``json_value`` replaces the row list in JSON output where a command has a richer
    document to give (e.g. nested paths); tables and CSV always show the rows.
    """
    if fmt == "json":
        value = (
            json_value
            if json_value is not None
            else [{c: row.get(c) for c in columns} for row in rows]
        )
        return json_text(value) + "\n"
    if fmt == "csv":
        lines = [csv_line(columns)] + [
            csv_line([_cell(row.get(c)) for c in columns]) for row in rows
        ]
        return "".join(lines)
    if fmt == "table":
        return _table(rows, columns, title)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


_PLAIN = frozenset({str, int, float, bool, type(None)})


class _Unusual(Exception):
    """A value :func:`json_text` leaves to :func:`json.dumps` (a tuple, a key that is not
    text, a subclass of a plain type)."""


def json_text(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False, default=str)``, character for
    character, in a fraction of the time for big documents: json writes indented output
    in Python, a token at a time, but a dict or list of plain values (one hop, one row)
    is written here by json's C encoder, given the newline and indentation as its item
    separator. Anything else goes to :func:`json.dumps` whole.

    Example:
        >>> print(json_text({"hops": [{"step": 1, "kind": "cites"}], "empty": []}))
        {
          "hops": [
            {
              "step": 1,
              "kind": "cites"
            }
          ],
          "empty": []
        }
    """
    parts: list[str] = []
    try:
        _write_json(value, 0, parts)
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return "".join(parts)


def _write_json(value: Any, level: int, parts: list[str]) -> None:
    kind = type(value)
    if kind in _PLAIN:
        parts.append(json.dumps(value, ensure_ascii=False))
        return
    if kind is dict:
        if any(type(key) is not str for key in value):
            raise _Unusual
        items: Any = value.values()
    elif kind is list:
        items = value
    else:
        raise _Unusual
    if not value:
        parts.append("{}" if kind is dict else "[]")
        return
    inner = "\n" + "  " * (level + 1)
    if all(type(item) in _PLAIN for item in items):
        text = _flat_encoder(level).encode(value)
        parts += (text[0], inner, text[1:-1], "\n", "  " * level, text[-1])
        return
    parts.append("{" if kind is dict else "[")
    for number, item in enumerate(value):
        parts.append(("," if number else "") + inner)
        if kind is dict:
            parts += (json.dumps(item, ensure_ascii=False), ": ")
            item = value[item]
        _write_json(item, level + 1, parts)
    parts += ("\n", "  " * level, "}" if kind is dict else "]")


@functools.cache
def _flat_encoder(level: int) -> json.JSONEncoder:
    """json's (C) encoder writing a container's items one per line at ``level`` + 1."""
    return json.JSONEncoder(ensure_ascii=False, separators=(",\n" + "  " * (level + 1), ": "))


def csv_line(values: Sequence[str]) -> str:
    """One CSV record ending in ``\\n``; a field holding ``\\r`` or ``\\n`` is quoted.

    (csv.writer with ``lineterminator="\\n"`` leaves a lone ``\\r`` unquoted, which
    readers then drop; writing with ``\\r\\n`` and trimming the record's end avoids it.)
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()[:-2] + "\n"


def table_width() -> int:
    """The terminal's width (``COLUMNS`` wins), or 160 when output is not a terminal."""
    import shutil

    return max(60, shutil.get_terminal_size((160, 24)).columns)


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str | None) -> str:
    """A readable table: empty columns left out, long-text columns given the room."""
    from rich.console import Console
    from rich.table import Table

    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    shown = [i for i, _ in enumerate(columns) if not rows or any(r[i] for r in cells)]
    longest = {i: max((len(r[i]) for r in cells), default=0) for i in shown}
    needed = sum(min(max(longest[i], len(columns[i])), 16) + 3 for i in shown)
    if needed > table_width():
        return _records([columns[i] for i in shown], [[r[i] for i in shown] for r in cells], title)
    table = Table(
        title=title,
        show_lines=any(v > 60 for v in longest.values()),
        header_style="bold",
        expand=any(v > 60 for v in longest.values()),
    )
    for i in shown:
        header = columns[i].replace("_", " ")
        size = max(longest[i], len(header))
        table.add_column(
            header,
            overflow="fold",
            no_wrap=size <= 16,
            ratio=None if size <= 16 else (3 if size > 60 else 2),
            min_width=None if size <= 16 else 16,
        )
    for row in cells:
        # Cells are plain text: markup in labels must never be interpreted.
        table.add_row(*(_escape(row[i]) for i in shown))
    buffer = io.StringIO()
    console = Console(file=buffer, width=table_width(), color_system=None, force_terminal=False)
    console.print(table)
    return buffer.getvalue()


def _records(columns: Sequence[str], cells: Sequence[Sequence[str]], title: str | None) -> str:
    """One block of ``name  value`` lines per row, for tables too wide for the terminal."""
    import textwrap

    width = table_width()
    names = [c.replace("_", " ") for c in columns]
    pad = max((len(n) for n in names), default=0) + 2
    lines = [title] if title else []
    for number, row in enumerate(cells, 1):
        lines.append(f"-- {number} " + "-" * max(0, min(width, 60) - len(str(number)) - 4))
        for name, value in zip(names, row, strict=True):
            if not value:
                continue
            wrapped = textwrap.wrap(value, max(20, width - pad)) or [""]
            lines.append(name.ljust(pad) + wrapped[0])
            lines += [" " * pad + more for more in wrapped[1:]]
    if not cells:
        lines.append("(no rows)")
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


TABLE_HTML_ROWS = 500
"""Rows a result shows as an HTML table in a notebook before it says how many it left out."""


def html_table(rows: list[dict[str, Any]], columns: list[str], title: str = "") -> str:
    """Rows as an escaped HTML table (``templates/table.html.j2``): how results show in
    Jupyter."""
    from .templating import template

    shown = rows[:TABLE_HTML_ROWS]
    return str(
        template("table.html.j2").render(
            title=title, columns=columns, rows=shown, more=len(rows) - len(shown)
        )
    )


class Tabular:
    """Results with ``rows()`` and a ``COLUMNS`` list: shown in Jupyter as an HTML table."""

    COLUMNS: ClassVar[Sequence[str]] = ()

    def rows(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return html_table(self.rows(), list(self.COLUMNS), type(self).__name__)
