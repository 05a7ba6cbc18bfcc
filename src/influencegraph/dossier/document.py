"""Writing a dossier: the same document as Markdown, HTML (a jinja template) or JSON."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import InfluenceGraphError
from ..graph import Source
from .gather import (
    build_dossier,
)
from .model import (
    FORMATS,
    NEXT_STEPS_SHOWN,
    Dossier,
    Output,
    PolicyPath,
    _year_key,
)


@dataclass(frozen=True)
class _Block:
    """One piece of the document both Markdown and HTML are written from."""

    kind: str  # h1 h2 h3 p list olist table quote note
    text: str = ""
    items: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _document(d: Dossier) -> list[_Block]:
    blocks = [
        _Block("h1", f"Impact dossier: {d.entity.label}"),
        _Block(
            "p",
            f"{d.entity.type}. Drawn from: "
            + ("; ".join(d.sources) if d.sources else "no source document")
            + ".",
        ),
    ]
    counts = d.status_counts()
    years = sorted({_year_key(o.year) for o in d.outputs if o.year})
    undated = sum(1 for o in d.outputs if o.year is None)
    span = (
        f"{years[0]}–{years[-1]}; {undated} with no year"
        if len(years) > 1
        else f"{years[0]}; {undated} with no year"
        if years
        else "none with a year"
    )
    blocks += [
        _Block("h2", "Summary"),
        _Block(
            "list",
            items=(
                f"Outputs: {_plural(len(d.outputs), 'work')} ({span})",
                f"People and groups around it: {len(d.people)}",
                f"Influence claims: {len(d.claims)} — "
                + ", ".join(f"{n} {status}" for status, n in counts.items()),
                "Evidence types: "
                + (", ".join(f"{t} {n}" for t, n in d.evidence_counts().items()) or "none"),
                f"Influence paths into policy: {len(d.paths)}",
                f"Outcome: {d.outcome_note}",
            ),
        ),
        _Block("h2", "Outputs by year"),
    ]
    if not d.outputs:
        blocks.append(_Block("p", "No works of it are in the graph."))
    by_year: dict[str, list[Output]] = {}
    for output in d.outputs:
        by_year.setdefault(_year_key(output.year) or "No year stated", []).append(output)
    for year, outputs in by_year.items():
        blocks.append(_Block("h3", year))
        blocks.append(
            _Block(
                "list",
                items=tuple(
                    f"{o.label} ({o.type}"
                    + (f", {o.year}" if o.year and len(o.year) > 4 else "")
                    + f") — {o.how}"
                    + (f"; covers {o.period}" if o.period else "")
                    for o in outputs
                ),
            )
        )
    blocks.append(_Block("h2", "People and groups around it"))
    if d.people:
        blocks.append(
            _Block(
                "table",
                columns=("who", "type", "relation", "source"),
                rows=tuple(
                    (
                        p.label,
                        p.type,
                        p.relation + (" (inferred)" if p.inferred else ""),
                        "; ".join(p.sources),
                    )
                    for p in d.people
                ),
            )
        )
    else:
        blocks.append(_Block("p", "No people or groups are linked to it in the graph."))
    blocks.append(_Block("h2", "Influence claims"))
    if not d.claims:
        blocks.append(_Block("p", "No influence claim involves it or its work."))
    for number, c in enumerate(d.claims, start=1):
        blocks += [
            _Block("h3", f"{number}. {c.sentence}"),
            _Block(
                "list",
                items=(
                    f"{c.direction[0].upper()}{c.direction[1:]}; evidence type: {c.evidence_type}",
                    f"Status: {c.status} — {c.why}",
                    f"Claimant: {', '.join(c.claimants) or 'none recorded'}; "
                    f"source: {c.source or 'none recorded'}"
                    + (f"; dated {c.date}" if c.date else ""),
                ),
            ),
        ]
        if c.quote:
            blocks.append(_Block("quote", c.quote))
    blocks.append(_Block("h2", "Influence paths into policy"))
    if d.paths:
        blocks.append(
            _Block(
                "p",
                f"{len(d.paths)} influence path"
                f"{'s' if len(d.paths) != 1 else ''} from it or its work to a "
                f"strategy ({d.paths_note}); each claim's status after its kind:",
            )
        )
        blocks.append(_Block("olist", items=tuple(_path_text(p) for p in d.paths)))
    else:
        blocks.append(
            _Block(
                "p",
                "No influence path leads from it or its work to a strategy"
                + (f" ({d.paths_note})." if d.paths_note else "."),
            )
        )
    blocks.append(_Block("h2", "What to corroborate next"))
    shown = d.next_steps[:NEXT_STEPS_SHOWN]
    items = [f"{n.item} — {n.reason}" for n in shown]
    if len(d.next_steps) > len(shown):
        items.append(f"… and {len(d.next_steps) - len(shown)} more (see the claims above)")
    blocks.append(
        _Block("olist", items=tuple(items))
        if items
        else _Block("p", "Nothing: every claim has an independent source.")
    )
    blocks.append(
        _Block(
            "note",
            f"Generated by influencegraph {__version__}. Every fact above "
            "comes from the queries shipped in influencegraph/queries/ ("
            + ", ".join(d.queries)
            + "), run on the loaded graph; the "
            "paths from influencegraph.paths over the same graph.",
        )
    )
    return blocks


def _path_text(path: PolicyPath) -> str:
    parts = [path.steps[0].source] if path.steps else [path.start]
    for step in path.steps:
        status = f" ({step.status})" if step.status else ""
        parts.append(f"—{step.relation}{status}→ {step.target}")
    text = " ".join(parts)
    return text + (f" (strength {path.strength:.2f})" if path.strength is not None else "")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#])")


def _md(text: str) -> str:
    """Escape Markdown (and inline HTML) in a label or quote; fold line breaks."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _to_markdown(blocks: Iterable[_Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out += ["#" * int(b.kind[1]) + " " + _md(b.text), ""]
        elif b.kind == "p":
            out += [_md(b.text), ""]
        elif b.kind == "list":
            out += [f"- {_md(item)}" for item in b.items] + [""]
        elif b.kind == "olist":
            out += [f"{n}. {_md(item)}" for n, item in enumerate(b.items, start=1)] + [""]
        elif b.kind == "quote":
            out += ["> " + _md(b.text), ""]
        elif b.kind == "table":
            out.append("| " + " | ".join(_md(c) for c in b.columns) + " |")
            out.append("|" + "---|" * len(b.columns))
            out += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in b.rows]
            out.append("")
        elif b.kind == "note":
            out += ["---", "", _md(b.text), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render(dossier: Dossier, fmt: str = "md") -> str:
    """The dossier as Markdown (``md``), a self-contained HTML page (``html``, every label
    escaped, no scripts, nothing fetched) or JSON (``json``, the keys of
    :meth:`Dossier.as_dict`)."""
    if fmt == "json":
        return json.dumps(dossier.as_dict(), indent=2, ensure_ascii=False) + "\n"
    blocks = _document(dossier)
    if fmt == "md":
        return _to_markdown(blocks)
    if fmt == "html":
        from ..templating import template

        return str(
            template("dossier.html.j2").render(
                blocks=blocks, title=f"Impact dossier: {dossier.entity.label}"
            )
        )
    raise InfluenceGraphError(f"unknown dossier format {fmt!r}; use one of {', '.join(FORMATS)}")


def format_for(path: str | os.PathLike[str] | None, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` if given, else by the file's suffix (``.html``/``.htm``,
    ``.json``, ``.md``/``.markdown``/``.txt`` or none for Markdown). Any other suffix
    (``.pdf``, ``.docx``) is refused rather than filled with Markdown.

    Example:
        >>> format_for("report.htm"), format_for("notes"), format_for("x.pdf", "md")
        ('html', 'md', 'md')
    """
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower() if path else ""
    by_suffix = {
        ".html": "html",
        ".htm": "html",
        ".json": "json",
        ".md": "md",
        ".markdown": "md",
        ".txt": "md",
        "": "md",
    }
    if suffix not in by_suffix:
        raise InfluenceGraphError(
            f"{path}: a dossier is written as Markdown (.md), HTML (.html) or JSON (.json), "
            f"not {suffix}; use one of those suffixes, or --format to choose"
        )
    return by_suffix[suffix]


def dossier_text(source: Source, name: str, fmt: str = "md") -> str:
    """Build and render the dossier of ``name`` in one call (what the CLI uses).

    Example:
        >>> from influencegraph.graph import open_source
        >>> '"outcome"' in dossier_text(open_source(), "The Challenge", "json")
        True
    """
    return render(build_dossier(source, name), fmt)
