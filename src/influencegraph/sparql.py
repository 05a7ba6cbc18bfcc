"""Running users' SPARQL queries safely, and writing their results in the W3C formats.

A query goes through three steps, each here as a small function:

1. :func:`prepare` parses it with rdflib's SPARQL parser (the project's prefixes from
   :data:`influencegraph.vocab.PREFIXES` pre-bound) and inspects the parse tree *before any
   engine sees it*: ``SERVICE`` is refused (rdflib and Oxigraph would otherwise send the
   query to that URL), so are ``FROM``/``FROM NAMED`` (rdflib would fetch those graphs from
   the web) and every update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``...).
   A syntax error says the line and column of the user's own text.
2. :class:`QueryRunner` runs it through the :class:`~influencegraph.graph.Source` interface
   (so the same code serves the bundled graph, an on-disk store or a remote endpoint) in a
   worker thread, and gives up at a deadline. rdflib has no timeout of its own, and a
   Python thread cannot be killed, so a timed-out evaluation is *asked* to stop: an
   exception is raised inside the worker thread (CPython's ``PyThreadState_SetAsyncExc``),
   and raised again every quarter second (for ten seconds) while it still runs. rdflib's
   evaluator is pure Python, so it stops within milliseconds; code in C or Rust (a long regular
   expression, pyoxigraph) stops when that call returns. Until the worker has really ended
   it counts against the runner's ``max_concurrent`` evaluations, so runaway queries cannot
   pile up: new ones wait for a free slot, and give up with :class:`EndpointBusy`.
3. :func:`serialize` writes a :class:`~influencegraph.graph.QueryResult` as SPARQL 1.1
   JSON, XML, CSV or TSV results (SELECT, ASK), or as Turtle, N-Triples, RDF/XML or JSON-LD
   (CONSTRUCT, DESCRIBE); :func:`format_result` adds the readable table, cut at a row limit.

Example:
    >>> from influencegraph.graph import open_source
    >>> result = run_query(open_source(), "ASK { igd:the-challenge a ig:Organisation }")
    >>> result.boolean
    True
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import (
    EndpointBusy,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    first_line,
)
from .vocab import PREFIXES, expand, shorten, sparql_prefixes

if TYPE_CHECKING:
    from rdflib.term import Node

    from .graph import QueryResult, Source

T = TypeVar("T")

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

_UPDATE_NAMES = {
    "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP",
    "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY",
}


# ---------------------------------------------------------------- 1 prepare


@dataclass(frozen=True)
class PreparedQuery:
    """A query that parsed and passed the safety checks, ready for any engine."""

    text: str
    """The user's text, without the pre-bound prefixes (each source adds them)."""
    kind: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    variables: frozenset[str] = field(default_factory=frozenset)
    """Every variable the query mentions, for checking ``--bind`` names."""


def prepare(text: str) -> PreparedQuery:
    """Parse a query and refuse what must never run, before any engine evaluates it.

    Raises :class:`QuerySyntaxError` (with the line and column in ``text``) for a query
    that does not parse, and :class:`QueryRefused` for an update, ``SERVICE`` or
    ``FROM``/``FROM NAMED``.

    Example:
        >>> prepare("SELECT ?s WHERE { ?s a ig:Report }").kind
        'SELECT'
        >>> prepare("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        influencegraph.errors.QueryRefused: SERVICE <http://example.org/sparql> is refused: ...
    """
    from pyparsing import ParseBaseException
    from rdflib import Variable
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    full = sparql_prefixes() + text
    try:
        tree = parseQuery(full)
    except ParseBaseException as exc:
        _refuse_update(full)
        raise _syntax_error(exc) from None
    except RecursionError:
        raise QuerySyntaxError(_TOO_DEEP) from None
    except Exception as exc:  # rdflib raises plain exceptions for some lexical errors
        raise QuerySyntaxError(first_line(exc)) from None
    nodes = list(_walk(tree))
    _refuse_remote(nodes)
    try:
        translateQuery(tree)  # resolves prefixes and checks scoping rules the grammar cannot
    except RecursionError:
        raise QuerySyntaxError(_TOO_DEEP) from None
    except Exception as exc:
        raise QuerySyntaxError(first_line(exc)) from None
    kind = tree[1].name.removesuffix("Query").upper()
    variables = frozenset(str(n) for n in _walk_terms(tree) if isinstance(n, Variable))
    return PreparedQuery(text, kind, variables)


_PREFIX_LINES = sparql_prefixes().count("\n")
_TOO_DEEP = ("the query nests too deeply, or has too many patterns in one group, for rdflib's "
             "recursive parser; split it into smaller groups")


def _syntax_error(exc: Any) -> QuerySyntaxError:
    """A pyparsing error, its position moved back past the pre-bound prefix lines."""
    reason = re.sub(r"\s*\(at char \d+\).*$", "", str(exc), flags=re.S).strip()
    line = exc.lineno - _PREFIX_LINES
    return QuerySyntaxError(reason or "not a SPARQL query", line if line >= 1 else None,
                            exc.col if line >= 1 else None)


def _refuse_update(full: str) -> None:
    """If the text parses as a SPARQL Update, refuse it and say which operations it has."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = parseUpdate(full)
    except Exception:
        return
    names = [_UPDATE_NAMES.get(op.name, op.name) for op in update.request]
    raise QueryRefused(
        f"updates are refused ({', '.join(names) or 'an empty update'}): influencegraph only "
        "reads the graph; change the data files instead")


def _walk(tree: Any) -> Iterable[Any]:
    """Every parse-tree node (rdflib ``CompValue``) below ``tree``, depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue

    for node in _walk_terms(tree):
        if isinstance(node, CompValue):
            yield node


def _walk_terms(tree: Any) -> Iterable[Any]:
    """Every object in the parse tree: nodes, lists and the terms at the leaves."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, CompValue):
            stack.extend(dict.values(node))
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)


def _refuse_remote(nodes: list[Any]) -> None:
    """Refuse the parts of a query that would make an engine reach out over the network."""
    for node in nodes:
        if node.name == "ServiceGraphPattern":
            target = dict.get(node, "term")
            where = target.n3() if hasattr(target, "n3") else str(target)
            raise QueryRefused(
                f"SERVICE {where} is refused: influencegraph never sends queries to other "
                "endpoints (the engine would contact that address); query the loaded graph, "
                "or load the other data with --data")
        if node.name == "DatasetClause":
            default, named = dict.get(node, "default"), dict.get(node, "named")
            clause, graph = ("FROM", default) if default is not None else ("FROM NAMED", named)
            raise QueryRefused(
                f"{clause} <{graph}> is refused: the engine would fetch that graph over the "
                "network; choose the graph with --data instead")


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
        raise QueryError(f"--bind {spec!r}: write NAME=VALUE, e.g. --bind org='The Challenge'")
    value = value.strip()
    if not value:
        raise QueryError(f"--bind {spec!r}: the value is empty")
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
    if (value.startswith("<") and value.endswith(">")) or value.startswith('"') or \
            _NUMBER_OR_BOOLEAN.fullmatch(value):
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
        raise QueryError(f"cannot read {value!r} as an RDF term: {first_line(exc)}") \
            from None
    triples = list(graph)
    if len(triples) != 1 or triples[0][:2] != (subject, predicate):
        raise QueryError(f"cannot read {value!r} as one RDF term")
    return triples[0][2]


def bind_values(source: Source, specs: Iterable[str],
                prepared: PreparedQuery) -> dict[str, Node]:
    """Parse every ``--bind`` and check that each names a variable of the query.

    A misspelt name would otherwise bind nothing and silently change the answer.
    """
    bindings: dict[str, Node] = {}
    for spec in specs:
        name, term = parse_binding(source, spec)
        if name not in prepared.variables:
            known = ", ".join("?" + v for v in sorted(prepared.variables)) or "none"
            raise QueryError(f"--bind {name}: the query has no variable ?{name} "
                             f"(its variables: {known})")
        bindings[name] = term
    return bindings


# ---------------------------------------------------------------- 2 evaluate


class _Cancelled(BaseException):
    """Raised inside a worker thread to stop an evaluation past its deadline.

    A BaseException, so the engine's ``except Exception`` handlers let it through.
    """


def _set_async_exc(ident: int, exc: type[BaseException] | None) -> None:
    """Raise ``exc`` in another thread at its next bytecode (None clears a pending one)."""
    try:
        import ctypes

        set_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):  # not CPython: the evaluation runs to its end
        return
    set_exc(ctypes.c_ulong(ident), ctypes.py_object(exc) if exc is not None else None)


class _Evaluation:
    """One call of ``fn`` in a daemon thread that can be asked to stop."""

    RESEND_SECONDS = 0.25
    RESEND_LIMIT = 40

    def __init__(self, fn: Callable[[], Any]) -> None:
        self._fn = fn
        self._lock = threading.Lock()
        self._in_engine = False
        self._stopped = False
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._main, name="influencegraph-query",
                                       daemon=True)

    def _main(self) -> None:
        try:
            try:
                with self._lock:
                    if self._stopped:  # given up before it started
                        raise _Cancelled
                    self._in_engine = True
                self.value = self._fn()
            finally:
                # After this block no stop request can arrive: cancel() only raises while
                # _in_engine is set, and a request still pending is cleared here.
                with self._lock:
                    self._in_engine = False
                    _set_async_exc(threading.get_ident(), None)
        except _Cancelled:
            self.error = QueryTimeout("the query was stopped")
        except BaseException as exc:
            self.error = exc
        finally:
            self.done.set()

    def cancel(self, attempt: int = 0) -> None:
        """Ask the worker to stop; repeat while it runs (an engine may swallow one request)."""
        with self._lock:
            self._stopped = True
            if not self._in_engine or self.thread.ident is None:
                return
            _set_async_exc(self.thread.ident, _Cancelled)
        if attempt < self.RESEND_LIMIT:
            timer = threading.Timer(self.RESEND_SECONDS, self.cancel, (attempt + 1,))
            timer.daemon = True
            timer.start()


class EvaluationSlots:
    """At most ``size`` evaluations at once, counting timed-out ones until they really end.

    A slot is a live worker thread, so a slot can never leak, however its thread ends.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("at least one evaluation slot is needed")
        self.size = size
        self._workers: list[_Evaluation] = []
        self._changed = threading.Condition()

    def busy(self) -> int:
        """How many evaluations are running now (timed-out ones included)."""
        with self._changed:
            self._workers = [w for w in self._workers if w.thread.is_alive()]
            return len(self._workers)

    def start(self, evaluation: _Evaluation, deadline: float) -> bool:
        """Start ``evaluation`` once a slot is free; False if none frees up by ``deadline``."""
        with self._changed:
            while True:
                self._workers = [w for w in self._workers if w.thread.is_alive()]
                if len(self._workers) < self.size:
                    self._workers.append(evaluation)
                    evaluation.thread.start()
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.05))


def call_with_deadline(fn: Callable[[], T], timeout: float,
                       slots: EvaluationSlots | None = None) -> T:
    """Run ``fn()`` in a worker thread; raise QueryTimeout if it is not done in ``timeout`` s.

    The deadline covers waiting for a slot as well as running. On timeout the worker is
    asked to stop (see the module's docstring) and this returns at once.

    Example:
        >>> call_with_deadline(lambda: 6 * 7, timeout=1.0)
        42
    """
    deadline = time.monotonic() + timeout
    evaluation = _Evaluation(fn)
    if slots is None:
        evaluation.thread.start()
    elif not slots.start(evaluation, deadline):
        raise EndpointBusy(f"all {slots.size} evaluation slots stayed busy for {timeout:g} s; "
                           "try again shortly")
    if not evaluation.done.wait(max(0.0, deadline - time.monotonic())):
        evaluation.cancel()
        raise QueryTimeout(f"query took longer than {timeout:g} s and was stopped; narrow the "
                           "patterns, add a LIMIT, or allow more time with --timeout")
    if evaluation.error is not None:
        raise evaluation.error
    return evaluation.value


def query_source(source: Source, prepared: PreparedQuery,
                 bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Hand a prepared query to the source's engine; its failures become QueryError.

    No time bound of its own: :class:`QueryRunner` calls it inside one.
    """
    from .errors import InfluenceGraphError

    try:
        return source.query(prepared.text, dict(bindings or {}))
    except InfluenceGraphError:
        raise
    except Exception as exc:
        raise QueryError(f"the query failed while running: {first_line(exc)}") from None


@dataclass
class QueryRunner:
    """A source with its limits: time per query, result size, concurrent evaluations.

    :meth:`run` does everything a user's query needs, parsing included, inside one
    deadline and one evaluation slot (rdflib's parser alone can take seconds on a long
    query). The server holds one runner and calls it from many threads.

    Example:
        >>> from influencegraph.graph import open_source
        >>> runner = QueryRunner(open_source(), timeout=2.0, max_rows=1000)
        >>> runner.run("SELECT ?r WHERE { ?r a ig:Survey }").variables
        ['r']
    """

    source: Source
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int | None = None
    max_concurrent: int = 2
    slots: EvaluationSlots = field(init=False)

    def __post_init__(self) -> None:
        self.slots = EvaluationSlots(self.max_concurrent)

    def run(self, text: str, bindings: Mapping[str, Node] | None = None, *,
            bind: Iterable[str] = ()) -> QueryResult:
        """Prepare (refusing what must not run), bind, evaluate; all within the limits.

        ``bindings`` are terms already; ``bind`` are ``NAME=VALUE`` texts for
        :func:`parse_binding`. Raises QueryTimeout, EndpointBusy, ResultTooLarge, or the
        refusals and syntax errors of :func:`prepare`.
        """
        specs = list(bind)

        def work() -> QueryResult:
            prepared = prepare(text)
            values = {**bind_values(self.source, specs, prepared), **(bindings or {})}
            return query_source(self.source, prepared, values)

        result = call_with_deadline(work, self.timeout, self.slots)
        size = len(result.graph) if result.graph is not None else len(result.rows)
        if self.max_rows is not None and size > self.max_rows:
            unit = "triples" if result.graph is not None else "rows"
            raise ResultTooLarge(f"the result has {size} {unit}, more than the {self.max_rows} "
                                 "allowed; add a LIMIT (and OFFSET to page through it)")
        return result


def run_query(source: Source, text: str, *, bind: Iterable[str] = (),
              timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """What ``influencegraph sparql`` does: prepare, bind ``NAME=VALUE`` pairs, evaluate.

    Example:
        >>> from influencegraph.graph import open_source
        >>> q = "SELECT ?name WHERE { ?org rdfs:label ?name }"
        >>> result = run_query(open_source(), q, bind=["org=PHF"])
        >>> [str(row[0]) for row in result.rows]
        ['Paul Hamlyn Foundation']
    """
    return QueryRunner(source, timeout=timeout, max_concurrent=1).run(text, bind=bind)


# ---------------------------------------------------------------- 3 serialise


def formats_for(kind: str) -> dict[str, str]:
    """Format name -> media type for a result of this query kind."""
    return GRAPH_FORMATS if kind in ("CONSTRUCT", "DESCRIBE") else SOLUTION_FORMATS


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Write a result in a W3C format (UTF-8): see :data:`SOLUTION_FORMATS`, :data:`GRAPH_FORMATS`.

    ASK in CSV or TSV (which the W3C formats do not cover) is one line, ``true`` or ``false``.

    Example:
        >>> from influencegraph.graph import QueryResult
        >>> serialize(QueryResult("ASK", boolean=True), "json")
        b'{"head": {}, "boolean": true}'
    """
    allowed = formats_for(result.kind)
    if fmt not in allowed:
        what = "a graph" if allowed is GRAPH_FORMATS else "a table of solutions"
        raise QueryError(f"a {result.kind} result is {what}; write it as "
                         f"{', '.join(allowed)} (not {fmt})")
    if allowed is GRAPH_FORMATS:
        from rdflib import Graph

        graph = result.graph if result.graph is not None else Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        try:
            data = graph.serialize(format=_RDFLIB_GRAPH_FORMAT[fmt], encoding="utf-8")
        except Exception as exc:  # RDF/XML cannot write every predicate IRI
            raise QueryError(f"cannot write this graph as {fmt}: {first_line(exc)}; "
                             "try turtle or ntriples") from None
        return data if isinstance(data, bytes) else data.encode("utf-8")
    if fmt == "tsv":
        return _tsv(result).encode("utf-8")
    if result.kind == "ASK" and fmt == "csv":
        return (("true" if result.boolean else "false") + "\r\n").encode("utf-8")
    import io

    buffer = io.BytesIO()
    _rdflib_result(result).serialize(buffer, encoding="utf-8", format=fmt)
    return buffer.getvalue()


def _rdflib_result(result: QueryResult) -> Any:
    """The same solutions as an rdflib ``Result``, to reuse rdflib's JSON/XML/CSV writers."""
    from rdflib import Variable
    from rdflib.query import Result

    out = Result(result.kind)
    if result.kind == "ASK":
        out.askAnswer = bool(result.boolean)
        return out
    variables = [Variable(v) for v in result.variables]
    out.vars = variables
    out.bindings = [{var: value for var, value in zip(variables, row, strict=True)
                     if value is not None} for row in result.rows]
    return out


def _tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in SPARQL syntax, tabs and newlines escaped."""
    if result.kind == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if term is None else _tsv_term(term) for term in row))
    return "\n".join(lines) + "\n"


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

    shown = [{v: term_text(t) for v, t in zip(result.variables, row, strict=True)}
             for row in result.rows[:max_rows]]
    total = len(result.rows)
    text = render_rows(shown, result.variables, "table")
    if total > max_rows:
        return text + (f"showing {max_rows} of {total} rows; --max-rows N shows more, "
                       "--format csv|tsv|json|xml writes them all\n")
    return text + f"{total} row{'s' if total != 1 else ''}\n"
