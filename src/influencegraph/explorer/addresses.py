"""Page addresses built from IRIs, the same on the server and in a published site.

An entity or a claim of the project's own namespace (``igd:``) is addressed by its local
name (``entity/the-challenge``); any other IRI by ``~`` and its URL-safe base64, so every
address reads back to exactly one IRI and stays valid when the graph grows. A published
site adds ``.html``; every link is relative, so a site works from ``file://`` or any host.

Example:
    >>> slug("https://w3id.org/influencegraph/id/the-challenge")
    'the-challenge'
    >>> iri_of(slug("https://example.org/a b"))
    'https://example.org/a b'
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from ..errors import InfluenceGraphError
from ..vocab import IGD


class PageNotFound(InfluenceGraphError):
    """The address names no page (HTTP 404)."""


_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}\Z")


def slug(iri: str) -> str:
    """The address segment of ``iri``: its local name in ``igd:``, else ``~`` + base64url."""
    local = iri[len(IGD) :] if iri.startswith(IGD) else ""
    if _LOCAL.match(local) and not local.endswith(".html"):
        return local
    return "~" + base64.urlsafe_b64encode(iri.encode("utf-8")).decode("ascii").rstrip("=")


def iri_of(segment: str) -> str:
    """The IRI an address segment stands for; :class:`PageNotFound` if it is none."""
    if segment.startswith("~"):
        body = segment[1:]
        try:
            iri = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise PageNotFound(f"{segment!r} is not a page address") from None
        if not iri or slug(iri) != segment:
            raise PageNotFound(f"{segment!r} is not a page address")
        return iri
    if not _LOCAL.match(segment):
        raise PageNotFound(f"{segment!r} is not a page address")
    return IGD + segment


def type_slug(type_name: str | None) -> str:
    """``"Government body"`` -> ``"government-body"``; no type -> ``"all"``."""
    return (type_name or "all").casefold().replace(" ", "-")


@dataclass(frozen=True)
class Links:
    """Relative links from one page: ``root`` leads back to the top (``""``, ``"../"``...).

    ``static`` adds ``.html`` and turns query pages into the files a site holds.
    ``entities`` / ``claims``, when given, are the IRIs that have a page (a partial site);
    a link to anything else is None, and the page shows plain text instead.
    """

    root: str = ""
    static: bool = False
    entities: frozenset[str] | None = None
    claims: frozenset[str] | None = None
    dossiers: frozenset[str] | None = None

    def _page(self, *parts: str) -> str:
        return self.root + "/".join(parts) + (".html" if self.static else "")

    def at(self, depth: int) -> Links:
        """The same links as seen from a page ``depth`` folders down."""
        return Links("../" * depth, self.static, self.entities, self.claims, self.dossiers)

    def home(self) -> str:
        return self.root + ("index.html" if self.static else "./")

    def search(self) -> str:
        return self._page("search")

    def path_form(self) -> str:
        return self._page("path")

    def asset(self, name: str) -> str:
        return self.root + "assets/" + name

    def entity(self, iri: str) -> str | None:
        if self.entities is not None and iri not in self.entities:
            return None
        return self._page("entity", slug(iri))

    def dossier(self, iri: str) -> str | None:
        if self.dossiers is not None and iri not in self.dossiers:
            return None
        return self._page("dossier", slug(iri))

    def claim(self, iri: str | None) -> str | None:
        if not iri or (self.claims is not None and iri not in self.claims):
            return None
        return self._page("claim", slug(iri))

    def rank(self, by: str, type_name: str | None = None) -> str:
        return self._page("rank", by, type_slug(type_name))

    def path(self, origin: str, goal: str, mode: str) -> str:
        """A path page between two IRIs (a published site holds those it computed)."""
        if self.static:
            return self._page("path", mode, slug(origin), slug(goal))
        from urllib.parse import urlencode

        return self.root + "path?" + urlencode({"from": origin, "to": goal, "mode": mode})
