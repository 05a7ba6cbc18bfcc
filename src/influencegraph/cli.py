"""The ``influencegraph`` command line: parse options, call one library function, print.

Where the graph comes from is chosen once, before the command:
``influencegraph [--data FILE]... | --store DIR | --endpoint URL COMMAND``.
Library errors become one-line messages: exit 2 for a user error (bad file, name or
query), exit 1 for a failed check.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .output import plural
from .sparql import DEFAULT_TIMEOUT as SPARQL_TIMEOUT
from .sparql import ENDPOINT_MAX_ROWS as SERVER_MAX_ROWS
from .sparql import ENDPOINT_PORT as SERVER_PORT
from .sparql import TABLE_ROWS as SPARQL_TABLE_ROWS

if TYPE_CHECKING:
    from .graph import Source

FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format; JSON and CSV use the same field names.",
)


class UserError(click.ClickException):
    """A user mistake: one line on stderr, exit code 2, no traceback."""

    exit_code = 2


class CheckFailed(click.ClickException):
    """A check ran and found problems: exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


class Group(click.Group):
    """Turns the library's own errors into :class:`UserError` for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import InfluenceGraphError

        try:
            return super().invoke(ctx)
        except InfluenceGraphError as exc:
            raise UserError(str(exc)) from None


@dataclass
class Settings:
    """The global options, and the source opened from them on first use."""

    data: list[Path] = field(default_factory=list)
    store: Path | None = None
    endpoint: str | None = None
    default_graph: str | None = None
    _sources: dict[str, Source] = field(default_factory=dict)

    def source(self, needs: str = "read") -> Source:
        """The chosen graph, opened for what the command needs (``"read"``, or ``"edit"``
        for ``import``; ``add`` reads files through :func:`_edit_source`)."""
        if needs not in self._sources:
            from .graph import open_source

            self._sources[needs] = open_source(
                self.data or None,
                store=self.store,
                endpoint=self.endpoint,
                default_graph=self.default_graph,
                needs=needs,
            )
        return self._sources[needs]

    @property
    def remote_or_store(self) -> bool:
        """True when the graph lives in a store or behind an endpoint, not in files."""
        return self.store is not None or self.endpoint is not None


def settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    multiple=True,
    envvar="INFLUENCEGRAPH_DATA",
    type=click.Path(dir_okay=False, path_type=Path),
    help="RDF file to load (Turtle, N-Triples, N-Quads, TriG); repeat for several. "
    "Default: the bundled seed graph. Env: INFLUENCEGRAPH_DATA "
    "(several files separated by spaces).",
)
@click.option(
    "--store",
    "store",
    envvar="INFLUENCEGRAPH_STORE",
    type=click.Path(path_type=Path),
    help="Read the graph from an on-disk Oxigraph store made by `load`. Env: INFLUENCEGRAPH_STORE.",
)
@click.option(
    "--endpoint",
    "endpoint",
    envvar="INFLUENCEGRAPH_ENDPOINT",
    metavar="URL",
    help="Read the graph from a remote SPARQL 1.1 endpoint (http or https). "
    "Env: INFLUENCEGRAPH_ENDPOINT.",
)
@click.option(
    "--default-graph",
    "default_graph",
    envvar="INFLUENCEGRAPH_DEFAULT_GRAPH",
    metavar="IRI",
    help="With --endpoint: the graph that holds the data, sent as the protocol's "
    "default-graph-uri (or put ?default-graph-uri=IRI in the URL). "
    "Env: INFLUENCEGRAPH_DEFAULT_GRAPH.",
)
@click.version_option(__version__, prog_name="influencegraph")
@click.pass_context
def cli(
    ctx: click.Context,
    data: tuple[Path, ...],
    store: Path | None,
    endpoint: str | None,
    default_graph: str | None,
) -> None:
    """Policy-influence evidence as a knowledge graph.

    Trace how ideas travel from reports to strategies, query the evidence with SPARQL,
    and draw it as an interactive network. Every fact carries its source and quote.

    \b
    Examples:
      influencegraph stats
      influencegraph validate
      influencegraph --data mine.ttl stats --format json
      influencegraph --store corpus.db stats

    --data, --store and --endpoint choose one source; given on the command line they
    override the environment, and two of them together are an error.
    """
    chosen = _one_source(ctx, {"data": data, "store": store, "endpoint": endpoint})
    ctx.obj = Settings(
        data=list(data) if chosen == "data" else [],
        store=store if chosen == "store" else None,
        endpoint=endpoint if chosen == "endpoint" else None,
        default_graph=default_graph,
    )
    # a store opened for writing stays locked until freed: free it when the command ends
    ctx.call_on_close(ctx.obj._sources.clear)


def _one_source(ctx: click.Context, given: dict[str, Any]) -> str | None:
    """Which of --data/--store/--endpoint to use: the command line beats the environment;
    two from the same place are a user error."""
    from click.core import ParameterSource

    chosen = [name for name, value in given.items() if value]
    typed = [n for n in chosen if ctx.get_parameter_source(n) == ParameterSource.COMMANDLINE]
    pick = typed or chosen
    if len(pick) > 1:
        where = "" if typed else " (from the environment)"
        raise UserError(
            f"{' and '.join('--' + n for n in pick)}{where} cannot be combined; "
            "choose one source of the graph"
        )
    return pick[0] if pick else None


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
    from .graph import load_graph, whole_graph
    from .validate import validate_graph, vocabulary_triples

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
    from .verify import CHECK_COLUMNS, verify_quotes

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
    from .output import render_rows
    from .stats import graph_stats

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
    from .doctor import CHECK_COLUMNS, diagnose

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

MAX_HOPS_OPTION = click.option(
    "--max-hops",
    type=click.IntRange(1, 12),
    default=6,
    show_default=True,
    help="Longest chain to look through.",
)


def _echo_rows(
    rows: list[dict[str, Any]], columns: list[str], fmt: str, title: str, document: Any
) -> None:
    from .output import render_rows

    click.echo(render_rows(rows, columns, fmt, title=title, json_value=document), nl=False)


def _check_depth(around: str | None, depth: int | None) -> None:
    """--depth counts hops from --around, so it needs it (and cannot be negative)."""
    if depth is not None and around is None:
        raise UserError("--depth needs --around NAME: the hops are counted from it")
    if depth is not None and depth < 0:
        raise UserError("--depth must be 0 or more")


def _nothing_found(fmt: str, document: Any, message: str) -> None:
    """Exit 1 saying why; with --format json the (empty) answer is printed all the same,
    so a script always gets JSON on stdout."""
    if fmt == "json":
        _echo_rows([], [], fmt, "", document)
    raise CheckFailed(message)


@cli.command()
@click.argument("origin", metavar="FROM")
@click.argument("goal", metavar="TO")
@MAX_HOPS_OPTION
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Every time-consistent path, shortest first, strongest first within a length.",
)
@click.option(
    "--strongest", is_flag=True, help="The path with the greatest product of hop strengths."
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="With --all: list at most this many paths.",
)
@FORMAT_OPTION
@click.pass_context
def path(
    ctx: click.Context,
    origin: str,
    goal: str,
    max_hops: int,
    every: bool,
    strongest: bool,
    limit: int,
    fmt: str,
) -> None:
    """Directed influence paths from FROM to TO, each hop with its evidence.

    A hop is an influence claim (kind: endorses, cites as key influence, reflects, ...)
    or authorship (publishes). Paths never go back in time: no dated work on a path is
    earlier than a dated work before it (undated entities do not constrain). Default: the
    shortest path (strongest on a tie); --strongest maximises the product of the hops'
    strengths (see README); --all lists every path. Exit 1 when there is none.

    \b
    JSON: {from, to, mode, max_hops, time_rule, truncated, paths: [{path, length,
    strength, hops: [{step, influencer, kind, target, influencer_year, target_year,
    strength, evidence, source, claimant, inferred, reason, influencer_iri,
    target_iri, status}]}]}. Table and CSV: one row per hop. status is the claim's
    corroboration status (self-reported, independent, corroborated, unattributed; none
    for authorship).

    \b
    Examples:
      influencegraph path "All Together Now" "Integrated Communities Strategy"
      influencegraph path "The Challenge" ICS --all --format json
    """
    from .paths import PATH_COLUMNS, find_paths

    if every and strongest:
        raise UserError(
            "--all and --strongest cannot be combined: --all already lists "
            "the strongest first within each length"
        )
    mode = "all" if every else "strongest" if strongest else "shortest"
    result = find_paths(
        settings(ctx).source(), origin, goal, max_hops=max_hops, mode=mode, limit=limit
    )
    if not result.paths:
        _nothing_found(fmt, result.as_dict(), result.message())
    title = f"Influence paths ({mode}) from {result.origin['label']} to {result.goal['label']}"
    _echo_rows(result.rows(), PATH_COLUMNS, fmt, title, result.as_dict())
    if result.truncated:
        click.echo(f"more paths may exist; raise --limit (now {limit})", err=True)


@cli.command()
@click.argument("a")
@click.argument("b")
@MAX_HOPS_OPTION
@FORMAT_OPTION
@click.pass_context
def connections(ctx: click.Context, a: str, b: str, max_hops: int, fmt: str) -> None:
    """How A and B are linked through any relation, whichever way it points.

    Follows influence, authorship, memberships and posts, sub-organisations, part-of and
    inferred links (marked inferred, with the reason). Lists the shortest connections;
    each hop reads "subject relation object" with its evidence and source. Exit 1 when
    there is none.

    \b
    JSON: {from, to, max_hops, truncated, paths: [{path, length, hops: [{step, subject,
    relation, object, also, inferred, reason, evidence, source, claimant, subject_iri,
    object_iri}]}]}.

    \b
    Example:
      influencegraph connections "Anthony Heath" "The Challenge"
    """
    from .connections import LINK_COLUMNS, find_connections

    result = find_connections(settings(ctx).source(), a, b, max_hops=max_hops)
    if not result.connections:
        _nothing_found(fmt, result.as_dict(), result.message())
    title = f"Connections between {result.a['label']} and {result.b['label']}"
    _echo_rows(result.rows(), LINK_COLUMNS, fmt, title, result.as_dict())


@cli.command()
@click.argument("name")
@click.option(
    "--direction",
    type=click.Choice(["downstream", "upstream"]),
    default="downstream",
    show_default=True,
    help="downstream: what NAME influenced; upstream: what influenced NAME.",
)
@click.option(
    "--depth", type=click.IntRange(1, 10), default=3, show_default=True, help="How many hops out."
)
@FORMAT_OPTION
@click.pass_context
def influence(ctx: click.Context, name: str, direction: str, depth: int, fmt: str) -> None:
    """What NAME influenced, or what influenced it, hop by hop, with evidence.

    Lists every influence claim and authorship link on a time-consistent chain of at
    most --depth hops from NAME, at the fewest hops it is reached in (step). Exit 1 when
    nothing is recorded.

    \b
    JSON: {entity, direction, depth, time_rule, hops: [{step, influencer, kind, target,
    influencer_year, target_year, strength, evidence, source, claimant, inferred, reason,
    influencer_iri, target_iri, status}]}; status is the claim's corroboration status
    (self-reported, independent, corroborated, unattributed; none for authorship).

    \b
    Examples:
      influencegraph influence "The Challenge" --depth 2
      influencegraph influence ICS --direction upstream
    """
    from .paths import HOP_COLUMNS
    from .paths import influence as find_influence

    result = find_influence(settings(ctx).source(), name, direction=direction, depth=depth)
    if not result.hops:
        _nothing_found(fmt, result.as_dict(), result.message())
    title = f"{direction.capitalize()} of {result.entity['label']} ({plural(depth, 'hop')})"
    _echo_rows(result.rows(), HOP_COLUMNS, fmt, title, result.as_dict())


@cli.command()
@click.option(
    "--type",
    "entity_type",
    metavar="TYPE",
    help="Only this type (Report includes Survey; Organisation includes "
    "Government body; Group includes APPG and Working group).",
)
@click.option(
    "--by",
    type=click.Choice(["pagerank", "reach", "betweenness", "in-degree"]),
    default="pagerank",
    show_default=True,
    help="The measure to rank by.",
)
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many to list."
)
@FORMAT_OPTION
@click.pass_context
def rank(ctx: click.Context, entity_type: str | None, by: str, top: int, fmt: str) -> None:
    """Rank entities on the influence network (claims and authorship).

    \b
    pagerank     influence that reaches influential entities (edges turned round,
                 weighted by strength)
    reach        how many entities lie downstream
    betweenness  how often it lies on shortest influence chains between others
    in-degree    how many claims and authorship links point at it

    \b
    JSON: {by, type, considered, approximate, error, ranking: [{rank, label, type, score,
    iri}]}. Exit 1 when the measure fails (the reason is printed).

    \b
    Examples:
      influencegraph rank --type Report --by reach
      influencegraph rank --type Organisation --top 5 --format csv
    """
    from .ranking import RANK_COLUMNS
    from .ranking import rank as rank_entities

    result = rank_entities(settings(ctx).source(), by=by, entity_type=entity_type, top=top)
    if result.error:
        raise CheckFailed(f"{by} could not be computed: {result.error}")
    title = f"Top {top} by {by}" + (f" (type {result.type})" if result.type else "")
    _echo_rows(result.rows(), RANK_COLUMNS, fmt, title, result.as_dict())


@cli.command()
@click.argument("name")
@FORMAT_OPTION
@click.pass_context
def show(ctx: click.Context, name: str, fmt: str) -> None:
    """Every fact about NAME, with the evidence and source of each.

    Types, labels, date, description, authorship, memberships and posts, structure,
    inferred links, influence claims in and out, claims it makes, and anything else
    the graph states about it, all by label.

    \b
    JSON: {entity: {label, type, year, iri}, facts: [{fact, value, detail, inferred,
    evidence, source, status}]}; status is an influence claim's corroboration status.

    \b
    Example:
      influencegraph show "All Together Now"
    """
    from .facts import FACT_COLUMNS, entity_facts

    result = entity_facts(settings(ctx).source(), name)
    _echo_rows(result.rows(), FACT_COLUMNS, fmt, result.entity["label"], result.as_dict())


@cli.command()
@click.argument("text")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many matches to list.",
)
@FORMAT_OPTION
@click.pass_context
def search(ctx: click.Context, text: str, limit: int, fmt: str) -> None:
    """Fuzzy search over labels and alternative labels (acronyms, longer forms).

    Exit 1 when nothing matches.

    \b
    JSON: [{label, type, matched, score, iri}], best first.

    \b
    Example:
      influencegraph search "integration survey"
    """
    from .names import search as search_names

    hits = search_names(settings(ctx).source(), text, limit=limit)
    if not hits:
        raise CheckFailed(f"nothing matches {text!r}")
    rows = [
        {
            "label": h.entity.label,
            "type": h.entity.type,
            "matched": h.matched,
            "score": h.score,
            "iri": h.entity.iri,
        }
        for h in hits
    ]
    _echo_rows(rows, ["label", "type", "matched", "score"], fmt, f"Matches for {text!r}", rows)


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
    from .sparql import format_result, run_query

    if (query is None) == (query_file is None):
        raise UserError("give the query as an argument or with --file F.rq (one of the two)")
    from .errors import QueryError
    from .sparql import query_text

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
    default=2,
    show_default=True,
    help="Queries evaluated at once, each in its own process (more wait, then 503).",
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
    from .explorer.routes import explorer_for
    from .server import Endpoint
    from .sparql import QueryRunner

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
    )
    runner.warm()
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: other machines may reach the endpoint", err=True)
    click.echo(
        f"SPARQL endpoint: {endpoint.query_url}  (evidence explorer: {endpoint.url}); "
        "Ctrl-C stops it"
    )
    try:
        endpoint.serve_until_stopped()
    finally:
        runner.close()
    click.echo("stopped")


# ---------------------------------------------------------------- growing the graph (issue 7)

_ADD_EXIT = (
    "Writes to the first --data file (Turtle or N-Triples), appending a commented "
    "block; the rest of the file is left byte for byte. Exit 0 added, 1 the graph "
    "would fail validation, 2 bad input; on 1 and 2 the file is unchanged."
)


def _kinds_epilog() -> str:
    """The documented influence kinds with strengths, from vocab (which needs no rdflib)."""
    from .vocab import INFLUENCE_KINDS

    lines = [f"  {k.name:<21} {k.label} ({k.strength})" for k in INFLUENCE_KINDS]
    return "\b\nInfluence kinds (name, label, strength):\n" + "\n".join(lines)


def _types_list() -> str:
    from .vocab import ENTITY_TYPES

    return ", ".join(name for name in ENTITY_TYPES if name != "Source document")


def _report_edit(result: Any) -> None:
    """Print what an addition did: the Turtle on a dry run, a one-line summary otherwise."""
    from .bulk import ImportResult

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


def _edit_source(ctx: click.Context, needs: str) -> Source:
    """The graph an edit reads: opened for ``needs``, or with ``"draft"`` (``add``), data
    files as a :class:`~influencegraph.edit.working.FileSnapshot`, which Oxigraph reads
    straight into the draft's working copy (a store is opened as for any edit)."""
    chosen = settings(ctx)
    if needs != "draft" or chosen.store or chosen.endpoint:
        return chosen.source("edit" if needs == "draft" else needs)
    from .edit.working import FileSnapshot
    from .graph import default_data_paths

    return FileSnapshot(chosen.data or default_data_paths())


def _run_edit(ctx: click.Context, dry_run: bool, action: Any, needs: str = "edit") -> None:
    """Run an addition against the first --data file; a failed check exits 1. ``needs``:
    how the graph is opened (:func:`_edit_source`)."""
    from .edit import edit_target
    from .errors import ValidationFailed
    from .files import locked

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
            result = action(_edit_source(ctx, needs), target)
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
    from .edit import EntitySpec, add_entity

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
    from .edit import ClaimSpec, add_claim

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
    from .edit import import_csv

    _run_edit(ctx, dry_run, lambda src, path: import_csv(src, path, file, kind, dry_run=dry_run))


def _bulk_import(
    source: Any, target: Path, file: Path, provider: str, keep_going: bool, dry_run: bool
) -> Any:
    """Run a records import and print its summary (bad records first, on stderr)."""
    from .bulk import import_file

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
    from .dedupe import PAIR_COLUMNS, duplicates

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
    from .errors import ValidationFailed
    from .merge import merge as merge_entities
    from .merge import undo

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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "jsonld", "nt", "csv"]),
    help="Default: from the file name's suffix.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; for csv, NAME.csv gives NAME-nodes.csv and NAME-edges.csv.",
)
@click.option(
    "--network",
    "which",
    type=click.Choice(["influence", "relations"]),
    default="influence",
    show_default=True,
    help="For graphml, gexf and csv: influence claims and authorship (directed), "
    "or every relation (undirected).",
)
@click.pass_context
def export(ctx: click.Context, fmt: str | None, output: Path, which: str) -> None:
    """Write the graph for Gephi, Cytoscape or a linked-data tool.

    GraphML and GEXF carry label, type and year on nodes and kind, relation, strength,
    evidence, source and claimant on edges; JSON-LD has an inline context (nothing
    remote); N-Triples are sorted. Files are written atomically.

    \b
    Examples:
      influencegraph export -o graph.gexf
      influencegraph export --format csv -o graph.csv
    """
    from .export import export_graph

    result = export_graph(settings(ctx).source(), output, fmt, which=which)
    size = (
        f"{result.triples} triples"
        if result.triples is not None
        else f"{result.nodes} nodes, {result.edges} edges"
    )
    click.echo(f"wrote {', '.join(str(f) for f in result.files)} ({result.format}: {size})")


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
    from .diff import CHANGE_COLUMNS, diff_files, summary
    from .output import render_rows

    changes = diff_files(old, new)
    rows = [c.as_dict() for c in changes]
    click.echo(
        render_rows(rows, CHANGE_COLUMNS, fmt, title=summary(changes), json_value=rows), nl=False
    )
    if exit_code and changes:
        raise SystemExit(1)


@cli.command()
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the dossier to this file (atomically) instead of printing it.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default=None,
    help="md (default), html (self-contained page) or json; without it, "
    "-o's suffix (.html, .json) decides.",
)
@click.pass_context
def dossier(ctx: click.Context, name: str, output: Path | None, fmt: str | None) -> None:
    """An impact dossier for an organisation, person, group or project.

    Its outputs by year, the people and groups around it, every influence claim on or
    from its work (quote, source, claimant, evidence type, corroboration status), the
    influence paths from its work into policy, and what to corroborate next. Every fact
    comes from the queries shipped in influencegraph/queries/.

    JSON keys: entity, sources, summary, outcome, outputs, people, claims, paths,
    paths_note, corroborate_next, queries, generator.

    \b
    Examples:
      influencegraph dossier "The Challenge"
      influencegraph dossier "If you could do one thing..." -o project.html
      influencegraph dossier "British Academy" --format json
    """
    from .dossier import dossier_text, format_for
    from .files import write_atomically

    text = dossier_text(settings(ctx).source(), name, format_for(output, fmt))
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {write_atomically(output, text)}")


@cli.command()
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("influencegraph.html"),
    show_default=True,
    help="The HTML file to write (replaced atomically).",
)
@click.option("--around", metavar="NAME", help="Draw only the entities near this one.")
@click.option("--depth", type=int, metavar="N", help="How many hops around --around (default 1).")
@click.option(
    "--path",
    "path_ends",
    nargs=2,
    metavar="FROM TO",
    help="Highlight the hops of `influencegraph path FROM TO`.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="T",
    help="Keep entities of this type (and its narrower types); repeatable.",
)
@click.option(
    "--since",
    type=int,
    metavar="YEAR",
    help="Drop dated works issued before YEAR (undated entities stay).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
@click.pass_context
def viz(
    ctx: click.Context,
    out: Path,
    around: str | None,
    depth: int | None,
    path_ends: tuple[str, str] | None,
    types: tuple[str, ...],
    since: int | None,
    open_browser: bool,
) -> None:
    """Draw the graph as one interactive HTML page that works with no network.

    Nodes are coloured and shaped by type and sized by PageRank; edges are coloured by
    kind; hovering shows the evidence quote, its source and claimant. vis-network is
    inlined: the page loads nothing from anywhere. Exit 1 when nothing is left to draw
    or there is no path between --path's two ends.

    \b
    Examples:
      influencegraph viz -o graph.html
      influencegraph viz --around "The Challenge" --depth 2 --open
      influencegraph viz --path "The Challenge" ICS
      influencegraph viz --type report --type strategy --since 2018
    """
    from .errors import NothingToDraw
    from .render import viz_page, write_page

    _check_depth(around, depth)
    try:
        page = viz_page(
            settings(ctx).source(),
            around=around,
            depth=depth,
            types=types,
            since=since,
            path=path_ends or None,
        )
    except NothingToDraw as exc:
        raise CheckFailed(str(exc)) from None
    written = write_page(page, out)
    click.echo(
        f"wrote {written}: {plural(len(page.nodes), 'entity')}, "
        f"{plural(len(page.edges), 'relation')}"
    )
    if page.caption:
        click.echo(page.caption)
    if open_browser:
        import webbrowser

        if not webbrowser.open(written.resolve().as_uri()):
            click.echo(f"no web browser could be opened here; open {written} yourself", err=True)


@cli.command()
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write the site into (replaced whole; see --force).",
)
@click.option("--around", metavar="NAME", help="Only the entities near this one.")
@click.option("--depth", type=click.IntRange(min=0), help="Hops around --around (default 1).")
@click.option(
    "--force", is_flag=True, help="Replace OUTPUT even if it holds files publish did not write."
)
@click.pass_context
def publish(
    ctx: click.Context, out: Path, around: str | None, depth: int | None, force: bool
) -> None:
    """Write the evidence explorer as a static site that works from file:// or any host.

    The same pages as `serve`: entities, claims, dossiers, rankings, the dossiers' paths
    into policy, and a search page over an index inside the page. The folder is built
    aside and renamed into place; a non-empty folder that publish did not write is
    refused unless --force.

    \b
    Examples:
      influencegraph publish -o site/
      influencegraph publish -o site/ --around "The Challenge" --depth 2
    """
    from .explorer.publish import publish_site

    _check_depth(around, depth)
    done = publish_site(settings(ctx).source(), out, around=around, depth=depth, force=force)
    click.echo(
        f"wrote {done.folder}/: {done.entities} entities, {done.claims} claims, "
        f"{done.dossiers} dossiers, {done.paths} paths, {done.rankings} rankings "
        f"({done.files} files, {done.seconds:.1f} s); open {done.folder}/index.html"
    )


def _progress_bar(total: int, label: str) -> Any:
    """A rich progress bar on stderr for long jobs; a no-op when stderr is not a terminal."""
    import contextlib
    import sys

    if total < 4 * 1024 * 1024 or not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    progress = Progress(
        TextColumn(label),
        BarColumn(),
        DownloadColumn(),
        console=Console(stderr=True),
        transient=True,
    )

    class _Bar:
        def __enter__(self) -> Any:
            progress.start()
            task = progress.add_task(label, total=total)
            return lambda done: progress.update(task, completed=done)

        def __exit__(self, *exc: object) -> None:
            progress.stop()

    return _Bar()


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--store",
    "store",
    type=click.Path(path_type=Path),
    help="The store directory (created if missing); or give the global --store.",
)
@click.option(
    "--optimize/--no-optimize",
    default=True,
    show_default=True,
    help="Compact the store after loading: slower load, faster queries.",
)
@FORMAT_OPTION
@click.pass_context
def load(
    ctx: click.Context, files: tuple[Path, ...], store: Path | None, optimize: bool, fmt: str
) -> None:
    """Bulk-load RDF files into an on-disk Oxigraph store, with the project's vocabulary.

    Reads Turtle (.ttl), N-Triples (.nt), N-Quads (.nq) and TriG (.trig) with Oxigraph's
    own parser; big files load in pieces on two threads, and a progress bar shows on long
    loads. Loading again adds only what is new.
    Then every command reads the store with `influencegraph --store DIR COMMAND`.
    A malformed file is exit 2 with file:line: reason. JSON fields: store, files, bytes,
    triples_before, triples, added, seconds, optimize_seconds.

    \b
    Example:
      influencegraph load corpus.ttl more.nt --store corpus.db
      influencegraph --store corpus.db stats
    """
    import os

    from .errors import LoadInterrupted
    from .load import load_files
    from .output import render_rows

    chosen = settings(ctx).store
    if store and chosen and os.path.abspath(store) != os.path.abspath(chosen):
        raise UserError(f"two different stores given: --store {chosen} and --store {store}")
    target = store or chosen
    if target is None:
        raise UserError("load needs a store directory: influencegraph load FILE... --store DIR")
    total = sum(p.stat().st_size for p in files if p.is_file())
    try:
        with _progress_bar(total, "loading") as progress:
            summary = load_files(target, files, progress=progress, optimize=optimize)
    except LoadInterrupted as exc:
        raise CheckFailed(str(exc)) from None
    row = summary.as_dict()
    click.echo(render_rows([row], list(row), fmt, title="Loaded", json_value=row), nl=False)


@cli.command()
@click.option(
    "--documents",
    "-n",
    type=click.IntRange(min=1),
    required=True,
    help="How many reports, surveys and strategies (about 33 triples each).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed; the same seed and size give the same file.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write: .ttl (Turtle) or .nt (N-Triples); replaced atomically.",
)
@FORMAT_OPTION
def generate(documents: int, seed: int, output: Path, fmt: str) -> None:
    """Write a synthetic policy corpus that conforms to the shapes, for trying scale.

    Organisations, government bodies, people with memberships, APPGs, working groups and
    the given number of documents with years and heavy-tailed citations, each a full
    influence claim with evidence, source and claimant. JSON fields: path, format, seed,
    documents, organisations, people, groups, memberships, claims, triples, seconds.

    \b
    Example:
      influencegraph generate --documents 30000 --seed 1 -o corpus.nt
      influencegraph load corpus.nt --store corpus.db
    """
    from .generate import generate_corpus
    from .output import render_rows

    row = generate_corpus(output, documents, seed).as_dict()
    click.echo(render_rows([row], list(row), fmt, title="Generated", json_value=row), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("review.csv"),
    show_default=True,
    help="Review file; for csv, NAME.csv gives NAME-entities.csv and "
    "NAME-claims.csv (what `import` takes).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "ttl"]),
    help="Default: from the output's suffix, else csv.",
)
@click.option(
    "--publisher",
    metavar="NAME",
    help="Who wrote the documents: the claimant of their claims, and whom "
    '"we" and "our" mean (an entity\'s label, or a new one).',
)
@click.option("--title", metavar="T", help="The documents' title (default: their own).")
@click.option("--year", metavar="YYYY", help="The year of claims whose sentence gives none.")
@click.option(
    "--url",
    metavar="URL",
    help="The documents' web address (default: their canonical link, else the file).",
)
@click.pass_context
def extract(
    ctx: click.Context,
    paths: tuple[Path, ...],
    output: Path,
    fmt: str | None,
    publisher: str | None,
    title: str | None,
    year: str | None,
    url: str | None,
) -> None:
    """Propose entities and claims, with their quotes, from HTML, PDF, Markdown and text.

    Folders are read recursively. Nothing is written to the graph: the review file lists
    new entities and influence claims (cue words from the ontology's ig:cue) with
    confidence, location, known/new and why. Delete the rows you reject, then import the
    entities file and then the claims file. Exit 1 when a document could not be read (the
    others still are), 2 for bad options.

    \b
    Example:
      influencegraph extract strategy.pdf --publisher "The Government" -o review.csv
      influencegraph --data mine.ttl import review-entities.csv --kind entities
      influencegraph --data mine.ttl import review-claims.csv --kind claims
    """
    from .extract.review import write_review
    from .extract.run import Options
    from .extract.run import extract as extract_documents

    source = settings(ctx).source("edit")
    with _file_progress(paths) as progress:
        result = extract_documents(source, paths, Options(publisher, title, year, url), progress)
    written = write_review(result, output, fmt, source)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"read {result.documents - len(result.failures)} of {result.documents} "
        f"document(s) ({result.pages} pages): {len(result.entities)} new entities, "
        f"{len(result.claims)} claims, {sum(result.known.values())} mentions of "
        f"known entities; wrote {', '.join(str(p) for p in written) or 'nothing'}"
    )
    if result.failures:
        raise CheckFailed("\n".join(f"not read: {f}" for f in result.failures))


def _file_progress(paths: tuple[Path, ...]) -> Any:
    """A rich progress bar over the files of a run, on a terminal only."""
    import contextlib
    import sys

    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .extract.run import document_paths

    total = len(document_paths(paths)[0])
    progress = Progress(
        TextColumn("reading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )

    @contextlib.contextmanager
    def bar() -> Any:
        with progress:
            task = progress.add_task("", total=total)
            yield lambda path: progress.update(task, advance=1, description=path.name)

    return bar()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influencegraph")
