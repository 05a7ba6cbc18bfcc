"""The review file: what ``extract`` proposes, for a person to prune, then ``import``.

CSV (the default) is two files beside each other, as ``import`` takes them: for
``-o review.csv``, ``review-entities.csv`` and ``review-claims.csv`` (one with no rows is
not written). Their columns are
``import``'s, plus ``confidence``, ``location``, ``known`` and ``why`` (which ``import``
reads and ignores); the graph's entities the documents mention are listed in ``#``
comment lines. Delete the rows you reject, then import the entities, then the claims.
JSON is one file with both lists; TTL is the Turtle that importing every row would add
(rows that would be refused are left out, each named in a comment).

Example:
    >>> write_review(extraction, "review.csv")                      # doctest: +SKIP
    [PosixPath('review-entities.csv'), PosixPath('review-claims.csv')]
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InfluenceGraphError
from ..files import write_atomically
from .run import CLAIM_REVIEW_COLUMNS, ENTITY_REVIEW_COLUMNS, Extraction

if TYPE_CHECKING:
    from ..graph import Source

FORMATS = ("csv", "json", "ttl")


def review_paths(output: str | Path, fmt: str) -> list[Path]:
    """The files a review in ``fmt`` is written to: ``NAME-entities.csv`` and
    ``NAME-claims.csv`` for CSV, the output itself otherwise."""
    path = Path(output)
    if fmt != "csv":
        return [path]
    stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
    return [stem.with_name(f"{stem.name}-{part}.csv") for part in ("entities", "claims")]


def format_for(output: str | Path, fmt: str | None) -> str:
    """The format asked for, or the one the output's suffix names (default CSV)."""
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "csv"


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...], comments: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in comments:
        writer.writerow([f"# {line}"])
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def _comments(extraction: Extraction, part: str, files: list[Path]) -> list[str]:
    entities, claims = (f.name for f in files)
    lines = [
        f"influencegraph extract: proposed {part} from {extraction.documents} "
        f"document(s), for review. Delete the rows you reject (a claim whose entity "
        f"row you deleted must go too), then import "
        + (
            f"{entities} and then {claims}:"
            if extraction.entities
            else f"{claims} (no new entities):"
        )
    ]
    if extraction.entities:
        lines.append(f"influencegraph --data mine.ttl import {entities} --kind entities")
    if extraction.claims:
        lines.append(f"influencegraph --data mine.ttl import {claims} --kind claims")
    if extraction.known:
        mentioned = ", ".join(
            f"{label} ({n})"
            for label, n in sorted(extraction.known.items(), key=lambda item: (-item[1], item[0]))
        )
        lines.append(f"entities already in the graph, mentioned: {mentioned}")
    lines += [f"not read: {failure}" for failure in extraction.failures]
    return lines


def render_review(
    extraction: Extraction, fmt: str, files: list[Path], source: Source | None = None
) -> list[str]:
    """The text of each review file (in the order of ``files``)."""
    if fmt == "csv":
        return [
            _csv(
                extraction.entities, ENTITY_REVIEW_COLUMNS, _comments(extraction, "entities", files)
            ),
            _csv(extraction.claims, CLAIM_REVIEW_COLUMNS, _comments(extraction, "claims", files)),
        ]
    if fmt == "json":
        return [
            json.dumps(
                {
                    "documents": extraction.documents,
                    "pages": extraction.pages,
                    "failures": extraction.failures,
                    "known": extraction.known,
                    "entities": extraction.entities,
                    "claims": extraction.claims,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        ]
    if fmt == "ttl":
        if source is None:
            raise InfluenceGraphError("a Turtle review needs the graph it adds to")
        return [_turtle(extraction, source)]
    raise InfluenceGraphError(f"unknown review format {fmt!r}; use one of {', '.join(FORMATS)}")


def _turtle(extraction: Extraction, source: Source) -> str:
    """What importing every row would append, built by the same draft ``import`` uses."""
    from ..edit import Draft, claim_spec, entity_spec, render_turtle

    draft = Draft(source, note="proposed by `influencegraph extract`")
    refused = []
    steps: list[tuple[str, Any, Callable[[Any, str], list[Any]], Callable[[Any], Any]]] = [
        ("entity", extraction.entities, draft.add_entity, entity_spec),
        ("claim", extraction.claims, draft.add_claim, claim_spec),
    ]
    for part, rows, add, spec in steps:
        for row in rows:
            problems = add(
                spec(row),
                f"{part} {row.get('label') or row.get('from')} "
                f"({row['location']}, confidence {row['confidence']})",
            )
            refused += [
                f"# left out {part} {row.get('label') or row.get('from')}: {p.field}: {p.message}"
                for p in problems
            ]
    header = (
        f"proposed by `influencegraph extract` from {extraction.documents} document(s); "
        "review before loading"
    )
    body = render_turtle(draft.blocks, {}, header) if draft.blocks else f"# {header}\n"
    return body + (
        "\n" + "\n".join(" ".join(line.split()) for line in refused) + "\n" if refused else ""
    )


def write_review(
    extraction: Extraction, output: str | Path, fmt: str | None = None, source: Source | None = None
) -> list[Path]:
    """Write the review file(s) atomically; returns the paths written.

    A CSV file with no rows is not written (``import`` refuses a file with nothing to add).
    """
    chosen = format_for(output, fmt)
    files = review_paths(output, chosen)
    texts = render_review(extraction, chosen, files, source)
    if chosen == "csv":
        keep = [bool(extraction.entities), bool(extraction.claims)]
        files, texts = (
            [f for f, k in zip(files, keep, strict=True) if k],
            [t for t, k in zip(texts, keep, strict=True) if k],
        )
    for path, text in zip(files, texts, strict=True):
        write_atomically(path, text.encode("utf-8"))
    return files
