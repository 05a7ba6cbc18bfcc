"""`show` (every fact about one entity, with sources) and `search` (fuzzy labels)."""

from __future__ import annotations

import json

from rdflib import RDFS, URIRef

from influencegraph.facts import entity_facts
from influencegraph.vocab import TYPE_NAMES


def facts_of(result, fact):
    return [f for f in result.facts if f.fact == fact]


def test_show_a_report(seed_source):
    result = entity_facts(seed_source, "all together now")
    assert result.entity["label"] == "All Together Now"
    assert result.entity["year"] == "2018"
    assert [f.value for f in facts_of(result, "type")] == ["Report"]
    assert [f.value for f in facts_of(result, "published by")] == ["The Challenge"]
    [out] = facts_of(result, "influenced")
    assert out.value == "Integrated Communities Strategy Green Paper"
    assert out.detail == "endorses (claimed by The Challenge)"
    assert out.source == "Policy Impact (The Challenge)"
    assert "highlights and endorses" in out.evidence
    assert [f.value for f in facts_of(result, "has part")] == [
        "Design Principles for Meaningful Mixing"
    ]


def test_show_a_person_lists_posts_with_roles(seed_source):
    result = entity_facts(seed_source, "Professor Anthony Heath CBE FBA")
    posts = {(f.value, f.detail) for f in facts_of(result, "member of")}
    assert posts == {
        ("If you could do one thing... working group", "Chair"),
        ("British Academy", "Fellow"),
        ("Nuffield College", "Emeritus Professor of Sociology"),
        ("Centre for Social Investigation", "Director"),
    }
    assert {f.value for f in facts_of(result, "also called")} == {
        "Professor Anthony Heath CBE FBA",
        "Anthony Heath CBE",
    }


def test_show_marks_inferred_links_with_their_reason(seed_source):
    result = entity_facts(seed_source, "The Challenge Network")
    [link] = facts_of(result, "same organisation as (inferred)")
    assert link.value == "The Challenge" and link.inferred
    assert "neither page states" in link.detail
    inferred_post = [
        f for f in facts_of(entity_facts(seed_source, "Dominic Abrams"), "member of") if f.inferred
    ]
    assert [f.value for f in inferred_post] == ["British Academy"]
    assert "Fellow of the British Academy" in inferred_post[0].detail


def test_show_leaves_nothing_out(seed_graph, seed_source):
    """Every triple about the entity shows up in what `show` prints, by label."""
    prov = "http://www.w3.org/ns/prov#"
    for name in ("Integrated Communities Strategy", "The Challenge", "Ralph Scott"):
        result = entity_facts(seed_source, name)
        printed = "\n".join(str(v) for row in result.rows() for v in row.values())
        node = URIRef(result.entity["iri"])
        for _, pred, obj in seed_graph.triples((node, None, None)):
            if pred == URIRef(prov + "qualifiedInfluence"):  # a claim: shown by its influencer
                obj = seed_graph.value(obj, URIRef(prov + "influencer"))
            if isinstance(obj, URIRef):
                wanted = seed_graph.value(obj, RDFS.label) or TYPE_NAMES.get(str(obj))
            else:
                wanted = obj
            assert wanted is not None and str(wanted) in printed, (name, pred, obj)
        for subj, pred, _ in seed_graph.triples((None, None, node)):
            label = seed_graph.value(subj, RDFS.label)
            if label is not None and pred != URIRef("http://purl.org/dc/terms/source"):
                assert str(label) in printed, (name, subj, pred)
    result = entity_facts(seed_source, "ICS")
    influenced_by = {(f.value, f.detail.split(" (")[0]) for f in facts_of(result, "influenced by")}
    assert influenced_by == {
        ("All Together Now", "endorses"),
        ("Integration Not Demonisation", "cites as key influence"),
    }


def test_show_quotes_are_verbatim(seed_source, seed_texts, squash):
    for name in ("The Challenge", "Anthony Heath", "All Together Now", "ICS"):
        for fact in entity_facts(seed_source, name).facts:
            if fact.evidence and fact.source in seed_texts:
                assert squash(fact.evidence) in seed_texts[fact.source], fact


def test_cli_show_json_and_table(invoke):
    data = json.loads(invoke("show", "APPG on Social Integration", "--format", "json").output)
    assert list(data) == ["entity", "facts"]
    assert list(data["facts"][0]) == [
        "fact",
        "value",
        "detail",
        "inferred",
        "evidence",
        "source",
        "status",
    ]
    claims_in = {(f["value"], f["detail"]) for f in data["facts"] if f["fact"] == "influenced by"}
    assert ("Chuka Umunna", "chairs (claimed by The Challenge)") in claims_in
    table = invoke("show", "Integration City").output
    assert "published by" in table and "The Challenge" in table


def test_cli_search(invoke):
    result = invoke("search", "integration survey", "--format", "json")
    hits = json.loads(result.output)
    assert {h["label"] for h in hits[:2]} == {
        "British Integration Survey 2016",
        "British Integration Survey 2019",
    }
    assert list(hits[0]) == ["label", "type", "matched", "score", "iri"]
    assert (
        invoke("search", "APPG", "--format", "csv")
        .output.splitlines()[1]
        .startswith("APPG on Social Integration,APPG,")
    )
    nothing = invoke("search", "zzzzqqqq")
    assert nothing.exit_code == 1
    assert "nothing matches 'zzzzqqqq'" in nothing.output
