"""Commands that check the graph: ``validate``, ``verify``, ``stats``, ``doctor``."""

from __future__ import annotations

from pathlib import Path

import click

from ..output import plural
from .app import (
    FORMAT_OPTION,
    CheckFailed,
    _echo_rows,
    cli,
    settings,
)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check files (default: the loaded graph) against the SHACL shapes and time order.

    Exit 0 when everything conforms, 1 with one line per violation, 2 when a file
    cannot be read or parsed (with file:line: reason).

    \b
    Example:
      influencegraph validate data/triples.ttl
    """
    from ..graph import load_graph, whole_graph
    from ..validate import validate_graph, vocabulary_triples

    chosen = settings(ctx)
    if not files and chosen.remote_or_store:
        graph = whole_graph(chosen.source())
    else:
        graph = load_graph(list(files) or chosen.data or None)
    vocabulary = vocabulary_triples(graph)
    if len(graph) == vocabulary:
        raise CheckFailed(
            "no data: the graph holds only the project's vocabulary "
            f"({plural(vocabulary, 'triple')}); nothing to validate"
        )
    problems = validate_graph(graph)
    if problems:
        lines = [str(p) for p in problems]
        lines.append(f"{plural(len(problems), 'violation')} found")
        raise CheckFailed("\n".join(lines))
    click.echo(
        f"valid: {plural(len(graph) - vocabulary, 'triple')} of data (and "
        f"{vocabulary} of the vocabulary) conform to the shapes and the time order"
    )


@cli.command()
@click.option(
    "--against",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder of local copies of the source documents (default: sources/ "
    "beside the first data file; for the bundled graph, data/sources).",
)
@click.option("--all", "every", is_flag=True, help="List every claim, not only the problems.")
@FORMAT_OPTION
@click.pass_context
def verify(ctx: click.Context, against: Path | None, every: bool, fmt: str) -> None:
    """Check every claim's quote against a local copy of its source document.

    Documents are read as extract reads them (HTML, PDF, Markdown, text); a quote must
    be there verbatim up to white space. Lists the claims whose quote is altered (the
    closest passage shown), missing, or unchecked (no copy of its document in the
    folder); exit 1 if there is any, 0 when every quote is found. JSON: a list of
    {claim, status, document, quote, closest, claim_iri, file}.

    \b
    Examples:
      influencegraph verify
      influencegraph --data mine.ttl verify --against copies/ --format json
    """
    from ..verify import CHECK_COLUMNS, verify_quotes

    chosen = settings(ctx)
    report = verify_quotes(chosen.source(), against, chosen.data)
    shown = report.checks if every else report.problems
    rows = [c.as_dict() for c in shown]
    if rows or fmt != "table":
        _echo_rows(rows, list(CHECK_COLUMNS), fmt, report.summary(), rows)
    click.echo(report.summary(), err=fmt != "table")
    if report.problems:
        raise SystemExit(1)


@cli.command()
@FORMAT_OPTION
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Count entities by type and influence claims by kind and by claimant.

    \b
    Example:
      influencegraph stats --format json
    """
    from ..output import render_rows
    from ..stats import graph_stats

    result = graph_stats(settings(ctx).source())
    click.echo(
        render_rows(
            result.rows(),
            ["group", "name", "count"],
            fmt,
            title="Graph statistics",
            json_value=result.as_dict(),
        ),
        nl=False,
    )


@cli.command()
@FORMAT_OPTION
@click.pass_context
def doctor(ctx: click.Context, fmt: str) -> None:
    """Report what the graph lacks: data, claims, claimants, sources, and the project's
    vocabulary (kinds, class hierarchy, cue lexicon) that user queries and extract use.

    Useful before pointing influencegraph at a store or an endpoint loaded by someone
    else. Exit 0 when nothing is missing, 1 when something is (each line says what
    depends on it).

    \b
    Example:
      influencegraph --endpoint http://localhost:8890/sparql doctor
    """
    from ..doctor import CHECK_COLUMNS, diagnose

    result = diagnose(settings(ctx).source())
    _echo_rows(
        [c.as_row() for c in result.checks],
        list(CHECK_COLUMNS),
        fmt,
        f"What {result.where} holds",
        result.as_dict(),
    )
    if not result.ok:
        missing = [c.name for c in result.checks if not c.ok]
        raise CheckFailed(f"missing: {', '.join(missing)}")


# ---------------------------------------------------------------- paths, influence, rankings
