"""The evidence explorer: browsable pages over a graph, served by ``serve`` at ``/`` and
written as a static site by ``publish``.

* :mod:`.addresses` - page addresses built from the entities' IRIs (stable as the graph grows);
* :mod:`.pages` - pure functions: a source and a request in, the data one page shows out;
* :mod:`.views` - that data rendered through the jinja templates in ``templates/explorer``;
* :mod:`.routes` - one :func:`~.routes.handle` the HTTP server calls for every non-SPARQL path;
* :mod:`.publish` - the same pages as static files that work from ``file://``.
"""
