"""Where the graph comes from: RDF files, an on-disk Oxigraph store or a remote SPARQL
endpoint, all read through the small :class:`Source` interface.

Opened by what a command needs (:func:`open_source` with ``needs=``): reading the
project's own queries, answering a user's query, or editing. Oxigraph answers every
read, so the answers don't depend on where the graph lives; rdflib is kept for SHACL,
editing and serialising (:func:`whole_graph`). Results always come back as rdflib terms.

Modules: ``base`` (the interface), ``parsing`` (files), ``terms`` (term conversion and
the one literal escaper), ``oxigraph``, ``endpoint`` and ``rdflib_graph`` (back ends),
``opening`` (choosing one).
"""

from .base import VALUES_BATCH, PathLike, QueryResult, Source, Triple
from .endpoint import EndpointSource
from .opening import NEEDS, open_source, whole_graph
from .oxigraph import (
    STORE_HINT,
    FileSnapshot,
    OxigraphMemorySource,
    OxigraphSource,
    StoreSource,
    is_store,
    open_oxigraph,
)
from .parsing import (
    FORMAT_BY_SUFFIX,
    QUAD_FORMATS,
    bundled_path,
    default_data_paths,
    load_graph,
    ontology_path,
    oxigraph_format,
    parse_into,
    parse_into_oxigraph,
    rdf_format,
    read_rdf_text,
    shapes_path,
    syntax_error,
)
from .rdflib_graph import MemorySource
from .terms import XSD_STRING, oxigraph_converter, sparql_term

__all__ = [
    "FORMAT_BY_SUFFIX",
    "NEEDS",
    "QUAD_FORMATS",
    "STORE_HINT",
    "VALUES_BATCH",
    "XSD_STRING",
    "EndpointSource",
    "FileSnapshot",
    "MemorySource",
    "OxigraphMemorySource",
    "OxigraphSource",
    "PathLike",
    "QueryResult",
    "Source",
    "StoreSource",
    "Triple",
    "bundled_path",
    "default_data_paths",
    "is_store",
    "load_graph",
    "ontology_path",
    "open_oxigraph",
    "open_source",
    "oxigraph_converter",
    "oxigraph_format",
    "parse_into",
    "parse_into_oxigraph",
    "rdf_format",
    "read_rdf_text",
    "shapes_path",
    "sparql_term",
    "syntax_error",
    "whole_graph",
]
