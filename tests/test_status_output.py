"""The corroboration status shown by show, path and influence (a column and a JSON key)."""

from __future__ import annotations

import csv
import io
import json

from influencegraph.corroboration import claim_statuses
from influencegraph.facts import entity_facts
from influencegraph.paths import find_paths, influence
from influencegraph.vocab import IGD


def test_path_hops_carry_the_claims_status(seed_source):
    result = find_paths(seed_source, "The Challenge", "ICS", mode="all")
    hops = {(h.influencer, h.kind, h.target): h.status for p in result.paths for h in p.hops}
    assert (
        hops[("All Together Now", "endorses", "Integrated Communities Strategy Green Paper")]
        == "self-reported"
    )
    assert hops[("The Challenge", "publishes", "All Together Now")] is None  # authorship
    whole = claim_statuses(seed_source)
    assert (
        hops[
            (
                "Integration Not Demonisation",
                "cites as key influence",
                "Integrated Communities Strategy Green Paper",
            )
        ]
        == whole[IGD + "claim-ics-cites-inc"].status.label
    )


def test_influence_hops_carry_the_claims_status(seed_source):
    hops = influence(seed_source, "Paul Hamlyn Foundation", depth=1).hops
    assert {h.status for h in hops} == {"independent"}


def test_show_marks_claims_in_out_and_made(seed_source):
    facts = entity_facts(seed_source, "The Challenge").facts
    by = {(f.fact, f.value): f.status for f in facts}
    assert by[("influenced", "All of Us")] == "self-reported"
    assert by[("claimant of", "Chuka Umunna -> APPG on Social Integration")] == "independent"
    assert (
        by[("claimant of", "All Together Now -> Integrated Communities Strategy Green Paper")]
        == "self-reported"
    )
    assert all(f.status is None for f in facts if f.fact in ("published", "type", "label"))


def test_cli_path_and_show_print_the_status(invoke):
    rows = list(
        csv.DictReader(
            io.StringIO(invoke("path", "All Together Now", "ICS", "--format", "csv").output)
        )
    )
    assert [r["status"] for r in rows] == ["self-reported"]
    data = json.loads(invoke("path", "All Together Now", "ICS", "--format", "json").output)
    assert data["paths"][0]["hops"][0]["status"] == "self-reported"
    shown = json.loads(invoke("show", "Paul Hamlyn Foundation", "--format", "json").output)
    assert {f["status"] for f in shown["facts"] if f["fact"] == "influenced"} == {"independent"}
    assert "status" in invoke("show", "Paul Hamlyn Foundation").output
