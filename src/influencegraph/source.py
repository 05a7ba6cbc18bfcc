"""Opening a graph: RDF files (in an rdflib graph or an in-memory Oxigraph store), an
on-disk Oxigraph store, or a remote SPARQL 1.1 endpoint.

Every other module reads the graph through the small :class:`Source` interface
(``query(sparql, bindings)``, ``select``, ``triples``, ``add``), so the same commands run
over every back end: :class:`MemorySource` (files in rdflib: user queries with a time
bound, editing, validation), :class:`OxigraphMemorySource` (files parsed and queried by
Oxigraph in memory: the read commands, in less than half the time), :class:`StoreSource`
(a directory made by ``influencegraph load``) and :class:`EndpointSource` (any SPARQL 1.1
Protocol server). Results always come back as rdflib terms.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from .errors import DataFileError, InfluenceGraphError, QueryError, SourceError

if TYPE_CHECKING:
    import pyoxigraph
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
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
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

    def as_dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by variable name (unbound variables left out)."""
        return [{var: value for var, value in zip(self.variables, row, strict=True)
                 if value is not None} for row in self.rows]


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
        return self.query(sparql, bindings).as_dicts()

    def select_bound(self, sparql: str, var: str,
                     values: Iterable[Node]) -> list[dict[str, Any]]:
        """Run a SELECT over many values of ``?var`` at once: the rows for all of them.

        ``sparql`` leaves ``?var`` unbound. This default sends one query per batch of
        :data:`VALUES_BATCH` values, with a ``VALUES ?var { ... }`` block
        (:func:`values_block`) at the start of the WHERE clause and wherever the query
        marks ``#VALUES ?var`` (:func:`values_inside`): one round trip per batch for a
        store or an endpoint. Values that cannot be written safely are skipped: no query
        could match them.
        """
        terms = list(dict.fromkeys(values))
        where = _where_group(sparql) + 1
        rows: list[dict[str, Any]] = []
        for start in range(0, len(terms), VALUES_BATCH):
            block = values_block(var, terms[start:start + VALUES_BATCH])
            text = f"{sparql[:where]} {block}\n{sparql[where:]}"
            rows += self.select(values_inside(text, var, block))
        return rows

    def describe(self) -> str:
        """A short human description (for messages)."""
        return type(self).__name__


class MemorySource(Source):
    """An rdflib in-memory graph: the default for the bundled seed graph and small files."""

    def __init__(self, graph: Graph, paths: list[Path] | None = None) -> None:
        self.graph = graph
        self.paths = paths or []

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        return self._evaluate(sparql, bindings)

    def select_bound(self, sparql: str, var: str,
                     values: Iterable[Node]) -> list[dict[str, Any]]:
        """Run ``sparql`` once per value with ``?var`` bound. The parsed query is cached
        (rdflib's parser costs 5-30 ms, far more than answering on a small graph), so each
        value costs only its evaluation."""
        rows: list[dict[str, Any]] = []
        for value in dict.fromkeys(values):
            rows += self._evaluate(sparql, {var: value}).as_dicts()
        return rows

    def _evaluate(self, sparql: str, bindings: Mapping[str, Node] | None) -> QueryResult:
        from rdflib import Variable

        from .vocab import sparql_prefixes

        init = {Variable(k): v for k, v in (bindings or {}).items()}
        result = self.graph.query(_prepared(sparql_prefixes() + sparql), initBindings=init)
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars or []]
            return QueryResult("SELECT", variables, [tuple(row) for row in result])
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        return QueryResult(result.type, graph=result.graph)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        return iter(self.graph.triples(pattern))

    def add(self, triples: Iterable[Triple]) -> None:
        for triple in triples:
            self.graph.add(triple)

    def describe(self) -> str:
        return ", ".join(str(p) for p in self.paths) or "an in-memory graph"



# ---------------------------------------------------------------- bindings as text

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_IRIREF = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANGTAG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")
_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def sparql_term(term: Node) -> str:
    """A term as SPARQL text, for a ``VALUES`` block: ``<iri>``, or a literal with every
    special character escaped. Raises :class:`QueryError` for what SPARQL text cannot carry
    (an IRI with spaces or angle brackets, a blank node).

    Example:
        >>> from rdflib import Literal, URIRef
        >>> sparql_term(URIRef("http://example.org/a"))
        '<http://example.org/a>'
        >>> print(sparql_term(Literal('say "hi"', lang="en")))
        "say \\"hi\\""@en
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        if not _IRIREF.fullmatch(str(term)):
            raise QueryError(f"cannot use {str(term)!r} as an IRI in a query")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = (str(term).replace("\\", "\\\\").replace('"', '\\"')
                .replace("\n", "\\n").replace("\r", "\\r"))
        if term.language:
            if not _LANGTAG.fullmatch(term.language):
                raise QueryError(f"invalid language tag {term.language!r}")
            return f'"{text}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f'"{text}"^^{sparql_term(URIRef(term.datatype))}'
        return f'"{text}"'
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be bound in a query sent as text")
    raise QueryError(f"cannot bind {term!r} in a query; use an rdflib URIRef or Literal")


_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[{}()])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``VALUES (?a ?b) { (...) }`` at the start of its WHERE group, so the
    variables are bound before the pattern is matched. This is how bindings reach a remote
    endpoint (and Oxigraph, where a bound variable is not projected). Terms are serialised
    with :func:`sparql_term`, never pasted.

    Example:
        >>> from rdflib import URIRef
        >>> with_values("SELECT ?y WHERE { ?x ?p ?y }", {"x": URIRef("http://e/a")})
        'SELECT ?y WHERE { VALUES (?x) { (<http://e/a>) } ?x ?p ?y }'
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not _VARNAME.fullmatch(name):
            raise QueryError(f"invalid variable name {name!r}")
    terms = {name: sparql_term(term) for name, term in bindings.items()}
    names = " ".join(f"?{name}" for name in terms)
    where = _where_group(sparql)
    text = (f"{sparql[:where + 1]} VALUES ({names}) {{ ({' '.join(terms.values())}) }}"
            f"{sparql[where + 1:]}")
    for name, term in terms.items():
        text = values_inside(text, name, f"VALUES ?{name} {{ {term} }}")
    return text


def values_block(names: str | Sequence[str], rows: Iterable[Any]) -> str:
    """``VALUES ?x { ... }`` for one variable and its terms, or ``VALUES (?a ?b) { (...) }``
    for several and rows of terms; each term written by :func:`sparql_term`. Rows holding
    a term that SPARQL text cannot carry (an IRI with spaces, a blank node) are left out,
    since no query could match them anyway.

    Example:
        >>> from rdflib import URIRef
        >>> values_block("x", [URIRef("http://e/a"), URIRef("http://e/not an iri")])
        'VALUES ?x { <http://e/a> }'
        >>> values_block(("x", "y"), [(URIRef("http://e/a"), URIRef("http://e/b"))])
        'VALUES (?x ?y) { (<http://e/a> <http://e/b>) }'
    """
    single = isinstance(names, str)
    variables = [names] if isinstance(names, str) else list(names)
    for name in variables:
        if not _VARNAME.fullmatch(name):
            raise QueryError(f"invalid variable name {name!r}")
    written = []
    for row in rows:
        try:
            terms = [sparql_term(term) for term in ([row] if single else row)]
        except QueryError:
            continue
        written.append(terms[0] if single else f"({' '.join(terms)})")
    head = f"?{variables[0]}" if single else f"({' '.join('?' + v for v in variables)})"
    return f"VALUES {head} {{ {' '.join(written)} }}"


def values_inside(sparql: str, names: str | Sequence[str], block: str) -> str:
    """Put a VALUES ``block`` also where the query marks it with a line ``#VALUES ?a`` (or
    ``#VALUES ?a ?b`` for several variables): inside a sub-SELECT, a UNION branch or an
    OPTIONAL, which engines evaluate on their own, without the outer bindings. Without
    this a shipped query bound to one claim still reads the whole graph (seconds instead of
    milliseconds on a million triples). A marker belongs only in a group that joins the
    rest of the query on those variables, where binding them inside changes no answer.

    Example:
        >>> values_inside("SELECT * WHERE { { SELECT ?x WHERE {\\n  #VALUES ?x\\n ?x ?p ?o }"
        ...               " } }", "x", "VALUES ?x { <http://e/a> }").splitlines()[1]
        '  VALUES ?x { <http://e/a> }'
    """
    variables = [names] if isinstance(names, str) else list(names)
    marker = r"#VALUES" + "".join(rf"[ \t]+\?{re.escape(v)}" for v in variables)
    return re.sub(rf"(?m)^([ \t]*){marker}[ \t]*$", lambda m: m.group(1) + block.strip(),
                  sparql)


@lru_cache(maxsize=256)
def _where_group(sparql: str) -> int:
    """Offset of the ``{`` that opens the query's outermost WHERE group.

    Skips comments, strings and IRIs; skips a CONSTRUCT template and braces inside
    parentheses (``EXISTS { }`` in a projected expression).
    """
    form: str | None = None
    braces = parens = 0
    in_template = False
    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "word" and braces == 0 and parens == 0:
            upper = text.upper()
            if form is None and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = upper
                in_template = form == "CONSTRUCT"
            elif form == "CONSTRUCT" and upper == "WHERE" and in_template:
                raise QueryError("cannot bind variables in a CONSTRUCT WHERE short form; "
                                 "write CONSTRUCT { ... } WHERE { ... }")
        elif kind == "punct":
            if text == "(":
                parens += 1
            elif text == ")":
                parens -= 1
            elif text == "{":
                if braces == 0 and parens == 0 and form is not None and not in_template:
                    return match.start()
                braces += 1
            elif text == "}":
                braces -= 1
                if braces == 0 and parens == 0 and in_template:
                    in_template = False
    raise QueryError("cannot find the query's WHERE clause to bind variables in")


def query_kind(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the query's form keyword."""
    for match in _TOKEN.finditer(sparql):
        if match.lastgroup == "word" and match.group().upper() in (
                "SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return match.group().upper()
    return "SELECT"


# ---------------------------------------------------------------- term conversion

def oxigraph_converter() -> Callable[[Any], Any]:
    """A function turning pyoxigraph terms into equal rdflib terms, memoised (one per
    result). ``xsd:string`` literals come back plain, as rdflib parses them."""
    from pyoxigraph import BlankNode, Literal, NamedNode
    from rdflib import BNode, URIRef
    from rdflib import Literal as RDFLiteral

    cache: dict[Any, Any] = {}

    def convert(term: Any) -> Any:
        if term is None:
            return None
        found = cache.get(term)
        if found is not None:
            return found
        kind = type(term)
        if kind is NamedNode:
            value: Any = URIRef(term.value)
        elif kind is Literal:
            if term.language:
                value = RDFLiteral(term.value, lang=term.language)
            else:
                datatype = term.datatype.value
                value = (RDFLiteral(term.value) if datatype == XSD_STRING
                         else RDFLiteral(term.value, datatype=URIRef(datatype)))
        elif kind is BlankNode:
            value = BNode(term.value)
        else:
            raise SourceError(f"the store returned a term this tool cannot use: {term!r}")
        cache[term] = value
        return value

    return convert


def _to_oxigraph(term: Any) -> Any:
    """An rdflib term as the equal pyoxigraph term."""
    from pyoxigraph import BlankNode, Literal, NamedNode
    from rdflib import BNode, URIRef
    from rdflib import Literal as RDFLiteral

    try:
        if isinstance(term, URIRef):
            return NamedNode(str(term))
        if isinstance(term, RDFLiteral):
            if term.language:
                return Literal(str(term), language=term.language)
            if term.datatype is not None:
                return Literal(str(term), datatype=NamedNode(str(term.datatype)))
            return Literal(str(term))
        if isinstance(term, BNode):
            return BlankNode(str(term))
    except ValueError as exc:
        raise QueryError(f"cannot use {term!r} in the store: {exc}") from None
    raise QueryError(f"cannot bind {term!r} in a query; use an rdflib URIRef or Literal")


def _from_json(value: Mapping[str, str] | None, cache: dict[Any, Any]) -> Any:
    """One binding of a SPARQL 1.1 JSON result as an rdflib term."""
    if value is None:
        return None
    key = (value.get("type"), value.get("value"), value.get("datatype"),
           value.get("xml:lang"))
    found = cache.get(key)
    if found is not None:
        return found
    from rdflib import BNode, Literal, URIRef

    kind, text = value.get("type"), value.get("value", "")
    if kind == "uri":
        term: Any = URIRef(text)
    elif kind == "bnode":
        term = BNode(text)
    elif kind in ("literal", "typed-literal"):
        lang, datatype = value.get("xml:lang"), value.get("datatype")
        if lang:
            term = Literal(text, lang=lang)
        elif datatype and datatype not in (XSD_STRING, _RDF_LANG_STRING):
            term = Literal(text, datatype=URIRef(datatype))
        else:
            term = Literal(text)
    else:
        raise SourceError(f"the endpoint returned a term of unknown type {kind!r}")
    cache[key] = term
    return term


# ---------------------------------------------------------------- Oxigraph stores

STORE_HINT = "create one with `influencegraph load FILE... --store DIR`"


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
        raise SourceError(f"{where} is not an influencegraph store (no Oxigraph data in it); "
                          f"{STORE_HINT}")
    try:
        if read_only:
            return pyoxigraph.Store.read_only(str(where))
        return pyoxigraph.Store(str(where))
    except OSError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "lock" in reason.lower():
            reason = "another process is using it for writing; wait for it to finish"
        raise SourceError(f"cannot open the store at {where}: {reason}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_PARSER_PREFIX = re.compile(r"^Parser error (?:at|between) line \d+ column \d+"
                            r"(?: and line \d+ column \d+)?: ")
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


_OXIGRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS",
                     "trig": "TRIG"}
"""rdflib format name (:data:`FORMAT_BY_SUFFIX`) -> pyoxigraph ``RdfFormat`` member."""


def oxigraph_format(path: PathLike) -> pyoxigraph.RdfFormat:
    """Oxigraph's format for a file, by its suffix (:func:`rdf_format`'s clear error for
    others); its ``name`` (``Turtle``, ``N-Triples``...) is what messages call it.

    Example:
        >>> oxigraph_format("corpus.nt").name
        'N-Triples'
    """
    from pyoxigraph import RdfFormat

    return getattr(RdfFormat, _OXIGRAPH_FORMATS[rdf_format(path)])


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
        raise DataFileError(str(path), _first_line(exc)) from None


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

        from .vocab import PREFIXES

        options: dict[str, Any] = {"prefixes": PREFIXES,
                                   "use_default_graph_as_union": self._union}
        try:
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
                graph.add((convert(triple.subject), convert(triple.predicate),
                           convert(triple.object)))
            return QueryResult(query_kind(sparql), graph=graph)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {_first_line(exc)}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"the store could not answer the query: {_first_line(exc)}") \
                from None

    def _bound_query(self, sparql: str, bindings: Mapping[str, Node],
                     options: dict[str, Any]) -> Any:
        """Bind with a VALUES block, so Oxigraph's planner starts from the bound terms;
        Oxigraph's own ``substitutions`` only where a VALUES block cannot carry the terms
        (a blank node) or cannot be placed (a CONSTRUCT WHERE short form); those must
        select the bound variable, as Oxigraph requires."""
        from pyoxigraph import Variable

        try:
            text = with_values(sparql, bindings)
        except QueryError:
            substitutions = {Variable(k): _to_oxigraph(v) for k, v in bindings.items()}
            try:
                return self.store.query(sparql, substitutions=substitutions, **options)
            except RuntimeError as exc:
                if "projection" not in str(exc):
                    raise
                raise QueryError("a blank node can only be bound to a variable the query "
                                 "selects (SELECT ?var ...) in an Oxigraph store") from None
        return self.store.query(text, **options)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        s, p, o = (None if t is None else _to_oxigraph(t) for t in pattern)
        convert = oxigraph_converter()
        seen: set[tuple[Any, Any, Any]] = set()
        for quad in self.store.quads_for_pattern(s, p, o, None):
            triple = (quad.subject, quad.predicate, quad.object)
            if self._union:
                if triple in seen:
                    continue
                seen.add(triple)
            yield (convert(triple[0]), convert(triple[1]), convert(triple[2]))

    def add(self, triples: Iterable[Triple]) -> None:
        from pyoxigraph import Quad

        self.store.extend(Quad(*(_to_oxigraph(t) for t in triple)) for triple in triples)

    def describe(self) -> str:
        return "an Oxigraph store"


class StoreSource(OxigraphSource):
    """An on-disk Oxigraph store (a directory made by ``influencegraph load``).

    Opened read-only; the first :meth:`add` reopens it for writing. Querying is
    :class:`OxigraphSource`'s; files loaded as N-Quads keep their graphs, and queries then
    see the union of all graphs.

    Example:
        >>> import tempfile
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
    stay on :class:`MemorySource`, whose evaluation a time bound can stop; Oxigraph's
    cannot be interrupted.

    Example:
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


# ---------------------------------------------------------------- remote endpoint

_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "text/turtle;q=0.8")
_GRAPH_FORMATS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}


def _opener() -> Any:
    """urllib without redirects to anything but http(s) (its default also follows ftp)."""
    import urllib.request
    from urllib.parse import urlsplit

    class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                             newurl: str) -> Any:
            if urlsplit(newurl).scheme not in ("http", "https"):
                raise SourceError(f"the endpoint redirected to {newurl!r}, which is not http(s)")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(HttpOnlyRedirects)


class EndpointSource(Source):
    """A remote SPARQL 1.1 endpoint, over the SPARQL 1.1 Protocol (HTTP POST, stdlib only).

    Read-only. Bindings travel as a ``VALUES`` block built from serialised terms
    (:func:`with_values`); the project's prefixes go first as ``PREFIX`` lines. Every
    request has a ``timeout`` in seconds. Only ``http`` and ``https`` URLs are accepted.

    Example:
        >>> EndpointSource("http://localhost:7878/query").describe()
        'the endpoint http://localhost:7878/query'
    """

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
        self.url = url
        self.timeout = timeout

    def _post(self, sparql: str) -> tuple[str, bytes]:
        import urllib.error
        import urllib.request
        from urllib.parse import urlencode

        request = urllib.request.Request(
            self.url, data=urlencode({"query": sparql}).encode("utf-8"), method="POST",
            headers={"Accept": _ACCEPT,
                     "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                     "User-Agent": "influencegraph"})
        try:
            with _opener().open(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            first = detail.splitlines()[0] if detail else str(exc.reason)
            if 400 <= exc.code < 500:
                raise QueryError(f"the endpoint refused the query ({exc.code}): {first}") \
                    from None
            raise SourceError(f"the endpoint {self.url} failed ({exc.code}): {first}") from None
        except TimeoutError:
            raise SourceError(f"the endpoint {self.url} did not answer within "
                              f"{self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            raise SourceError(f"cannot reach the endpoint {self.url}: {exc.reason}") from None
        except OSError as exc:
            raise SourceError(f"cannot reach the endpoint {self.url}: {exc}") from None

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        import json

        from .vocab import sparql_prefixes

        text = sparql_prefixes() + sparql
        if bindings:
            text = with_values(text, bindings)
        ctype, body = self._post(text)
        if ctype in _GRAPH_FORMATS:
            from rdflib import Graph

            graph = Graph()
            try:
                graph.parse(data=body.decode("utf-8"), format=_GRAPH_FORMATS[ctype])
            except Exception as exc:
                raise SourceError(f"the endpoint sent an unreadable graph: {_first_line(exc)}") \
                    from None
            return QueryResult(query_kind(sparql), graph=graph)
        try:
            data = json.loads(body)
        except ValueError:
            raise SourceError(f"the endpoint sent {ctype}, not SPARQL JSON results") from None
        if isinstance(data, dict) and "boolean" in data:
            return QueryResult("ASK", boolean=bool(data["boolean"]))
        try:
            variables = list(data["head"]["vars"])
            cache: dict[Any, Any] = {}
            rows = [tuple(_from_json(b.get(v), cache) for v in variables)
                    for b in data["results"]["bindings"]]
        except (KeyError, TypeError, AttributeError):
            raise SourceError("the endpoint sent malformed SPARQL JSON results") from None
        return QueryResult("SELECT", variables, rows)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        bindings = {name: term for name, term in zip("spo", pattern, strict=True)
                    if term is not None}
        rows = self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", bindings).rows
        yield from rows  # type: ignore[misc]

    def add(self, triples: Iterable[Triple]) -> None:
        raise SourceError(f"the endpoint {self.url} is read-only here; "
                          "change the data where the endpoint loads it from")

    def check(self) -> None:
        """Ask the endpoint a trivial question, so an unreachable one fails early and clearly."""
        if self.query("ASK { }").kind != "ASK":
            raise SourceError(f"{self.url} did not answer like a SPARQL endpoint")

    def describe(self) -> str:
        return f"the endpoint {self.url}"


@lru_cache(maxsize=64)
def _prepared(sparql: str) -> Any:
    """Parse and translate a query once: rdflib spends more time preparing the shipped
    queries (e.g. 0.2 s for corroboration.rq) than running them on the seed graph."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(sparql)


FILE_ENGINES = ("rdflib", "oxigraph")
"""What can read and query files: ``"rdflib"`` (:class:`MemorySource`: every feature, time
bounds that stop a query, an rdflib graph to edit or validate) or ``"oxigraph"``
(:class:`OxigraphMemorySource`: a whole read command in less than half the time)."""


def open_source(data: Iterable[PathLike] | None = None, *, store: PathLike | None = None,
                endpoint: str | None = None, timeout: float = 30.0,
                engine: str = "rdflib") -> Source:
    """Open the graph the user chose: an Oxigraph store directory, a SPARQL endpoint URL,
    given files, or the bundled graph when nothing is given. At most one of them.

    ``engine`` (one of :data:`FILE_ENGINES`) chooses what reads and queries files (and the
    bundled graph): rdflib by default, ``"oxigraph"`` for commands that only run the
    project's own queries and want speed. A store or an endpoint ignores it.

    Example:
        >>> open_source().describe().endswith("triples.ttl")
        True
        >>> type(open_source(engine="oxigraph")).__name__
        'OxigraphMemorySource'
    """
    if engine not in FILE_ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(FILE_ENGINES)}")
    data = list(data or [])
    chosen = [name for name, value in (("--data", data), ("--store", store),
                                       ("--endpoint", endpoint)) if value]
    if len(chosen) > 1:
        raise SourceError(f"{' and '.join(chosen)} cannot be combined; choose one source")
    if store:
        return StoreSource(store)
    if endpoint:
        source = EndpointSource(endpoint, timeout=timeout)
        source.check()
        return source
    paths = [Path(p) for p in data] if data else default_data_paths()
    if engine == "oxigraph":
        return OxigraphMemorySource(paths)
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
