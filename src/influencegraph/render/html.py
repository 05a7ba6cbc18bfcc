"""The page as one self-contained HTML file: vis-network inlined, data as escaped JSON,
a CSP that forbids every fetch; written atomically."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InfluenceGraphError, NothingToDraw
from ..files import write_atomically
from ..output import plural
from ..templating import TEMPLATES, template

if TYPE_CHECKING:
    from ..graph import Source
from .page import (
    Page,
    build_page,
    node_types,
    path_highlight,
    select_view,
)

VIS_VERSION = "9.1.2"
"""The vis-network build inlined into every page (shipped inside pyvis 0.3.2)."""

# ---------------------------------------------------------------- HTML


@functools.lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's minified JavaScript and its CSS, read from the installed pyvis package.

    pyvis is located without being imported (importing it pulls in IPython). The source-map
    comment is dropped so nothing in the page even names another file.
    """
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        folder = Path(root) / "templates" / "lib" / f"vis-{VIS_VERSION}"
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            script = re.sub(
                r"^//# sourceMappingURL=\S*\s*$",
                "",
                js.read_text(encoding="utf-8"),
                flags=re.MULTILINE,
            )
            return script, css.read_text(encoding="utf-8")
    raise InfluenceGraphError(
        f"vis-network {VIS_VERSION} was not found in the installed pyvis package; "
        "reinstall influencegraph (it needs pyvis 0.3.2)"
    )


def _script_safe(text: str) -> str:
    """Text that cannot end the ``<script>``/``<style>`` element holding it."""
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


def json_for_html(value: Any) -> str:
    """JSON safe inside an HTML element: ``<``, ``>``, ``&``, ``'`` are ``\\u`` escapes.

    Example:
        >>> json_for_html({"label": "</script><b>"})
        '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str
    )  # dates or terms in a caller's graph show as text
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _sha256(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.lru_cache(maxsize=1)
def _page_parts() -> tuple[Any, dict[str, Any]]:
    """The compiled template and what every page shares: scripts, styles, the CSP."""
    from markupsafe import Markup

    vis_js, vis_css = vis_assets()
    vis_js = _script_safe(vis_js)
    page_js = _script_safe((TEMPLATES / "page.js").read_text(encoding="utf-8"))
    page_css = _script_safe((TEMPLATES / "page.css").read_text(encoding="utf-8"))
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_sha256(vis_js)} {_sha256(page_js)}",  # only these two scripts run
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    shared = {
        "csp": csp,
        "vis_css": Markup(_script_safe(vis_css)),
        "page_css": Markup(page_css),
        "vis_js": Markup(vis_js),
        "page_js": Markup(page_js),
    }
    return template("page.html.j2"), shared


def render_html(page: Page) -> str:
    """The page as one self-contained HTML document (about 0.7 MB plus the graph's data).

    Example:
        >>> import networkx as nx
        >>> html = render_html(build_page(nx.Graph([("a", "b")])))
        >>> html.startswith("<!DOCTYPE html>") and "https://cdn" not in html
        True
    """
    from markupsafe import Markup

    template, shared = _page_parts()
    html: str = template.render(page=page, data_json=Markup(json_for_html(page.data())), **shared)
    return html


def write_html(html: str, path: str | os.PathLike[str]) -> Path:
    """Write ``html`` to ``path`` atomically (:func:`files.write_atomically`): a reader never
    sees half a page, and a failed write leaves the old file in place."""
    return write_atomically(path, html)


def to_pyvis(page: Page) -> Any:
    """The page's nodes and edges in a ``pyvis.network.Network`` (same labels, groups,
    sizes, tooltips and edge widths), filled directly rather than through pyvis's
    quadratic ``add_node``/``add_edge``.

    Example:
        >>> import networkx as nx
        >>> net = to_pyvis(build_page(nx.Graph([("a", "b")])))
        >>> (len(net.nodes), len(net.edges))
        (2, 1)
    """
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for node in page.node_items():
        net.nodes.append(
            {
                "id": node["id"],
                "label": node["label"],
                "group": node["type"],
                "title": f"{node['label']} ({node['type']})",
                "size": node["size"],
                "shape": "dot",
            }
        )
        net.node_ids.append(node["id"])
        net.node_map[node["id"]] = net.nodes[-1]
    widths = {name: width for name, _, _, width in page.kinds}
    for edge in page.edge_items():
        net.edges.append(
            {
                "from": edge["from"],
                "to": edge["to"],
                "label": edge["relation"],
                "title": edge["evidence"] or edge["relation"],
                "width": widths.get(edge["kind"], 1),
                "arrows": "to",
            }
        )
    return net


def write_page(page: Page, path: str | os.PathLike[str]) -> Path:
    """Render ``page`` and write it atomically to ``path``; returns the path written."""
    return write_html(render_html(page), path)


# ---------------------------------------------------------------- the CLI's one call


def viz_page(
    source: Source,
    *,
    around: str | None = None,
    depth: int | None = None,
    types: Iterable[str] = (),
    since: int | None = None,
    path: tuple[str, str] | None = None,
) -> Page:
    """The page ``influencegraph viz`` writes: every relation in ``source``, or a part of it.

    ``around`` is a name (label, alternative label, CURIE or IRI) resolved through
    :func:`influencegraph.names.resolve`; ``depth`` (default 1) is how many hops around it.
    ``types`` are type names as a user types them (``report``, ``Organizations``).
    ``path`` (FROM, TO) highlights the hops of the shortest influence path between them,
    as ``influencegraph path FROM TO`` finds it; its entities are always drawn.

    Raises :class:`~influencegraph.errors.NothingToDraw` when no entity is left, or there is
    no such path (with the reason and hints ``path`` gives).

    Example:
        >>> from influencegraph.graph import open_source
        >>> page = viz_page(open_source(), around="The Challenge", depth=1)
        >>> page.title
        'influencegraph: around The Challenge'
    """
    from ..names import resolve
    from ..projection import relation_graph, relations_around

    if depth is not None and around is None:
        raise InfluenceGraphError("depth needs around=NAME: the hops are counted from it")
    if depth is not None and depth < 0:
        raise InfluenceGraphError("depth must be 0 or more")
    hops = 1 if depth is None else depth
    wanted = node_types(types) if types else None
    centre = resolve(source, around) if around is not None else None
    highlight = None
    if path is not None:
        from ..paths import find_paths

        found = find_paths(source, *path)
        if not found.paths:
            raise NothingToDraw(found.message())
        highlight = path_highlight(found.paths[0])
    if centre is not None and highlight is None:  # only what is near: never the whole graph
        graph = relations_around(source, centre.iri, hops)
    else:
        graph = relation_graph(source)
    view = select_view(
        graph,
        around=centre.iri if centre else None,
        depth=hops,
        types=wanted,
        since=since,
        keep=highlight.nodes if highlight else (),
    )
    if view.number_of_nodes() == 0:
        raise NothingToDraw("nothing to draw: no entity matches these options")
    parts = []
    if centre is not None:
        parts.append(f"within {plural(hops, 'hop')} of {centre.label}")
    if types:
        parts.append("types: " + ", ".join(sorted(wanted or ())))
    if since is not None:
        parts.append(f"works since {since}")
    if highlight is not None:
        parts.append(f"highlighted: {highlight.caption}")
    counts = (
        f"{plural(view.number_of_nodes(), 'entity')}, {plural(view.number_of_edges(), 'relation')}"
    )
    title = f"influencegraph: around {centre.label}" if centre else "influencegraph"
    return build_page(view, title=title, subtitle="; ".join([counts, *parts]), highlight=highlight)
