"""Commands that make or fill a graph: ``load`` into a store, ``generate`` a synthetic
one, ``extract`` proposals from documents."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from .app import (
    FORMAT_OPTION,
    CheckFailed,
    UserError,
    _progress_bar,
    cli,
    settings,
)


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

    from ..errors import LoadInterrupted
    from ..load import load_files
    from ..output import render_rows

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
    from ..generate import generate_corpus
    from ..output import render_rows

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
    from ..extract.review import write_review
    from ..extract.run import Options
    from ..extract.run import extract as extract_documents

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
    import sys

    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..extract.run import document_paths

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
