"""Every module of the package can be the first one a program imports: no import cycle
shows only in some orders (``import influencegraph.queries.text`` first once failed on the
cycle queries.text -> graph.terms -> graph -> graph.base -> queries.text)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import importlib, pkgutil, sys
import influencegraph

names = sorted(
    m.name for m in pkgutil.walk_packages(influencegraph.__path__, "influencegraph.")
    if not m.name.endswith("__main__")
)
failed = []
for name in names:
    for loaded in [m for m in sys.modules if m.startswith("influencegraph.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print(len(names))
print("\n".join(failed))
"""


def test_every_module_imports_first_in_a_fresh_package():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    count, *failures = done.stdout.strip().split("\n")
    assert int(count) > 50  # the walk found the package's modules
    assert [f for f in failures if f] == []
