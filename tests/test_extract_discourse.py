"""extract: rules that read beyond one name or one sentence (numbered sets, the works a
"both reports" points back to, a heading titled by its download link), on short texts
written for these tests."""

from __future__ import annotations

import pytest

from influencegraph.extract.anaphora import WINDOW, plural_references
from influencegraph.extract.claims import CueLexicon, claims_in
from influencegraph.extract.mentions import Names, pipeline
from influencegraph.extract.numbered import numbered_sets
from influencegraph.extract.run import Options, extract
from influencegraph.graph import MemorySource, load_graph
from influencegraph.names import Entity


@pytest.fixture(scope="module")
def ontology_source():
    return MemorySource(load_graph([]))


@pytest.fixture(scope="module")
def lexicon(ontology_source):
    return CueLexicon.from_source(ontology_source)


def names_of(*entities: tuple[str, str]) -> Names:
    names = Names()
    for label, kind in entities:
        names.add("new:" + label, Entity("new:" + label, label, kind))
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


def triples(result) -> set[tuple[str, str, str]]:
    return {(c["from"], c["kind"], c["to"]) for c in result.claims}


# ---------------------------------------------------------------- numbered named sets


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Grants went to the Ministry’s twelve Opportunity Areas last year.", "Opportunity Areas"),
        ("The board agreed its 4 Pathfinder Zones in May.", "Pathfinder Zones"),
        ("We back the Council's three Priority Street Themes.", "Priority Street Themes"),
    ],
)
def test_a_capitalised_plural_counted_after_a_possessive_is_a_programme(text, label):
    assert [(p.label, p.type) for p in numbered_sets(text)] == [(label, "Programme")]


@pytest.mark.parametrize(
    "text",
    [
        "The city's two Universities agreed.",  # one word: no name
        "The Council's three Deputy Mayors met.",  # people
        "The county's two Housing Trusts merged.",  # organisations, by head word
        "The Trust's 2021 Annual Report is out.",  # a year, not a count
        "Three Priority Themes were agreed.",  # no possessive
        "The Council's three priority themes were agreed.",  # not a name
    ],
)
def test_counted_people_bodies_years_and_common_nouns_are_not_sets(text):
    assert list(numbered_sets(text)) == []


def test_a_listed_possessor_gives_way_to_the_set_it_owns(lexicon):
    names = names_of(
        ("Tidewater Trust", "Organisation"),
        ("Harbour Board", "Organisation"),
        ("Port Council", "Government body"),
        ("Renewal Zones", "Programme"),
    )
    found = claims_of(
        "We partner with the Harbour Board and councils, including the Port Council’s "
        "six Renewal Zones, on housing.",
        names,
        lexicon,
        publisher="new:Tidewater Trust",
    )
    assert found == [
        ("Tidewater Trust", "worksWith", "Harbour Board"),
        ("Tidewater Trust", "worksWith", "Renewal Zones"),
    ]


def test_a_listed_possessor_of_something_unnamed_stays_listed(lexicon):
    names = names_of(
        ("Tidewater Trust", "Organisation"),
        ("Harbour Board", "Organisation"),
        ("Port Council", "Government body"),
    )
    found = claims_of(
        "We partner with the Harbour Board and the Port Council’s housing staff.",
        names,
        lexicon,
        publisher="new:Tidewater Trust",
    )
    assert found == [
        ("Tidewater Trust", "worksWith", "Harbour Board"),
        ("Tidewater Trust", "worksWith", "Port Council"),
    ]


def test_a_numbered_set_is_proposed_and_joined_in_a_document(tmp_path, ontology_source):
    page = tmp_path / "about.txt"
    page.write_text(
        "What we do\n\nWe collaborate with the Welsh Government and the Ministry's "
        "eight Learning Communities to share what works.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Cardigan Bay Forum"))
    assert ("Learning Communities", "Programme") in {
        (e["label"], e["type"]) for e in result.entities
    }
    assert ("Cardigan Bay Forum", "works with", "Learning Communities") in triples(result)


# ---------------------------------------------------------------- a heading titled by its link


def test_a_heading_closed_by_a_download_link_titles_a_report(tmp_path, ontology_source):
    page = tmp_path / "publications.txt"
    page.write_text(
        "Publications\n\n"
        "Streets for Play in Coastal Towns\n\n"
        "The project was backed by a series of workshops, sponsored by the Harbour "
        "Lights Fund, with parents in four towns.\n\n"
        "Read the full briefing (PDF, 2 MB)\n\n"
        "Contact us\n\nWrite to the team.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Seaside Trust"))
    entities = {(e["label"], e["type"]) for e in result.entities}
    assert ("Streets for Play in Coastal Towns", "Report") in entities
    assert not any(label in ("Publications", "Contact us") for label, _ in entities)
    assert ("Harbour Lights Fund", "funds", "Streets for Play in Coastal Towns") in triples(result)


@pytest.mark.parametrize(
    ("heading", "link"),
    [
        ("Our latest reports", "Download the report"),  # a list of works
        ("Resources for schools", "Download the report"),
        ("Executive summary", "Download the report"),  # a part of a work
        ("Streets for Play", "Download the app"),  # no work
        ("Streets for Play", "Download the report to see how towns can take part."),  # prose
    ],
)
def test_headings_over_lists_links_to_other_things_or_prose_title_nothing(
    tmp_path, ontology_source, heading, link
):
    page = tmp_path / "page.txt"
    page.write_text(f"{heading}\n\nParents met in four towns.\n\n{link}\n", encoding="utf-8")
    result = extract(ontology_source, [page], Options(publisher="Seaside Trust"))
    assert heading not in {e["label"] for e in result.entities}


# ---------------------------------------------------------------- "both reports"

TWO_WORKS = (
    "Tidewater Voices (2020)\n\n"
    "This report asks fishing towns what they need.\n\n"
    "Harbour Homes (2021)\n\n"
    "This study counts empty flats above shops.\n\n"
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("It uses both reports.", [(2, 4, 2)]),
        ("It uses both of these studies.", [(2, 6, 2)]),
        ("It compares the three surveys.", [(2, 5, 3)]),
        ("It thanks both councils.", []),
        ("Both the Trust and the Council agreed.", []),
        ("The reports were both late.", []),
    ],
)
def test_plural_references_are_counted_work_nouns(text, found):
    refs = plural_references(pipeline()(text))
    assert [(s, e, n) for s, e, n, _ in refs] == found


def test_both_reports_means_the_two_works_named_just_before(tmp_path, ontology_source):
    page = tmp_path / "reports.txt"
    page.write_text(
        TWO_WORKS + "Lessons in Brief\n\n"
        "This briefing draws lessons from both reports for coastal councils.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Seaside Trust"))
    assert triples(result) == {
        ("Tidewater Voices", "draws on", "Lessons in Brief"),
        ("Harbour Homes", "draws on", "Lessons in Brief"),
    }
    assert all("reference back" in c["why"] for c in result.claims)
    assert all(float(c["confidence"]) < 0.9 for c in result.claims)


def test_both_reports_resolves_nothing_after_one_work(tmp_path, ontology_source):
    page = tmp_path / "reports.txt"
    page.write_text(
        "Harbour Homes (2021)\n\nThis study counts empty flats above shops.\n\n"
        "Lessons in Brief\n\nThis briefing draws lessons from both reports.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Seaside Trust"))
    assert result.claims == []


def test_both_reports_forgets_works_named_long_before(tmp_path, ontology_source):
    filler = "".join(f"Towns met in week {n}.\n\n" for n in range(WINDOW))
    page = tmp_path / "reports.txt"
    page.write_text(
        TWO_WORKS + filler + "Lessons in Brief\n\nThis briefing draws lessons from both reports.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Seaside Trust"))
    assert result.claims == []


def test_both_surveys_needs_two_surveys(tmp_path, ontology_source):
    page = tmp_path / "reports.txt"
    page.write_text(
        TWO_WORKS + "Lessons in Brief\n\nThis briefing draws lessons from both surveys.\n",
        encoding="utf-8",
    )
    result = extract(ontology_source, [page], Options(publisher="Seaside Trust"))
    assert result.claims == []


@pytest.mark.parametrize(
    "text",
    [
        "The Harbour Review draws together the evidence of the Tidewater Survey.",
        "The Harbour Review brings together the findings of the Tidewater Survey.",
        "The Harbour Review synthesises the Tidewater Survey and other work.",
    ],
)
def test_a_work_that_draws_together_others_draws_on_them(lexicon, text):
    names = names_of(("Harbour Review", "Report"), ("Tidewater Survey", "Survey"))
    assert claims_of(text, names, lexicon) == [("Tidewater Survey", "drawsOn", "Harbour Review")]


def test_bringing_people_together_is_no_drawing_on(lexicon):
    names = names_of(("Harbour Forum", "Organisation"), ("Port Council", "Government body"))
    text = "The Harbour Forum brings together the Port Council and local charities."
    assert claims_of(text, names, lexicon) == []
