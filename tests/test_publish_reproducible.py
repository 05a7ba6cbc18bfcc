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


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_pages_built_in_forked_processes_are_the_pages_one_process_builds(tmp_path):
    from influencegraph.explorer.publish import publish_site
    from influencegraph.generate import generate_corpus
    from influencegraph.graph import open_source

    corpus = tmp_path / "corpus.ttl"
    generate_corpus(corpus, documents=60, seed=2)
    for name, source in (("bundled", open_source()), ("generated", open_source([corpus]))):
        one = publish_site(source, tmp_path / f"{name}-1", processes=1)
        two = publish_site(source, tmp_path / f"{name}-2", processes=2)
        assert one.as_dict() | {"folder": "", "seconds": 0} == two.as_dict() | {
            "folder": "",
            "seconds": 0,
        }
        assert one.paths > 0 and one.files == len(_tree(tmp_path / f"{name}-1")) - 1  # marker
        assert _tree(tmp_path / f"{name}-1") == _tree(tmp_path / f"{name}-2")


def test_a_failing_share_fails_the_whole(tmp_path):
    import pytest

    from influencegraph.errors import InfluenceGraphError
    from influencegraph.explorer.forked import in_parts

    def work(part: int, parts: int) -> int:
        if part == 1:
            raise ValueError("share one broke")
        return part

    assert in_parts(lambda part, parts: (part, parts), 3) == [(0, 3), (1, 3), (2, 3)]
    assert in_parts(lambda part, parts: part, 1) == [0]
    with pytest.raises(InfluenceGraphError, match="share one broke"):
        in_parts(work, 2)
