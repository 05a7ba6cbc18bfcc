"""influencegraph: policy-influence evidence as an RDF knowledge graph.

The library is usable on its own; ``influencegraph.cli`` is a thin layer over it.
Heavy libraries (rdflib, networkx, pyshacl, pyvis) are imported inside the functions
that need them, so importing this package is cheap.

Example:
    >>> import influencegraph as ig
    >>> g = ig.open()
    >>> g.path("All Together Now", "ICS").paths[0].hops[0].kind
    'endorses'
"""

from .api import InfluenceGraph, open
from .errors import (
    AmbiguousNameError,
    DataFileError,
    InfluenceGraphError,
    QueryError,
    SourceError,
    UnknownNameError,
)

__version__ = "0.1.0"

__all__ = [
    "AmbiguousNameError",
    "DataFileError",
    "InfluenceGraph",
    "InfluenceGraphError",
    "QueryError",
    "SourceError",
    "UnknownNameError",
    "__version__",
    "open",
]
