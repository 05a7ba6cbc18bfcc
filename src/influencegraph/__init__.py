"""influencegraph: policy-influence evidence as an RDF knowledge graph.

The library is usable on its own; ``influencegraph.cli`` is a thin layer over it.
Heavy libraries (rdflib, networkx, pyshacl, pyvis) are imported inside the functions
that need them, so importing this package is cheap.
"""

__version__ = "0.1.0"
