"""Commands that trace and describe influence: ``path``, ``connections``, ``influence``,
``rank``, ``show``, ``search``, ``dossier``."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from ..output import plural
from .app import (
    FORMAT_OPTION,
    MAX_HOPS_OPTION,
    CheckFailed,
    UserError,
    _echo_rows,
    _nothing_found,
    cli,
    settings,
)


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
    from ..paths import PATH_COLUMNS, Mode, find_paths

    if every and strongest:
        raise UserError(
            "--all and --strongest cannot be combined: --all already lists "
            "the strongest first within each length"
        )
    mode: Mode = "all" if every else "strongest" if strongest else "shortest"
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
    from ..connections import LINK_COLUMNS, find_connections

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
    from ..paths import HOP_COLUMNS, Way
    from ..paths import influence as find_influence

    way = cast("Way", direction)  # click.Choice allows only the two
    result = find_influence(settings(ctx).source(), name, direction=way, depth=depth)
    if not result.hops:
        _nothing_found(fmt, result.as_dict(), result.message())
    title = f"{direction.capitalize()} of {result.entity['label']} ({plural(depth, 'hop')})"
    _echo_rows(result.rows, HOP_COLUMNS, fmt, title, result.as_dict)


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
    from ..ranking import RANK_COLUMNS
    from ..ranking import rank as rank_entities

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
    from ..facts import FACT_COLUMNS, entity_facts

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
    from ..names import search as search_names

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
    from ..dossier import dossier_text, format_for
    from ..files import write_atomically

    text = dossier_text(settings(ctx).source(), name, format_for(output, fmt))
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {write_atomically(output, text)}")
