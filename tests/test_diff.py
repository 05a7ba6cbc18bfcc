"""diff: entities and claims added, removed or changed between two graph files, by label."""

from __future__ import annotations

import json
import shutil

import pytest

from influencegraph.diff import diff_files
from influencegraph.graph import default_data_paths

EXPECTED = {
    ("added", "entity", "Public affairs and policy team", "Group"),
    (
        "added",
        "claim",
        "Design Principles for Meaningful Mixing -> Integrated "
        "Communities Strategy Green Paper (endorses)",
        "endorses",
    ),
}
"""What ``grown_copy`` (tests/conftest.py) adds to the bundled graph."""


def test_diff_finds_exactly_what_was_added(grown_copy):
    old = default_data_paths()[0]
    changes = diff_files(old, grown_copy)
    assert {(c.change, c.item, c.name, c.type) for c in changes} == EXPECTED
    reverse = diff_files(grown_copy, old)
    assert {(c.change, c.item, c.name) for c in reverse} == {
        ("removed", item, name) for _, item, name, _ in EXPECTED
    }


def test_same_graph_has_no_changes_and_exit_code_option(invoke, grown_copy, tmp_path):
    copy = tmp_path / "same.ttl"
    shutil.copy(grown_copy, copy)
    assert diff_files(grown_copy, copy) == []
    assert invoke("diff", str(grown_copy), str(copy), "--exit-code").exit_code == 0
    old = str(default_data_paths()[0])
    assert invoke("diff", old, str(copy)).exit_code == 0
    assert invoke("diff", old, str(copy), "--exit-code").exit_code == 1


def test_json_and_csv_fields_are_stable(invoke, grown_copy):
    old = default_data_paths()[0]
    rows = json.loads(invoke("diff", str(old), str(grown_copy), "--format", "json").output)
    assert [list(r) for r in rows] == [["change", "item", "name", "type", "detail", "iri"]] * 2
    assert rows[0]["item"] == "entity"  # entities before claims
    lines = invoke("diff", str(old), str(grown_copy), "--format", "csv").output.splitlines()
    assert lines[0] == "change,item,name,type,detail"
    assert lines[1] == "added,entity,Public affairs and policy team,Group,"


def test_renamed_entity_is_changed_not_added(data_copy, tmp_path):
    renamed = tmp_path / "renamed.ttl"
    text = data_copy.read_text(encoding="utf-8")
    renamed.write_text(
        text.replace('rdfs:label "Integration City"', 'rdfs:label "Integration City (2016)"'),
        encoding="utf-8",
    )
    changes = diff_files(data_copy, renamed)
    assert [(c.change, c.name, c.detail) for c in changes] == [
        (
            "changed",
            "Integration City -> Integration City (2016)",
            'rdfs:label: "Integration City" -> "Integration City (2016)"',
        )
    ]


def test_removed_claim_is_named_by_its_ends(data_copy, tmp_path):
    text = data_copy.read_text(encoding="utf-8")
    start = text.index(":claim-phf-funds-case-studies a ig:InfluenceClaim")
    end = text.index("\n\n", start)
    fewer = tmp_path / "fewer.ttl"
    fewer.write_text(text[:start] + text[end:], encoding="utf-8")
    changes = diff_files(data_copy, fewer)
    assert [(c.change, c.item, c.name) for c in changes] == [
        (
            "removed",
            "claim",
            "Paul Hamlyn Foundation -> The integration of migrants, refugees "
            "and asylum seekers (funds)",
        )
    ]


def test_unreadable_file_is_exit_2(invoke, data_copy, tmp_path):
    result = invoke("diff", str(data_copy), str(tmp_path / "missing.ttl"))
    assert result.exit_code == 2
    assert "no such file" in result.output


CLAIM = ":claim-phf-funds-case-studies a ig:InfluenceClaim"


def _edited(data_copy, tmp_path, old: str, new: str, within: str | None = None):
    """A copy of ``data_copy`` with ``old`` replaced by ``new`` once (inside the paragraph
    starting with ``within``, if given)."""
    text = data_copy.read_text(encoding="utf-8")
    start = text.index(within) if within else 0
    end = text.index("\n\n", start) if within else len(text)
    part = text[start:end]
    assert old in part
    path = tmp_path / "edited.ttl"
    path.write_text(text[:start] + part.replace(old, new, 1) + text[end:], encoding="utf-8")
    return path


def test_changed_year_of_an_entity_is_reported(invoke, data_copy, tmp_path):
    edited = _edited(
        data_copy, tmp_path, '"2018"^^xsd:gYear', '"2017"^^xsd:gYear', ":all-together-now a"
    )
    changes = diff_files(data_copy, edited)
    assert [(c.change, c.item, c.name) for c in changes] == [
        ("changed", "entity", "All Together Now")
    ]
    assert "dcterms:issued" in changes[0].detail and "2017" in changes[0].detail
    assert invoke("diff", str(data_copy), str(edited), "--exit-code").exit_code == 1


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("quote", 'ig:evidence "', 'ig:evidence "Not what it said: '),
        ("claimant", "ig:claimant :british-academy", "ig:claimant :the-challenge"),
        ("year", "ig:kind", 'dcterms:date "2019"^^xsd:gYear ;\n    ig:kind'),
    ],
)
def test_changed_claim_content_is_reported(invoke, data_copy, tmp_path, what, old, new):
    edited = _edited(data_copy, tmp_path, old, new, CLAIM)
    changes = diff_files(data_copy, edited)
    assert [(c.change, c.item, c.name) for c in changes] == [
        (
            "changed",
            "claim",
            "Paul Hamlyn Foundation -> The integration of migrants, refugees "
            "and asylum seekers (funds)",
        )
    ], what
    assert changes[0].detail
    result = invoke("diff", str(data_copy), str(edited), "--exit-code")
    assert result.exit_code == 1 and "0 added, 0 removed, 1 changed" in result.output
