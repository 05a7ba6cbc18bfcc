"""The jinja environments every HTML page is written through: autoescaped, strict about
undefined names, loaded from the package's ``templates/`` folder (nothing from the
network, nothing from the current directory).

Example:
    >>> template("table.html.j2").render(title="T", columns=["a"], rows=[{"a": "<b>"}],
    ...                                  more=0)  # doctest: +ELLIPSIS
    '<table class="influencegraph">...&lt;b&gt;...'
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The HTML, CSS and JavaScript templates shipped with the package."""


@functools.lru_cache(maxsize=4)
def environment(folder: Path = TEMPLATES, *, trim: bool = False) -> Any:
    """A jinja environment over ``folder``: autoescape on, undefined names are errors;
    ``trim`` drops the newline after a block tag (for templates written with many)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
    )


def template(name: str) -> Any:
    """A template from ``templates/`` by file name."""
    return environment().get_template(name)
