"""A read-only SPARQL 1.1 Protocol endpoint: the HTTP layer over :mod:`influencegraph.sparql`.

``GET /sparql?query=...`` and ``POST /sparql`` (``application/x-www-form-urlencoded`` with
``query=...``, or the query itself as ``application/sparql-query``) answer in the format the
``Accept`` header asks for (or a ``format`` parameter names): SPARQL JSON, XML, CSV or TSV
results for SELECT and ASK; Turtle, N-Triples, RDF/XML or JSON-LD for CONSTRUCT and
DESCRIBE; an HTML table for a browser. ``GET /sparql`` with no query answers the
endpoint's SPARQL 1.1 Service Description (Turtle), or a browser the query form. ``GET
/`` is a small query form (no scripts, no external files, every value escaped), unless
an ``explorer`` is attached (``serve`` attaches :mod:`influencegraph.explorer`): then
every GET but ``/sparql`` goes to it, ``/`` included. ``HEAD`` answers as ``GET`` without
the body; ``OPTIONS`` answers CORS preflights.

Browser clients on other origins (YASGUI, a notebook page) may read answers only when
``cors_origins`` names their origin, or is ``("*",)``: by default no cross-origin reads
are allowed, since the graph on a loopback endpoint may be private and any web page the
user opens could otherwise read it. When bound to a loopback address, a request whose
``Host`` header names another host is refused (403), which defeats DNS rebinding.

Every query passes through :func:`influencegraph.sparql.prepare` first, so what the
command line refuses is refused here too. Status codes:

- 400 with a one-line plain-text reason: a syntax error, an update (``update=``,
  ``application/sparql-update``; there is no update endpoint), ``SERVICE``, ``FROM``,
  ``default-graph-uri``/``named-graph-uri``, a missing or repeated ``query``, a body
  shorter than its ``Content-Length`` (408 when the client stops sending).
- 500 when the engine fails on a well-formed query.
- 503 when the server will not spend more on the query: it ran past the time bound (the
  evaluation is stopped, see :mod:`influencegraph.sparql`), its result has more rows than
  the runner's ``max_rows`` (``serve`` uses :data:`~influencegraph.sparql.ENDPOINT_MAX_ROWS`),
  or every evaluation slot stayed busy (then with ``Retry-After``).
- 406 when ``Accept`` names no format this kind of result can be written in (an ASK is
  written only as SPARQL JSON or XML, the W3C formats for a boolean); 413 for a
  query over :data:`MAX_QUERY_BYTES`; 415 for another POST body type; 403 for a foreign
  ``Host`` on a loopback endpoint. Every error, 414 and 501 included, is one line of
  plain text; a client that hangs up is not an error worth a traceback.

Built on the standard library's ``ThreadingHTTPServer``; :class:`Endpoint` can be started
in a background thread (tests do, on a free loopback port) and stopped again. With
``processes`` (``serve`` gives ``--workers``), worker processes accept the connections and
answer ``/sparql`` themselves, each stopped at a query's deadline and replaced
(:mod:`.processes`): HTTP and evaluation then run on every core. A worker reads and
writes HTTP with its own lean reader and writer (:mod:`.wire`, same handler rules) and
writes SPARQL JSON straight from the engine's solutions (:mod:`.results`).

Example:
    >>> import json, urllib.request, urllib.parse
    >>> from influencegraph.graph import open_source
    >>> from influencegraph.sparql import QueryRunner
    >>> with Endpoint(QueryRunner(open_source()), port=0).start() as endpoint:
    ...     url = endpoint.query_url + "?" + urllib.parse.urlencode(
    ...         {"query": "ASK { ?r a ig:Survey }"})
    ...     json.load(urllib.request.urlopen(url))
    {'head': {}, 'boolean': True}

Parts: :mod:`.protocol` (negotiation, limits), :mod:`.endpoint`, :mod:`.http` (the
handler), :mod:`.processes` (the worker processes), :mod:`.wire` (their HTTP reader and writer),
:mod:`.results` (their JSON results), :mod:`.pages` (service description, query form).
"""

from .endpoint import (
    Endpoint,
)
from .pages import (
    SERVICE_DESCRIPTION,
    form_page,
    service_description,
)
from .protocol import (
    MAX_QUERY_BYTES,
    QUERY_PATH,
    media_type,
    negotiate,
)

__all__ = [
    "MAX_QUERY_BYTES",
    "QUERY_PATH",
    "SERVICE_DESCRIPTION",
    "Endpoint",
    "form_page",
    "media_type",
    "negotiate",
    "service_description",
]
