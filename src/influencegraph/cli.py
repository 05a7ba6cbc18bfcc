"""The ``influencegraph`` command line: parse options, call one library function, print.

Where the graph comes from is chosen once, before the command:
``influencegraph [--data FILE]... | --store DIR | --endpoint URL COMMAND``.
Library errors become one-line messages: exit 2 for a user error (bad file, name or
query), exit 1 for a failed check.
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
    store: Path | None = None
    endpoint: str | None = None
    _source: Source | None = None

    def source(self) -> Source:
        if self._source is None:
            from .source import open_source

            self._source = open_source(self.data or None, store=self.store,
                                       endpoint=self.endpoint)
        return self._source

    @property
    def remote_or_store(self) -> bool:
        """True when the graph lives in a store or behind an endpoint, not in files."""
        return self.store is not None or self.endpoint is not None


def settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", multiple=True, envvar="INFLUENCEGRAPH_DATA",
              type=click.Path(dir_okay=False, path_type=Path),
              help="RDF file to load (Turtle, N-Triples, N-Quads, TriG); repeat for several. "
                   "Default: the bundled seed graph. Env: INFLUENCEGRAPH_DATA "
                   "(several files separated by spaces).")
@click.option("--store", "store", envvar="INFLUENCEGRAPH_STORE",
              type=click.Path(path_type=Path),
              help="Read the graph from an on-disk Oxigraph store made by `load`. "
                   "Env: INFLUENCEGRAPH_STORE.")
@click.option("--endpoint", "endpoint", envvar="INFLUENCEGRAPH_ENDPOINT", metavar="URL",
              help="Read the graph from a remote SPARQL 1.1 endpoint (http or https). "
                   "Env: INFLUENCEGRAPH_ENDPOINT.")
@click.version_option(__version__, prog_name="influencegraph")
@click.pass_context
def cli(ctx: click.Context, data: tuple[Path, ...], store: Path | None,
        endpoint: str | None) -> None:
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
    ctx.obj = Settings(data=list(data) if chosen == "data" else [],
                       store=store if chosen == "store" else None,
                       endpoint=endpoint if chosen == "endpoint" else None)


def _one_source(ctx: click.Context, given: dict[str, Any]) -> str | None:
    """Which of --data/--store/--endpoint to use: the command line beats the environment;
    two from the same place are a user error."""
    from click.core import ParameterSource

    chosen = [name for name, value in given.items() if value]
    typed = [n for n in chosen if ctx.get_parameter_source(n) == ParameterSource.COMMANDLINE]
    pick = typed or chosen
    if len(pick) > 1:
        where = "" if typed else " (from the environment)"
        raise UserError(f"{' and '.join('--' + n for n in pick)}{where} cannot be combined; "
                        "choose one source of the graph")
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
    from .source import load_graph, whole_graph
    from .validate import validate_graph

    chosen = settings(ctx)
    if not files and chosen.remote_or_store:
        graph = whole_graph(chosen.source())
    else:
        graph = load_graph(list(files) or chosen.data or None)
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


def _progress_bar(total: int, label: str) -> Any:
    """A rich progress bar on stderr for long jobs; a no-op when stderr is not a terminal."""
    import contextlib
    import sys

    if total < 4 * 1024 * 1024 or not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    progress = Progress(TextColumn(label), BarColumn(), DownloadColumn(),
                        console=Console(stderr=True), transient=True)

    class _Bar:
        def __enter__(self) -> Any:
            progress.start()
            task = progress.add_task(label, total=total)
            return lambda done: progress.update(task, completed=done)

        def __exit__(self, *exc: object) -> None:
            progress.stop()

    return _Bar()


@cli.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--store", "store", type=click.Path(path_type=Path),
              help="The store directory (created if missing); or give the global --store.")
@click.option("--optimize/--no-optimize", default=True, show_default=True,
              help="Compact the store after loading: slower load, faster queries.")
@FORMAT_OPTION
@click.pass_context
def load(ctx: click.Context, files: tuple[Path, ...], store: Path | None, optimize: bool,
         fmt: str) -> None:
    """Bulk-load RDF files into an on-disk Oxigraph store, with the project's vocabulary.

    Reads Turtle (.ttl), N-Triples (.nt), N-Quads (.nq) and TriG (.trig) with Oxigraph's
    own parser; a progress bar shows on long loads. Loading again adds only what is new.
    Then every command reads the store with `influencegraph --store DIR COMMAND`.
    A malformed file is exit 2 with file:line: reason. JSON fields: store, files, bytes,
    triples_before, triples, added, seconds, optimize_seconds.

    \b
    Example:
      influencegraph load corpus.ttl more.nt --store corpus.db
      influencegraph --store corpus.db stats
    """
    import os

    from .load import load_files
    from .output import render_rows

    chosen = settings(ctx).store
    if store and chosen and os.path.abspath(store) != os.path.abspath(chosen):
        raise UserError(f"two different stores given: --store {chosen} and --store {store}")
    target = store or chosen
    if target is None:
        raise UserError("load needs a store directory: influencegraph load FILE... --store DIR")
    total = sum(p.stat().st_size for p in files if p.is_file())
    with _progress_bar(total, "loading") as progress:
        summary = load_files(target, files, progress=progress, optimize=optimize)
    row = summary.as_dict()
    click.echo(render_rows([row], list(row), fmt, title="Loaded", json_value=row), nl=False)


@cli.command()
@click.option("--documents", "-n", type=click.IntRange(min=1), required=True,
              help="How many reports, surveys and strategies (about 33 triples each).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed; the same seed and size give the same file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write: .ttl (Turtle) or .nt (N-Triples); replaced atomically.")
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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influencegraph")
