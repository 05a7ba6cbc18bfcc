"""A published site is the same bytes whatever Python's string hashing does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import influencegraph

SRC = str(Path(influencegraph.__file__).resolve().parent.parent)


def _publish(folder: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": SRC}
    subprocess.run(
        [sys.executable, "-m", "influencegraph", "publish", "-o", str(folder)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_bundled_site_is_byte_for_byte_the_same_under_two_hash_seeds(tmp_path):
    first = _publish(tmp_path / "one", "1")
    second = _publish(tmp_path / "two", "2")
    assert len(first) > 150
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []
