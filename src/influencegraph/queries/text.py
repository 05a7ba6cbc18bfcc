"""The only code that edits SPARQL text: one tokenizer, the query's form and WHERE
clause, and VALUES blocks that bind variables (terms written by
:func:`~influencegraph.graph.terms.sparql_term`, never pasted)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import QueryError
from ..graph.terms import VARNAME, sparql_term

if TYPE_CHECKING:
    from rdflib.term import Node

_STRING = (
    r'"{3}(?:[^"\\]|\\.|"(?!""))*"{3}'
    r"|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
)
"""A SPARQL string literal's quoted text (long or short, either quote)."""
_IRI_TOKEN = r'<[^<>"{}|^`\\\x00-\x20]*>'
"""An IRI in angle brackets."""

_TOKEN = re.compile(
    r"""
    (?:\s+|\#[^\n]*)*+  # spaces and comments before a token: skipped, never given back
    (?:  # the usual tokens first; of those that can start alike, pname and bnode before word
      (?P<punct>[{}()])
    | (?P<var>[?$]\w+)
    | (?P<iri>"""
    + _IRI_TOKEN
    + r""")
    | (?P<pname>(?:[A-Za-z][\w.-]*)?:[\w.%:-]*)
    | (?P<bnode>_:[\w.-]*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<string>"""
    + _STRING
    + r""")
    | (?P<other>.)
    | (?P<end>\Z)  # only spaces or a comment after the last token
    )
""",
    re.VERBOSE | re.DOTALL,
)
"""One match per token: the spaces and comments before it are skipped inside the match,
where they used to be matches of their own (about half of all matches). Every check of a
query reads these tokens (:func:`_tokens`)."""

_BLANKED = re.compile(r"#[^\n]*|" + _STRING + "|" + _IRI_TOKEN, re.DOTALL)
"""What :func:`skeleton` blanks: exactly the tokenizer's comments, strings and IRIs (the
same patterns; no other token can hold a ``#``, a quote or a ``<`` where these start)."""


def skeleton(sparql: str) -> str:
    """The query with each comment, string and IRI replaced by one NUL character. What is
    left holds all of the query's keywords, prefixed names and variables, in order, so
    queries with the same skeleton pass or fail :func:`~influencegraph.sparql.prepare`'s
    checks alike: a cache key for queries that differ only in the IRIs and strings they
    name, as a client's queries about one entity after another do.

    Example:
        >>> skeleton('SELECT ?t { <http://e/a> dcterms:title "x#y" } # SERVICE')
        'SELECT ?t { \\x00 dcterms:title \\x00 } \\x00'
    """
    return _BLANKED.sub("\x00", sparql)


@lru_cache(maxsize=32)
def _tokens(sparql: str) -> tuple[tuple[str, str, int], ...]:
    """The query's tokens but spaces and comments, as (kind, text, offset): read once for
    the checks that each want some of them (:func:`keywords`, :func:`variables`...)."""
    return tuple(
        [
            (kind, match[kind], match.start(kind))
            for match in _TOKEN.finditer(sparql)
            if (kind := match.lastgroup) and kind != "end"
        ]
    )


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
    text = (
        f"{sparql[: where + 1]} VALUES ({names}) {{ ({' '.join(terms.values())}) }}"
        f"{sparql[where + 1 :]}"
    )
    return fill(text, {name: [bindings[name]] for name in bindings}, strict=False)


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


_IRI = r'<[^\x00-\x20<>"{}|^`\\]*>'
_NT_TERM = re.compile(
    _IRI + r'|"(?:[^"\\\n\r]|\\[tbnrf"\'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*"'
    r"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^" + _IRI + ")?"
)
"""One N-Triples IRI or literal: the only text :func:`with_term_values` lets in."""


def with_term_values(sparql: str, name: str, terms: Sequence[str]) -> str:
    """The query with ``VALUES ?name { ... }`` of ``terms`` (N-Triples IRIs or literals,
    as bulk code holds them, skipping a conversion to rdflib terms) at the start of its
    WHERE group. Anything that is not exactly one such term raises :class:`QueryError`.

    Example:
        >>> with_term_values("SELECT ?s WHERE { ?s ?p ?o }", "o", ['"a"@en', "<http://e/b>"])
        'SELECT ?s WHERE { VALUES ?o { "a"@en <http://e/b> } ?s ?p ?o }'
        >>> with_term_values("SELECT ?s WHERE { ?s ?p ?o }", "o", ['"a" } ?s ?p "b'])
        Traceback (most recent call last):
        ...
        influencegraph.errors.QueryError: not an N-Triples term: '"a" } ?s ?p "b'
    """
    if not VARNAME.fullmatch(name):
        raise QueryError(f"invalid variable name {name!r}")
    for term in terms:
        if not _NT_TERM.fullmatch(term):
            raise QueryError(f"not an N-Triples term: {term!r}")
    where = where_group(sparql) + 1
    return f"{sparql[:where]} VALUES ?{name} {{ {' '.join(terms)} }}{sparql[where:]}"


def bound_queries(sparql: str, var: str, values: Iterable[Any], batch: int) -> list[str]:
    """The queries that bind ``?var`` to each of ``values`` (terms, duplicates dropped),
    ``batch`` at a time: a ``VALUES`` block (:func:`values_block`) at the start of the WHERE
    group, and the query's ``VALUES ?var { UNDEF }`` slots filled (:func:`fill`).

    Example:
        >>> from influencegraph.graph.terms import IRI
        >>> bound_queries("SELECT * WHERE { ?x ?p ?o }", "x", [IRI("http://e/a")] * 2, 200)
        ['SELECT * WHERE { VALUES ?x { <http://e/a> }\\n ?x ?p ?o }']
    """
    terms = list(dict.fromkeys(values))
    where = where_group(sparql) + 1
    queries = []
    for start in range(0, len(terms), batch):
        chunk = terms[start : start + batch]
        text = f"{sparql[:where]} {values_block(var, chunk)}\n{sparql[where:]}"
        queries.append(fill(text, {var: chunk}, strict=False))
    return queries


def filled_queries(sparql: str, key: Key, values: Iterable[Any], batch: int) -> list[str]:
    """The queries whose parameter slot ``key`` is filled with ``values`` (terms, or tuples
    of terms; duplicates dropped), ``batch`` at a time (:func:`fill`)."""
    terms = list(dict.fromkeys(values))
    return [
        fill(sparql, {key: terms[start : start + batch]}) for start in range(0, len(terms), batch)
    ]


Key = str | tuple[str, ...]
"""A parameter: one variable's name, or the names of a slot that binds several together."""

_SLOT = re.compile(r"""(?mx)^(?P<indent>[ \t]*)VALUES[ \t]+
    (?:\?(?P<one>\w+)[ \t]*\{[ \t]*UNDEF[ \t]*\}
      |\((?P<many>(?:[ \t]*\?\w+)+)[ \t]*\)[ \t]*\{[ \t]*\((?:[ \t]*UNDEF)+[ \t]*\)[ \t]*\})
    [ \t]*$""")


def _slot_key(match: re.Match[str]) -> Key:
    if match.group("one"):
        return match.group("one")
    return tuple(name.lstrip("?") for name in match.group("many").split())


def parameters(sparql: str) -> list[Key]:
    """The query's parameter slots, in text order: each line that is just
    ``VALUES ?x { UNDEF }`` (or ``VALUES (?a ?b) { (UNDEF UNDEF) }``).

    A slot is valid SPARQL that restricts nothing, so a shipped query runs as written in
    any engine; :func:`fill` puts the bound values there. Slots go inside sub-SELECTs,
    UNION branches and OPTIONALs, which engines evaluate on their own, without the outer
    bindings; a slot belongs only in a group that joins the rest on those variables.

    Example:
        >>> parameters("SELECT * WHERE {\\n  VALUES ?x { UNDEF }\\n"
        ...            "  VALUES (?a ?b) { (UNDEF UNDEF) }\\n ?x ?a ?b }")
        ['x', ('a', 'b')]
    """
    return [_slot_key(match) for match in _SLOT.finditer(sparql)]


def fill(sparql: str, values: Mapping[Key, Iterable[Any]], *, strict: bool = True) -> str:
    """The query with each parameter slot filled: ``VALUES ?x { <a> <b> }`` for a key in
    ``values`` (terms written by :func:`values_block`), and the slot dropped for the
    others (it restricts nothing). With ``strict`` (the default), a key the query has no
    slot for raises :class:`QueryError`: a misspelt parameter fails loudly instead of
    silently reading the whole graph.

    Example:
        >>> from rdflib import URIRef
        >>> text = "SELECT * WHERE {\\n  VALUES ?x { UNDEF }\\n  ?x ?p ?o }"
        >>> fill(text, {"x": [URIRef("http://e/a")]}).splitlines()[1]
        '  VALUES ?x { <http://e/a> }'
        >>> fill(text, {"y": []})
        Traceback (most recent call last):
        ...
        influencegraph.errors.QueryError: unknown query parameter ?y; the query's parameters are ?x
    """
    keys = {(key,) if isinstance(key, str) else tuple(key): key for key in values}
    found = parameters(sparql)
    if strict:
        present = {(k,) if isinstance(k, str) else k for k in found}
        unknown = [key for key in keys if key not in present]
        if unknown:

            def show(names: tuple[str, ...]) -> str:
                return " ".join("?" + n for n in names)

            listed = (
                ", ".join(sorted({show((k,) if isinstance(k, str) else k) for k in found}))
                or "none"
            )
            raise QueryError(
                f"unknown query parameter {show(unknown[0])}; the query's parameters are {listed}"
            )

    def replace(match: re.Match[str]) -> str:
        key = _slot_key(match)
        names = (key,) if isinstance(key, str) else key
        if names not in keys:
            return match.group("indent") + "# (parameter not bound)"
        given = keys[names]
        return match.group("indent") + values_block(given, values[given])

    return _SLOT.sub(replace, sparql)


@lru_cache(maxsize=256)
def where_group(sparql: str) -> int:
    """Offset of the ``{`` that opens the query's outermost WHERE group.

    Skips comments, strings and IRIs; skips a CONSTRUCT template and braces inside
    parentheses (``EXISTS { }`` in a projected expression).
    """
    form: str | None = None
    braces = parens = 0
    in_template = False
    for kind, text, start in _tokens(sparql):
        if kind == "word" and braces == 0 and parens == 0:
            upper = text.upper()
            if form is None and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = upper
                in_template = form == "CONSTRUCT"
            elif form == "CONSTRUCT" and upper == "WHERE" and in_template:
                raise QueryError(
                    "cannot bind variables in a CONSTRUCT WHERE short form; "
                    "write CONSTRUCT { ... } WHERE { ... }"
                )
        elif kind == "punct":
            if text == "(":
                parens += 1
            elif text == ")":
                parens -= 1
            elif text == "{":
                if braces == 0 and parens == 0 and form is not None and not in_template:
                    return start
                braces += 1
            elif text == "}":
                braces -= 1
                if braces == 0 and parens == 0 and in_template:
                    in_template = False
    raise QueryError("cannot find the query's WHERE clause to bind variables in")


class Outline(NamedTuple):
    """What the checks of a query read of its tokens, gathered in one pass."""

    keywords: tuple[tuple[str, str, int], ...]
    """Each bare word, upper-cased, with the text of the token after it and its offset."""
    prefixes: frozenset[str]
    """The prefixes of the prefixed names used."""
    variables: frozenset[str]
    """The names of the variables mentioned."""


@lru_cache(maxsize=32)
def outline(sparql: str) -> Outline:
    """The query's keywords, prefixes and variables (see :class:`Outline`), read in one pass
    over its tokens: :func:`~influencegraph.sparql.prepare` wants all three for every query
    a server answers. Cached, like the tokens (so immutable)."""
    tokens = _tokens(sparql)
    found: list[tuple[str, str, int]] = []
    prefixes: set[str] = set()
    names: set[str] = set()
    last = len(tokens) - 1
    for index, (kind, text, start) in enumerate(tokens):
        if kind == "word":
            found.append((text.upper(), tokens[index + 1][1] if index < last else "", start))
        elif kind == "var":
            names.add(text[1:])
        elif kind == "pname":
            prefixes.add(text.partition(":")[0])
    return Outline(tuple(found), frozenset(prefixes), frozenset(names))


def keywords(sparql: str) -> list[tuple[str, str, int]]:
    """Each keyword of the query (a bare word: not a variable, prefixed name, IRI, string
    or comment), upper-cased, with the text of the token after it and its offset.

    Example:
        >>> keywords("SELECT ?service WHERE { SERVICE <http://e/> { ?s ex:FROM ?o } }")
        [('SELECT', '?service', 0), ('WHERE', '{', 16), ('SERVICE', '<http://e/>', 24)]
    """
    return list(outline(sparql).keywords)


def prefixed_names(sparql: str) -> set[str]:
    """The prefixes of the prefixed names the query uses (``ig`` for ``ig:Report``).

    Example:
        >>> sorted(prefixed_names('SELECT * { ?s a ig:Report ; rdfs:label "x:y" }'))
        ['ig', 'rdfs']
    """
    return set(outline(sparql).prefixes)


def variables(sparql: str) -> set[str]:
    """The names of the variables the query mentions (``?x`` and ``$x``).

    Example:
        >>> sorted(variables('SELECT ?a WHERE { ?a ?b "?not" } # ?nor'))
        ['a', 'b']
    """
    return set(outline(sparql).variables)


def query_kind(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the query's form keyword."""
    for kind, text, _ in _tokens(sparql):
        if kind == "word" and text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return text.upper()
    return "SELECT"
