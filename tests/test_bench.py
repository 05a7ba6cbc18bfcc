"""The benchmark script keeps working (it asserts nothing about speed: figures are for
people to read, never timed tests): both sides must still give the same answers."""

from __future__ import annotations

import subprocess
import sys


def test_the_benchmark_runs_and_both_sides_agree(repo_root, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(repo_root / "bench" / "run.py"),
            "--sizes",
            "3k",
            "--workdir",
            str(tmp_path),
            "--write",
            str(tmp_path / "out.md"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
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
    done = subprocess.run(
        [sys.executable, str(repo_root / "bench" / "corroboration.py"), "10"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "same status for every claim in both engines: True" in done.stdout
    assert "rdflib/Oxigraph =" in done.stdout


def test_the_bulk_benchmark_runs_and_reimport_changes_nothing(repo_root, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(repo_root / "bench" / "bulk.py"),
            "--works",
            "300",
            "--floor-works",
            "100",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "303 unchanged" in done.stdout and "(no change)" in done.stdout, done.stdout
    for where in ("in memory", "on disk"):
        assert f"loading floor ({where}): " in done.stdout
    assert "building those triples in Python" in done.stdout
