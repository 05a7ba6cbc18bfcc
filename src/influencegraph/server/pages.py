"""What ``GET /sparql`` answers without a query: the Service Description, or a browser's
query form (no scripts, no external files, every value escaped)."""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..graph import QueryResult

from .protocol import (
    QUERY_PATH,
)

SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .

[] a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
    fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples, fmt:RDF_XML, fmt:JSON-LD ;
  sd:feature sd:UnionDefaultGraph ;
  sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> .
"""


def service_description(endpoint: str, accept: str | None) -> tuple[str, bytes]:
    """The endpoint's SPARQL 1.1 Service Description, as Turtle (or N-Triples if asked)."""
    text = SERVICE_DESCRIPTION.format(endpoint=endpoint)
    if accept and "application/n-triples" in accept and "text/turtle" not in accept:
        from rdflib import Graph

        data = Graph().parse(data=text, format="turtle").serialize(format="nt")
        return "application/n-triples", data.encode("utf-8")
    return "text/turtle; charset=utf-8", text.encode("utf-8")


_EXAMPLE = """SELECT ?work ?kind ?target ?claimant WHERE {
  ?target prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?influencer ; ig:kind ?k ; ig:claimant ?c .
  ?influencer rdfs:label ?work . ?k rdfs:label ?kind . ?c rdfs:label ?claimant .
} LIMIT 20"""


def form_page(query: str = _EXAMPLE, result: QueryResult | None = None) -> str:
    """The query form (and, below it, ``result``), as one self-contained HTML page
    (``templates/sparql-form.html.j2``, every value escaped)."""
    from ..sparql import QUERY_KINDS, serialize, term_text
    from ..templating import template
    from ..vocab import PREFIXES

    turtle = triples = None
    rows: list[list[dict[str, str]]] = []
    if result is not None and result.graph is not None:
        turtle = serialize(result, "turtle").decode("utf-8")
        triples = len(result.graph)
    elif result is not None and result.kind == "SELECT":
        rows = [[_cell(term, term_text(term)) for term in row] for row in result.rows]
    return str(
        template("sparql-form.html.j2").render(
            query=query,
            result=result,
            turtle=turtle,
            triples=triples,
            rows=rows,
            kinds=QUERY_KINDS,
            prefixes=list(PREFIXES),
            path=QUERY_PATH,
            formats=("html", "json", "xml", "csv", "tsv", "turtle", "ntriples"),
        )
    )


def _cell(term: Any, text: str) -> dict[str, str]:
    """A table cell: an IRI links to a DESCRIBE of itself, anything else is text."""
    from rdflib import URIRef

    if isinstance(term, URIRef):
        try:
            iri = term.n3()  # refuses an IRI that would not read back as one
        except Exception:
            return {"text": text}
        link = (
            QUERY_PATH
            + "?"
            + urllib.parse.urlencode({"query": f"DESCRIBE {iri}", "format": "html"})
        )
        return {"text": text, "link": link, "iri": str(term)}
    return {"text": text}
