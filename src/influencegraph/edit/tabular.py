"""Spreadsheet import: every row of an entities or claims CSV added, or nothing at all."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import EditRefused
from ..graph import PathLike, Source
from ..output import plural
from .draft import ClaimSpec, Draft, EntitySpec
from .writer import EditResult, write_draft

ENTITY_COLUMNS = (
    "type",
    "label",
    "alt_labels",
    "year",
    "publisher",
    "evidence",
    "source",
    "source_title",
    "source_publisher",
)
CLAIM_COLUMNS = (
    "from",
    "to",
    "kind",
    "evidence",
    "source",
    "claimant",
    "year",
    "source_title",
    "source_publisher",
)
COLUMNS = {"entities": ENTITY_COLUMNS, "claims": CLAIM_COLUMNS}
REQUIRED_COLUMNS = {
    "entities": ("type", "label", "evidence", "source"),
    "claims": ("from", "to", "kind", "evidence", "source"),
}
ALT_LABEL_SEPARATOR = "|"
REVIEW_COLUMNS = ("confidence", "location", "known", "why")
"""Columns of an ``extract`` review file, for the reviewer only: read and ignored."""


@dataclass
class CsvTable:
    """The data rows of an import file, each with the row number a spreadsheet shows."""

    rows: list[tuple[int, dict[str, str]]]
    problems: list[str]


def read_table(path: PathLike, kind: str) -> CsvTable:
    """Read an entities or claims CSV: ``#`` lines are comments, the first other row is the
    header (column names in any order and case), blank rows are skipped.

    Row numbers count every row of the file, comments included, so they match the row
    numbers a spreadsheet shows. File-level problems (unreadable, no header, unknown or
    missing columns) raise :class:`EditRefused`; row-level ones are collected.
    """
    name = str(path)
    columns = COLUMNS[kind]
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise EditRefused([f"{name}: no such file"]) from None
    except UnicodeDecodeError as exc:
        raise EditRefused(
            [
                f"{name}: not UTF-8 text (save the sheet as CSV UTF-8); "
                f"first bad byte at offset {exc.start}"
            ]
        ) from None
    except OSError as exc:
        raise EditRefused([f"{name}: {exc.strerror or exc}"]) from None
    header: list[str] | None = None
    table = CsvTable([], [])
    try:
        records = list(csv.reader(text.splitlines(keepends=True)))
    except csv.Error as exc:
        raise EditRefused([f"{name}: not a readable CSV file ({exc})"]) from None
    for number, record in enumerate(records, start=1):
        cells = [c.strip() for c in record]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header is None:
            header = [c.lower().replace(" ", "_").replace("-", "_") for c in cells]
            unknown = [c for c in header if c and c not in columns and c not in REVIEW_COLUMNS]
            missing = [c for c in REQUIRED_COLUMNS[kind] if c not in header]
            if unknown or missing:
                said = [f"unknown column {c!r}" for c in unknown]
                said += [f"missing column {c!r}" for c in missing]
                raise EditRefused(
                    [
                        f"row {number}: header: "
                        + "; ".join(said)
                        + f"; the columns for {kind} are "
                        + ", ".join(columns)
                    ]
                )
            continue
        if len(cells) > len(header) and any(cells[len(header) :]):
            table.problems.append(
                f"row {number}: {len(cells)} cells but the header has {len(header)} columns"
            )
            continue
        table.rows.append(
            (
                number,
                {
                    c: v
                    for c, v in zip(header, cells, strict=False)
                    if c and c not in REVIEW_COLUMNS
                },
            )
        )
    if header is None:
        raise EditRefused([f"{name}: no header row; see examples/{kind}.csv"])
    if not table.rows and not table.problems:
        raise EditRefused([f"{name}: a header but no rows to import"])
    return table


def entity_spec(row: dict[str, str]) -> EntitySpec:
    """One row of an entities table (column names as :data:`ENTITY_COLUMNS`) as a spec."""
    alts = [a.strip() for a in row.get("alt_labels", "").split(ALT_LABEL_SEPARATOR) if a.strip()]
    return EntitySpec(
        type=row.get("type", ""),
        label=row.get("label", ""),
        evidence=row.get("evidence"),
        document=row.get("source"),
        alt_labels=alts,
        year=row.get("year"),
        publisher=row.get("publisher"),
        document_title=row.get("source_title"),
        document_publisher=row.get("source_publisher"),
    )


def claim_spec(row: dict[str, str]) -> ClaimSpec:
    """One row of a claims table (column names as :data:`CLAIM_COLUMNS`) as a spec."""
    return ClaimSpec(
        influencer=row.get("from", ""),
        target=row.get("to", ""),
        kind=row.get("kind", ""),
        evidence=row.get("evidence"),
        document=row.get("source"),
        claimant=row.get("claimant"),
        year=row.get("year"),
        document_title=row.get("source_title"),
        document_publisher=row.get("source_publisher"),
    )


def import_csv(
    source: Source, target: PathLike, csv_path: PathLike, kind: str, *, dry_run: bool = False
) -> EditResult:
    """Add every row of an entities or claims CSV to ``target``, or nothing at all.

    Every bad row is reported as ``row N: column: problem``; any bad row refuses the whole
    file (:class:`EditRefused`). Rows may name entities added by earlier rows.

    Example:
        >>> import_csv(doc, "mine.ttl", "examples/claims.csv", "claims")  # doctest: +SKIP
    """
    if kind not in COLUMNS:
        raise EditRefused([f"unknown kind {kind!r}; use entities or claims"])
    table = read_table(csv_path, kind)
    draft = Draft(source)
    problems = list(table.problems)
    for number, row in table.rows:
        origin = f"row {number}"
        if kind == "entities":
            found = draft.add_entity(entity_spec(row), origin)
        else:
            found = draft.add_claim(claim_spec(row), origin)
        problems += [f"{origin}: {p.field}: {p.message}" for p in found]
    if problems:
        bad = len({p.split(":", 1)[0] for p in problems})
        raise EditRefused(problems, f"nothing written: {plural(bad, 'bad row')} in {csv_path}")
    return write_draft(
        draft,
        target,
        dry_run=dry_run,
        header=f"==== imported from {Path(csv_path).name} by `influencegraph import --kind {kind}`",
    )
