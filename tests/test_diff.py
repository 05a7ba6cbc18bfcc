"""diff: entities and claims added, removed or changed between two graph files, by label."""

from __future__ import annotations

import json
import shutil

from influencegraph.diff import diff_files
from influencegraph.edit import ClaimSpec, EntitySpec, add_claim, add_entity
from influencegraph.source import default_data_paths, open_source

QUOTE = "highlights and endorses The Challenges ‘Design Principles for Meaningful Mixing’"


def _grow(path):
    """Add one entity and one claim to ``path``; return what a diff should name."""
    add_entity(open_source([path]), path, EntitySpec(
        "Group", "Public affairs and policy team", evidence="Our public affairs and policy team",
        source="Policy Impact"))
    add_claim(open_source([path]), path, ClaimSpec(
        "Design Principles for Meaningful Mixing", "ICS", "endorses", evidence=QUOTE,
        source="Policy Impact"))
    return {("added", "entity", "Public affairs and policy team", "Group"),
            ("added", "claim", "Design Principles for Meaningful Mixing -> Integrated "
                               "Communities Strategy Green Paper (endorses)", "endorses")}


def test_diff_finds_exactly_what_was_added(data_copy):
    old = default_data_paths()[0]
    expected = _grow(data_copy)
    changes = diff_files(old, data_copy)
    assert {(c.change, c.item, c.name, c.type) for c in changes} == expected
    reverse = diff_files(data_copy, old)
    assert {(c.change, c.item, c.name) for c in reverse} == {
        ("removed", item, name) for _, item, name, _ in expected}


def test_same_graph_has_no_changes_and_exit_code_option(invoke, data_copy, tmp_path):
    copy = tmp_path / "same.ttl"
    shutil.copy(data_copy, copy)
    assert diff_files(data_copy, copy) == []
    same = invoke("diff", str(data_copy), str(copy), "--exit-code")
    assert same.exit_code == 0
    _grow(copy)
    assert invoke("diff", str(data_copy), str(copy)).exit_code == 0
    assert invoke("diff", str(data_copy), str(copy), "--exit-code").exit_code == 1


def test_json_and_csv_fields_are_stable(invoke, data_copy):
    old = default_data_paths()[0]
    _grow(data_copy)
    rows = json.loads(invoke("diff", str(old), str(data_copy), "--format", "json").output)
    assert [list(r) for r in rows] == [["change", "item", "name", "type", "iri"]] * 2
    assert rows[0]["item"] == "entity"  # entities before claims
    lines = invoke("diff", str(old), str(data_copy), "--format", "csv").output.splitlines()
    assert lines[0] == "change,item,name,type"
    assert lines[1] == "added,entity,Public affairs and policy team,Group"


def test_renamed_entity_is_changed_not_added(data_copy, tmp_path):
    renamed = tmp_path / "renamed.ttl"
    text = data_copy.read_text(encoding="utf-8")
    renamed.write_text(text.replace('rdfs:label "Integration City"',
                                    'rdfs:label "Integration City (2016)"'), encoding="utf-8")
    changes = diff_files(data_copy, renamed)
    assert [(c.change, c.name) for c in changes] == [
        ("changed", "Integration City -> Integration City (2016)")]


def test_removed_claim_is_named_by_its_ends(data_copy, tmp_path):
    text = data_copy.read_text(encoding="utf-8")
    start = text.index(":claim-phf-funds-case-studies a ig:InfluenceClaim")
    end = text.index("\n\n", start)
    fewer = tmp_path / "fewer.ttl"
    fewer.write_text(text[:start] + text[end:], encoding="utf-8")
    changes = diff_files(data_copy, fewer)
    assert [(c.change, c.item, c.name) for c in changes] == [
        ("removed", "claim", "Paul Hamlyn Foundation -> The integration of migrants, refugees "
                             "and asylum seekers (funds)")]


def test_unreadable_file_is_exit_2(invoke, data_copy, tmp_path):
    result = invoke("diff", str(data_copy), str(tmp_path / "missing.ttl"))
    assert result.exit_code == 2
    assert "no such file" in result.output
