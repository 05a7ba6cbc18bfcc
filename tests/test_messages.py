"""Messages a user reads when nothing is found or an option cannot be honoured (issue 17)."""

from __future__ import annotations

import json

import pytest

from influencegraph.output import plural


@pytest.mark.parametrize(
    "args, key, empty",
    [
        (["path", "ICS", "All Together Now"], "paths", []),
        (["influence", "ICS", "--depth", "1"], "hops", []),
    ],
)
def test_nothing_found_still_prints_a_json_answer(invoke, args, key, empty):
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document[key] == empty
    assert "no influence path" in result.stderr or "nothing is recorded" in result.stderr


def test_connections_without_a_link_prints_json_too(invoke, tmp_path, tiny_graph_text):
    path = tmp_path / "g.ttl"
    path.write_text(
        tiny_graph_text + "<https://w3id.org/influencegraph/id/lone> a "
        "<https://w3id.org/influencegraph/ns#Organisation> ; "
        '<http://www.w3.org/2000/01/rdf-schema#label> "Lone" .\n',
        encoding="utf-8",
    )
    result = invoke("--data", str(path), "connections", "Lone", "Tiny Org", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["paths"] == []


def test_dossier_refuses_a_suffix_it_cannot_write(invoke, tmp_path):
    target = tmp_path / "x.pdf"
    result = invoke("dossier", "The Challenge", "-o", str(target))
    assert result.exit_code == 2
    assert "not .pdf" in result.output and "--format" in result.output
    assert not target.exists()
    assert invoke("dossier", "The Challenge", "-o", str(tmp_path / "x.md")).exit_code == 0


def test_viz_open_says_when_no_browser_opened(invoke, tmp_path, monkeypatch):
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    result = invoke("viz", "-o", str(tmp_path / "g.html"), "--open")
    assert result.exit_code == 0
    assert "no web browser could be opened" in result.stderr


def test_counts_agree_with_their_nouns(invoke):
    assert (plural(1, "hop"), plural(2, "hop")) == ("1 hop", "2 hops")
    assert (plural(1, "entity"), plural(0, "entity")) == ("1 entity", "0 entities")
    assert plural(2, "day") == "2 days"
    result = invoke("influence", "ICS", "--depth", "1")
    assert "within 1 hop" in result.stderr and "1 hops" not in result.stderr


def test_an_empty_data_file_is_not_valid_data(invoke, tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    result = invoke("validate", str(empty))
    assert result.exit_code == 1
    assert "no data" in result.output and "valid:" not in result.output
    ok = invoke("validate")
    assert ok.exit_code == 0 and "of data (and" in ok.output
