"""The CLI's shared behaviour: global --data, stats, help, errors and start-up cost."""

from __future__ import annotations

import json
import subprocess
import sys

from influencegraph.stats import graph_stats


def test_stats_json_has_stable_keys(invoke, seed_source):
    result = invoke("stats", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert list(data) == [
        "triples",
        "entities",
        "claims",
        "sources",
        "entities_by_type",
        "claims_by_kind",
        "claims_by_claimant",
    ]
    lib = graph_stats(seed_source).as_dict()
    assert data == lib
    assert data["sources"] == 2
    assert data["claims"] == sum(data["claims_by_kind"].values())
    assert set(data["claims_by_claimant"]) == {"The Challenge", "British Academy"}


def test_stats_counts_match_the_graph(seed_graph, seed_source):
    from rdflib import RDF, URIRef

    from influencegraph.vocab import IG

    stats = graph_stats(seed_source)
    claims = set(seed_graph.subjects(RDF.type, URIRef(IG + "InfluenceClaim")))
    assert stats.claims == len(claims)
    assert stats.triples == len(seed_graph)
    assert stats.claims_by_kind["endorses"] == 1


def test_stats_csv_and_table_carry_the_same_rows(invoke):
    csv_out = invoke("stats", "--format", "csv").output.splitlines()
    assert csv_out[0] == "group,name,count"
    assert "claims by kind,cites as key influence,1" in csv_out
    table = invoke("stats").output
    assert "cites as key influence" in table


def test_data_option_and_env_choose_the_graph(invoke, tmp_path):
    path = tmp_path / "small.ttl"
    path.write_text(
        """@prefix ig: <https://w3id.org/influencegraph/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/r> a ig:Report ; rdfs:label "Lonely" .
""",
        encoding="utf-8",
    )
    by_option = json.loads(invoke("--data", str(path), "stats", "--format", "json").output)
    by_env = json.loads(
        invoke("stats", "--format", "json", env={"INFLUENCEGRAPH_DATA": str(path)}).output
    )
    assert by_option == by_env
    assert by_option["entities_by_type"] == {"Report": 1}
    assert by_option["claims"] == 0


def test_bad_data_file_is_exit_2_one_line(invoke, tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("<a> <b> .\n", encoding="utf-8")
    result = invoke("--data", str(path), "stats")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path}:1: malformed Turtle: ")
    assert len(result.output.strip().splitlines()) == 1


def test_help_lists_commands_with_examples(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("validate", "stats"):
        assert command in result.output
    assert "Example" in invoke("stats", "--help").output


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from influencegraph.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('rdflib', 'networkx', 'pyshacl', 'pyvis', 'rich', 'spacy', "
        "'pypdf', 'selectolax', 'rapidfuzz', 'charset_normalizer') "
        "if m in sys.modules]\nprint('HEAVY:' + ','.join(heavy))"
    )
    out = (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    assert out == "HEAVY:"


def test_console_script_runs_end_to_end(tmp_path):
    exe = [sys.executable, "-m", "influencegraph", "stats", "--format", "json"]
    done = subprocess.run(exe, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sources"] == 2
