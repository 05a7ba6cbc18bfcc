"""The ``influencegraph`` group, its global options (where the graph comes from), and
what every command shares: output formats, errors and exit codes, progress bars."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__

if TYPE_CHECKING:
    from ..graph import Source


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
        from ..errors import InfluenceGraphError

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
        """The chosen graph, opened for what the command needs (``"read"``, ``"edit"`` for
        ``import``, ``"draft"`` for ``add``: see :data:`~influencegraph.graph.NEEDS`)."""
        if needs not in self._sources:
            from ..graph import open_source

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


MAX_HOPS_OPTION = click.option(
    "--max-hops",
    type=click.IntRange(1, 12),
    default=6,
    show_default=True,
    help="Longest chain to look through.",
)


def _echo_rows(
    rows: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]],
    columns: list[str],
    fmt: str,
    title: str,
    document: Any,
) -> None:
    """Print ``rows`` as a table or CSV, or ``document`` (the rows when None) as JSON. Either
    may be a function giving it, so a big answer builds only the form it is printed in."""
    from ..output import render_rows

    if fmt == "json" and callable(document):
        document = document()
    if callable(rows):
        rows = rows() if fmt != "json" or document is None else []
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


def _progress_bar(total: int, label: str) -> Any:
    """A rich progress bar on stderr for long jobs; a no-op when stderr is not a terminal."""
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
