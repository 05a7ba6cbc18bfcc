"""The impact dossier: golden Markdown for The Challenge, the project with no stated
outcome, figures traced to the shipped queries, the CLI, escaping and atomic writes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from rdflib import URIRef

from influencegraph import __version__
from influencegraph.corroboration import claim_statuses
from influencegraph.dossier import (
    SUBJECT_TYPES,
    build_dossier,
    dossier_text,
    render,
)
from influencegraph.errors import InfluenceGraphError, UnknownNameError
from influencegraph.names import name_index
from influencegraph.queries import load_query, query_names
from influencegraph.vocab import IG, IGD, PREFIXES

GOLDEN = Path(__file__).parent / "golden" / "dossier-the-challenge.md"
UPDATE_ENV = "INFLUENCEGRAPH_UPDATE_GOLDEN"
PROJECT = "If you could do one thing..."


def normalise(text: str) -> str:
    """What may legitimately vary between builds: the version number."""
    return text.replace(f"influencegraph {__version__}", "influencegraph VERSION")


def test_golden_dossier_of_the_challenge(seed_source):
    """Regenerate after an intended change with INFLUENCEGRAPH_UPDATE_GOLDEN=1 pytest
    tests/test_dossier.py, then read the diff before committing it."""
    text = normalise(dossier_text(seed_source, "The Challenge", "md"))  # built afresh
    if os.environ.get(UPDATE_ENV):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        f"the dossier changed; if intended, regenerate with {UPDATE_ENV}=1"
    )


def test_golden_file_says_what_the_pages_say(seed_texts, squash):
    # Checked independently of the code that wrote it: every quote is the page's words.
    golden = GOLDEN.read_text(encoding="utf-8")
    quotes = [line[2:].replace("\\", "") for line in golden.splitlines() if line.startswith("> ")]
    assert len(quotes) == 11
    page = seed_texts["Policy Impact (The Challenge)"]
    assert all(squash(q) in page for q in quotes)
    assert (
        "Status: self-reported — The Challenge runs the secretariat of APPG on Social "
        "Integration, publisher or creator of Integration Not Demonisation" in golden
    )
    assert (
        "Status: self-reported — The Challenge is the publisher or creator of All "
        "Together Now" in golden
    )


def test_the_projects_dossier_says_no_outcome_is_stated(seed_source):
    dossier = build_dossier(seed_source, PROJECT)
    assert not dossier.outcome_stated
    text = render(dossier, "md")
    assert "No outcome is stated" in text and "states no outcome" in text
    assert "Find evidence of an outcome of its work" in text
    # It still works: its three reports, its working group's nine members, its claims.
    assert {o.label for o in dossier.outputs} == {
        "10 Local actions to promote social integration",
        "Key lessons",
        "The integration of migrants, refugees and asylum seekers",
    }
    members = [p for p in dossier.people if "working group" in p.relation and p.type == "Person"]
    assert len({p.label for p in members}) == 9
    assert all(o.year is None for o in dossier.outputs)
    assert dossier.paths == []


def test_the_challenges_outputs_claims_and_next_steps(challenge_dossier):
    dossier = challenge_dossier
    years = {o.label: o.year for o in dossier.outputs}
    assert years["All Together Now"] == "2018" and years["Integration City"] == "2016"
    assert years["Integration Not Demonisation"] is None  # the APPG's, via its secretariat
    assert dossier.outcome_stated
    by_sentence = {c.sentence: c for c in dossier.claims}
    endorse = by_sentence["Integrated Communities Strategy Green Paper endorses All Together Now"]
    assert (endorse.status, endorse.evidence_type, endorse.direction) == (
        "self-reported",
        "endorses",
        "from its work",
    )
    assert endorse.claimants == ("The Challenge",)
    assert endorse.source == "Policy Impact (The Challenge)"
    items = [n.item for n in dossier.next_steps]
    assert any(
        "The Challenge Network is the same organisation as The Challenge" in i for i in items
    )
    assert "Find the publication year of Understanding School Segregation in England" in items
    assert sum(1 for i in items if i.startswith("Find an independent source")) == 11


def test_every_figure_comes_from_the_shipped_queries(seed_source, challenge_dossier):
    dossier = challenge_dossier
    assert set(dossier.queries) <= set(query_names())
    scope = {
        str(r["member"])
        for r in seed_source.select(
            load_query("dossier-scope"), {"entity": URIRef(dossier.entity.iri)}
        )
    }
    claims = {
        str(r["claim"])
        for m in scope
        for r in seed_source.select(load_query("dossier-claims"), {"member": URIRef(m)})
    }
    assert {c.claim for c in dossier.claims} == claims
    from influencegraph.corroboration import claim_statuses

    judged = claim_statuses(seed_source, subject=dossier.entity.iri)  # as its dossier
    for claim in dossier.claims:
        assert claim.status == judged[claim.claim].status.label
    summary = dossier.as_dict()["summary"]
    assert summary["claims"] == len(claims)
    assert sum(summary["claims_by_status"].values()) == len(claims)


def test_a_dossier_builds_for_each_kind_of_subject(seed_source):
    one_of_each = {}
    for entity in sorted(name_index(seed_source).entities.values(), key=lambda e: e.iri):
        if entity.type in SUBJECT_TYPES:
            one_of_each.setdefault(entity.type, entity)
    assert set(one_of_each) == set(SUBJECT_TYPES) - {"Group"}
    for entity in one_of_each.values():
        dossier = build_dossier(seed_source, entity.iri)
        assert dossier.entity == entity
        statuses = claim_statuses(seed_source, subject=entity.iri)
        for claim in dossier.claims:
            assert claim.status == statuses[claim.claim].status.label
        assert dossier.outcome_stated == any(c.direction == "from its work" for c in dossier.claims)


def test_a_work_is_refused_with_its_publisher_suggested(seed_source):
    with pytest.raises(InfluenceGraphError, match="try its publisher 'The Challenge'"):
        build_dossier(seed_source, "All Together Now")
    with pytest.raises(UnknownNameError):
        build_dossier(seed_source, "Chalenge")


# ---------------------------------------------------------------- escaping

HOSTILE = '<script>alert("x")</script> & <b>Co</b> | *x* [l](http://evil)'


def test_html_and_markdown_escape_hostile_labels(tiny_source):
    source = tiny_source(f"""
:o a ig:Organisation ; rdfs:label {json.dumps(HOSTILE)} .
:r a ig:Report ; rdfs:label "<img src=x onerror=alert(1)>" ; dcterms:publisher :o ;
    dcterms:issued "2020"^^xsd:gYear .
:s a ig:Strategy ; rdfs:label "S" .
:s prov:qualifiedInfluence :c .
:c a ig:InfluenceClaim ; prov:influencer :r ; ig:kind ig:endorses ; ig:claimant :o ;
    ig:evidence "</blockquote><script>bad()</script>" .
""")
    dossier = build_dossier(source, "https://example.org/o")
    page = render(dossier, "html")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Co" in page
    assert "&lt;/blockquote&gt;" in page
    assert not re.search(r"(src|href)\s*=", page.replace("&lt;img src=x", ""))
    markdown = render(dossier, "md")
    assert not re.search(r"(?<!\\)<", markdown), "an unescaped < reached the Markdown"
    assert r"\<script\>" in markdown and r"\[l\](http://evil)" in markdown
    table_rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert all(line.count(" | ") == 3 for line in table_rows)  # the | in labels is escaped


# ---------------------------------------------------------------- writing


# ---------------------------------------------------------------- the command


def test_cli_prints_markdown(invoke):
    result = invoke("dossier", "the challenge")
    assert result.exit_code == 0
    assert result.output.startswith("# Impact dossier: The Challenge\n")


def test_cli_unknown_name_is_exit_2_with_suggestions(invoke):
    result = invoke("dossier", "Chalenge")
    assert result.exit_code == 2
    assert result.output.startswith(
        "Error: no entity is called 'Chalenge'; did you mean 'The Challenge'"
    )
    assert "Traceback" not in result.output


def test_cli_output_file_and_format_by_suffix(invoke, tmp_path):
    md = tmp_path / "challenge.md"
    result = invoke("dossier", "The Challenge", "-o", str(md))
    assert result.exit_code == 0 and result.output == f"wrote {md}\n"
    assert md.read_text(encoding="utf-8").startswith("# Impact dossier: The Challenge")
    page = tmp_path / "project.html"
    assert invoke("dossier", PROJECT, "-o", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "No outcome is stated" in text
    forced = tmp_path / "x.html"
    invoke("dossier", PROJECT, "-o", str(forced), "--format", "md")
    assert forced.read_text(encoding="utf-8").startswith("# Impact dossier")


def test_cli_missing_folder_is_exit_2(invoke, tmp_path):
    result = invoke("dossier", "The Challenge", "-o", str(tmp_path / "no" / "d.md"))
    assert result.exit_code == 2 and f"the folder {tmp_path / 'no'} does not exist" in result.output


def test_cli_json_has_stable_keys(invoke, challenge_dossier):
    result = invoke("dossier", "The Challenge", "--format", "json")
    data = json.loads(result.output)
    assert list(data) == [
        "entity",
        "sources",
        "summary",
        "outcome",
        "outputs",
        "people",
        "claims",
        "paths",
        "paths_note",
        "corroborate_next",
        "queries",
        "generator",
    ]
    assert list(data["summary"]) == [
        "outputs",
        "people",
        "claims",
        "claims_by_status",
        "claims_by_evidence_type",
        "paths_into_policy",
    ]
    assert list(data["claims"][0]) == [
        "claim",
        "sentence",
        "influencer",
        "target",
        "target_type",
        "kind",
        "direction",
        "evidence_type",
        "status",
        "why",
        "claimants",
        "quote",
        "source",
        "date",
        "target_publisher",
        "strength",
    ]
    assert data == challenge_dossier.as_dict()


def test_paths_into_policy_come_from_the_path_finder(seed_source, challenge_dossier):
    from influencegraph.paths import find_paths

    dossier = challenge_dossier
    ics = "Integrated Communities Strategy Green Paper"
    assert {p.end for p in dossier.paths} == {"All of Us", ics}
    expected = {
        tuple((h.influencer, h.kind, h.target, h.status) for h in p.hops)
        for p in find_paths(seed_source, "The Challenge", "ICS", mode="all").paths
    }
    got = {
        tuple((s.source, s.relation, s.target, s.status) for s in p.steps)
        for p in dossier.paths
        if p.end == ics
    }
    assert got == expected and len(got) == 3
    via_appg = [
        p for p in dossier.paths if "APPG on Social Integration" in {s.target for s in p.steps}
    ]
    assert [s.status for s in via_appg[0].steps] == ["self-reported", None, "self-reported"]
    # A body publishing its own strategy is not a path of influence into policy.
    assert build_dossier(seed_source, "The Government").paths == []
    assert build_dossier(seed_source, PROJECT).paths == []


def test_a_sub_organisation_is_quoted_from_its_own_record_only(seed_source, seed_graph):
    """A part-of relation has no statement node; its quote and source are the part's own,
    never every quote in the graph (an unbound node in an OPTIONAL matches them all)."""
    oxford = URIRef(IGD + "oxford-university")
    parts = [p for p in seed_graph.subjects(URIRef(PREFIXES["org"] + "subOrganizationOf"), oxford)]
    assert parts
    for part in parts:
        rows = [
            r
            for r in seed_source.select(load_query("dossier-people"), {"member": oxford})
            if r["other"] == part
        ]
        assert len(rows) == 1
        assert rows[0]["quote"] == seed_graph.value(part, URIRef(IG + "evidence"))
        assert rows[0]["source"] == seed_graph.value(part, URIRef(PREFIXES["dcterms"] + "source"))
    dossier = build_dossier(seed_source, "Oxford University")
    index = name_index(seed_source).entities
    labels = {index[str(p)].label for p in parts}
    around = [n for n in dossier.people if n.label in labels]
    assert around and all(len(n.sources) == 1 for n in around)


def test_no_claim_by_the_subject_or_its_allies_counts_as_independent(
    challenge_dossier, seed_source
):
    """All 11 claims in The Challenge's dossier come from its own page, so none is
    independent evidence of its impact, although some are independent in general
    ("Chuka Umunna chairs APPG", claimed by The Challenge: no ally of Chuka Umunna)."""
    from influencegraph.corroboration import claim_statuses

    claims = challenge_dossier.claims
    assert len(claims) == 11 and {c.claimants for c in claims} == {("The Challenge",)}
    assert challenge_dossier.status_counts()["independent"] == 0
    assert {c.status for c in claims} == {"self-reported"}
    chairs = next(c for c in claims if c.sentence.startswith("Chuka Umunna chairs"))
    assert chairs.why == "The Challenge is the dossier's subject"
    general = claim_statuses(seed_source, claims=[chairs.claim])[chairs.claim]
    assert general.status.label == "independent"  # the subject rule is a dossier's only
    # The project's claims all come from the British Academy, which publishes the project.
    project = build_dossier(seed_source, PROJECT)
    assert project.status_counts()["independent"] == 0 and len(project.claims) == 14
    assert any(
        c.why == "British Academy is the publisher or creator of the dossier's subject"
        for c in project.claims
    )


def test_a_claim_by_an_ally_of_the_subject_is_not_independent(tiny_source):
    """The APPG whose secretariat the subject runs states that an MP works with another
    organisation: in the subject's dossier that is the subject's side speaking."""
    from influencegraph.corroboration import claim_statuses

    source = tiny_source("""
:org a ig:Organisation ; rdfs:label "Org" .
:appg a ig:APPG ; rdfs:label "APPG" .
:mp a foaf:Person ; rdfs:label "MP" .
:other a ig:Organisation ; rdfs:label "Other" .
:appg prov:qualifiedInfluence :sec .
:sec prov:influencer :org ; ig:kind ig:runsSecretariatOf ; ig:claimant :org .
:other prov:qualifiedInfluence :chair .
:chair prov:influencer :mp ; ig:kind ig:worksWith ; ig:claimant :appg .
:mp prov:qualifiedInfluence :said .
:said prov:influencer :other ; ig:kind ig:worksWith ; ig:claimant :other .
""")
    claims = ["https://example.org/chair", "https://example.org/said"]
    general = claim_statuses(source, claims=claims)
    mine = claim_statuses(source, claims=claims, subject="https://example.org/org")
    assert general["https://example.org/chair"].status.label == "independent"
    assert mine["https://example.org/chair"].status.label == "self-reported"
    assert "the dossier's subject" in mine["https://example.org/chair"].explain(str)
    # A claim by someone with no tie to the subject keeps its own status.
    assert mine["https://example.org/said"].status == general["https://example.org/said"].status
