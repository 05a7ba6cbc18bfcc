"""Reading RDF files: the bundled files, suffix -> format, checked text, parsing into
rdflib or Oxigraph with ``file:line: reason`` errors."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataFileError, InfluenceGraphError, first_line
from .base import PathLike

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

FORMAT_BY_SUFFIX: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".nquads": "nquads",
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


def read_rdf_text(path: PathLike) -> str:
    """The text of an RDF file, checked before any parser sees it: a known suffix
    (:func:`rdf_format`), a readable file, valid UTF-8. Each problem is a
    :class:`DataFileError` naming the file (and the line, for bad UTF-8).

    Example:
        >>> read_rdf_text(default_data_paths()[0]).startswith("#")
        True
    """
    name = str(path)
    rdf_format(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataFileError(name, "no such file") from None
    except IsADirectoryError:
        raise DataFileError(name, "is a directory, not an RDF file") from None
    except OSError as exc:
        raise DataFileError(name, exc.strerror or str(exc)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(name, "not valid UTF-8 text", line) from None


def parse_into(graph: Graph, path: PathLike) -> None:
    """Parse one RDF file into ``graph``; any problem becomes a ``file:line: reason`` error."""
    from rdflib.plugins.parsers.notation3 import BadSyntax

    name = str(path)
    fmt = rdf_format(path)
    text = read_rdf_text(path)
    try:
        if fmt in QUAD_FORMATS:
            _parse_union(graph, text, fmt, Path(path).resolve().as_uri())
        else:
            graph.parse(data=text, format=fmt, publicID=Path(path).resolve().as_uri())
    except BadSyntax as exc:
        raise DataFileError(name, f"malformed {fmt}: {exc._why}", exc.lines + 1) from None
    except Exception as exc:  # other parsers raise assorted types; report, never traceback
        line = _line_of(exc)
        reason = first_line(exc)
        raise DataFileError(name, f"malformed {fmt}: {reason}", line) from None


QUAD_FORMATS = ("nquads", "trig")
"""Formats that can hold named graphs; a file's graphs are read as their union."""


def _parse_union(graph: Graph, text: str, fmt: str, base: str) -> None:
    """Add every triple of every graph in an N-Quads or TriG text to ``graph``: parsed
    straight into a ``Graph``, rdflib would keep only the default graph's triples."""
    import warnings

    from rdflib import Dataset

    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib's quad parsers call its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=text, format=fmt, publicID=base)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))


def _line_of(exc: Exception) -> int | None:
    """Best-effort line number from a parser exception (N-Triples/N-Quads parsers)."""
    import re

    match = re.search(r"line (\d+)", str(exc), flags=re.IGNORECASE)
    return int(match.group(1)) if match else None


def load_graph(
    data: Graph | PathLike | Iterable[PathLike] | None = None, *, with_ontology: bool = True
) -> Graph:
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
    from ..vocab import PREFIXES

    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


_PARSER_PREFIX = re.compile(
    r"^Parser error (?:at|between) line \d+ column \d+"
    r"(?: and line \d+ column \d+)?: "
)
_PARSER_SUFFIX = re.compile(r"\s*\([^()]*, line \d+\)$")


def syntax_error(path: Path, fmt: str, exc: SyntaxError) -> DataFileError:
    """Oxigraph's SyntaxError as ``file:line: malformed FORMAT: reason`` (the line in the
    text the parser saw: ``load`` maps a piece's line to the file's itself).

    Example:
        >>> error = SyntaxError("Parser error at line 3 column 7: . is not a valid RDF object",
        ...                     (None, 3, 7, None, 3, 8))
        >>> str(syntax_error(Path("g.ttl"), "Turtle", error))
        'g.ttl:3: malformed Turtle: . is not a valid RDF object'
    """
    message = str(exc.msg if exc.msg else exc).strip().splitlines()[0]
    reason = _PARSER_SUFFIX.sub("", _PARSER_PREFIX.sub("", message)) or message
    return DataFileError(str(path), f"malformed {fmt}: {reason}", exc.lineno or None)


_OXIGRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG"}
"""rdflib format name (:data:`FORMAT_BY_SUFFIX`) -> pyoxigraph ``RdfFormat`` member."""


def oxigraph_format(path: PathLike) -> pyoxigraph.RdfFormat:
    """Oxigraph's format for a file, by its suffix (:func:`rdf_format`'s clear error for
    others); its ``name`` (``Turtle``, ``N-Triples``...) is what messages call it.

    Example:
        >>> oxigraph_format("corpus.nt").name
        'N-Triples'
    """
    from pyoxigraph import RdfFormat

    found: RdfFormat = getattr(RdfFormat, _OXIGRAPH_FORMATS[rdf_format(path)])
    return found


def parse_into_oxigraph(store: pyoxigraph.Store, path: PathLike) -> None:
    """Parse one RDF file into an Oxigraph store with Oxigraph's parser (atomically: a
    syntax error adds nothing of the file). The same checks and messages as
    :func:`parse_into`: a ``file:line: malformed FORMAT: reason`` error for bad syntax.

    Example:
        >>> import pyoxigraph
        >>> store = pyoxigraph.Store()
        >>> parse_into_oxigraph(store, ontology_path())
        >>> len(store) > 50
        True
    """
    fmt = oxigraph_format(path)
    text = read_rdf_text(path)
    try:
        store.load(text, format=fmt, base_iri=Path(path).resolve().as_uri())
    except SyntaxError as exc:
        raise syntax_error(Path(path), fmt.name, exc) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(str(path), first_line(exc)) from None
