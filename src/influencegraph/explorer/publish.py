"""The explorer as a static site: the same pages as files that work from ``file://``.

:func:`publish_site` writes, for the whole graph or the part within ``depth`` hops of one
entity: a start page, a page per entity, per influence claim shown, per dossier (for
organisations, people, groups and projects), the rankings by every measure and type, the
paths each dossier lists from its own entity into policy (shortest and strongest, to at
most :data:`PATH_ENDS_PER_DOSSIER` policies), and a search page and path form that search
an index embedded in the page. Links are relative and every script and style is a file
under ``assets/``; nothing is fetched from anywhere.

Writing is all or nothing: the site is built in a temporary folder beside the target,
then renamed into place. An existing target is replaced only when it is empty or a site
this function wrote before (it holds :data:`MARKER`); any other folder is refused unless
``force`` is given, so a typo cannot wipe a folder of someone's files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InfluenceGraphError, UnknownNameError
from ..graph import Source
from ..names import name_index, resolve
from .addresses import Links, slug, type_slug
from .pages import PageData, home, path_page, rank_page, search_page
from .views import assets, render

MARKER = ".influencegraph-site"
"""The file that marks a folder as a site :func:`publish_site` wrote (safe to replace)."""

PATH_MODES = ("shortest", "strongest")
PATH_ENDS_PER_DOSSIER = 3
"""Path pages written per dossier: its own entity to (at most) this many policies it
reaches, in the dossier's order. Each is a path search; a big graph's site would
otherwise spend most of its time on them."""


@dataclass
class Published:
    """What :func:`publish_site` wrote: counts of pages by kind, and the seconds it took."""

    folder: Path
    entities: int = 0
    claims: int = 0
    dossiers: int = 0
    paths: int = 0
    rankings: int = 0
    files: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Stable keys: folder, entities, claims, dossiers, paths, rankings, files, seconds."""
        return {
            "folder": str(self.folder),
            "entities": self.entities,
            "claims": self.claims,
            "dossiers": self.dossiers,
            "paths": self.paths,
            "rankings": self.rankings,
            "files": self.files,
            "seconds": round(self.seconds, 2),
        }


def _check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InfluenceGraphError(f"{out} is a file, not a folder; choose another -o")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists() and not force:
        raise InfluenceGraphError(
            f"{out} is not empty and was not written by publish; choose another -o "
            "or add --force to replace it"
        )
    if not out.parent.resolve().is_dir():
        raise InfluenceGraphError(f"{out}: the folder {out.parent} does not exist")


def _swap(built: Path, out: Path) -> None:
    """Put the built site at ``out``: the old one (if any) moves aside, then goes."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "site")
    os.rename(built, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class _Writer:
    """Renders pages into a folder, each at its address with links relative to it."""

    def __init__(self, folder: Path, links: Links, index: dict[str, Any]) -> None:
        self.folder, self.links, self.index = folder, links, index
        self.files = 0

    def write(self, address: str, page: PageData, *, with_index: bool = False) -> None:
        target = self.folder / address
        target.parent.mkdir(parents=True, exist_ok=True)
        html = render(
            page, self.links.at(address.count("/")), index=self.index if with_index else None
        )
        target.write_text(html, encoding="utf-8")
        self.files += 1


def _entities(source: Source, around: str | None, depth: int | None) -> dict[str, Any]:
    """The entities the site covers: all, or those within ``depth`` hops of ``around``."""
    index = name_index(source)
    if around is None:
        if depth is not None:
            raise InfluenceGraphError("depth needs around=NAME: the hops are counted from it")
        return dict(index.entities)
    if depth is not None and depth < 0:
        raise InfluenceGraphError("depth must be 0 or more")
    from ..projection import relations_around

    centre = resolve(source, around)
    graph = relations_around(source, centre.iri, 1 if depth is None else depth)
    return {iri: index.entities[iri] for iri in graph if iri in index.entities}


def _forkable(source: Source) -> bool:
    """Whether pages may be built in forked processes: a graph read into memory (a store
    on disk or an endpoint's connections are not shared across a fork)."""
    from ..graph.oxigraph import OxigraphMemorySource
    from ..graph.rdflib_graph import MemorySource

    return isinstance(source, (OxigraphMemorySource, MemorySource))


def publish_site(
    source: Source,
    out: str | os.PathLike[str],
    *,
    around: str | None = None,
    depth: int | None = None,
    force: bool = False,
    processes: int | None = None,
) -> Published:
    """Write the explorer's pages for ``source`` as a static site in the folder ``out``.

    ``processes``: how many processes build the pages (forked, see :mod:`.forked`); by
    default one per core for a graph read into memory, else one. The pages are the same
    bytes however many build them.

    Example:
        >>> import tempfile, pathlib
        >>> from influencegraph.graph import open_source
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "site"
        >>> done = publish_site(open_source(), folder, around="ICS", depth=1)
        >>> (folder / "index.html").is_file(), done.entities > 1
        (True, True)
    """
    from ..corroboration import remember_statuses
    from ..dossier import SUBJECT_TYPES
    from ..network import influence_network
    from ..ranking import METRICS, valid_types
    from .forked import cores, in_parts
    from .pages import claim_pages, dossier_page, entity_page
    from .sitedata import site_source

    started = time.perf_counter()
    out = Path(out)
    _check_target(out, force)
    if processes is None:
        processes = cores() if _forkable(source) else 1
    source = site_source(source)
    if processes > 1:
        source.read_tables()  # read once, shared by the forked processes
    remember_statuses(source)  # every claim judged once, not once per page that shows it
    chosen = _entities(source, around, depth)
    subjects = sorted(iri for iri, e in chosen.items() if e.type in SUBJECT_TYPES)
    labels = name_index(source).labels
    index: dict[str, Any] = {
        "entities": [
            [
                e.label,
                e.type,
                f"entity/{slug(iri)}.html",
                *sorted(label for label in labels.get(iri, ()) if label != e.label),
            ]
            for iri, e in sorted(chosen.items(), key=lambda kv: kv[1].label.casefold())
        ],
        "paths": {},
    }
    built = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent.resolve()))
    built.chmod(0o755)  # a site is for reading: not mkdtemp's owner-only mode
    try:
        links = Links(static=True, entities=frozenset(chosen), dossiers=frozenset(subjects))
        writer = _Writer(built, links, index)
        done = Published(out)
        everyone = list(chosen)

        def entity_share(part: int, parts: int) -> set[str]:
            claims: set[str] = set()
            for iri in everyone[part::parts]:
                page = entity_page(source, iri)
                claims |= {c["claim"] for c in page.values["claims_out"] + page.values["claims_in"]}
                writer.write(f"entity/{slug(iri)}.html", page)
            return claims

        claims = sorted(set().union(*in_parts(entity_share, processes)))
        done.entities = len(everyone)
        writer.links = Links(
            static=True,
            entities=frozenset(chosen),
            claims=frozenset(claims),
            dossiers=frozenset(subjects),
        )
        network = influence_network(source) if subjects else None

        def claim_and_dossier_share(part: int, parts: int) -> tuple[int, set[tuple[str, str]]]:
            written = 0
            for claim, page in claim_pages(source, claims[part::parts]):
                writer.write(f"claim/{slug(claim)}.html", page)
                written += 1
            pairs: set[tuple[str, str]] = set()
            for iri in subjects[part::parts]:
                page = dossier_page(source, iri, network=network)
                subject = page.values["dossier"].entity.label
                ends = dict.fromkeys(
                    p.end for p in page.values["dossier"].paths if p.start == subject
                )
                pairs |= {(subject, end) for end in list(ends)[:PATH_ENDS_PER_DOSSIER]}
                writer.write(f"dossier/{slug(iri)}.html", page)
            return written, pairs

        shares = in_parts(claim_and_dossier_share, processes)
        done.claims = sum(written for written, _ in shares)
        done.dossiers = len(subjects)
        # path pages by pair, then mode: the n-th is pair n // 2 in the n % 2 mode
        wanted = [
            (pair, mode)
            for pair in sorted(set().union(*(p for _, p in shares)))
            for mode in PATH_MODES
        ]

        def path_and_rank_share(part: int, parts: int) -> list[tuple[int, str, str]]:
            found: list[tuple[int, str, str]] = []
            for n in range(part, len(wanted), parts):
                (start, end), mode = wanted[n]
                try:
                    page = path_page(source, start, end, mode)
                except (UnknownNameError, InfluenceGraphError):
                    continue  # a label that names several entities: no page for it
                a, b = page.values["result"].origin["iri"], page.values["result"].goal["iri"]
                if a not in chosen or b not in chosen or not page.values["result"].paths:
                    continue
                address = f"path/{mode}/{slug(a)}/{slug(b)}.html"
                found.append((n, f"{mode} entity/{slug(a)}.html entity/{slug(b)}.html", address))
                writer.write(address, page)
            for by in METRICS[part::parts]:  # each measure is taken once, by one process
                for type_name in (None, *valid_types()):
                    writer.write(
                        f"rank/{by}/{type_slug(type_name)}.html", rank_page(source, by, type_name)
                    )
            return found

        for _, key, address in sorted(
            e for found in in_parts(path_and_rank_share, processes) for e in found
        ):
            index["paths"][key] = address  # in the order one process would write them
            done.paths += 1
        done.rankings = len(METRICS) * (1 + len(valid_types()))
        writer.files = done.entities + done.claims + done.dossiers + done.paths + done.rankings
        writer.write("index.html", home())
        writer.write("search.html", search_page(source, ""), with_index=True)
        writer.write("path.html", path_page(source, "", ""), with_index=True)
        (built / "assets").mkdir()
        for name, data in assets().items():
            (built / "assets" / name).write_bytes(data)
            writer.files += 1
        (built / MARKER).write_text(
            "written by influencegraph publish; publish may replace this folder\n", encoding="utf-8"
        )
        _swap(built, out)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    done.files = writer.files
    done.seconds = time.perf_counter() - started
    return done
