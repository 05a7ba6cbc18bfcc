"""Running users' SPARQL queries safely, and writing their results in the W3C formats.

A query goes through three steps, each here as a small function:

1. :func:`prepare` reads its tokens (:mod:`influencegraph.queries.text`) *before any
   engine sees it*: ``SERVICE`` is refused (Oxigraph would otherwise send the query to
   that URL), so are ``FROM``/``FROM NAMED`` (the graph is chosen with ``--data``,
   ``--store`` or ``--endpoint``) and every update (``INSERT``, ``DELETE``, ``LOAD``,
   ``CLEAR``, ``DROP``...); an empty query says so.
2. :class:`QueryRunner` evaluates it with Oxigraph, whatever holds the graph, so the
   answers don't depend on the engine: files and stores in a worker process
   (:mod:`influencegraph.graph.bounded`) that is killed at the deadline, so a runaway
   query (a cross product, a pathological regular expression) truly stops and holds
   nothing; an endpoint evaluates remotely, bounded by the request's timeout. At most
   ``max_concurrent`` queries run at once; a query that cannot get a worker before its
   deadline is refused as busy. Oxigraph reports syntax errors with the line and column
   of the user's text.
3. :func:`serialize` writes a :class:`~influencegraph.graph.QueryResult` as SPARQL 1.1
   JSON, XML, CSV or TSV results (SELECT, ASK), or as Turtle, N-Triples, RDF/XML or JSON-LD
   (CONSTRUCT, DESCRIBE); :func:`format_result` adds the readable table, cut at a row limit.

Example:
    >>> from influencegraph.graph import open_source
    >>> result = run_query(open_source(), "ASK { igd:the-challenge a ig:Organisation }")
    >>> result.boolean
    True

Kept as one module: its three steps (prepare, run, write) are one contract, shared by the
``sparql`` command and the endpoint; each step is a few small functions, and the result
writers serve only them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from .errors import (
    EndpointBusy,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    ResultTooLarge,
    first_line,
)
from .vocab import PREFIXES, expand, shorten

if TYPE_CHECKING:
    from rdflib.term import Identifier, Node

    from .graph import QueryResult, Source
    from .graph.bounded import WorkerPool

DEFAULT_TIMEOUT = 5.0
"""Seconds a query may run before it is given up (``--timeout``)."""
TABLE_ROWS = 100
"""Rows the table view shows before it says how many it left out (``--max-rows``)."""
ENDPOINT_MAX_ROWS = 10_000
"""Rows (or triples) the endpoint sends at most (``serve --max-rows``); more is refused."""
ENDPOINT_PORT = 8000
"""The port ``serve`` listens on unless told otherwise."""

QUERY_KINDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

# The SPARQL 1.1 result formats, by the short names the CLI and the server use.
SOLUTION_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""SELECT and ASK results: format name -> media type."""
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "xml": "application/rdf+xml",
    "json": "application/ld+json",
}
"""CONSTRUCT and DESCRIBE results (graphs): format name -> media type."""
_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "ntriples": "nt", "xml": "xml", "json": "json-ld"}


# ---------------------------------------------------------------- 1 prepare


@dataclass(frozen=True)
class PreparedQuery:
    """A query that passed the safety checks, ready for any engine."""

    text: str
    """The user's text, without the pre-bound prefixes (each source adds them)."""
    kind: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    variables: frozenset[str] = field(default_factory=frozenset)
    """Every variable the query mentions, for checking ``--bind`` names."""


def query_text(data: bytes) -> str:
    """A query file's text: UTF-8, with or without a byte-order mark; a UTF-16 or binary
    file is refused with a reason rather than misread.

    Example:
        >>> query_text(b"\\xef\\xbb\\xbfASK {}")
        'ASK {}'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise QueryError("not a UTF-8 text file (UTF-16 or binary?); save the query as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise QueryError(f"not valid UTF-8 text (line {line}); save the query as UTF-8") from None


_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def prepare(text: str) -> PreparedQuery:
    """Read a query's tokens and refuse what must never run, before any engine sees it.

    Raises :class:`QueryRefused` for an update, ``SERVICE`` or ``FROM``/``FROM NAMED``, and
    :class:`QuerySyntaxError` for a text with no query in it. The engine checks the rest
    of the grammar.

    Example:
        >>> prepare("SELECT ?s WHERE { ?s a ig:Report }").kind
        'SELECT'
        >>> prepare("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        influencegraph.errors.QueryRefused: SERVICE <http://example.org/sparql> is refused: ...
    """
    from .queries.text import skeleton

    text = text.removeprefix("\ufeff")
    key = skeleton(text)
    known = _PASSED.get(key)
    if known is not None:
        return PreparedQuery(text, *known)
    prepared = _checked(text)
    if len(key) <= _PASSED_LONGEST:
        with _PASSED_LOCK:
            if len(_PASSED) >= _PASSED_MAX:
                del _PASSED[next(iter(_PASSED))]  # the oldest
            _PASSED[key] = (prepared.kind, prepared.variables)
    return prepared


_PASSED: dict[str, tuple[str, frozenset[str]]] = {}
"""What :func:`prepare` found of the queries that passed its checks, by skeleton
(:func:`~influencegraph.queries.text.skeleton`): a query with the same skeleton has the
same keywords, prefixed names and variables, so the same outcome, and is not read again
(a server's clients ask the same few queries about one entity after another; reading
the tokens was a fifth of a worker's Python time per request). Queries that fail are
never remembered: each one's error names its own text."""
_PASSED_MAX = 1024
_PASSED_LONGEST = 8192
"""Longer skeletons are not remembered: at most 8 MB however big the queries sent."""
_PASSED_LOCK = threading.Lock()


def _checked(text: str) -> PreparedQuery:
    """:func:`prepare`'s checks, on the query's tokens."""
    from .queries.text import outline

    words, used, names = outline(text)
    operations = [(w, at) for w, _, at in words if w not in ("PREFIX", "BASE")]
    if not operations:
        raise QuerySyntaxError(
            "the query is empty: write a SELECT, ASK, CONSTRUCT or DESCRIBE query"
        )
    first = operations[0][0]
    if first in _UPDATES:
        raise QueryRefused(
            f"updates are refused ({', '.join(_update_names(words))}): influencegraph only "
            "reads the graph; change the data files instead"
        )
    for index, (word, following, _) in enumerate(words):
        if word == "SERVICE":
            where = following if following.upper() != "SILENT" else words[index + 1][1]
            raise QueryRefused(
                f"SERVICE {where} is refused: influencegraph never sends queries to other "
                "endpoints (the engine would contact that address); query the loaded graph, "
                "or load the other data with --data"
            )
        if word == "FROM":
            clause = "FROM NAMED" if following.upper() == "NAMED" else "FROM"
            graph = words[index + 1][1] if clause == "FROM NAMED" else following
            raise QueryRefused(
                f"{clause} {graph} is refused: choose the graph with --data, --store or "
                "--endpoint instead"
            )
    if first not in QUERY_KINDS:
        at = operations[0][1]
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise QuerySyntaxError(
            f"expected SELECT, ASK, CONSTRUCT or DESCRIBE, found {first}", line, column
        )
    _check_prefixes(used, words)
    return PreparedQuery(text, first, names)


def _update_names(words: Sequence[tuple[str, str, int]]) -> list[str]:
    """The update operations named by their keywords: INSERT DATA, DELETE WHERE, DELETE/INSERT,
    LOAD..."""
    names = []
    for word, following, _ in words:
        if word in ("INSERT", "DELETE"):
            nxt = following.upper()
            names.append(
                f"{word} {nxt}"
                if nxt == "DATA" or (word, nxt) == ("DELETE", "WHERE")
                else "DELETE/INSERT"
            )
        elif word == "WITH":
            names.append("DELETE/INSERT")
        elif word in _UPDATES:
            names.append(word)
    return list(dict.fromkeys(names))


_BOUND = frozenset(PREFIXES)
"""The prefixes every engine here binds before reading a query."""


def _check_prefixes(used: frozenset[str], words: Sequence[tuple[str, str, int]]) -> None:
    """A prefixed name whose prefix is neither pre-bound nor declared (``used``: the
    query's prefixes, ``words``: its keywords) is a user error, said plainly (engines
    report it as an unexpected character)."""
    if used <= _BOUND:  # the usual case: no declarations to read
        return
    declared = _BOUND | {
        following.split(":", 1)[0] for word, following, _ in words if word == "PREFIX"
    }
    unknown = sorted(used - declared)
    if unknown:
        raise QueryError(
            f"unknown prefix {unknown[0]}: declare it (PREFIX {unknown[0]}: <...>) "
            f"or use one of {', '.join(sorted(p for p in PREFIXES if p))}"
        )


# ---------------------------------------------------------------- bindings


def parse_binding(source: Source, spec: str) -> tuple[str, Node]:
    """Turn ``NAME=VALUE`` into a variable name and an RDF term.

    VALUE is read as, in this order: an IRI in angle brackets (``<https://...>``); a
    prefixed name with a known prefix (``igd:the-challenge``, ``ig:endorses``); a literal
    in Turtle syntax (``"text"``, ``"text"@en``, ``"2018"^^xsd:gYear``, ``42``, ``4.5``,
    ``true``); otherwise the label of an entity, resolved like every name the CLI takes
    (``The Challenge``, ``ICS``), which raises UnknownNameError with suggestions.

    Example:
        >>> from influencegraph.graph import open_source
        >>> parse_binding(open_source(), "org=The Challenge")
        ('org', rdflib.term.URIRef('https://w3id.org/influencegraph/id/the-challenge'))
    """
    from rdflib import URIRef

    name, sep, value = spec.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"\w+", name):
        raise QueryError(f"binding {spec!r}: write NAME=VALUE, e.g. org=The Challenge")
    value = value.strip()
    if not value:
        raise QueryError(f"binding {spec!r}: the value is empty")
    term = _term_from_text(value)
    if term is None:
        from .names import resolve

        term = URIRef(resolve(source, value).iri)
    return name, term


_CURIE = re.compile(r"([A-Za-z][\w.-]*):([^\s<>\"{}|^`\\]*)")
_NUMBER_OR_BOOLEAN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|true|false")


def _term_from_text(value: str) -> Node | None:
    """An IRI, prefixed name or literal written in Turtle syntax; None for anything else."""
    from rdflib import URIRef

    curie = _CURIE.fullmatch(value)
    if curie and curie.group(1) in PREFIXES:
        return URIRef(expand(value))
    if (
        (value.startswith("<") and value.endswith(">"))
        or value.startswith('"')
        or _NUMBER_OR_BOOLEAN.fullmatch(value)
    ):
        return _turtle_term(value)
    return None


def _turtle_term(value: str) -> Node:
    """Read one term written in Turtle, with rdflib's Turtle parser; anything but exactly
    one term is refused. (rdflib's ``from_n3`` decodes escapes twice: the Turtle string
    ``"\\\\x41"`` - a backslash, then x41 - came back as a backslash and ``A``.)"""
    from rdflib import Graph, URIRef

    subject, predicate = URIRef("urn:influencegraph:s"), URIRef("urn:influencegraph:p")
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    graph = Graph()
    try:
        graph.parse(data=f"{prefixes}<{subject}> <{predicate}> {value} .", format="turtle")
    except Exception as exc:
        raise QueryError(f"cannot read {value!r} as an RDF term: {first_line(exc)}") from None
    triples = list(graph)
    if len(triples) != 1 or triples[0][:2] != (subject, predicate):
        raise QueryError(f"cannot read {value!r} as one RDF term")
    return triples[0][2]


def bind_values(source: Source, specs: Iterable[str], prepared: PreparedQuery) -> dict[str, Node]:
    """Parse every ``--bind`` and check that each names a variable of the query.

    A misspelt name would otherwise bind nothing and silently change the answer.
    """
    bindings: dict[str, Node] = {}
    for spec in specs:
        name, term = parse_binding(source, spec)
        if name not in prepared.variables:
            known = ", ".join("?" + v for v in sorted(prepared.variables)) or "none"
            raise QueryError(
                f"binding {name}: the query has no variable ?{name} (its variables: {known})"
            )
        bindings[name] = term
    return bindings


# ---------------------------------------------------------------- 2 evaluate


@dataclass
class QueryRunner:
    """A source with its limits: time per query, result size, concurrent evaluations.

    :meth:`run` does everything a user's query needs. Oxigraph evaluates it: in worker
    processes for files and stores (started on first use, or by :meth:`warm`), remotely
    for an endpoint. The server holds one runner and calls it from many threads; call
    :meth:`close` (or use ``with``) to stop the workers.

    Example:
        >>> from influencegraph.graph import open_source
        >>> with QueryRunner(open_source(), timeout=30.0, max_rows=1000) as runner:
        ...     runner.run("SELECT ?r WHERE { ?r a ig:Survey }").variables
        ['r']
    """

    source: Source
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int | None = None
    max_concurrent: int = 2
    pool: WorkerPool | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        from .graph import EndpointSource
        from .graph.bounded import WorkerPool, spec_for

        if not isinstance(self.source, EndpointSource):
            self.pool = WorkerPool(spec_for(self.source), self.max_concurrent)
        self._remote = threading.BoundedSemaphore(self.max_concurrent)

    def warm(self) -> None:
        """Start the workers now (``serve`` does, so the first queries don't wait)."""
        if self.pool is not None:
            self.pool.warm()

    def run(
        self,
        text: str | PreparedQuery,
        bindings: Mapping[str, Node] | None = None,
        *,
        bind: Iterable[str] = (),
    ) -> QueryResult:
        """Check (refusing what must not run), bind, evaluate; all within the limits.

        ``text`` may be a query :func:`prepare` has already checked. ``bindings`` are terms
        already; ``bind`` are ``NAME=VALUE`` texts for
        :func:`parse_binding`. Raises QueryTimeout, EndpointBusy, ResultTooLarge, or the
        refusals of :func:`prepare` and the engine's syntax errors.
        """
        from .queries.text import with_values

        prepared = text if isinstance(text, PreparedQuery) else prepare(text)
        values = {**bind_values(self.source, bind, prepared), **(bindings or {})}
        if self.pool is not None:
            bound = with_values(prepared.text, values) if values else prepared.text
            return self.pool.run(bound, timeout=self.timeout, max_rows=self.max_rows)
        return self._run_remote(prepared, values)

    def run_json(self, text: str | PreparedQuery) -> bytes:
        """A SELECT or ASK as SPARQL 1.1 JSON results, written from the worker's answer
        without building rdflib terms (what the endpoint sends most): files and stores."""
        if self.pool is None:
            return serialize(self.run(text), "json")
        prepared = text if isinstance(text, PreparedQuery) else prepare(text)
        return self.pool.run_json(prepared.text, timeout=self.timeout, max_rows=self.max_rows)[1]

    def _run_remote(self, prepared: PreparedQuery, values: Mapping[str, Node]) -> QueryResult:
        """An endpoint evaluates; the request's own timeout bounds it."""
        from .graph import EndpointSource

        assert isinstance(self.source, EndpointSource)
        if not self._remote.acquire(timeout=self.timeout):
            raise EndpointBusy(
                f"all {self.max_concurrent} query slots stayed busy for "
                f"{self.timeout:g} s; try again shortly"
            )
        try:
            result = self.source.query(prepared.text, dict(values), timeout=self.timeout)
        finally:
            self._remote.release()
        size = len(result.graph) if result.graph is not None else len(result.rows)
        if self.max_rows is not None and size > self.max_rows:
            unit = "triples" if result.graph is not None else "rows"
            raise ResultTooLarge(
                f"the result has more than the {self.max_rows} {unit} "
                "allowed; add a LIMIT (and OFFSET to page through it)"
            )
        return result

    def close(self) -> None:
        """Stop the worker processes."""
        if self.pool is not None:
            self.pool.close()

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_query(
    source: Source, text: str, *, bind: Iterable[str] = (), timeout: float = DEFAULT_TIMEOUT
) -> QueryResult:
    """What ``influencegraph sparql`` does: prepare, bind ``NAME=VALUE`` pairs, evaluate.

    Example:
        >>> from influencegraph.graph import open_source
        >>> q = "SELECT ?name WHERE { ?org rdfs:label ?name }"
        >>> result = run_query(open_source(), q, bind=["org=PHF"])
        >>> [str(row[0]) for row in result.rows]
        ['Paul Hamlyn Foundation']
    """
    with QueryRunner(source, timeout=timeout, max_concurrent=1) as runner:
        return runner.run(text, bind=bind)


# ---------------------------------------------------------------- 3 serialise


def formats_for(kind: str) -> dict[str, str]:
    """Format name -> media type for a result of this query kind."""
    return GRAPH_FORMATS if kind in ("CONSTRUCT", "DESCRIBE") else SOLUTION_FORMATS


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Write a result in a W3C format (UTF-8): see :data:`SOLUTION_FORMATS`, :data:`GRAPH_FORMATS`.

    An ASK answer is written only as JSON or XML, the W3C formats for a boolean.

    Example:
        >>> from influencegraph.graph import QueryResult
        >>> serialize(QueryResult("ASK", boolean=True), "json")
        b'{"head": {}, "boolean": true}'
    """
    allowed = formats_for(result.kind)
    if fmt not in allowed:
        what = "a graph" if allowed is GRAPH_FORMATS else "a table of solutions"
        raise QueryError(
            f"a {result.kind} result is {what}; write it as {', '.join(allowed)} (not {fmt})"
        )
    if allowed is GRAPH_FORMATS:
        from rdflib import Graph

        graph = result.graph if result.graph is not None else Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        try:
            data = graph.serialize(format=_RDFLIB_GRAPH_FORMAT[fmt], encoding="utf-8")
        except Exception as exc:  # RDF/XML cannot write every predicate IRI
            raise QueryError(
                f"cannot write this graph as {fmt}: {first_line(exc)}; try turtle or ntriples"
            ) from None
        return data if isinstance(data, bytes) else data.encode("utf-8")
    if result.kind == "ASK" and fmt in ("csv", "tsv"):
        raise QueryError(
            f"an ASK answer is written as json or xml, the W3C result formats "
            f"for a boolean (not {fmt})"
        )
    if fmt == "tsv":
        return _tsv(result).encode("utf-8")
    if fmt == "xml":
        return _xml(result).encode("utf-8")
    import io

    buffer = io.BytesIO()
    _rdflib_result(result).serialize(buffer, encoding="utf-8", format=fmt)
    return buffer.getvalue()


def _rdflib_result(result: QueryResult) -> Any:
    """The same solutions as an rdflib ``Result``, to reuse rdflib's JSON and CSV writers."""
    from rdflib import Variable
    from rdflib.query import Result

    out = Result(result.kind)
    if result.kind == "ASK":
        out.askAnswer = bool(result.boolean)
        return out
    variables = [Variable(v) for v in result.variables]
    out.vars = variables
    out.bindings = [
        {
            var: cast("Identifier", value)
            for var, value in zip(variables, row, strict=True)
            if value is not None
        }
        for row in result.rows
    ]
    return out


def _tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in SPARQL syntax, tabs and newlines escaped."""
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if term is None else _tsv_term(term) for term in row))
    return "\n".join(lines) + "\n"


_XML_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
    'sparql-results#" xmlns:xml="http://www.w3.org/XML/1998/namespace">'
)


def _xml(result: QueryResult) -> str:
    """SPARQL Query Results XML, in the bytes rdflib's writer gives, except that a literal
    keeps its text whatever its value: rdflib's writer leaves out the text of a literal
    whose value is false or zero (``"0"``, ``"false"``, ``"0.0"``), so a count of nothing
    came back as an empty literal."""
    from xml.sax.saxutils import quoteattr

    if result.kind == "ASK":
        answer = "true" if result.boolean else "false"
        return f"{_XML_HEAD}<head></head><boolean>{answer}</boolean></sparql>"
    parts = [_XML_HEAD, "<head>"]
    parts += [f"<variable name={quoteattr(v)}></variable>" for v in result.variables]
    parts.append("</head><results>")
    for row in result.rows:
        parts.append("<result>")
        for name, term in zip(result.variables, row, strict=True):
            if term is not None:
                parts.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>")
    return "".join(parts)


def _xml_term(term: Node) -> str:
    from xml.sax.saxutils import escape, quoteattr

    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype:
            attribute = f" datatype={quoteattr(str(term.datatype))}"
        else:
            attribute = ""
        return f"<literal{attribute}>{escape(str(term))}</literal>"
    raise QueryError(f"cannot write {term!r} in SPARQL XML results")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node) -> str:
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
        return text
    return str(term)


def term_text(term: Node | None) -> str:
    """How a term reads in a table: a prefixed name, a literal's text, ``_:id`` for a blank."""
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def format_result(result: QueryResult, fmt: str, *, max_rows: int = TABLE_ROWS) -> str:
    """Text for the terminal: the table view (``table``) or a W3C format.

    The table shows at most ``max_rows`` rows and then says how many it left out; an ASK
    shows ``true``/``false``; a graph in the table view is written as Turtle.
    """
    if fmt != "table":
        return serialize(result, fmt).decode("utf-8")
    if result.kind == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    if result.graph is not None:
        return serialize(result, "turtle").decode("utf-8")
    from .output import render_rows

    shown = [
        {v: term_text(t) for v, t in zip(result.variables, row, strict=True)}
        for row in result.rows[:max_rows]
    ]
    total = len(result.rows)
    text = render_rows(shown, result.variables, "table")
    if total > max_rows:
        return text + (
            f"showing {max_rows} of {total} rows; --max-rows N shows more, "
            "--format csv|tsv|json|xml writes them all\n"
        )
    return text + f"{total} row{'s' if total != 1 else ''}\n"
