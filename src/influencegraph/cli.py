"""The ``influencegraph`` command line: parse options, call one library function, print.

Where the graph comes from is chosen once, before the command:
``influencegraph [--data FILE]... COMMAND``. Library errors become one-line messages:
exit 2 for a user error (bad file, name or query), exit 1 for a failed check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .sparql import DEFAULT_TIMEOUT as SPARQL_TIMEOUT
from .sparql import ENDPOINT_MAX_ROWS as SERVER_MAX_ROWS
from .sparql import ENDPOINT_PORT as SERVER_PORT
from .sparql import TABLE_ROWS as SPARQL_TABLE_ROWS

if TYPE_CHECKING:
    from .source import Source

FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True, help="Output format; JSON and CSV use the same field names.")


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
    _source: Source | None = None

    def source(self) -> Source:
        if self._source is None:
            from .source import open_source

            self._source = open_source(self.data or None)
        return self._source


def settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", multiple=True, envvar="INFLUENCEGRAPH_DATA",
              type=click.Path(dir_okay=False, path_type=Path),
              help="RDF file to load (Turtle, N-Triples, N-Quads, TriG); repeat for several. "
                   "Default: the bundled seed graph. Env: INFLUENCEGRAPH_DATA "
                   "(several files separated by spaces).")
@click.version_option(__version__, prog_name="influencegraph")
@click.pass_context
def cli(ctx: click.Context, data: tuple[Path, ...]) -> None:
    """Policy-influence evidence as a knowledge graph.

    Trace how ideas travel from reports to strategies, query the evidence with SPARQL,
    and draw it as an interactive network. Every fact carries its source and quote.

    \b
    Examples:
      influencegraph stats
      influencegraph validate
      influencegraph --data mine.ttl stats --format json
    """
    ctx.obj = Settings(data=list(data))


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
    from .source import load_graph
    from .validate import validate_graph

    paths = list(files) or settings(ctx).data or None
    graph = load_graph(paths)
    problems = validate_graph(graph)
    if problems:
        lines = [str(p) for p in problems]
        lines.append(f"{len(problems)} violation{'s' if len(problems) != 1 else ''} found")
        raise CheckFailed("\n".join(lines))
    click.echo(f"valid: {len(graph)} triples conform to the shapes and the time order")


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
    click.echo(render_rows(result.rows(), ["group", "name", "count"], fmt,
                           title="Graph statistics", json_value=result.as_dict()), nl=False)

# ---------------------------------------------------------------- paths, influence, rankings

MAX_HOPS_OPTION = click.option(
    "--max-hops", type=click.IntRange(1, 12), default=6, show_default=True,
    help="Longest chain to look through.")


def _echo_rows(rows: list[dict[str, Any]], columns: list[str], fmt: str, title: str,
               document: Any) -> None:
    from .output import render_rows

    click.echo(render_rows(rows, columns, fmt, title=title, json_value=document), nl=False)


@cli.command()
@click.argument("origin", metavar="FROM")
@click.argument("goal", metavar="TO")
@MAX_HOPS_OPTION
@click.option("--all", "every", is_flag=True,
              help="Every time-consistent path, shortest first, strongest first within a length.")
@click.option("--strongest", is_flag=True,
              help="The path with the greatest product of hop strengths.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="With --all: list at most this many paths.")
@FORMAT_OPTION
@click.pass_context
def path(ctx: click.Context, origin: str, goal: str, max_hops: int, every: bool,
         strongest: bool, limit: int, fmt: str) -> None:
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
    target_iri}]}]}. Table and CSV: one row per hop.

    \b
    Examples:
      influencegraph path "All Together Now" "Integrated Communities Strategy"
      influencegraph path "The Challenge" ICS --all --format json
    """
    from .paths import PATH_COLUMNS, find_paths

    if every and strongest:
        raise UserError("--all and --strongest cannot be combined: --all already lists "
                        "the strongest first within each length")
    mode = "all" if every else "strongest" if strongest else "shortest"
    result = find_paths(settings(ctx).source(), origin, goal, max_hops=max_hops,
                        mode=mode, limit=limit)
    if not result.paths:
        raise CheckFailed(result.message())
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
        raise CheckFailed(result.message())
    title = f"Connections between {result.a['label']} and {result.b['label']}"
    _echo_rows(result.rows(), LINK_COLUMNS, fmt, title, result.as_dict())


@cli.command()
@click.argument("name")
@click.option("--direction", type=click.Choice(["downstream", "upstream"]),
              default="downstream", show_default=True,
              help="downstream: what NAME influenced; upstream: what influenced NAME.")
@click.option("--depth", type=click.IntRange(1, 10), default=3, show_default=True,
              help="How many hops out.")
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
    influencer_iri, target_iri}]}.

    \b
    Examples:
      influencegraph influence "The Challenge" --depth 2
      influencegraph influence ICS --direction upstream
    """
    from .paths import HOP_COLUMNS
    from .paths import influence as find_influence

    result = find_influence(settings(ctx).source(), name, direction=direction, depth=depth)
    if not result.hops:
        raise CheckFailed(result.message())
    title = f"{direction.capitalize()} of {result.entity['label']} ({depth} hops)"
    _echo_rows(result.rows(), HOP_COLUMNS, fmt, title, result.as_dict())


@cli.command()
@click.option("--type", "entity_type", metavar="TYPE",
              help="Only this type (Report includes Survey; Organisation includes "
                   "Government body; Group includes APPG and Working group).")
@click.option("--by", type=click.Choice(["pagerank", "reach", "betweenness", "in-degree"]),
              default="pagerank", show_default=True, help="The measure to rank by.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many to list.")
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
    evidence, source}]}.

    \b
    Example:
      influencegraph show "All Together Now"
    """
    from .facts import FACT_COLUMNS, entity_facts

    result = entity_facts(settings(ctx).source(), name)
    _echo_rows(result.rows(), FACT_COLUMNS, fmt, result.entity["label"], result.as_dict())


@cli.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many matches to list.")
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
    rows = [{"label": h.entity.label, "type": h.entity.type, "matched": h.matched,
             "score": h.score, "iri": h.entity.iri} for h in hits]
    _echo_rows(rows, ["label", "type", "matched", "score"], fmt, f"Matches for {text!r}", rows)


@cli.command()
@click.argument("query", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), metavar="F.rq",
              help="Read the query from a file ('-' for standard input).")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json", "csv", "tsv", "xml", "turtle", "ntriples"]),
              help="table, or a W3C format: SELECT/ASK as SPARQL 1.1 JSON, CSV, TSV or XML "
                   "results; CONSTRUCT/DESCRIBE as turtle (also the table view), ntriples, "
                   "xml (RDF/XML) or json (JSON-LD).")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help="Pre-bind ?NAME (repeatable). VALUE: <IRI>, prefix:name, a Turtle literal "
                   "(\"text\", \"text\"@en, \"2018\"^^xsd:gYear, 42, true), else an entity "
                   "label such as 'The Challenge'.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              default=SPARQL_TIMEOUT, show_default=True,
              help="Seconds before the query is given up.")
@click.option("--max-rows", type=click.IntRange(min=1), default=SPARQL_TABLE_ROWS,
              show_default=True, help="Rows the table view shows (other formats write all).")
@click.pass_context
def sparql(ctx: click.Context, query: str | None, query_file: Any, fmt: str,
           binds: tuple[str, ...], timeout: float, max_rows: int) -> None:
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
    text = query if query is not None else query_file.read()
    result = run_query(settings(ctx).source(), text, bind=binds, timeout=timeout)
    click.echo(format_result(result, fmt, max_rows=max_rows), nl=False)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is reachable from this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=SERVER_PORT, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              default=SPARQL_TIMEOUT, show_default=True,
              help="Seconds per query (then HTTP 503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=SERVER_MAX_ROWS,
              show_default=True, help="Largest result sent, in rows or triples (then HTTP 503).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout: float, max_rows: int) -> None:
    """Serve the graph as a read-only SPARQL 1.1 Protocol endpoint, with a query form.

    GET or POST a query to /sparql; the answer's format follows the Accept header (SPARQL
    JSON/XML/CSV/TSV, Turtle, N-Triples). Bad or refused queries get HTTP 400, queries over
    the time or size bound 503. Stop with Ctrl-C (or SIGTERM).

    \b
    Example:
      influencegraph serve --port 8000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s a ig:Report }' \\
           http://127.0.0.1:8000/sparql
    """
    from .server import Endpoint
    from .sparql import QueryRunner

    runner = QueryRunner(settings(ctx).source(), timeout=timeout, max_rows=max_rows)
    endpoint = Endpoint(runner, host, port, log=lambda line: click.echo(line, err=True))
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: other machines may reach the endpoint",
                   err=True)
    click.echo(f"SPARQL endpoint: {endpoint.query_url}  (query form: {endpoint.url}); "
               "Ctrl-C stops it")
    endpoint.serve_until_stopped()
    click.echo("stopped")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influencegraph")
