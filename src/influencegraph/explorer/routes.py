"""The explorer's HTTP routes: one :func:`handle` the server calls for every path but
``/sparql``. It knows nothing of sockets: a request in, a :class:`Response` out.

==========================  ======================================================
``/``                       start page
``/search?q=``              search, with suggestions for typos
``/suggest?q=``             JSON ``[{label, type, iri}]`` for the name fields
``/entity/<address>``       an entity (see :mod:`.addresses`)
``/claim/<address>``        one influence claim, citable
``/dossier/<address>``      an impact dossier
``/path?from=&to=&mode=``   an influence path (names or IRIs; shortest or strongest)
``/rank/<measure>/<type>``  a ranking (``all`` for every type)
``/assets/<file>``          the explorer's scripts and styles
==========================  ======================================================

Example:
    >>> from influencegraph.graph import open_source
    >>> handle(open_source(), "GET", "/entity/the-challenge", {}).status
    200
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import AmbiguousNameError, InfluenceGraphError, UnknownNameError
from ..graph import Source
from . import pages
from .addresses import Links, PageNotFound, iri_of, type_slug
from .pages import PageData
from .views import CSP_HEADER, asset_type, assets, render


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, headers (Content-Type among them) and body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


_COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _html(page: PageData, links: Links) -> Response:
    body = render(page, links).encode("utf-8")
    return Response(
        page.status,
        {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": CSP_HEADER,
            **_COMMON,
        },
        body,
    )


def _one(params: Mapping[str, Sequence[str]], name: str, default: str = "") -> str:
    values = params.get(name) or [default]
    return values[0]


def _type_named(segment: str) -> str | None:
    from ..ranking import valid_types

    if segment == "all":
        return None
    for name in valid_types():
        if type_slug(name) == segment:
            return name
    raise PageNotFound(
        f"no type {segment!r}; use all or one of " + ", ".join(type_slug(t) for t in valid_types())
    )


def _page(source: Source, parts: list[str], params: Mapping[str, Sequence[str]]) -> PageData:
    """The page for a path split into segments (``["entity", "the-challenge"]``)."""
    match parts:
        case [""]:
            return pages.home()
        case ["search"]:
            return pages.search_page(source, _one(params, "q"))
        case ["entity", address]:
            return pages.entity_page(source, iri_of(address))
        case ["claim", address]:
            return pages.claim_page(source, iri_of(address))
        case ["dossier", address]:
            return pages.dossier_page(source, iri_of(address))
        case ["path"]:
            origin, goal = _one(params, "from"), _one(params, "to")
            mode = _one(params, "mode", "shortest")
            try:
                return pages.path_page(source, origin, goal, mode)
            except (UnknownNameError, AmbiguousNameError) as exc:
                page = pages.path_page(source, "", "", mode)
                page.values.update(origin=origin, goal=goal, error=str(exc))
                page.status = 404
                return page
        case ["rank"]:
            return pages.rank_page(source, "pagerank", None)
        case ["rank", by, kind]:
            from ..ranking import METRICS

            if by not in METRICS:
                raise PageNotFound(f"no measure {by!r}; use one of {', '.join(METRICS)}")
            return pages.rank_page(source, by, _type_named(kind))
    raise PageNotFound("no such page")


def handle(source: Source, method: str, path: str, params: Mapping[str, Sequence[str]]) -> Response:
    """Answer one request for an explorer page, a suggestion list or an asset.

    GET and HEAD only (HEAD gets the same headers and the body, which the server drops);
    an unknown address is 404, a bad request 400, each as an explorer page saying why.
    """
    if method not in ("GET", "HEAD"):
        return Response(
            405,
            {"Allow": "GET, HEAD", "Content-Type": "text/plain; charset=utf-8", **_COMMON},
            b"the explorer is read-only: use GET\n",
        )
    parts = path.lstrip("/").split("/")
    if parts[0] == "assets" and len(parts) == 2:
        found = assets().get(parts[1])
        if found is None:
            return Response(
                404, {"Content-Type": "text/plain; charset=utf-8", **_COMMON}, b"no such asset\n"
            )
        return Response(
            200,
            {"Content-Type": asset_type(parts[1]), "Cache-Control": "max-age=3600", **_COMMON},
            found,
        )
    if parts == ["suggest"]:
        found_names = pages.suggestions(source, _one(params, "q"))
        return Response(
            200,
            {"Content-Type": "application/json", **_COMMON},
            json.dumps(found_names, ensure_ascii=False).encode("utf-8"),
        )
    links = Links().at(len(parts) - 1)
    try:
        page = _page(source, parts, params)
    except (PageNotFound, UnknownNameError) as exc:
        page = PageData("error.html.j2", "Not found", {"message": str(exc)}, 404)
    except InfluenceGraphError as exc:
        page = PageData("error.html.j2", "Cannot show this page", {"message": str(exc)}, 400)
    return _html(page, links)


SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))
"""Pages built at once, one per core: more threads on the same cores only make each page
slower (they take turns holding the GIL), so further requests wait for a slot."""


def explorer_for(source: Source) -> Callable[[str, str, dict[str, list[str]]], Response]:
    """What :class:`influencegraph.server.Endpoint` calls: :func:`handle` over ``source``,
    at most :data:`SLOTS` requests at a time."""

    def answer(method: str, path: str, params: dict[str, list[str]]) -> Response:
        with SLOTS:
            return handle(source, method, path, params)

    return answer
