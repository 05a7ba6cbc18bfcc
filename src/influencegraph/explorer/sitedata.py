"""What the pages of a published site share, read once per ``publish`` run.

Each explorer page fetches only what it shows (see :mod:`.pages`): one entity's facts,
its neighbourhood hop by hop, the claims of one dossier. ``serve`` wants that; a site of
ten thousand entities asks the same bound queries tens of thousands of times, once per
page, and spends most of its time answering and converting them.

:class:`SiteSource` is a read-only view of a source for one run. The bound queries the
pages ask (:data:`TABLES`: every relation's rows from each end, years, an entity's own
triples, the claims, statuses' groups, sides and ties, the dossiers' queries) are each
asked once, for every value they can be asked about (every entity, every claim...), in
``VALUES`` batches as :meth:`~influencegraph.graph.Source.select_bound` would; the rows
are kept by bound value. A page's query is then a lookup that gives the same rows, in the
same order, as the query itself: the page functions are unchanged and do not know. A
value outside the table (an IRI the run had not foreseen) is asked of the source as
before. Anything else goes to the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..graph import VALUES_BATCH, Source

if TYPE_CHECKING:
    from rdflib.term import Node

    from ..graph.base import QueryResult, Triple

Key = str | tuple[str, ...]
"""A bound variable, or the variables of a ``VALUES (?a ?b)`` slot."""


@dataclass
class _Table:
    """One query's rows by bound value, read for ``domain`` on first use.

    ``how`` says how the query is asked: ``"bound"`` (:meth:`Source.select_bound`, the
    variable projected), ``"binding"`` (:meth:`Source.select` with one binding; when the
    query does not select the variable, read through ``projecting``, the same query that
    also selects it, which is then left out of each row), ``"count"`` (a ``COUNT(*)``
    under ``select_bound``; read through ``projecting``, grouped by the variable) or
    ``"filled"`` (:meth:`Source.select_filled`)."""

    how: str
    key: Key
    domain: Callable[[], Iterable[Any]]
    projecting: str | None = None
    batch: int | None = None
    rows: dict[Any, list[dict[str, Any]]] | None = field(default=None, repr=False)


def _value(row: Mapping[str, Any], key: Key) -> Any:
    return row.get(key) if isinstance(key, str) else tuple(row.get(k) for k in key)


class SiteSource(Source):
    """A source whose registered bound queries are answered from tables read once.

    Example:
        >>> from rdflib import URIRef
        >>> from influencegraph.graph import open_source
        >>> inner = open_source()
        >>> site = SiteSource(inner)
        >>> query = "SELECT ?s ?year WHERE { ?s dcterms:issued ?year }"
        >>> site.register("bound", query, "s", lambda: [URIRef(d) for d in ["urn:a"]])
        >>> site.select_bound(query, "s", [URIRef("urn:a")])
        []
    """

    def __init__(self, inner: Source) -> None:
        self.inner = inner
        self._tables: dict[tuple[str, Key], _Table] = {}
        self.asked = 0
        """Queries asked of the source for tables (a count, for tests and benchmarks)."""

    def register(
        self,
        how: str,
        sparql: str,
        key: Key,
        domain: Callable[[], Iterable[Any]],
        *,
        projecting: str | None = None,
        batch: int | None = None,
    ) -> None:
        """Answer ``sparql`` asked ``how`` with ``key`` bound from a table read, on first
        use, for every value ``domain()`` gives (see :class:`_Table`)."""
        if how not in ("bound", "binding", "count", "filled"):
            raise ValueError(f"unknown way {how!r}")
        if how == "count" and projecting is None:
            raise ValueError(f"a {how} table is read through a projecting query")
        self._tables[(sparql, key)] = _Table(how, key, domain, projecting, batch)

    # ------------------------------------------------------------ reading tables

    def _ask(self, table: _Table, sparql: str, values: list[Any]) -> dict[Any, list[Any]]:
        """The rows for ``values``, asked of the source, by value (each value present)."""
        found: dict[Any, list[Any]] = {value: [] for value in values}
        if not values:
            return found
        if table.how == "filled":
            rows = self.inner.select_filled(
                sparql, table.key, values, **({"batch": table.batch} if table.batch else {})
            )
        else:
            assert isinstance(table.key, str)
            rows = self.inner.select_bound(table.projecting or sparql, table.key, values)
        self.asked += 1
        for row in rows:
            value = _value(row, table.key)
            if value in found:
                if table.how == "binding" and table.projecting is not None:
                    row = {k: v for k, v in row.items() if k != table.key}
                found[value].append(row)
        return found

    def _read(self, sparql: str, table: _Table, values: Iterable[Any]) -> list[Any]:
        """Every row for ``values`` in order: from the table, the rest asked."""
        if table.rows is None:
            table.rows = self._ask(table, sparql, list(dict.fromkeys(table.domain())))
        wanted = list(dict.fromkeys(values))
        missing = [value for value in wanted if value not in table.rows]
        if missing:
            table.rows.update(self._ask(table, sparql, missing))
        return [row for value in wanted for row in table.rows[value]]

    def read_tables(self) -> None:
        """Read every table not read yet, now rather than on first use: before forking
        processes that share them (each would otherwise read its own)."""
        for (sparql, _), table in self._tables.items():
            if table.rows is None:
                self._read(sparql, table, [])

    # ------------------------------------------------------------ the Source interface

    def select(
        self, sparql: str, bindings: Mapping[str, Node] | None = None
    ) -> list[dict[str, Any]]:
        if bindings is not None and len(bindings) == 1:
            ((var, value),) = bindings.items()
            table = self._tables.get((sparql, var))
            if table is not None and table.how == "binding":
                return self._read(sparql, table, [value])
        return self.inner.select(sparql, bindings)

    def select_bound(self, sparql: str, var: str, values: Iterable[Node]) -> list[dict[str, Any]]:
        table = self._tables.get((sparql, var))
        if table is None or table.how not in ("bound", "count"):
            return self.inner.select_bound(sparql, var, values)
        if table.how == "bound":
            return self._read(sparql, table, values)
        from rdflib import Literal

        total = sum(int(row["n"]) for row in self._read(sparql, table, values))
        return [{"n": Literal(total)}]

    def select_filled(
        self, sparql: str, key: Key, values: Iterable[Any], *, batch: int = VALUES_BATCH
    ) -> list[dict[str, Any]]:
        table = self._tables.get((sparql, key))
        if table is None or table.how != "filled":
            return self.inner.select_filled(sparql, key, values, batch=batch)
        return self._read(sparql, table, values)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        return self.inner.query(sparql, bindings)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        return self.inner.triples(pattern)

    def add(self, triples: Iterable[Triple]) -> None:
        raise TypeError("a site's source is read-only")

    def describe(self) -> str:
        return self.inner.describe()


# ---------------------------------------------------------------- what a site asks


def site_source(source: Source) -> SiteSource:
    """``source`` with every bound query the explorer's pages ask registered (read on
    first use): relations from each end with their counts, years, an entity's triples and
    the claims it made, claims, evidence types, corroboration's groups, sides and ties,
    and the dossiers' scope, people and claims."""
    from rdflib import URIRef

    from .. import facts
    from ..corroboration import GROUP_KEY, TIES_CLAIMANTS
    from ..dossier import SUBJECT_TYPES
    from ..names import _YEARS, name_index
    from ..projection import _CLAIMED, _CLAIMS, ALL_RELATIONS
    from ..queries import load_query

    site = SiteSource(source)
    site._name_index = name_index(source)  # type: ignore[attr-defined]

    def every_entity() -> list[URIRef]:
        return [URIRef(iri) for iri in sorted(name_index(source).entities)]

    def column(query: str, *names: str) -> Callable[[], list[Any]]:
        def values() -> list[Any]:
            rows = source.select(query)
            found = [tuple(row[n] for n in names) for row in rows]
            return sorted(set(found)) if len(names) > 1 else sorted({f[0] for f in found})

        return values

    claims = column(f"SELECT DISTINCT ?claim WHERE {{ {_CLAIMED} }}", "claim")
    for relation in ALL_RELATIONS:
        for var in (relation.subject, relation.object):
            site.register("bound", relation.query, var, every_entity)
            where = f"(COUNT(*) AS ?n) WHERE {{ {relation.core} }}"
            site.register(
                "count",
                f"SELECT {where}",
                var,
                every_entity,
                projecting=f"SELECT ?{var} {where} GROUP BY ?{var}",
            )
    site.register("bound", _CLAIMS, "claim", claims)
    site.register("bound", _YEARS, "s", every_entity)
    for query, var, projecting in (
        (facts._OUT, "e", "SELECT ?e ?p ?o WHERE { ?e ?p ?o }"),
        (facts._IN, "e", "SELECT ?e ?s ?p WHERE { ?s ?p ?e }"),
        (facts._CLAIMS_MADE, "e", facts._CLAIMS_MADE.replace("SELECT", "SELECT ?e", 1)),
    ):
        site.register("binding", query, var, every_entity, projecting=projecting)
    site.register("bound", load_query("corroboration-claims"), "claim", claims)
    site.register("bound", load_query("evidence-types"), "claim", claims)
    site.register("bound", load_query("corroboration-sides"), "entity", every_entity)
    site.register(
        "filled",
        load_query("corroboration-groups"),
        GROUP_KEY,
        column(f"SELECT DISTINCT ?y ?x ?kind WHERE {{ {_CLAIMED} }}", "y", "x", "kind"),
    )
    site.register(
        "filled",
        load_query("corroboration-ties"),
        "claimant",
        column("SELECT DISTINCT ?c WHERE { ?claim ig:claimant ?c }", "c"),
        batch=TIES_CLAIMANTS,
    )
    site.register(
        "filled",
        load_query("corroboration-members"),
        "side",
        column("SELECT DISTINCT ?s WHERE { ?m org:member ?s }", "s"),
    )

    def subjects() -> list[URIRef]:
        index = name_index(source).entities
        return [URIRef(iri) for iri in sorted(index) if index[iri].type in SUBJECT_TYPES]

    site.register("binding", load_query("dossier-scope"), "entity", subjects)
    for name in ("dossier-people", "dossier-claims"):
        site.register("bound", load_query(name), "member", every_entity)
    return site
