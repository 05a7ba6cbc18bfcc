"""Writing an import's spool (N-Triples) to a store or a data file, validated first.

- **Store**: up to :data:`TRANSACTION_LINES` lines (about 1,500 OpenAlex works), one
  Oxigraph transaction
  (``Store.load``: all or nothing, held in memory); beyond, Oxigraph's bulk loader
  (``bulk_load``: fast and bounded in memory, but a crash in the middle leaves part of the
  import in the store; re-running the import completes it, since importing is idempotent).
- **Data file**: only the triples the graph lacks are appended as one commented
  N-Triples block (valid Turtle too), under the file's lock, atomically
  (:func:`files.write_atomically`): a re-import leaves the file byte-identical.

Validation is the edit path's: :func:`validate.new_violations` on the graph with the
import's triples, focused on what they touch. A store import of more than
:data:`VALIDATE_LINES` lines is not SHACL-checked as a whole (rdflib cannot hold it); its
triples are built to the shapes by :mod:`.build`, records were checked one by one, and
``influencegraph validate`` can check the store afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EditRefused, ValidationFailed
from ..graph import MemorySource, Source, StoreSource, is_store, rdf_format

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from ..edit import Block

    Triple = tuple[Node, Node, Node]

TRANSACTION_LINES = 100_000
"""Spools up to this many lines go to a store in one transaction (Oxigraph's transactional
``load`` ran at about 15k triples/s here, its bulk loader at 76k triples/s into a store on
disk: bench/bulk.py's loading floor)."""
BULK_BYTES = 16 << 20
"""The bulk loader is given the spool this many bytes (whole lines) at a time: given a
whole 7M-triple spool at once it peaked at 1.7 GB; 16 MB pieces peak at about 0.2 GB."""
VALIDATE_LINES = 200_000
"""Spools up to this many lines are SHACL-checked before a store is written."""


def _spool_graph(spool: Path) -> Graph:
    from rdflib import Graph

    graph = Graph()
    graph.parse(spool, format="nt")
    return graph


def _store_context(source: Source, new: Graph) -> tuple[Graph, set[Triple]]:
    """The import's triples, the vocabulary, and what the store already says about every
    node they mention (enough for the focused checks); and which new triples the store
    has already."""
    from rdflib import URIRef

    from ..edit import copy_graph
    from ..graph import load_graph

    graph = load_graph(copy_graph(MemorySource(new)))
    nodes = {t for triple in new for t in (triple[0], triple[2]) if isinstance(t, URIRef)}
    known = set()
    for var in ("s", "o"):
        for row in source.select_bound("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", var, nodes):
            known.add((row["s"], row["p"], row["o"]))
    for triple in known:
        graph.add(triple)
    return graph, {t for t in new if t in known}


def _check(graph: Graph, fresh: set[Triple], where: Path) -> None:
    from ..validate import new_violations

    found = new_violations(graph, fresh)
    if found:
        raise ValidationFailed(
            [str(v) for v in found],
            f"refused: the graph would have {len(found)} new violation"
            f"{'s' if len(found) != 1 else ''}; {where} is unchanged",
        )


def _line_count(spool: Path) -> int:
    with spool.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def write_spool(
    source: Source, spool: Path, target: Path, *, dry_run: bool = False, header: str | None = None
) -> int | None:
    """Validate the spool's triples against ``source`` and add them to ``target``; the
    number of triples added (None for a bulk-loaded store, not counted)."""
    if is_store(target) or target.is_dir() or isinstance(source, StoreSource):
        if not isinstance(source, StoreSource):
            raise EditRefused([f"{target} is a directory but not an influencegraph store"])
        return _to_store(source, spool, dry_run)
    return _to_file(source, spool, target, dry_run, header)


def _to_store(source: StoreSource, spool: Path, dry_run: bool) -> int | None:
    from pyoxigraph import RdfFormat

    lines = _line_count(spool)
    if 0 < lines <= VALIDATE_LINES:
        new = _spool_graph(spool)
        graph, before = _store_context(source, new)
        _check(graph, set(new) - before, source.path)
    if dry_run or lines == 0:
        return 0 if lines == 0 else None
    store = source.writable()
    if lines <= TRANSACTION_LINES:
        count = len(store)
        store.load(path=str(spool), format=RdfFormat.N_TRIPLES)
        store.flush()
        return len(store) - count
    with spool.open("rb") as handle:
        while chunk := handle.readlines(BULK_BYTES):
            store.bulk_load(input=b"".join(chunk), format=RdfFormat.N_TRIPLES)
    store.flush()
    return None


def _blocks(triples: list[Triple]) -> Iterator[Block]:
    """One block per subject, in sorted order."""
    from ..edit import Block

    by_subject: dict[Any, list[tuple[Any, list[Node]]]] = {}  # IRIs: imports mint no blanks
    for s, p, o in sorted(triples):
        by_subject.setdefault(s, []).append((p, [o]))
    for subject, statements in by_subject.items():
        yield Block(subject, statements)


def _to_file(source: Source, spool: Path, target: Path, dry_run: bool, header: str | None) -> int:
    from ..edit import WRITABLE_FORMATS, copy_graph, render_ntriples
    from ..files import locked, write_atomically

    if rdf_format(target) not in WRITABLE_FORMATS:
        raise EditRefused(
            [
                f"{target}: imports are appended to Turtle (.ttl) or N-Triples "
                "(.nt) files; give one of those first with --data"
            ]
        )
    new = _spool_graph(spool)
    graph = copy_graph(source)
    fresh = {t for t in new if t not in graph}
    for triple in fresh:
        graph.add(triple)
    _check(graph, fresh, target)
    if dry_run or not fresh:
        return len(fresh)
    text = render_ntriples(list(_blocks(list(fresh))), header)
    with locked(target):
        old = target.read_bytes()
        joiner = b"" if not old or old.endswith(b"\n") else b"\n"
        write_atomically(target, old + joiner + b"\n" + text.encode("utf-8"), expect=old)
    return len(fresh)
