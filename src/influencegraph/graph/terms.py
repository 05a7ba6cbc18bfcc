"""Terms between rdflib, Oxigraph and SPARQL JSON results, and the one literal
escaper (:func:`sparql_term`) every piece of SPARQL or Turtle text goes through."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import QueryError, SourceError

if TYPE_CHECKING:
    from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_IRIREF = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANGTAG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")
VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class IRI(str):
    """An IRI held as text, bound like an rdflib ``URIRef`` (:func:`sparql_term` writes
    ``<iri>``) by callers that read and bind only text, so no rdflib term is built."""

    __slots__ = ()


def literal_term(text: str) -> str:
    """A plain string literal as SPARQL (and N-Triples) text, every special character
    escaped: what :func:`sparql_term` writes for ``Literal(text)``.

    Example:
        >>> print(literal_term('say "hi"'))
        "say \\"hi\\""
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\r", "\\r") + '"'


def sparql_term(term: Node | IRI) -> str:
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
    if type(term) is IRI:
        return iri_term(term)
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return iri_term(str(term))
    if isinstance(term, Literal):
        text = literal_term(str(term))
        if term.language:
            if not _LANGTAG.fullmatch(term.language):
                raise QueryError(f"invalid language tag {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f"{text}^^{sparql_term(URIRef(term.datatype))}"
        return text
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be bound in a query sent as text")
    raise QueryError(f"cannot bind {term!r} in a query; use an rdflib URIRef or Literal")


def iri_term(iri: str) -> str:
    """An IRI as SPARQL text, ``<iri>``; :class:`QueryError` for one that SPARQL text
    cannot carry (spaces, angle brackets).

    Example:
        >>> iri_term("http://example.org/a")
        '<http://example.org/a>'
    """
    if not _IRIREF.fullmatch(iri):
        raise QueryError(f"cannot use {iri!r} as an IRI in a query")
    return f"<{iri}>"


_KEPT_AS_WRITTEN = frozenset(
    {
        XSD_STRING,
        "http://www.w3.org/2001/XMLSchema#gYear",
        "http://www.w3.org/2001/XMLSchema#gYearMonth",
    }
)
"""Datatypes whose literals rdflib shows exactly as Oxigraph gives them (rdflib rewrites
others: ``2018-03-01Z`` as an ``xsd:date`` becomes ``2018-03-01``)."""


def oxigraph_texter() -> Callable[[Any], str]:
    """A function giving a pyoxigraph term's text exactly as ``str()`` of the equal rdflib
    term (:func:`oxigraph_converter`) would, without building rdflib terms for IRIs,
    blank nodes and plain, language-tagged, year and year-month literals: the text is all
    many callers read of thousands of rows. Other literals go through rdflib, memoised.

    Example:
        >>> import pyoxigraph
        >>> text = oxigraph_texter()
        >>> text(pyoxigraph.NamedNode("http://e/a")), text(pyoxigraph.Literal("x", language="en"))
        ('http://e/a', 'x')
    """
    from pyoxigraph import BlankNode, Literal, NamedNode

    convert: Callable[[Any], Any] | None = None

    def text(term: Any) -> str:
        nonlocal convert
        kind = type(term)
        if kind is NamedNode or kind is BlankNode:
            return str(term.value)
        if kind is Literal and (term.language or term.datatype.value in _KEPT_AS_WRITTEN):
            return str(term.value)
        if convert is None:
            convert = oxigraph_converter()
        return str(convert(term))

    return text


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
                value = (
                    RDFLiteral(term.value)
                    if datatype == XSD_STRING
                    else RDFLiteral(term.value, datatype=URIRef(datatype))
                )
        elif kind is BlankNode:
            value = BNode(term.value)
        else:
            raise SourceError(f"the store returned a term this tool cannot use: {term!r}")
        cache[term] = value
        return value

    return convert


def to_oxigraph(term: Any) -> Any:
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


def from_json(value: Mapping[str, str] | None, cache: dict[Any, Any]) -> Any:
    """One binding of a SPARQL 1.1 JSON result as an rdflib term."""
    if value is None:
        return None
    key = (value.get("type"), value.get("value"), value.get("datatype"), value.get("xml:lang"))
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
