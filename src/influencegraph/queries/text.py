"""The only code that edits SPARQL text: one tokenizer, the query's form and WHERE
clause, and VALUES blocks that bind variables (terms written by
:func:`~influencegraph.graph.terms.sparql_term`, never pasted)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..graph.terms import VARNAME, sparql_term

if TYPE_CHECKING:
    from rdflib.term import Node

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
        if not VARNAME.fullmatch(name):
            raise QueryError(f"invalid variable name {name!r}")
    terms = {name: sparql_term(term) for name, term in bindings.items()}
    names = " ".join(f"?{name}" for name in terms)
    where = where_group(sparql)
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
        if not VARNAME.fullmatch(name):
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
def where_group(sparql: str) -> int:
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

