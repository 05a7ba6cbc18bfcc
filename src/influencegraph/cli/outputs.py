"""Commands that write the graph for people and other tools: ``export``, ``viz``,
``publish``."""

from __future__ import annotations

from pathlib import Path

import click

from ..output import plural
from .app import (
    CheckFailed,
    _check_depth,
    cli,
    settings,
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
    from ..export import export_graph

    result = export_graph(settings(ctx).source(), output, fmt, which=which)
    size = (
        f"{result.triples} triples"
        if result.triples is not None
        else f"{result.nodes} nodes, {result.edges} edges"
    )
    click.echo(f"wrote {', '.join(str(f) for f in result.files)} ({result.format}: {size})")


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
    from ..errors import NothingToDraw
    from ..render import viz_page, write_page

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
    from ..explorer.publish import publish_site

    _check_depth(around, depth)
    done = publish_site(settings(ctx).source(), out, around=around, depth=depth, force=force)
    click.echo(
        f"wrote {done.folder}/: {done.entities} entities, {done.claims} claims, "
        f"{done.dossiers} dossiers, {done.paths} paths, {done.rankings} rankings "
        f"({done.files} files, {done.seconds:.1f} s); open {done.folder}/index.html"
    )
