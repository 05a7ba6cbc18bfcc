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
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the dossier to this file (atomically) instead of printing it.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default=None,
              help="md (default), html (self-contained page) or json; without it, "
                   "-o's suffix (.html, .json) decides.")
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
    from .dossier import dossier_text, format_for, write_atomic

    text = dossier_text(settings(ctx).source(), name, format_for(output, fmt))
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {write_atomic(output, text)}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="influencegraph")
