"""Oxigraph stores: on disk (made by ``load``) or in memory (files parsed by Oxigraph)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import QueryError, SourceError, first_line
from ..queries import text as sparql_text  # a module: queries.text imports graph.terms
from .base import VALUES_BATCH, PathLike, QueryResult, Source, Triple
from .parsing import ontology_path, parse_into_oxigraph
from .terms import IRI, oxigraph_converter, oxigraph_texter, to_oxigraph

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib.term import Node

_Row = TypeVar("_Row")

STORE_HINT = "create one with `influencegraph load FILE... --store DIR`"

TEXT_BATCH = 2_000
"""IRIs per ``VALUES`` block in :meth:`OxigraphSource.select_text` when the rows' order
does not matter: no request size to keep modest in-process, and each query has its
cost (12k entities' labels took 0.59 s CPU in batches of 200, 0.39 s in batches of
2,000 on a 1M-triple store)."""


def _cores() -> int:
    return os.cpu_count() or 1


@contextmanager
def _answering() -> Iterator[None]:
    """Oxigraph's errors while parsing or answering a query, as :class:`QueryError`."""
    try:
        yield
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {first_line(exc)}") from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the store could not answer the query: {first_line(exc)}") from None


def is_store(path: PathLike) -> bool:
    """True when ``path`` is a directory holding an Oxigraph store."""
    return (Path(path) / "CURRENT").is_file()


def open_oxigraph(path: PathLike, *, read_only: bool) -> pyoxigraph.Store:
    """Open the Oxigraph store in ``path``: read-only for reading commands, so several
    processes can read at once; read-write (creating it) for loading. A missing or foreign
    directory, or a store another process holds, is a :class:`SourceError` saying what to do.
    """
    import pyoxigraph

    where = Path(path)
    if read_only and not where.exists():
        raise SourceError(f"no store at {where}; {STORE_HINT}")
    if where.exists() and not where.is_dir():
        raise SourceError(f"{where} is a file, not a store directory")
    if where.is_dir() and not is_store(where) and (read_only or any(where.iterdir())):
        raise SourceError(
            f"{where} is not an influencegraph store (no Oxigraph data in it); {STORE_HINT}"
        )
    try:
        if read_only:
            return pyoxigraph.Store.read_only(str(where))
        return pyoxigraph.Store(str(where))
    except OSError as exc:
        reason = first_line(exc)
        if "lock" in reason.lower():
            reason = "another process is using it for writing; wait for it to finish"
        raise SourceError(f"cannot open the store at {where}: {reason}") from None


class OxigraphSource(Source):
    """Any open Oxigraph store: queries, bound variables, triples, result conversion.

    Queries run in Oxigraph with the project's prefixes. Bindings go in as a ``VALUES``
    block at the start of the WHERE clause (:func:`with_values`): Oxigraph's
    ``substitutions`` refuse a bound variable that is not projected, and are applied after
    planning (a two-hop UNION from one document took 0.5 s with them, 0.14 ms with VALUES,
    on a million triples); they serve only for what a VALUES block cannot carry (a blank
    node). When the store holds named graphs (files loaded as N-Quads or TriG), queries
    see the union of all graphs. Results come back as rdflib terms.

    Example:
        >>> import pyoxigraph
        >>> store = pyoxigraph.Store()
        >>> store.load('<http://e/a> <http://e/p> "x" .', format=pyoxigraph.RdfFormat.TURTLE)
        >>> OxigraphSource(store).select("SELECT ?o WHERE { ?s ?p ?o }")
        [{'o': rdflib.term.Literal('x')}]
    """

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store
        self._union = any(True for _ in self.store.named_graphs())

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        from pyoxigraph import QueryBoolean, QuerySolutions

        from ..vocab import PREFIXES

        options: dict[str, Any] = {"prefixes": PREFIXES, "use_default_graph_as_union": self._union}
        with _answering():
            if bindings:
                result = self._bound_query(sparql, bindings, options)
            else:
                result = self.store.query(sparql, **options)
            convert = oxigraph_converter()
            if isinstance(result, QuerySolutions):
                variables = [v.value for v in result.variables]
                rows = [tuple(map(convert, solution)) for solution in result]
                return QueryResult("SELECT", variables, rows)
            if isinstance(result, QueryBoolean):
                return QueryResult("ASK", boolean=bool(result))
            from rdflib import Graph

            graph = Graph()
            for triple in result:
                graph.add(
                    (convert(triple.subject), convert(triple.predicate), convert(triple.object))
                )
            return QueryResult(sparql_text.query_kind(sparql), graph=graph)

    def select_text(
        self,
        sparql: str,
        var: str | None = None,
        iris: Iterable[str] | None = None,
        *,
        ordered: bool = True,
    ) -> list[dict[str, str]]:
        """As :meth:`Source.select_text`, read from Oxigraph's terms without building
        rdflib ones (:func:`~influencegraph.graph.terms.oxigraph_texter`), the IRIs
        written straight into ``VALUES`` blocks: the very queries :meth:`select_bound`
        sends, so the rows come in the same order, or up to :data:`TEXT_BATCH` IRIs a
        block, at least one block per core, when the order does not matter (Oxigraph
        orders the rows of a big block differently).
        The query's parameter slots for ``?var`` are filled too, as :meth:`select_bound`
        fills them."""
        if var is None or iris is None:
            return self._text_rows(sparql)
        wanted = [*map(IRI, dict.fromkeys(iris))]
        batch = VALUES_BATCH if ordered else min(TEXT_BATCH, max(1, -(-len(wanted) // _cores())))
        return self.answer_each(
            self._text_rows, sparql_text.bound_queries(sparql, var, wanted, batch)
        )

    def select_filled_text(
        self, sparql: str, var: str, iris: Iterable[str], *, batch: int = VALUES_BATCH
    ) -> list[dict[str, str]]:
        """As :meth:`Source.select_filled_text`, the slots filled with the IRIs as text and
        the rows read as :meth:`select_text` reads them: no rdflib terms built."""
        queries = sparql_text.filled_queries(sparql, var, map(IRI, iris), batch)
        return self.answer_each(self._text_rows, queries)

    def answer_each(self, answer: Callable[[str], list[_Row]], queries: list[str]) -> list[_Row]:
        """As :meth:`Source.answer_each`, on one thread per core when there are several
        queries: Oxigraph lets go of the interpreter lock while it evaluates (a depth-2 hub
        query's 11,794 claim rows: 0.86 s on one thread, 0.50 s on two). The threads end
        before this returns, so a process may still fork afterwards."""
        workers = min(len(queries), _cores())
        if workers < 2:
            return super().answer_each(answer, queries)
        with ThreadPoolExecutor(workers) as pool:
            return [row for rows in pool.map(answer, queries) for row in rows]

    def _text_rows(self, sparql: str) -> list[dict[str, str]]:
        from pyoxigraph import QuerySolutions

        from ..vocab import PREFIXES

        text = oxigraph_texter()
        with _answering():
            result = self.store.query(
                sparql, prefixes=PREFIXES, use_default_graph_as_union=self._union
            )
            if not isinstance(result, QuerySolutions):
                raise QueryError("select_text answers SELECT queries only")
            names = [v.value for v in result.variables]
            return [
                {name: text(t) for name, t in zip(names, row, strict=True) if t is not None}
                for row in result
            ]

    def solutions(self, sparql: str) -> Iterator[Any]:
        """The solutions of a SELECT query as Oxigraph gives them (pyoxigraph terms, not
        converted to rdflib): for callers that read only each term's text from many rows.

        Example:
            >>> import pyoxigraph
            >>> store = pyoxigraph.Store()
            >>> label = "<http://www.w3.org/2000/01/rdf-schema#label>"
            >>> store.load(f'<http://e/a> {label} "x" .', format=pyoxigraph.RdfFormat.TURTLE)
            >>> [row["o"].value for row in OxigraphSource(store).solutions(
            ...     "SELECT ?o WHERE { ?s rdfs:label ?o }")]
            ['x']
        """
        from pyoxigraph import QuerySolutions

        from ..vocab import PREFIXES

        try:
            result = self.store.query(
                sparql, prefixes=PREFIXES, use_default_graph_as_union=self._union
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from None
        if not isinstance(result, QuerySolutions):
            raise QueryError("solutions() answers SELECT queries only")
        return iter(result)

    def _bound_query(
        self, sparql: str, bindings: Mapping[str, Node], options: dict[str, Any]
    ) -> Any:
        """Bind with a VALUES block, so Oxigraph's planner starts from the bound terms;
        Oxigraph's own ``substitutions`` only where a VALUES block cannot carry the terms
        (a blank node) or cannot be placed (a CONSTRUCT WHERE short form); those must
        select the bound variable, as Oxigraph requires."""
        from pyoxigraph import Variable

        try:
            text = sparql_text.with_values(sparql, bindings)
        except QueryError:
            substitutions = {Variable(k): to_oxigraph(v) for k, v in bindings.items()}
            try:
                return self.store.query(sparql, substitutions=substitutions, **options)
            except RuntimeError as exc:
                if "projection" not in str(exc):
                    raise
                raise QueryError(
                    "a blank node can only be bound to a variable the query "
                    "selects (SELECT ?var ...) in an Oxigraph store"
                ) from None
        return self.store.query(text, **options)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        s, p, o = (None if t is None else to_oxigraph(t) for t in pattern)
        convert = oxigraph_converter()
        seen: set[tuple[Any, Any, Any]] = set()
        for quad in self.store.quads_for_pattern(s, p, o, None):
            triple = (quad.subject, quad.predicate, quad.object)
            if self._union:
                if triple in seen:
                    continue
                seen.add(triple)
            yield (convert(triple[0]), convert(triple[1]), convert(triple[2]))

    def holds(self, predicate: str) -> bool:
        """Whether any triple (in any graph) has ``predicate``: one index lookup."""
        from pyoxigraph import NamedNode

        return any(True for _ in self.store.quads_for_pattern(None, NamedNode(predicate), None))

    def add(self, triples: Iterable[Triple]) -> None:
        from pyoxigraph import Quad

        self.store.extend(Quad(*(to_oxigraph(t) for t in triple)) for triple in triples)

    def describe(self) -> str:
        return "an Oxigraph store"


class StoreSource(OxigraphSource):
    """An on-disk Oxigraph store (a directory made by ``influencegraph load``).

    Opened read-only; the first :meth:`add` reopens it for writing. Querying is
    :class:`OxigraphSource`'s; files loaded as N-Quads keep their graphs, and queries then
    see the union of all graphs.

    Example:
        >>> import tempfile
        >>> from influencegraph.graph import default_data_paths
        >>> from influencegraph.load import load_files
        >>> directory = tempfile.mkdtemp() + "/store"
        >>> _ = load_files(directory, default_data_paths())
        >>> StoreSource(directory).select("ASK { ?s ?p ?o }") == []
        True
    """

    def __init__(self, path: PathLike, *, read_only: bool = True) -> None:
        self.path = Path(path)
        self.read_only = read_only
        super().__init__(open_oxigraph(self.path, read_only=read_only))

    def writable(self) -> pyoxigraph.Store:
        """The store, reopened for writing the first time this is asked."""
        if self.read_only:
            del self.store
            self.store = open_oxigraph(self.path, read_only=False)
            self.read_only = False
        return self.store

    def add(self, triples: Iterable[Triple]) -> None:
        self.writable()
        super().add(triples)
        self.store.flush()

    def describe(self) -> str:
        return f"the store at {self.path}"


class OxigraphMemorySource(OxigraphSource):
    """RDF files parsed by Oxigraph into an in-memory Oxigraph store (the vocabulary first,
    as :func:`load_graph` does): what read commands use for ``--data`` and the bundled graph.

    On the bundled graph a whole ``path`` command takes 0.22 s instead of 0.55 s with
    rdflib, whose SPARQL parser alone costs more than Oxigraph's parsing and answering
    together (``bench/bench_paths.py``). Named graphs (N-Quads, TriG) are merged into the
    default graph as the files are read, so queries see their union as a set: a triple
    stated in two graphs counts once, as in rdflib. User queries (``sparql``, ``serve``)
    are evaluated by Oxigraph too, but in a worker process that a time bound can kill
    (:mod:`influencegraph.graph.bounded`): Oxigraph's evaluation cannot be interrupted.

    Example:
        >>> from influencegraph.graph import default_data_paths
        >>> source = OxigraphMemorySource(default_data_paths())
        >>> source.select("ASK { ?s a ig:Organisation }") == []
        True
        >>> source.describe().endswith("triples.ttl")
        True
    """

    def __init__(self, paths: Iterable[PathLike]) -> None:
        import pyoxigraph

        self.paths = [Path(p) for p in paths]
        self.changed = False
        store = pyoxigraph.Store()
        for path in [ontology_path(), *self.paths]:
            parse_into_oxigraph(store, path)
        if any(True for _ in store.named_graphs()):
            store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }; DROP NAMED")
        super().__init__(store)

    def add(self, triples: Iterable[Triple]) -> None:
        super().add(triples)
        self.changed = True

    def describe(self) -> str:
        return ", ".join(str(p) for p in self.paths) or "an in-memory Oxigraph store"


class FileSnapshot(OxigraphMemorySource):
    """Data files opened for one addition (``open_source(needs="draft")``): read by
    Oxigraph when first asked, or straight into a :class:`~influencegraph.edit.Draft`'s
    working copy (:func:`~influencegraph.edit.working.working_copy`), so ``add`` on a
    100k-triple file parses it once, not once for the source and again for the copy.
    Otherwise an :class:`OxigraphMemorySource` like any other.

    Example:
        >>> from influencegraph.graph import default_data_paths
        >>> snapshot = FileSnapshot(default_data_paths())
        >>> snapshot.loaded
        False
        >>> snapshot.select("ASK { ?s a ig:Organisation }") == [], snapshot.loaded
        (True, True)
    """

    def __init__(self, paths: Iterable[PathLike]) -> None:  # reads nothing yet
        self.paths = [Path(p) for p in paths]
        self.changed = False

    @property
    def loaded(self) -> bool:
        """Whether the files have been read into this source's own store."""
        return "store" in vars(self)

    def __getattr__(self, name: str) -> Any:
        if name in ("store", "_union") and not self.loaded:
            OxigraphMemorySource.__init__(self, self.paths)
            return getattr(self, name)
        raise AttributeError(name)
