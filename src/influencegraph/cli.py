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


@cli.command()
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("influencegraph.html"), show_default=True,
              help="The HTML file to write (replaced atomically).")
@click.option("--around", metavar="NAME", help="Draw only the entities near this one.")
@click.option("--depth", type=int, metavar="N",
              help="How many hops around --around (default 1).")
@click.option("--type", "types", multiple=True, metavar="T",
              help="Keep entities of this type (and its narrower types); repeatable.")
@click.option("--since", type=int, metavar="YEAR",
              help="Drop dated works issued before YEAR (undated entities stay).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
@click.pass_context
def viz(ctx: click.Context, out: Path, around: str | None, depth: int | None,
        types: tuple[str, ...], since: int | None, open_browser: bool) -> None:
    """Draw the graph as one interactive HTML page that works with no network.

    Nodes are coloured and shaped by type and sized by PageRank; edges are coloured by
    kind; hovering shows the evidence quote, its source and claimant. vis-network is
    inlined: the page loads nothing from anywhere. Exit 1 when nothing is left to draw.

    \b
    Examples:
      influencegraph viz -o graph.html
      influencegraph viz --around "The Challenge" --depth 2 --open
      influencegraph viz --type report --type strategy --since 2018
    """
    from .render import viz_page, write_page

    page = viz_page(settings(ctx).source(), around=around, depth=depth, types=types,
                    since=since)
    if not page.nodes:
        raise CheckFailed("nothing to draw: no entity matches these options")
    written = write_page(page, out)
    click.echo(f"wrote {written}: {len(page.nodes)} entities, {len(page.edges)} relations")
    if open_browser:
        import webbrowser

        webbrowser.open(written.resolve().as_uri())


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influencegraph")
