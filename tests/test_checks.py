"""The checks CI runs besides the tests: ruff lint, ruff format, mypy.

They run here, through the README's test command, so that CI, a contributor's machine and
the README agree on one command. The tools come with the test extras; a missing tool is a
failure that says how to install it, not a skip.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["src", "tests", "bench", "docs", "examples"]


def _tool(name: str) -> str:
    """The tool installed beside this interpreter (the venv's), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    done = _run(_tool("ruff"), "check", *CHECKED)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_code_is_ruff_formatted():
    done = _run(_tool("ruff"), "format", "--check", *CHECKED)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing():
    """The whole package is type-checked; the API, graph and query packages strictly."""
    done = _run(_tool("mypy"))
    assert done.returncode == 0, done.stdout + done.stderr


LONG = 400
"""Lines a module may have before its docstring must say why it is kept whole."""


def test_every_long_module_says_why_it_is_one_module():
    """Small modules each own one thing; a longer one states its reason, so a maintainer
    can judge whether it still holds (issue 12's rule: ~400 lines unless the docstring
    says why)."""
    import ast

    unexplained = []
    for path in sorted((ROOT / "src" / "influencegraph").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LONG:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if "Kept as one module:" not in docstring:
            unexplained.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert not unexplained, "long modules without a reason: " + ", ".join(unexplained)
