"""extract: mentions, proposals, cue lexicon and claims, on short texts of our own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from influencegraph.errors import InfluenceGraphError
from influencegraph.extract.claims import CueLexicon, claims_in
from influencegraph.extract.mentions import Names, pipeline
from influencegraph.extract.proposals import guess_type, propose
from influencegraph.extract.run import Options, extract
from influencegraph.graph import MemorySource, load_graph
from influencegraph.names import Entity
from influencegraph.vocab import INFLUENCE_KINDS, kind_named

IGD = "https://w3id.org/influencegraph/id/"


@pytest.fixture(scope="module")
def ontology_source():
    """The vocabulary alone: no curated entities or claims."""
    return MemorySource(load_graph([]))


@pytest.fixture(scope="module")
def lexicon(ontology_source):
    return CueLexicon.from_source(ontology_source)


def names_of(*entities: tuple[str, str], alts: dict[str, list[str]] | None = None) -> Names:
    names = Names()
    for label, kind in entities:
        names.add("new:" + label, Entity("new:" + label, label, kind), (alts or {}).get(label, []))
    return names


def claims_of(
    text: str, names: Names, lexicon: CueLexicon, publisher: str | None = None
) -> list[tuple[str, str, str]]:
    doc = pipeline()(text)
    mentions = names.find(doc, publisher)
    cues = lexicon.matches(doc)
    return [
        (c.influencer.label, c.kind.name, c.target.label)
        for s in doc.sents
        for c in claims_in(s, mentions, cues)
    ]


# ---------------------------------------------------------------- the cue lexicon


def test_every_kind_has_cues_in_the_ontology(lexicon):
    assert {c.kind.name for c in lexicon.cues} == {k.name for k in INFLUENCE_KINDS}


def test_a_cue_without_both_sides_is_refused():
    with pytest.raises(InfluenceGraphError, match="write it with"):
        CueLexicon().add(kind_named("funds"), "bankrolls {target}")


def test_users_extend_the_lexicon_with_data(turtle_source):
    source = turtle_source(
        "@prefix ig: <https://w3id.org/influencegraph/ns#> .\n"
        'ig:funds ig:cue "{influencer} bankrolls {target}"@en .\n'
    )
    lexicon = CueLexicon.from_source(source)
    names = names_of(("Harbour Fund", "Organisation"), ("Tidewater Study", "Report"))
    assert claims_of("The Harbour Fund bankrolls the Tidewater Study.", names, lexicon) == [
        ("Harbour Fund", "funds", "Tidewater Study")
    ]


# ---------------------------------------------------------------- mentions


def test_mentions_fold_case_quotes_possessives_and_line_breaks():
    names = names_of(
        ("Northfield Housing Trust", "Organisation"),
        ("Bridge Ahead", "Report"),
        alts={"Northfield Housing Trust": ["NHT"]},
    )
    doc = pipeline()(
        "The NHT’s new paper cites ‘Bridge Ahead’ and the Northfield Housing Trust's own survey."
    )
    found = [(m.label, m.how) for m in names.find(doc)]
    assert found == [
        ("Northfield Housing Trust", "alternative label"),
        ("Bridge Ahead", "label"),
        ("Northfield Housing Trust", "label"),
    ]


def test_capitalised_names_do_not_match_common_words():
    names = names_of(("Challenge", "Organisation"))
    assert names.find(pipeline()("The challenge of housing remains.")) == []


def test_close_variants_are_marked_fuzzy():
    names = names_of(("Northfield Housing Trust", "Organisation"))
    doc = pipeline()("We thank the Northfeld Housing Trust for its help.")
    (mention,) = names.find(doc, candidates=[doc[3:6]])
    assert (mention.label, mention.how) == ("Northfield Housing Trust", "fuzzy")


# ---------------------------------------------------------------- proposals


@pytest.mark.parametrize(
    ("text", "label", "kind"),
    [
        ("Our report ‘Roots and Routes’ came out in spring.", "Roots and Routes", "Report"),
        (
            "The council adopted the Harbourside Renewal Strategy last year.",
            "Harbourside Renewal Strategy",
            "Strategy",
        ),
        ("Read our Common Table report for details.", "Common Table", "Report"),
        ("Shared Streets (2021) looked at play areas.", "Shared Streets", "Report"),
        ("Open Harbours (2014 to 2018) followed three ports.", "Open Harbours", "Report"),
        (
            "We run the All-Party Parliamentary Group (APPG) on Coastal Towns.",
            "APPG on Coastal Towns",
            "APPG",
        ),
        ("The panel was chaired by Priya Lal MP last winter.", "Priya Lal", "Person"),
        ("Professor Tomasz Nowak gave evidence.", "Tomasz Nowak", "Person"),
        ("Funding came from the Marsh Lane Foundation.", "Marsh Lane Foundation", "Organisation"),
        (
            "Staff from the Department for Coastal Affairs attended.",
            "Department for Coastal Affairs",
            "Government body",
        ),
    ],
)
def test_patterns_propose_entities_with_a_type(text, label, kind):
    found = {(p.label, p.type) for p in propose(text)}
    assert (label, kind) in found


def test_a_span_of_years_is_the_period_covered_not_a_date():
    (whole,) = propose("Open Harbours (2014–18)")
    (single,) = propose("Open Harbours (2018)")
    assert (whole.label, whole.year, single.year) == ("Open Harbours", None, "2018")


def test_affiliation_lines_give_the_person_and_the_organisations():
    line = "Dr Sam Okafor, Senior Fellow, Centre for Urban Futures, Riverside University"
    found = {(p.label, p.type) for p in propose(line)}
    assert {
        ("Sam Okafor", "Person"),
        ("Centre for Urban Futures", "Organisation"),
        ("Riverside University", "Organisation"),
    } <= found


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Centre for Social Mobility", "Organisation"),
        ("Principles for Good Homes", "Idea"),
        ("National Audit Office", "Government body"),
        ("Youth Survey", "Survey"),
        ("Greenway", None),
    ],
)
def test_type_is_guessed_from_the_head_word(name, kind):
    assert guess_type(name) == kind


@given(st.text(max_size=300))
def test_proposals_never_fail_and_stay_inside_the_text(text):
    for proposal in propose(text):
        assert 0 <= proposal.start_char <= proposal.end_char <= len(text)
        assert proposal.label.strip()


# ---------------------------------------------------------------- claims


def test_active_and_passive_voice_give_the_same_direction(lexicon):
    names = names_of(("Harbour Fund", "Organisation"), ("Tidewater Study", "Report"))
    active = claims_of("The Harbour Fund funded the Tidewater Study.", names, lexicon)
    passive = claims_of("The Tidewater Study was funded by the Harbour Fund.", names, lexicon)
    assert active == passive == [("Harbour Fund", "funds", "Tidewater Study")]


def test_a_participle_cue_followed_by_by_is_read_backwards(lexicon):
    names = names_of(("Coastal Plan", "Strategy"), ("Roots and Routes", "Report"))
    assert claims_of("Roots and Routes was cited by the Coastal Plan.", names, lexicon) == [
        ("Roots and Routes", "citesAsKeyInfluence", "Coastal Plan")
    ]
    assert claims_of("The Coastal Plan cited Roots and Routes.", names, lexicon) == [
        ("Roots and Routes", "citesAsKeyInfluence", "Coastal Plan")
    ]


def test_listed_names_each_get_a_claim_and_we_is_the_publisher(lexicon):
    names = names_of(
        ("Seaside Trust", "Organisation"),
        ("Port Council", "Government body"),
        ("Harbour Board", "Organisation"),
    )
    found = claims_of(
        "We work with the Port Council and the Harbour Board on housing.",
        names,
        lexicon,
        publisher="new:Seaside Trust",
    )
    assert found == [
        ("Seaside Trust", "worksWith", "Port Council"),
        ("Seaside Trust", "worksWith", "Harbour Board"),
    ]


def test_no_cue_no_claim(lexicon):
    names = names_of(("Harbour Fund", "Organisation"), ("Tidewater Study", "Report"))
    assert claims_of("The Harbour Fund and the Tidewater Study are both new.", names, lexicon) == []


# ---------------------------------------------------------------- whole documents


def test_extract_proposes_entities_and_claims_with_location(tmp_path, ontology_source):
    page = tmp_path / "annual-review.txt"
    page.write_text(
        "Annual review\n\n"
        "Our report ‘Shared Tables’ (2022) set out how neighbours meet.\n\n"
        "The Coastal Towns Strategy, published in 2023, draws on Shared Tables.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Seaside Trust"))
    entities = {(e["label"], e["type"]) for e in result.entities}
    assert {
        ("Seaside Trust", "Organisation"),
        ("Shared Tables", "Report"),
        ("Coastal Towns Strategy", "Strategy"),
    } <= entities
    (claim,) = result.claims
    assert (claim["from"], claim["kind"], claim["to"]) == (
        "Shared Tables",
        "draws on",
        "Coastal Towns Strategy",
    )
    assert claim["evidence"] == (
        "The Coastal Towns Strategy, published in 2023, draws on Shared Tables."
    )
    assert (claim["location"], claim["year"], claim["claimant"]) == (
        "annual-review.txt: line 5",
        "2023",
        "Seaside Trust",
    )
    assert claim["source"] == page.resolve().as_uri()


def test_a_failed_document_does_not_stop_the_others(tmp_path, ontology_source):
    good = tmp_path / "good.md"
    good.write_text("The Marsh Lane Foundation funds the Tidewater Survey.\n", encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    result = extract(ontology_source, [tmp_path], Options(publisher="Marsh Lane Foundation"))
    assert result.documents == 2
    assert len(result.failures) == 1 and "bad.pdf: not a readable PDF" in result.failures[0]
    assert [(c["from"], c["to"]) for c in result.claims] == [
        ("Marsh Lane Foundation", "Tidewater Survey")
    ]


def test_known_entities_are_linked_not_proposed(seed_source, tmp_path):
    page = tmp_path / "note.txt"
    page.write_text("The Paul Hamlyn Foundation funded the GLA’s new survey.\n", encoding="utf-8")
    result = extract(seed_source, [page], Options(publisher="British Academy"))
    assert result.known == {"Paul Hamlyn Foundation": 1, "Greater London Authority": 1}
    assert result.entities == []


def test_people_listed_under_a_group_heading_are_members(tmp_path, ontology_source):
    page = tmp_path / "project.md"
    page.write_text(
        "# Harbour Lights\n\nHarbour Lights is a project on coastal housing.\n\n"
        "## Steering group\n\n"
        "- Dr Amara Singh, Director, Coastal Homes Institute (Chair)\n"
        "- Tom Reyes, Adviser, Marsh Lane Foundation\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Coastal Homes Institute"))
    group = {e["label"]: e["type"] for e in result.entities}
    assert group["Harbour Lights steering group"] == "Group"
    assert {(c["from"], c["kind"], c["to"]) for c in result.claims} == {
        ("Amara Singh", "chairs", "Harbour Lights steering group"),
        ("Tom Reyes", "member of working group", "Harbour Lights steering group"),
    }


def test_a_cue_with_nobody_on_one_side_names_the_document(tmp_path, ontology_source):
    page = tmp_path / "project.txt"
    page.write_text(
        "Harbour Lights (2021)\n\nFunded by the Marsh Lane Foundation, the work "
        "ran for two years.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Coastal Homes Institute"))
    (claim,) = result.claims
    assert (claim["from"], claim["kind"], claim["to"]) == (
        "Marsh Lane Foundation",
        "funds",
        "Harbour Lights",
    )
    assert float(claim["confidence"]) < 0.9


def test_a_heading_over_this_report_is_the_reports_title(tmp_path, ontology_source):
    page = tmp_path / "publications.txt"
    page.write_text(
        "Our publications\n\nNeighbours at the Table\n\nThis short report looks "
        "at shared meals in three towns.\n\nGet involved\n\nThis is how to help.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Coastal Homes Institute"))
    found = {(e["label"], e["type"]) for e in result.entities}
    assert ("Neighbours at the Table", "Report") in found
    assert not any(label == "Get involved" for label, _ in found)


def test_paragraphs_under_a_works_heading_are_about_it(tmp_path, ontology_source):
    page = tmp_path / "reports.txt"
    page.write_text(
        "Tidewater Voices (2020)\n\nWhat do fishing towns need? With "
        "contributions from Dr Amara Singh and Professor Tom Reyes.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Coastal Homes Institute"))
    assert {(c["from"], c["kind"], c["to"]) for c in result.claims} == {
        ("Amara Singh", "contributes to", "Tidewater Voices"),
        ("Tom Reyes", "contributes to", "Tidewater Voices"),
    }


def test_a_name_proposed_by_one_document_is_mentioned_in_the_next(tmp_path, ontology_source):
    (tmp_path / "a.txt").write_text(
        "Our report ‘Shared Tables’ came out in 2022.\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text(
        "The Coastal Towns Strategy draws on Shared Tables.\n", encoding="utf-8"
    )
    result = extract(ontology_source, [tmp_path], Options(publisher="Seaside Trust"))
    assert [e["label"] for e in result.entities].count("Shared Tables") == 1
    assert [(c["from"], c["to"]) for c in result.claims] == [
        ("Shared Tables", "Coastal Towns Strategy")
    ]
