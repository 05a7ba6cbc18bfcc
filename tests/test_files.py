"""Writers take turns: a lock on the data file across read-compare-replace, real processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from influencegraph.errors import InfluenceGraphError
from influencegraph.files import locked, write_atomically
from influencegraph.graph import load_graph


def _add(path: Path, label: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "influencegraph",
            "--data",
            str(path),
            "add",
            "entity",
            "--type",
            "Person",
            "--label",
            label,
            "--evidence",
            "Tiny Org says",
            "--source",
            "Tiny page",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_adds_from_real_processes_all_land(tmp_path, tiny_graph_text):
    """Six `add entity` processes at once on one file: every one exits 0 and every person
    is in the file afterwards (no lost update, no spurious refusal)."""
    path = tmp_path / "g.ttl"
    path.write_text(tiny_graph_text, encoding="utf-8")
    labels = [f"Person {n}" for n in range(6)]
    runs = [_add(path, label) for label in labels]
    outcomes = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    assert [code for code, _ in outcomes] == [0] * 6, outcomes
    text = path.read_text(encoding="utf-8")
    assert all(f'"{label}"' in text for label in labels)
    assert len(load_graph([path])) > 0  # still parses
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]  # no lock or temp left


def test_a_writer_that_cannot_get_the_lock_is_refused_clearly(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_bytes(b"old")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from influencegraph.files import locked
            with locked({str(path)!r}):
                print("held", flush=True)
                time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with (
            pytest.raises(InfluenceGraphError, match="being changed by another command"),
            locked(path, wait=0.3),
        ):
            pass
        assert time.monotonic() - started < 10
        assert path.read_bytes() == b"old"
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    with locked(path, wait=5):  # released when its holder died
        write_atomically(path, b"new")
    assert path.read_bytes() == b"new"


def test_locked_is_reentrant_within_a_process(tmp_path):
    path = tmp_path / "g.ttl"
    with locked(path), locked(path):
        write_atomically(path, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]


def test_a_read_only_file_is_refused_never_replaced(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(InfluenceGraphError, match="read-only; nothing written"):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"old" and path.stat().st_mode & 0o777 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]


def test_add_to_a_read_only_data_file_is_exit_2(invoke, tmp_path, tiny_graph_text):
    path = tmp_path / "g.ttl"
    path.write_text(tiny_graph_text, encoding="utf-8")
    path.chmod(0o444)
    before = path.read_bytes()
    result = invoke(
        "--data",
        str(path),
        "add",
        "entity",
        "--type",
        "Person",
        "--label",
        "Ada",
        "--evidence",
        "Tiny Org says",
        "--source",
        "Tiny page",
    )
    assert result.exit_code == 2
    assert "read-only" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444
