"""Commands that answer SPARQL: ``sparql`` once, ``serve`` as an endpoint and explorer."""

from __future__ import annotations

import os
from typing import Any

import click

from ..sparql import DEFAULT_TIMEOUT as SPARQL_TIMEOUT
from ..sparql import ENDPOINT_MAX_ROWS as SERVER_MAX_ROWS
from ..sparql import ENDPOINT_PORT as SERVER_PORT
from ..sparql import TABLE_ROWS as SPARQL_TABLE_ROWS
from .app import (
    UserError,
    cli,
    settings,
)


@cli.command()
@click.argument("query", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.File("rb"),
    metavar="F.rq",
    help="Read the query from a file ('-' for standard input).",
)
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "json", "csv", "tsv", "xml", "turtle", "ntriples"]),
    help="table, or a W3C format: SELECT/ASK as SPARQL 1.1 JSON, CSV, TSV or XML "
    "results; CONSTRUCT/DESCRIBE as turtle (also the table view), ntriples, "
    "xml (RDF/XML) or json (JSON-LD).",
)
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="NAME=VALUE",
    help="Pre-bind ?NAME (repeatable). VALUE: <IRI>, prefix:name, a Turtle literal "
    '("text", "text"@en, "2018"^^xsd:gYear, 42, true), else an entity '
    "label such as 'The Challenge'.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=SPARQL_TIMEOUT,
    show_default=True,
    help="Seconds before the query is given up.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=SPARQL_TABLE_ROWS,
    show_default=True,
    help="Rows the table view shows (other formats write all).",
)
@click.pass_context
def sparql(
    ctx: click.Context,
    query: str | None,
    query_file: Any,
    fmt: str,
    binds: tuple[str, ...],
    timeout: float,
    max_rows: int,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the graph.

    The prefixes ig, igd, prov, cito, dcterms, org, foaf, schema, skos, rdf, rdfs, xsd and
    owl are pre-bound. SERVICE, FROM and updates are refused before anything runs; a syntax
    error gives its line and column. Exit 2 for a refused, malformed or timed-out query.

    \b
    Examples:
      influencegraph sparql 'SELECT ?r WHERE { ?r a ig:Survey }'
      influencegraph sparql --file examples/queries/influences-on.rq --bind target=ICS
      influencegraph sparql --format json 'ASK { igd:the-challenge a ig:Organisation }'
    """
    from ..sparql import format_result, run_query

    if (query is None) == (query_file is None):
        raise UserError("give the query as an argument or with --file F.rq (one of the two)")
    from ..errors import QueryError
    from ..sparql import query_text

    try:
        text = query if query is not None else query_text(query_file.read())
    except QueryError as exc:
        raise UserError(f"{query_file.name}: {exc}") from None
    result = run_query(settings(ctx).source(), text, bind=binds, timeout=timeout)
    click.echo(format_result(result, fmt, max_rows=max_rows), nl=False)


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default is reachable from this machine only.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=SERVER_PORT,
    show_default=True,
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=SPARQL_TIMEOUT,
    show_default=True,
    help="Seconds per query (then HTTP 503).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=SERVER_MAX_ROWS,
    show_default=True,
    help="Largest result sent, in rows or triples (then HTTP 503).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: max(2, os.cpu_count() or 1),
    show_default="the cores, at least 2",
    help="Processes answering queries, one query each at a time (more wait their turn); "
    "two or more keep one slow query from holding up every other.",
)
@click.option(
    "--cors",
    "cors",
    multiple=True,
    metavar="ORIGIN",
    help="Let browser pages from ORIGIN (e.g. https://yasgui.example) read answers; "
    "repeat for several, '*' for any. Default: none, since any page the user "
    "opens could otherwise read a private graph.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    cors: tuple[str, ...],
) -> None:
    """Serve the evidence explorer at / and a read-only SPARQL 1.1 endpoint at /sparql.

    The explorer: search, a page per entity and per claim, influence paths, rankings and
    dossiers (see `publish` for the same pages as files). GET or POST a query to /sparql;
    the answer's format follows the Accept header (SPARQL JSON/XML/CSV/TSV, Turtle,
    N-Triples). Oxigraph evaluates each query in a worker process that is stopped at the
    time bound. Bad or refused queries get HTTP 400, queries over the time or size bound
    503. GET /sparql alone gives the Service Description. Stop with Ctrl-C (or SIGTERM).

    \b
    Example:
      influencegraph serve --port 8000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s a ig:Report }' \\
           http://127.0.0.1:8000/sparql
    """
    from ..explorer.routes import explorer_for
    from ..server import Endpoint
    from ..sparql import QueryRunner

    runner = QueryRunner(
        settings(ctx).source(), timeout=timeout, max_rows=max_rows, max_concurrent=workers
    )
    endpoint = Endpoint(
        runner,
        host,
        port,
        log=lambda line: click.echo(line, err=True),
        cors_origins=cors,
        explorer=explorer_for(settings(ctx).source()),
        processes=workers,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: other machines may reach the endpoint", err=True)

    def ready() -> None:
        click.echo(
            f"SPARQL endpoint: {endpoint.query_url}  (evidence explorer: {endpoint.url}); "
            "Ctrl-C stops it"
        )

    try:
        endpoint.serve_until_stopped(ready)
    finally:
        runner.close()
    click.echo("stopped")


# ---------------------------------------------------------------- growing the graph (issue 7)
