"""SPARQL 1.1 JSON results written straight from pyoxigraph's solutions, for the worker
processes' hot path: the same bytes as :func:`~influencegraph.graph.bounded.json_answer`
writes, without building a plain tuple per term, then a dict per binding, then a
``json.dumps`` of the whole (about a third of the time a small answer took after the
engine's own work).

Only a SELECT or ASK that the engine answers in full comes back as bytes. The engine's
error comes back as the worker's error answer (:func:`~influencegraph.graph.bounded.failure`,
worded in that one place, and never evaluated twice); a result over ``max_rows`` as
:data:`TOO_LARGE`; anything else (a graph) as ``None``, for the caller's general path.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any

from pyoxigraph import BlankNode, NamedNode, QueryBoolean, QuerySolutions

from ..graph.bounded import ENGINE_ERRORS, failure
from ..graph.terms import XSD_STRING
from ..vocab import PREFIXES

TOO_LARGE = b""
"""What :func:`json_results` returns for a result over ``max_rows`` (the caller says so)."""


def json_results(
    store: Any, union: bool, text: str, max_rows: int | None
) -> bytes | tuple[Any, ...] | None:
    """The JSON results of the SELECT or ASK ``text`` on ``store``; :data:`TOO_LARGE` for
    more than ``max_rows`` rows; the error answer if the engine fails; None for a graph or
    a term this writer does not know (see the module)."""
    try:
        result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=union)
        if isinstance(result, QueryBoolean):
            return b'{"head": {}, "boolean": true}' if result else b'{"head": {}, "boolean": false}'
        if not isinstance(result, QuerySolutions):
            return None
        keys = [encode_basestring(v.value) + ": " for v in result.variables]
        rows: list[str] = []
        limit = -1 if max_rows is None else max_rows
        for solution in result:
            if len(rows) == limit:
                return TOO_LARGE
            rows.append(
                "{"
                + ", ".join(
                    [
                        key + _term(term)
                        for key, term in zip(keys, solution, strict=True)
                        if term is not None
                    ]
                )
                + "}"
            )
    except ENGINE_ERRORS as exc:
        return failure(exc)
    except Exception:  # a term this writer does not know: the general path writes it
        return None
    head = ", ".join(key[:-2] for key in keys)
    return (
        f'{{"head": {{"vars": [{head}]}}, "results": {{"bindings": [{", ".join(rows)}]}}}}'
    ).encode()


def _term(term: Any) -> str:
    """One bound term as a JSON object, its members in ``_json_term``'s order."""
    kind = type(term)
    if kind is NamedNode:
        return '{"type": "uri", "value": ' + encode_basestring(term.value) + "}"
    if kind is BlankNode:
        return '{"type": "bnode", "value": ' + encode_basestring(term.value) + "}"
    value = '{"type": "literal", "value": ' + encode_basestring(term.value)
    if term.language:
        return value + ', "xml:lang": ' + encode_basestring(term.language) + "}"
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return value + "}"
    return value + ', "datatype": ' + encode_basestring(datatype) + "}"
