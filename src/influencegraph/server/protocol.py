"""The SPARQL 1.1 Protocol's rules that do not depend on HTTP plumbing: content
negotiation by result kind, media types, limits, and the error an answer can carry."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from ..sparql import formats_for

if TYPE_CHECKING:
    """The explorer's routes: (method, path, query parameters) -> response."""

QUERY_PATH = "/sparql"
MAX_QUERY_BYTES = 100_000
"""The longest query (or POST body) accepted, in bytes."""

# What each kind of result can be written as: media type -> format name, in order of
# preference (the first is the default for "*/*" or no Accept header).
_SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "html",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "json",
    "application/json": "json",
    "text/html": "html",
}


def negotiate(accept: str | None, kind: str) -> str | None:
    """The format to answer in for an ``Accept`` header, or None if nothing fits (406).

    Highest quality wins; among equals, the order of the header, then the server's.

    Example:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
        'xml'
        >>> negotiate("*/*", "CONSTRUCT")
        'turtle'
        >>> negotiate("image/png", "ASK") is None
        True
    """
    types = _types_for(kind)
    if not accept or not accept.strip():
        return next(iter(types.values()))
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, item in enumerate(accept.split(",")):
        media, _, params = item.strip().partition(";")
        media = media.strip().lower()
        quality = _quality(params)
        if quality <= 0:
            continue
        for rank, (offered, fmt) in enumerate(types.items()):
            major = offered.split("/")[0]
            if media in (offered, f"{major}/*", "*/*"):
                key = (-quality, position, rank)
                if best is None or key < best:
                    best, chosen = key, fmt
                break
    return chosen


def _types_for(kind: str) -> dict[str, str]:
    """Media type -> format for a result of this kind (ASK: JSON, XML and HTML only)."""
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return _GRAPH_TYPES
    if kind == "ASK":
        return {m: f for m, f in _SOLUTION_TYPES.items() if f not in ("csv", "tsv")}
    return _SOLUTION_TYPES


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def media_type(kind: str, fmt: str) -> str:
    """The Content-Type sent for a format (with ``charset=utf-8`` for text types)."""
    if fmt == "html":
        return "text/html; charset=utf-8"
    media = formats_for(kind)[fmt]
    return media if media.endswith(("+json", "+xml", "ld+json")) else media + "; charset=utf-8"


class _HTTPError(Exception):
    """An answer other than 200, with its plain-text reason."""

    def __init__(
        self, status: HTTPStatus, reason: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}
