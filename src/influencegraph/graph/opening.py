"""Opening the graph the user chose, and copying any source into rdflib."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceError
from .base import PathLike, Source
from .endpoint import EndpointSource
from .oxigraph import FileSnapshot, OxigraphMemorySource, StoreSource
from .parsing import default_data_paths, load_graph
from .rdflib_graph import MemorySource

if TYPE_CHECKING:
    from rdflib import Graph

NEEDS = ("read", "edit", "draft")
"""What a caller can ask of a graph: ``"read"`` (every read command, ``sparql`` and
``serve``: Oxigraph answers, so the answers don't depend on where the graph lives),
``"edit"`` (``import``, ``validate``: the files in an rdflib graph, which SHACL, the
writer and the serialisers work on) or ``"draft"`` (``add``: the files as a
:class:`~influencegraph.graph.oxigraph.FileSnapshot`, read by Oxigraph straight into the
addition's working copy)."""


def open_source(
    data: Iterable[PathLike] | None = None,
    *,
    store: PathLike | None = None,
    endpoint: str | None = None,
    timeout: float = 30.0,
    default_graph: str | None = None,
    needs: str = "read",
) -> Source:
    """Open the graph the user chose: an Oxigraph store directory, a SPARQL endpoint URL,
    given files, or the bundled graph when nothing is given. At most one of them.

    ``needs`` (one of :data:`NEEDS`) says what the caller will do with it: files are read
    by Oxigraph for reading, by rdflib for editing, and by Oxigraph when first asked for a
    draft (``add``). A store or an endpoint is the same
    either way; ``default_graph`` is the endpoint's ``default-graph-uri``.

    Example:
        >>> open_source().describe().endswith("triples.ttl")
        True
        >>> type(open_source(needs="edit")).__name__
        'MemorySource'
        >>> type(open_source(needs="draft")).__name__
        'FileSnapshot'
    """
    if needs not in NEEDS:
        raise ValueError(f"unknown need {needs!r}; use one of {', '.join(NEEDS)}")
    data = list(data or [])
    chosen = [
        name
        for name, value in (("files", data), ("a store", store), ("an endpoint", endpoint))
        if value
    ]
    if len(chosen) > 1:
        raise SourceError(f"{' and '.join(chosen)} cannot be combined; choose one source")
    if store:
        return StoreSource(store)
    if endpoint:
        source = EndpointSource(endpoint, timeout=timeout, default_graph=default_graph)
        source.check()
        return source
    paths = [Path(p) for p in data] if data else default_data_paths()
    if needs == "read":
        return OxigraphMemorySource(paths)
    if needs == "draft":
        return FileSnapshot(paths)
    return MemorySource(load_graph(paths), paths)


def whole_graph(source: Source) -> Graph:
    """Every triple of ``source`` in one rdflib graph, with the project's vocabulary.

    SHACL validation needs the data in memory. Files read by Oxigraph are parsed again by
    rdflib (unless triples were added since), so the graph is exactly what
    :func:`load_graph` gives; a store or an endpoint is copied (fine for thousands of
    triples, slow for millions).

    Example:
        >>> len(whole_graph(open_source())) > 800
        True
    """
    if isinstance(source, MemorySource):
        return source.graph
    if isinstance(source, OxigraphMemorySource) and not source.changed:
        return load_graph(source.paths)
    result = source.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    if result.graph is None:
        raise SourceError(f"{source.describe()} returned no graph")
    return load_graph(result.graph)
