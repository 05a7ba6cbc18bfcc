"""Commands that grow or change the graph: ``add``, ``import``, ``dedupe``, ``merge``,
and ``diff`` to see what changed.

Kept as one module: ``add``, ``import``, ``dedupe``, ``merge`` and ``diff`` share the edit
runner, the source-document options and the report of what was written.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from ..output import plural
from .app import (
    FORMAT_OPTION,
    CheckFailed,
    Group,
    UserError,
    _echo_rows,
    cli,
    settings,
)

_ADD_EXIT = (
    "Writes to the first --data file (Turtle or N-Triples), appending a commented "
    "block; the rest of the file is left byte for byte. Exit 0 added, 1 the graph "
    "would fail validation, 2 bad input; on 1 and 2 the file is unchanged."
)


def _kinds_epilog() -> str:
    """The documented influence kinds with strengths, from vocab (which needs no rdflib)."""
    from ..vocab import INFLUENCE_KINDS

    lines = [f"  {k.name:<21} {k.label} ({k.strength})" for k in INFLUENCE_KINDS]
    return "\b\nInfluence kinds (name, label, strength):\n" + "\n".join(lines)


def _types_list() -> str:
    from ..vocab import ENTITY_TYPES

    return ", ".join(name for name in ENTITY_TYPES if name != "Source document")


def _report_edit(result: Any) -> None:
    """Print what an addition did: the Turtle on a dry run, a one-line summary otherwise."""
    from ..bulk import ImportResult

    if isinstance(result, ImportResult):
        counts = ", ".join(
            f"{v} {k.replace('_', ' ')}" for k, v in result.summary.as_dict().items()
        )
        added = "" if result.added is None else f"; {result.added} triples added"
        done = "written to" if result.written else "dry run: nothing written to"
        click.echo(f"{counts}{added}; {done} {result.target}")
        return
    if not result.written:
        click.echo(result.text, nl=False)
        click.echo(
            f"dry run: {result.triples_added} triples would be added to "
            f"{result.path}; the graph would be valid; nothing written",
            err=True,
        )
        return
    for what in result.added:
        click.echo(f"added {what}")
    click.echo(
        f"{plural(result.triples_added, 'triple')} written to {result.path}; the graph "
        f"is valid ({plural(result.triples_total, 'triple')})"
    )


def _run_edit(ctx: click.Context, dry_run: bool, action: Any, needs: str = "edit") -> None:
    """Run an addition against the first --data file; a failed check exits 1. ``needs``:
    how the graph is opened (:data:`~influencegraph.graph.NEEDS`)."""
    from ..edit import edit_target
    from ..errors import ValidationFailed
    from ..files import locked

    if settings(ctx).endpoint:
        raise UserError(
            "additions are written to a --data file or a --store, and an "
            "--endpoint is neither: add to a file or a store"
        )
    store = settings(ctx).store
    target = Path(store) if store else edit_target(settings(ctx).data, dry_run=dry_run)
    # Locked from reading the file to appending to it, so a concurrent add waits its turn.
    try:
        with contextlib.nullcontext() if dry_run else locked(target):
            result = action(settings(ctx).source(needs), target)
    except ValidationFailed as exc:
        raise CheckFailed(str(exc)) from None
    _report_edit(result)


_SOURCE_OPTIONS = [
    click.option(
        "--evidence", metavar="QUOTE", help="The source's own words that support it (required)."
    ),
    click.option(
        "--source",
        "source_name",
        metavar="SOURCE",
        help="A source document by label or title, or the URL of a new one (required).",
    ),
    click.option(
        "--source-title",
        metavar="TITLE",
        help="For a new source (a URL): its title, as the page gives it.",
    ),
    click.option(
        "--source-publisher",
        metavar="NAME",
        help="For a new source (a URL): who publishes it (an entity's label).",
    ),
    click.option(
        "--source-file",
        metavar="FILE",
        help="A local copy of the source (HTML, PDF, Markdown, text): the quote "
        "must be in it, verbatim up to white space.",
    ),
    click.option(
        "--dry-run", is_flag=True, help="Print the Turtle that would be added; write nothing."
    ),
]


def _source_options(func: Any) -> Any:
    for option in reversed(_SOURCE_OPTIONS):
        func = option(func)
    return func


@cli.group(cls=Group)
def add() -> None:
    """Add an entity or an influence claim (validated, then written atomically).

    \b
    Examples:
      influencegraph --data mine.ttl add entity --type Report \\
        --label "Bridging Divides" --evidence "Bridging Divides (2019)" \\
        --source "Policy Impact"
      influencegraph --data mine.ttl add claim --from "All Together Now" \\
        --to "Bridging Divides" --kind "draws on" --evidence "..." \\
        --source "Policy Impact"
    """


@add.command("entity", epilog=_ADD_EXIT)
@click.option(
    "--type", "type_name", required=True, metavar="TYPE", help=f"One of: {_types_list()}."
)
@click.option("--label", required=True, help="The name people use for it (must be new).")
@click.option(
    "--alt-label",
    "alt_labels",
    multiple=True,
    metavar="TEXT",
    help="Another name it goes by (repeatable).",
)
@click.option("--year", metavar="YYYY[-MM[-DD]]", help="When it was issued.")
@click.option("--publisher", metavar="NAME", help="Who publishes it (an entity's label).")
@_source_options
@click.pass_context
def add_entity_command(
    ctx: click.Context,
    type_name: str,
    label: str,
    alt_labels: tuple[str, ...],
    year: str | None,
    publisher: str | None,
    evidence: str | None,
    source_name: str | None,
    source_title: str | None,
    source_publisher: str | None,
    source_file: str | None,
    dry_run: bool,
) -> None:
    """Add an entity, with the quote and source document that attest it.

    \b
    Example:
      influencegraph --data mine.ttl add entity --type Report \\
        --label "Bridging Divides" --year 2019 --publisher "The Challenge" \\
        --evidence "Bridging Divides (2019)" --source "Policy Impact"
    """
    from ..edit import EntitySpec, add_entity

    spec = EntitySpec(
        type_name,
        label,
        evidence,
        source_name,
        list(alt_labels),
        year,
        publisher,
        source_title,
        source_publisher,
        source_file,
    )
    _run_edit(ctx, dry_run, lambda src, path: add_entity(src, path, spec, dry_run=dry_run), "draft")


@add.command("claim", epilog=_kinds_epilog())
@click.option(
    "--from",
    "influencer",
    required=True,
    metavar="NAME",
    help="Who or what influences (an entity's label).",
)
@click.option(
    "--to",
    "target",
    required=True,
    metavar="NAME",
    help="Who or what is influenced (an entity's label).",
)
@click.option(
    "--kind",
    required=True,
    metavar="KIND",
    help="An influence kind, by name or label (listed below).",
)
@click.option(
    "--claimant", metavar="NAME", help="Who makes the claim; default: the source's publisher."
)
@click.option("--year", metavar="YYYY[-MM[-DD]]", help="When the claim was made.")
@_source_options
@click.pass_context
def add_claim_command(
    ctx: click.Context,
    influencer: str,
    target: str,
    kind: str,
    claimant: str | None,
    year: str | None,
    evidence: str | None,
    source_name: str | None,
    source_title: str | None,
    source_publisher: str | None,
    source_file: str | None,
    dry_run: bool,
) -> None:
    """Add an influence claim: FROM influenced TO, in KIND, says SOURCE in QUOTE.

    Written as a PROV qualified influence with the prov:wasInfluencedBy shortcut and,
    between two works, the kind's CiTO citation. Exit 0 added, 1 the graph would fail
    validation (e.g. the influence runs backwards in time), 2 bad input (no quote, no
    source, unknown name); on 1 and 2 the file is unchanged.

    \b
    Example:
      influencegraph --data mine.ttl add claim --from "All Together Now" \\
        --to "All of Us" --kind endorses --evidence "..." --source "Policy Impact"
    """
    from ..edit import ClaimSpec, add_claim

    spec = ClaimSpec(
        influencer,
        target,
        kind,
        evidence,
        source_name,
        claimant,
        year,
        source_title,
        source_publisher,
        source_file,
    )
    _run_edit(ctx, dry_run, lambda src, path: add_claim(src, path, spec, dry_run=dry_run), "draft")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["entities", "claims"]),
    help="What the rows of a CSV are (see examples/entities.csv, examples/claims.csv).",
)
@click.option(
    "--from",
    "bulk",
    type=click.Choice(["openalex", "crossref", "ror"]),
    help="FILE holds records of this service (JSON or JSON Lines, gzipped or not).",
)
@click.option(
    "--keep-going", is_flag=True, help="With --from: report bad records and import the rest."
)
@click.option("--dry-run", is_flag=True, help="Check everything; write nothing.")
@click.pass_context
def import_command(
    ctx: click.Context,
    file: Path,
    kind: str | None,
    bulk: str | None,
    keep_going: bool,
    dry_run: bool,
) -> None:
    """Add a CSV of entities or claims (--kind), or OpenAlex, Crossref or ROR records
    (--from), to the --data file or the --store: all of it or nothing.

    CSV: lines starting with # are comments; the first other row names the columns.
    Every bad row is reported as "row N: column: problem" and any bad row means nothing is
    written (exit 2). Records: a bad one is reported as "FILE:LINE: reason" and nothing is
    written, unless --keep-going. Incoming entities are linked by identifier (DOI, ORCID,
    ROR...), then by exact label and type (and year); importing a file again changes
    nothing. Exit 1 when the graph would fail validation.

    \b
    Examples:
      influencegraph --data mine.ttl import examples/claims.csv --kind claims --dry-run
      influencegraph --store store import works.jsonl.gz --from openalex
    """
    if (kind is None) == (bulk is None):
        raise UserError(
            "say what FILE holds: --kind entities|claims for a CSV, or "
            "--from openalex|crossref|ror for records"
        )
    if bulk is not None:
        _run_edit(
            ctx, dry_run, lambda src, path: _bulk_import(src, path, file, bulk, keep_going, dry_run)
        )
        return
    from ..edit import import_csv

    csv_kind = str(kind)  # given: exactly one of --kind and --from is, checked above
    _run_edit(
        ctx, dry_run, lambda src, path: import_csv(src, path, file, csv_kind, dry_run=dry_run)
    )


def _bulk_import(
    source: Any, target: Path, file: Path, provider: str, keep_going: bool, dry_run: bool
) -> Any:
    """Run a records import and print its summary (bad records first, on stderr)."""
    from ..bulk import import_file

    result = import_file(source, file, provider, target, keep_going=keep_going, dry_run=dry_run)
    for line in result.summary.bad:
        click.echo(line, err=True)
    return result


@cli.command()
@click.option(
    "--min-score",
    type=click.FloatRange(0.5, 1.0),
    default=0.9,
    show_default=True,
    help="How alike two names must be (0.5-1) to count as similar.",
)
@FORMAT_OPTION
@click.pass_context
def dedupe(ctx: click.Context, min_score: float, fmt: str) -> None:
    """List likely duplicate entities, in pairs, each with why.

    Reasons, strongest first: the same identifier (DOI, ORCID, ROR...); the same label
    (folded) and type; similar names (at least --min-score alike) that also share a
    neighbour. Found by blocking, never by comparing every pair. Nothing is changed:
    merge a pair you have checked with `influencegraph merge KEEP DROP`. Exit 1 when
    there are none.

    \b
    JSON: [{reason, a, a_type, b, b_type, detail, score, a_iri, b_iri}].

    \b
    Example:
      influencegraph --store store dedupe --format csv
    """
    from ..dedupe import PAIR_COLUMNS, duplicates

    pairs = duplicates(settings(ctx).source(), min_score=min_score)
    if not pairs:
        raise CheckFailed("no likely duplicates")
    rows = [p.row() for p in pairs]
    _echo_rows(rows, list(PAIR_COLUMNS), fmt, f"{len(rows)} likely duplicate pairs", rows)


@cli.command()
@click.argument("keep", required=False)
@click.argument("drop", required=False)
@click.option(
    "--undo",
    "activity",
    metavar="MERGE",
    help="Undo the merge recorded as MERGE (the merge-... name it printed).",
)
@click.option("--dry-run", is_flag=True, help="Print the triples removed and added; write nothing.")
@click.pass_context
def merge(
    ctx: click.Context, keep: str | None, drop: str | None, activity: str | None, dry_run: bool
) -> None:
    """Merge entity DROP into KEEP (names, identifiers or IRIs), or undo a merge.

    Every statement about or pointing at DROP moves to KEEP; DROP's labels become KEEP's
    alternative labels; DROP is left dcterms:isReplacedBy KEEP. The merge is recorded
    (a PROV activity with its time and the exact triples removed and added), so
    `merge --undo MERGE` reverses it. A store changes in one transaction; a --data file
    is re-serialised as Turtle (its comments and layout are lost: keep a copy, and
    `influencegraph diff COPY FILE` shows the merge). Exit 1 if the graph would fail
    validation, 2 for bad input.

    \b
    Examples:
      influencegraph --data mine.ttl merge "The Challenge" "THE CHALLENGE" --dry-run
      influencegraph --store store merge --undo merge-2d69bf2980f0
    """
    from ..errors import ValidationFailed
    from ..merge import merge as merge_entities
    from ..merge import undo

    chosen = settings(ctx)
    if chosen.endpoint:
        raise UserError("a merge is written to a --data file or a --store, not an --endpoint")
    if (activity is None) == (keep is None or drop is None) or (activity and (keep or drop)):
        raise UserError("give KEEP and DROP, or --undo MERGE")
    try:
        if activity:
            result = undo(chosen.source("edit"), activity, chosen.data, dry_run=dry_run)
        else:
            assert keep is not None and drop is not None
            result = merge_entities(chosen.source("edit"), keep, drop, chosen.data, dry_run=dry_run)
    except ValidationFailed as exc:
        raise CheckFailed(str(exc)) from None
    if dry_run:
        for sign, triples in (("-", result.removed), ("+", result.added)):
            for s, p, o in sorted(triples):
                click.echo(f"{sign} {s.n3()} {p.n3()} {o.n3()} .")
    name = result.activity.rsplit("/", 1)[-1]
    done = "undone" if activity else f"recorded as {name} (undo: merge --undo {name})"
    click.echo(
        f"{len(result.removed)} triples removed, {len(result.added)} added; "
        f"{done}; {'written to' if result.written else 'dry run: nothing written to'} "
        f"{result.target}"
    )
    if result.reserialised:
        click.echo(
            f"note: {result.target} was re-serialised as sorted Turtle; its comments "
            "and layout are gone",
            err=True,
        )


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@FORMAT_OPTION
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when the graphs differ (as `git diff --exit-code`)."
)
def diff(old: Path, new: Path, fmt: str, exit_code: bool) -> None:
    """Entities and claims added, removed or changed between two graph files, by label.

    Claims are compared by their whole content (ends, kind, quote, source, claimant,
    year), entities by every statement about them. JSON: a list of {change, item, name,
    type, detail, iri}; change is added, removed or changed, item is entity or claim; a
    claim's name is "influencer -> target (kind)"; detail says what changed. Exit 0
    whether or not they differ, unless --exit-code.

    \b
    Example:
      influencegraph diff data/triples.ttl mine.ttl
    """
    from ..diff import CHANGE_COLUMNS, diff_files, summary
    from ..output import render_rows

    changes = diff_files(old, new)
    rows = [c.as_dict() for c in changes]
    click.echo(
        render_rows(rows, CHANGE_COLUMNS, fmt, title=summary(changes), json_value=rows), nl=False
    )
    if exit_code and changes:
        raise SystemExit(1)
