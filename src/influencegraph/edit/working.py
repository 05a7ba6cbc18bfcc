"""The working copy an addition is drafted on: an in-memory Oxigraph store, seen by
SPARQL (name lookups) through Oxigraph and by rdflib code (SHACL, the time-order check,
:class:`~influencegraph.edit.draft.Draft`'s own lookups) through :class:`OxigraphTriples`,
an rdflib store that answers each triple pattern from the Oxigraph store.

Nothing is copied into rdflib: on a 100k-triple file, building an rdflib graph of
everything took most of ``add``'s 20 s, while the checks read a few hundred triples.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib.store import Store

from ..graph import FileSnapshot, OxigraphMemorySource, OxigraphSource, Source
from ..graph.terms import oxigraph_converter, to_oxigraph
from ..vocab import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph
    from rdflib.term import Node

    Triple = tuple[Node, Node, Node]


def _pattern_term(term: Any, position: str) -> Any:
    """``term`` as a pyoxigraph pattern term; ``False`` when no triple can have it in this
    place (a literal as subject, anything but an IRI as predicate), so nothing matches."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, Literal) and position != "o":
        return False
    if position == "p" and not isinstance(term, URIRef):
        return False
    if not isinstance(term, (URIRef, Literal, BNode)):
        return False  # a graph or a formula: this store holds plain triples only
    try:
        return to_oxigraph(term)
    except Exception:  # an IRI or literal Oxigraph cannot hold is in no triple of it
        return False


class OxigraphTriples(Store):
    """An rdflib ``Store`` over the default graph of a pyoxigraph store: ``Graph(store=
    OxigraphTriples(s))`` reads and writes ``s``. Terms go through the project's converters
    (``xsd:string`` literals come back plain, as rdflib parses them).

    Example:
        >>> import pyoxigraph
        >>> from rdflib import Graph, Literal, URIRef
        >>> graph = Graph(store=OxigraphTriples(pyoxigraph.Store()))
        >>> x = URIRef("https://example.org/x")
        >>> _ = graph.add((x, URIRef("https://example.org/p"), Literal("y")))
        >>> len(graph), graph.value(x, URIRef("https://example.org/p"))
        (1, rdflib.term.Literal('y'))
    """

    # pyshacl wraps the graph in an rdflib Dataset, which asks for a context- and
    # graph-aware store; every triple is in the one graph, whichever context is asked about.
    context_aware = True
    graph_aware = True
    formula_aware = False
    transaction_aware = False

    def __init__(self, store: pyoxigraph.Store) -> None:
        super().__init__()
        self.oxigraph = store
        self._namespaces: dict[str, Any] = {}
        self._prefixes: dict[Any, str] = {}

    def _quads(self, pattern: tuple[Any, Any, Any]) -> Iterator[pyoxigraph.Quad]:
        from pyoxigraph import DefaultGraph

        s, p, o = (_pattern_term(t, pos) for t, pos in zip(pattern, "spo", strict=True))
        if s is False or p is False or o is False:
            return iter(())
        return self.oxigraph.quads_for_pattern(s, p, o, DefaultGraph())

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        convert = oxigraph_converter()
        for quad in self._quads(triple_pattern):
            triple = (convert(quad.subject), convert(quad.predicate), convert(quad.object))
            yield triple, iter(() if context is None else (context,))

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        from pyoxigraph import Quad

        self.oxigraph.add(Quad(*(to_oxigraph(t) for t in triple)))

    def addN(self, quads: Iterable[Any]) -> None:
        for s, p, o, _ in quads:
            self.add((s, p, o))

    def remove(self, triple: Any, context: Any = None) -> None:
        for quad in list(self._quads(triple)):
            self.oxigraph.remove(quad)

    def __len__(self, context: Any = None) -> int:
        return len(self.oxigraph)

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        yield from ()

    def add_graph(self, graph: Any) -> None:
        pass

    def remove_graph(self, graph: Any) -> None:
        raise NotImplementedError("a working copy has one graph")

    def bind(
        self, prefix: str, namespace: Any, override: bool = True, replace: bool = False
    ) -> None:
        if prefix in self._namespaces and not (override or replace):
            return
        old = self._namespaces.get(prefix)
        if old is not None:
            self._prefixes.pop(old, None)
        self._namespaces[prefix] = namespace
        self._prefixes[namespace] = prefix

    def namespace(self, prefix: str) -> Any:
        return self._namespaces.get(prefix)

    def prefix(self, namespace: Any) -> str | None:
        return self._prefixes.get(namespace)

    def namespaces(self) -> Iterator[tuple[str, Any]]:
        return iter(list(self._namespaces.items()))


class WorkingCopy(OxigraphSource):
    """A copy of a graph in an in-memory Oxigraph store, also readable as an rdflib
    :attr:`graph` (the same triples: adding through either shows in both).

    ``parsed_by`` says which parser read the files behind it (``"oxigraph"`` or
    ``"rdflib"``, which spell some literals differently): what a new file's text must be
    parsed with to be compared with it.
    """

    def __init__(self, store: pyoxigraph.Store, parsed_by: str = "oxigraph") -> None:
        from rdflib import Graph

        super().__init__(store)
        self.parsed_by = parsed_by
        self.graph: Graph = Graph(store=OxigraphTriples(store))
        for prefix, iri in PREFIXES.items():
            self.graph.bind(prefix, iri, override=True)

    def describe(self) -> str:
        return "a working copy"


def working_copy(source: Source) -> WorkingCopy:
    """Every triple of ``source`` in a new :class:`WorkingCopy` (named graphs merged, as
    :func:`~influencegraph.edit.copy_graph` merges them); ``source`` is not changed.

    Example:
        >>> from influencegraph.graph import open_source
        >>> seed = open_source()
        >>> copy = working_copy(seed)
        >>> len(copy.graph) == sum(1 for _ in seed.triples((None, None, None)))
        True
    """
    import pyoxigraph

    from ..graph import MemorySource

    if isinstance(source, FileSnapshot) and not source.loaded:
        return WorkingCopy(OxigraphMemorySource(source.paths).store, "oxigraph")
    if isinstance(source, WorkingCopy):
        parsed_by = source.parsed_by
    else:
        parsed_by = "rdflib" if isinstance(source, MemorySource) else "oxigraph"
    store = pyoxigraph.Store()
    if isinstance(source, OxigraphSource):
        store.bulk_extend(source.store.quads_for_pattern(None, None, None, None))
        if any(True for _ in store.named_graphs()):
            store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }; DROP NAMED")
        return WorkingCopy(store, parsed_by)
    triples = source.triples((None, None, None))
    store.bulk_extend(pyoxigraph.Quad(*(to_oxigraph(t) for t in triple)) for triple in triples)
    return WorkingCopy(store, parsed_by)
