"""The store writer: a draft added to an Oxigraph store in one transaction.

The draft is checked exactly as for a file (:func:`.writer.check_draft`: the focused
SHACL and time-order checks on the working copy), then its new triples go to the store
with one ``Store.extend`` (all or nothing). The text shown is the Turtle the addition
would be in a file.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import EditRefused
from ..graph import StoreSource
from .draft import Draft
from .writer import EditResult, check_draft, render_turtle


def write_draft_to_store(draft: Draft, path: Path, *, dry_run: bool = False) -> EditResult:
    """Validate the draft and add its new triples to the store at ``path`` in one
    transaction (or, in a dry run, only render them)."""
    if not isinstance(draft.original, StoreSource) or draft.original.path != path:
        raise EditRefused([f"{path}: a store is written through the store it was read from"])
    if not draft.blocks:
        raise EditRefused(["nothing to add"])
    check_draft(draft, path)
    text = render_turtle(draft.blocks, {})
    if not dry_run:
        draft.original.add(draft.fresh)  # one Store.extend: a transaction
    return EditResult(
        path, text, list(draft.added), len(draft.fresh), len(draft.work.graph), written=not dry_run
    )
