"""Opening a graph: bundled or given RDF files in an rdflib memory graph.

Every other module reads the graph through the small :class:`Source` interface
(``query(sparql, bindings)``, ``select``, ``triples``, ``add``), so the same commands can
run over other back ends (an on-disk store, a remote endpoint) that implement it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from .errors import DataFileError, InfluenceGraphError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

PathLike = Union[str, "os.PathLike[str]"]
Triple = tuple["Node", "Node", "Node"]

_PACKAGE_DIR = Path(__file__).resolve().parent

VALUES_BATCH = 200
"""Values per ``VALUES`` block in :meth:`Source.select_bound`, so that a query to a remote
endpoint stays a modest size."""

FORMAT_BY_SUFFIX: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".trig": "trig",
}
"""Readable RDF formats. RDF/XML and JSON-LD are not read: both can pull in remote
resources (external entities, remote @context) and loaded files are untrusted."""


def bundled_path(relative: str) -> Path:
    """Find a file shipped with the package (``data/triples.ttl``, ``ontology/shapes.ttl``).

    A wheel carries them under ``influencegraph/_bundled/``; an editable install finds
    them at the top of the checkout. Never looks in the current directory.
    """
    for base in (_PACKAGE_DIR / "_bundled", _PACKAGE_DIR.parent.parent):
        candidate = base / relative
        if candidate.is_file():
            return candidate
    raise InfluenceGraphError(
        f"the bundled file {relative} is missing from the installation; reinstall influencegraph"
    )


def default_data_paths() -> list[Path]:
    """The bundled seed graph."""
    return [bundled_path("data/triples.ttl")]


def ontology_path() -> Path:
    """The project's vocabulary (influence kinds and their strengths)."""
    return bundled_path("ontology/influencegraph.ttl")


def shapes_path() -> Path:
    """The SHACL shapes ``validate`` checks against."""
    return bundled_path("ontology/shapes.ttl")


def rdf_format(path: PathLike) -> str:
    """The rdflib format name for a file, by its suffix; a clear error for others."""
    suffix = Path(path).suffix.lower()
    try:
        return FORMAT_BY_SUFFIX[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise DataFileError(
            str(path), f"unsupported file type {suffix or '(none)'!r}; use one of {known}"
        ) from None


def parse_into(graph: Graph, path: PathLike) -> None:
    """Parse one RDF file into ``graph``; any problem becomes a ``file:line: reason`` error."""
    from rdflib.plugins.parsers.notation3 import BadSyntax

    name = str(path)
    fmt = rdf_format(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataFileError(name, "no such file") from None
    except IsADirectoryError:
        raise DataFileError(name, "is a directory, not an RDF file") from None
    except OSError as exc:
        raise DataFileError(name, exc.strerror or str(exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(name, "not valid UTF-8 text", line) from None
    try:
        graph.parse(data=text, format=fmt, publicID=Path(path).resolve().as_uri())
    except BadSyntax as exc:
        raise DataFileError(name, f"malformed {fmt}: {exc._why}", exc.lines + 1) from None
    except Exception as exc:  # other parsers raise assorted types; report, never traceback
        line = _line_of(exc)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataFileError(name, f"malformed {fmt}: {reason}", line) from None


def _line_of(exc: Exception) -> int | None:
    """Best-effort line number from a parser exception (N-Triples/N-Quads parsers)."""
    import re

    match = re.search(r"line (\d+)", str(exc), flags=re.IGNORECASE)
    return int(match.group(1)) if match else None


def load_graph(data: Graph | PathLike | Iterable[PathLike] | None = None,
               *, with_ontology: bool = True) -> Graph:
    """Load RDF into one rdflib graph: a ``Graph`` as is, or files (default: the bundled graph).

    The project's vocabulary is added so kind labels and strengths are queryable.
    """
    from rdflib import Graph

    if isinstance(data, Graph):
        graph = data
        paths: list[PathLike] = []
    else:
        graph = Graph()
        if data is None:
            paths = list(default_data_paths())
        elif isinstance(data, (str, os.PathLike)):
            paths = [data]
        else:
            paths = list(data)
    if with_ontology:
        parse_into(graph, ontology_path())
    for path in paths:
        parse_into(graph, path)
    from .vocab import PREFIXES

    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


@dataclass
class QueryResult:
    """A back-end-neutral SPARQL result with rdflib terms."""

    kind: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


class Source:
    """Where the graph comes from. Subclasses implement ``query``, ``triples`` and ``add``."""

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL query, with variables pre-bound to terms (never pasted into the text)."""
        raise NotImplementedError

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        """Triples matching a pattern (``None`` matches anything)."""
        raise NotImplementedError

    def add(self, triples: Iterable[Triple]) -> None:
        """Add triples to the source."""
        raise NotImplementedError

    def select(self, sparql: str,
               bindings: Mapping[str, Node] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT and return one dict per row (unbound variables are left out)."""
        result = self.query(sparql, bindings)
        return [
            {var: value for var, value in zip(result.variables, row, strict=True)
             if value is not None}
            for row in result.rows
        ]

    def select_bound(self, sparql: str, var: str,
                     values: Iterable[Node]) -> list[dict[str, Any]]:
        """Run a SELECT over many values of ``?var`` at once: the rows for all of them.

        ``sparql`` leaves ``?var`` unbound. This default sends one query per batch of
        :data:`VALUES_BATCH` values, with a ``VALUES ?var { ... }`` block (terms written by
        rdflib's N-Triples serialiser, which refuses malformed IRIs) at the start of the
        WHERE clause: one round trip per batch for a store or an endpoint. Values that
        cannot be written safely are skipped: no query could match them.
        """
        terms = []
        for value in dict.fromkeys(values):
            try:
                terms.append(value.n3())
            except Exception:  # rdflib refuses an IRI with characters IRIs cannot hold
                continue
        where = re.search(r"\bWHERE\s*\{", sparql, flags=re.IGNORECASE)
        if where is None:
            raise ValueError("select_bound needs a query with a WHERE { ... } clause")
        rows: list[dict[str, Any]] = []
        for start in range(0, len(terms), VALUES_BATCH):
            block = f" VALUES ?{var} {{ {' '.join(terms[start:start + VALUES_BATCH])} }}\n"
            rows += self.select(sparql[:where.end()] + block + sparql[where.end():])
        return rows

    def describe(self) -> str:
        """A short human description (for messages)."""
        return type(self).__name__


_PREPARED: dict[str, Any] = {}
"""Parsed query templates of :meth:`MemorySource.select_bound` (they hold no data)."""


class MemorySource(Source):
    """An rdflib in-memory graph: the default for the bundled seed graph and small files."""

    def __init__(self, graph: Graph, paths: list[Path] | None = None) -> None:
        self.graph = graph
        self.paths = paths or []

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        from rdflib import Variable

        from .vocab import sparql_prefixes

        init = {Variable(k): v for k, v in (bindings or {}).items()}
        result = self.graph.query(sparql_prefixes() + sparql, initBindings=init)
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars or []]
            return QueryResult("SELECT", variables, [tuple(row) for row in result])
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        return QueryResult(result.type, graph=result.graph)

    def select_bound(self, sparql: str, var: str,
                     values: Iterable[Node]) -> list[dict[str, Any]]:
        """Parse ``sparql`` once (cached) and run it with ``?var`` bound to each value.

        rdflib's parser costs 5-30 ms a query, far more than answering it on a small
        graph, so the bounded queries of ``path`` and ``influence`` are prepared once.
        """
        from rdflib import Variable
        from rdflib.plugins.sparql import prepareQuery

        from .vocab import PREFIXES

        prepared = _PREPARED.get(sparql)
        if prepared is None:
            prepared = _PREPARED[sparql] = prepareQuery(sparql, initNs=PREFIXES)
        rows: list[dict[str, Any]] = []
        for value in dict.fromkeys(values):
            result = self.graph.query(prepared, initBindings={Variable(var): value})
            names = [str(v) for v in result.vars or []]
            rows += [{name: term for name, term in zip(names, row, strict=True)
                      if term is not None} for row in result]
        return rows

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        return iter(self.graph.triples(pattern))

    def add(self, triples: Iterable[Triple]) -> None:
        for triple in triples:
            self.graph.add(triple)

    def describe(self) -> str:
        return ", ".join(str(p) for p in self.paths) or "an in-memory graph"


def open_source(data: Iterable[PathLike] | None = None) -> Source:
    """Open the graph the user chose: given files, or the bundled graph when none are given."""
    paths = [Path(p) for p in data] if data else default_data_paths()
    return MemorySource(load_graph(paths), paths)
