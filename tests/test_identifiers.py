"""Identifiers: parsing, canonical forms, checksums (with hypothesis round trips)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from influencegraph.identifiers import (
    SCHEMES,
    BadIdentifier,
    from_iri,
    from_literal,
    isbn10_check_digit,
    isbn13_check_digit,
    looks_like,
    orcid_check_digit,
    parse,
    ror_checksum,
    shacl_pattern,
)

# Published examples: ORCID's documentation iD (Josiah Carberry), ROR ids of real
# organisations (Caltech, University of Florida), ISBN-13 and ISBN-10 from the ISBN users'
# manual example, the DOI of OpenAlex's example work, Douglas Adams on Wikidata.
REAL = {
    "0000-0002-1825-0097": "orcid:0000-0002-1825-0097",
    "https://orcid.org/0000-0002-1694-233X": "orcid:0000-0002-1694-233X",
    "https://ror.org/05dxps055": "ror:05dxps055",
    "02y3ad647": "ror:02y3ad647",
    "isbn:978-0-306-40615-7": "isbn:9780306406157",
    "ISBN 0-306-40615-2": "isbn:0306406152",
    "0306406152": "isbn:0306406152",
    "https://doi.org/10.7717/PEERJ.4375": "doi:10.7717/peerj.4375",
    "10.7717/peerj.4375": "doi:10.7717/peerj.4375",
    "doi:10.1000/182": "doi:10.1000/182",
    "Q42": "wikidata:Q42",
    "https://www.wikidata.org/wiki/Q42": "wikidata:Q42",
    "https://members.parliament.uk/member/4514/contact": "ukparliament:4514",
    "charity:1092871": "charity:1092871",
    "companies-house:SC123456": "companieshouse:SC123456",
    "companieshouse:3176906": "companieshouse:03176906",
    "https://www.gov.uk/government/organisations/department-for-education": (
        "govuk:/government/organisations/department-for-education"
    ),
    "https://openalex.org/W2741809807": "openalex:W2741809807",
}


@pytest.mark.parametrize(("text", "literal"), sorted(REAL.items()))
def test_real_identifiers_parse_to_their_canonical_literal(text, literal):
    found = parse(text)
    assert found.literal == literal
    assert from_literal(found.literal) == found
    assert re.fullmatch(shacl_pattern(), found.literal)


def test_resolvable_schemes_give_the_iri_and_back():
    assert parse("Q42").iri == "http://www.wikidata.org/entity/Q42"
    assert parse("05dxps055").iri == "https://ror.org/05dxps055"
    assert parse("charity:1092871").iri is None
    assert from_iri("https://orcid.org/0000-0002-1825-0097").literal == "orcid:0000-0002-1825-0097"
    assert from_iri("https://example.org/x") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0000-0002-1825-0096", "ORCID checksum fails: the last character should be 7"),
        ("ror:05dxps056", "ROR checksum fails: the last two digits should be 55"),
        ("isbn:9780306406158", "ISBN-13 check digit should be 7"),
        ("isbn:0306406153", "ISBN-10 check digit should be 2"),
        ("doi:11.1/x", "a DOI is 10.NNNN/suffix"),
        ("wikidata:Q0", "a Wikidata item is Q and a number"),
        ("ror:05dxps0u5", "a ROR id is 0, six base32"),
    ],
)
def test_bad_values_say_why(text, reason):
    with pytest.raises(BadIdentifier, match=re.escape(reason)):
        parse(text)


def test_labels_are_not_identifiers():
    for label in ("The Challenge", "All Together Now", "2019", "Q", "10.5 per cent"):
        assert looks_like(label) is None


def test_a_literal_not_in_canonical_form_is_refused():
    with pytest.raises(BadIdentifier, match="canonical form"):
        from_literal("doi:10.7717/PEERJ.4375")
    with pytest.raises(BadIdentifier, match="known scheme"):
        from_literal("pmid:123")


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_orcid_round_trip_and_one_wrong_digit_is_caught(body):
    iri = "https://orcid.org/" + "-".join(
        (body + orcid_check_digit(body))[i : i + 4] for i in range(0, 16, 4)
    )
    found = parse(iri)
    assert parse(found.literal) == found == from_iri(found.iri)
    wrong = "0" if orcid_check_digit(body) != "0" else "1"
    with pytest.raises(BadIdentifier):
        parse(found.value[:-1] + wrong)


@given(st.integers(min_value=0, max_value=32**6 - 1))
def test_ror_round_trip(number):
    body = ""
    for _ in range(6):
        number, digit = divmod(number, 32)
        body = "0123456789abcdefghjkmnpqrstvwxyz"[digit] + body
    ror = "0" + body + ror_checksum(body)
    assert parse(f"https://ror.org/{ror.upper()}").literal == f"ror:{ror}"
    bad = f"{(int(ror[-2:]) + 1) % 100:02d}"
    with pytest.raises(BadIdentifier):
        parse("ror:" + ror[:-2] + bad)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_isbn13_round_trip_with_hyphens(body):
    body = "978" + body[3:]
    isbn = body + isbn13_check_digit(body)
    hyphenated = f"{isbn[:3]}-{isbn[3:5]}-{isbn[5:]}"
    assert parse("isbn:" + hyphenated).literal == "isbn:" + isbn
    assert from_literal("isbn:" + isbn).value == isbn


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_isbn10_round_trip(body):
    isbn = body + isbn10_check_digit(body)
    assert parse("isbn:" + isbn.lower()).value == isbn


@given(st.from_regex(r"10\.[0-9]{4,6}/[A-Za-z0-9._;()/:-]{1,30}", fullmatch=True))
def test_doi_forms_agree(doi):
    forms = [doi, "doi:" + doi, "https://doi.org/" + doi, "http://dx.doi.org/" + doi.upper()]
    assert len({parse(form).literal for form in forms}) == 1


def test_the_shapes_pattern_is_the_schemes_pattern():
    from rdflib import URIRef

    from influencegraph.validate import shapes_graph

    sh = "http://www.w3.org/ns/shacl#"
    shapes = shapes_graph()
    patterns = [
        str(o)
        for s in shapes.subjects(URIRef(sh + "path"), URIRef("http://purl.org/dc/terms/identifier"))
        for o in shapes.objects(s, URIRef(sh + "pattern"))
    ]
    assert patterns == [shacl_pattern()]
    assert set(SCHEMES) >= {
        "doi",
        "isbn",
        "ror",
        "orcid",
        "wikidata",
        "ukparliament",
        "charity",
        "companieshouse",
        "govuk",
    }


def test_validate_reports_a_bad_checksum_and_a_bad_format(tmp_path, invoke, repo_root):
    data = tmp_path / "ids.ttl"
    data.write_text(
        (repo_root / "data" / "triples.ttl").read_text(encoding="utf-8")
        + """
:the-challenge <http://purl.org/dc/terms/identifier> "charity:1092871" .
:the-challenge <http://purl.org/dc/terms/identifier> "ror:05dxps056" .
:the-challenge <http://purl.org/dc/terms/identifier> "doi:not-a-doi" .
""",
        encoding="utf-8",
    )
    result = invoke("validate", str(data))
    assert result.exit_code == 1
    assert "ROR checksum fails: the last two digits should be 55" in result.output
    assert "not scheme:value in the canonical form" in result.output
    assert "charity:1092871" not in result.output


def test_a_focused_check_catches_an_added_bad_checksum(seed_graph):
    from rdflib import Literal, URIRef

    from influencegraph.validate import new_violations

    graph = seed_graph.__class__()
    for triple in seed_graph:
        graph.add(triple)
    added = (
        URIRef("https://w3id.org/influencegraph/id/the-challenge"),
        URIRef("http://purl.org/dc/terms/identifier"),
        Literal("orcid:0000-0002-1825-0096"),
    )
    graph.add(added)
    found = new_violations(graph, [added])
    assert [v.check for v in found] == ["identifier"]
    assert "ORCID checksum fails" in found[0].message


@pytest.fixture
def identified_data(tmp_path, repo_root):
    """The seed graph with identifiers on two entities (one as owl:sameAs only)."""
    data = tmp_path / "ids.ttl"
    data.write_text(
        (repo_root / "data" / "triples.ttl").read_text(encoding="utf-8")
        + """
:the-challenge <http://purl.org/dc/terms/identifier> "charity:1092871", "wikidata:Q7721982" .
:british-academy <http://www.w3.org/2002/07/owl#sameAs> <https://ror.org/05dxps055> .
""",
        encoding="utf-8",
    )
    return data


@pytest.mark.parametrize("needs", ["edit", "read"])
def test_names_accept_identifiers_in_any_form(identified_data, needs):
    from influencegraph.graph import open_source
    from influencegraph.names import resolve, search

    source = open_source([identified_data], needs=needs)
    for name in ("Q7721982", "https://www.wikidata.org/wiki/Q7721982", "charity:1092871"):
        assert resolve(source, name).label == "The Challenge"
    assert resolve(source, "ror:05dxps055").label == "British Academy"
    assert source.__dict__.get("_name_index") is None  # bound lookups, no whole index
    hits = search(source, "05dxps055")
    assert (hits[0].entity.label, hits[0].score, hits[0].matched) == (
        "British Academy",
        1.0,
        "ror:05dxps055",
    )


def test_show_takes_an_identifier_and_an_unknown_one_says_so(identified_data, invoke):
    result = invoke(
        "--data", str(identified_data), "show", "https://ror.org/05dxps055", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert '"British Academy"' in result.output
    missing = invoke("--data", str(identified_data), "show", "Q42")
    assert missing.exit_code == 2
    assert "no entity is called 'Q42'" in missing.output
