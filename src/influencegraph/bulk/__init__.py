"""Bulk sources in: OpenAlex works, Crossref works and ROR organisations.

``import_file`` streams a record file (:mod:`.read`), turns each record into an item
(:mod:`.openalex`, :mod:`.crossref`, :mod:`.ror`), links and writes it as N-Triples to a
spool file (:mod:`.build`), then hands the spool to :mod:`.write` for a store or a data
file. Any bad record refuses the whole import (nothing written) unless ``keep_going``.

Example:
    >>> from influencegraph.graph import StoreSource
    >>> store = StoreSource("store", read_only=False)                 # doctest: +SKIP
    >>> import_file(store, "works.jsonl.gz", "openalex", "store").summary.imported  # doctest: +SKIP
    1000
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataFileError, EditRefused
from ..graph import PathLike, Source
from . import crossref, openalex, ror
from .build import BATCH, Builder, Provider, Summary
from .read import Record, estimate_records, read_records

PROVIDERS = {
    module.__name__.rsplit(".", 1)[1]: Provider(
        module.__name__.rsplit(".", 1)[1], module.NAME, module.HOME, module
    )
    for module in (openalex, crossref, ror)
}
"""``--from`` choices."""

SHOWN = 20
"""Bad records listed in a refusal (all are counted)."""


@dataclass
class ImportResult:
    """What ``import --from`` did: the summary, where it wrote, and whether it did."""

    summary: Summary
    target: Path
    written: bool
    added: int | None = None
    """Triples the target gained (None where counting would mean scanning a big store)."""


def build_spool(
    source: Source, path: PathLike, provider: str, spool: Path, *, keep_going: bool = False
) -> Summary:
    """Read every record of ``path`` and write its triples (N-Triples) to ``spool``.

    Raises :class:`EditRefused` listing ``FILE:LINE: reason`` for bad records unless
    ``keep_going`` (then they are only counted in the summary).
    """
    chosen = PROVIDERS[provider]
    with spool.open("w", encoding="utf-8") as out:
        builder = Builder(source, chosen, out, estimate_records(Path(path)))
        batch: list[Record] = []
        try:
            for record in read_records(Path(path)):
                builder.summary.records += 1
                if record.error is not None:
                    builder.summary.bad.append(f"{record.where()}: {record.error}")
                else:
                    batch.append(record)
                if len(batch) >= BATCH:
                    builder.add_batch(batch)
                    batch = []
                if not keep_going and len(builder.summary.bad) > SHOWN:
                    break
        except DataFileError as exc:
            if not keep_going or exc.line is None:
                raise EditRefused([str(exc)], "nothing written") from None
            builder.summary.bad.append(str(exc))
        builder.add_batch(batch)
        summary = builder.summary
        if summary.bad and not keep_going:
            more = len(summary.bad) - SHOWN
            raise EditRefused(
                summary.bad[:SHOWN] + (["... and more"] if more > 0 else []),
                f"nothing written: bad records in {path} (--keep-going loads the good ones)",
            )
        builder.finish()
    return summary


def import_file(
    source: Source,
    path: PathLike,
    provider: str,
    target: PathLike,
    *,
    keep_going: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import every record of ``path`` (``provider`` is ``openalex``, ``crossref`` or
    ``ror``) into ``target``: a store directory (``source`` is that store, opened for
    writing) or a Turtle/N-Triples data file (``source`` is the loaded graph)."""
    from .write import write_spool

    if provider not in PROVIDERS:
        raise EditRefused([f"unknown source {provider!r}; use one of {', '.join(PROVIDERS)}"])
    where = Path(target)
    folder = where if where.is_dir() else where.parent
    with tempfile.TemporaryDirectory(
        dir=folder if folder.is_dir() else None, prefix=".import-"
    ) as scratch:
        spool = Path(scratch) / "import.nt"
        summary = build_spool(source, path, provider, spool, keep_going=keep_going)
        added = write_spool(
            source,
            spool,
            where,
            dry_run=dry_run,
            header=f"==== imported from {Path(path).name} by "
            f"`influencegraph import --from {provider}`",
        )
    return ImportResult(summary, where, not dry_run, added)
