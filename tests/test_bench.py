"""The benchmark script keeps working (it asserts nothing about speed: figures are for
people to read, never timed tests): both sides must still give the same answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def bench(repo_root: Path, script: str, *args: str) -> str:
    """Run ``bench/<script>`` with ``args``; its standard output, once it exits 0."""
    done = subprocess.run(
        [sys.executable, str(repo_root / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_benchmark_runs_and_both_sides_agree(repo_root, tmp_path):
    write = ["--write", str(tmp_path / "out.md")]
    bench(repo_root, "run.py", "--sizes", "3k", "--workdir", str(tmp_path), *write)
    report = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "Both sides gave the same answers: yes" in report
    for step in (
        "load Turtle (time",
        "selective SPARQL",
        "whole-graph GROUP BY",
        "PageRank end to end",
        "3-hop influence upstream",
        "hub: `influence` from the most-cited document",
    ):
        assert f"| {step}" in report, step


def test_the_corroboration_benchmark_runs_and_both_engines_agree(repo_root):
    out = bench(repo_root, "corroboration.py", "10")
    assert "same status for every claim in both engines: True" in out
    assert "rdflib/Oxigraph =" in out


def test_the_bulk_benchmark_runs_and_reimport_changes_nothing(repo_root, tmp_path):
    out = bench(
        repo_root, "bulk.py", "--works", "300", "--floor-works", "100", "--workdir", str(tmp_path)
    )
    assert "303 unchanged" in out and "(no change)" in out, out
    for where in ("in memory", "on disk"):
        assert f"loading floor ({where}): " in out
    assert "building those triples in Python" in out
