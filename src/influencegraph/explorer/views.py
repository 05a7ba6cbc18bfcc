"""Explorer pages as HTML: the jinja templates in ``templates/explorer`` (autoescaped), the
shared assets, and the Content-Security-Policy every page carries.

Scripts are files (``assets/``), never inline, so the policy allows scripts from the
page's own origin only; graph data travels as escaped JSON in non-executed
``<script type="application/json">`` blocks and reaches the screen through ``textContent``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ..render import json_for_html, vis_assets
from ..templating import TEMPLATES
from .addresses import Links
from .pages import PageData

EXPLORER_TEMPLATES = TEMPLATES / "explorer"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'"
)
"""The policy in every page's ``<meta>`` (a published site has no headers)."""
CSP_HEADER = CSP + "; frame-ancestors 'none'"
"""The policy the server sends (``frame-ancestors`` works only as a header)."""

_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@functools.lru_cache(maxsize=1)
def assets() -> dict[str, bytes]:
    """Every file under ``assets/``: the explorer's script and style, vis-network, and the
    network view's script from :mod:`influencegraph.render`."""
    vis_js, vis_css = vis_assets()
    return {
        "explorer.js": (EXPLORER_TEMPLATES / "explorer.js").read_bytes(),
        "explorer.css": (EXPLORER_TEMPLATES / "explorer.css").read_bytes(),
        "network.js": (TEMPLATES / "page.js").read_bytes(),
        "vis-network.min.js": vis_js.encode("utf-8"),
        "vis-network.css": vis_css.encode("utf-8"),
    }


def asset_type(name: str) -> str:
    """The Content-Type of an asset."""
    return _MEDIA[Path(name).suffix]


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    from ..templating import environment

    env = environment(EXPLORER_TEMPLATES, trim=True)
    env.auto_reload = False  # templates ship with the package: no stat() per page rendered
    env.filters["json"] = lambda value: __import__("markupsafe").Markup(json_for_html(value))
    return env


def render(page: PageData, links: Links, *, index: Any = None) -> str:
    """The page as HTML. ``index`` (a published site's search index) is embedded as JSON."""
    from markupsafe import Markup

    view = page.values.get("view")
    html: str = (
        _environment()
        .get_template(page.template)
        .render(
            page=page,
            title=page.title,
            links=links,
            csp=CSP,
            static=links.static,
            view_json=Markup(json_for_html(view.data())) if view is not None else None,
            index=index,
            **page.values,
        )
    )
    return html
