"""`validate`: parse errors (exit 2, file:line), SHACL and time-order violations (exit 1)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from influencegraph.dates import date_parts, runs_backwards

HEAD = """@prefix : <https://example.org/> .
@prefix ig: <https://w3id.org/influencegraph/ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:src a ig:SourceDocument ; rdfs:label "A page" ; dcterms:title "A page" ;
    dcterms:publisher :org ; dcterms:source :src ; ig:evidence "we wrote it" .
:org a ig:Organisation ; rdfs:label "Org" ; dcterms:source :src ; ig:evidence "Org" .
"""


def write(tmp_path, text, name="g.ttl"):
    path = tmp_path / name
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def test_bundled_graph_is_valid(invoke):
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid:")


def test_malformed_turtle_reports_file_and_line(invoke, tmp_path):
    head_lines = HEAD.count("\n")
    path = write(tmp_path, ':a :b "unterminated .\n:c :d :e .\n')
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:{head_lines + 1}: malformed turtle" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_file_is_a_user_error(invoke, tmp_path):
    result = invoke("validate", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_unsupported_format_is_refused(invoke, tmp_path):
    path = tmp_path / "g.jsonld"
    path.write_text("{}", encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "unsupported file type '.jsonld'" in result.output


def test_invalid_utf8_names_the_line(invoke, tmp_path):
    path = tmp_path / "g.ttl"
    path.write_bytes(b'@prefix : <https://example.org/> .\n:a :b "caf\xe9" .\n')
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: not valid UTF-8" in result.output


def test_shacl_violation_names_entity_by_label(invoke, tmp_path):
    path = write(tmp_path, ':r a ig:Report ; rdfs:label "Orphan Report" .\n')
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert "Orphan Report: dcterms:source: has no source document" in result.output
    assert "Orphan Report: ig:evidence: has no evidence quote" in result.output
    assert "2 violations found" in result.output


def test_claim_without_evidence_is_named_by_its_ends(invoke, tmp_path):
    path = write(
        tmp_path,
        """
:r a ig:Report ; rdfs:label "Rep" ; dcterms:source :src ; ig:evidence "Rep" .
:r prov:qualifiedInfluence :c .
:c a ig:InfluenceClaim ; prov:influencer :org ; ig:kind ig:endorses ;
   ig:claimant :org ; dcterms:source :src .
""",
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert (
        "claim Org -> Rep (ig:endorses): ig:evidence: influence claim has no evidence"
        in result.output
    )


def test_influence_backwards_in_time_fails(invoke, tmp_path):
    path = write(
        tmp_path,
        """
:old a ig:Report ; rdfs:label "Old" ; dcterms:issued "2015"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "Old" .
:new a ig:Report ; rdfs:label "New" ; dcterms:issued "2019"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "New" .
:old prov:qualifiedInfluence :c .
:c a ig:InfluenceClaim ; prov:influencer :new ; ig:kind ig:endorses ;
   ig:claimant :org ; dcterms:source :src ; ig:evidence "we wrote it" .
""",
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert "runs backwards in time: New (2019) is later than Old (2015)" in result.output


def test_bad_year_datatype_fails(invoke, tmp_path):
    path = write(
        tmp_path,
        """
:r a ig:Report ; rdfs:label "Rep" ; dcterms:issued "last spring" ;
    dcterms:source :src ; ig:evidence "Rep" .
""",
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert "Rep: dcterms:issued: has a date that is not an xsd:gYear" in result.output


years = st.integers(min_value=1000, max_value=2999)
months = st.integers(min_value=1, max_value=12)


@given(years, st.one_of(st.none(), months), years, st.one_of(st.none(), months))
def test_runs_backwards_agrees_with_shared_precision(y1, m1, y2, m2):
    a = f"{y1}" if m1 is None else f"{y1}-{m1:02d}"
    b = f"{y2}" if m2 is None else f"{y2}-{m2:02d}"
    pa, pb = date_parts(a), date_parts(b)
    n = min(len(pa), len(pb))
    assert runs_backwards(a, b) == (pa[:n] > pb[:n])
    assert not (runs_backwards(a, b) and runs_backwards(b, a))
    if y1 > y2:
        assert runs_backwards(a, b)
    if y1 < y2:
        assert not runs_backwards(a, b)


def test_two_issued_dates_get_the_at_most_one_message(invoke, tmp_path):
    path = write(
        tmp_path,
        """
:r a ig:Report ; rdfs:label "Rep" ; dcterms:issued "2018"^^xsd:gYear, "2019"^^xsd:gYear ;
    dcterms:source :src ; ig:evidence "Rep" .
""",
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert "Rep: dcterms:issued: has more than one date (at most one dcterms:issued)" in (
        result.output
    )
    assert "is not an xsd:gYear" not in result.output


@given(
    st.sampled_from(
        ["\u200f", "\u200e", "\u202e", "\u200b", "\u200d", "\u2066", "\ufeff", "\u00ad"]
    )
)
def test_invisible_characters_in_names_are_flagged(tmp_path_factory, char):
    from influencegraph.graph import load_graph
    from influencegraph.names import invisible_characters
    from influencegraph.validate import validate_graph

    assert invisible_characters(f"A{char}B")  # the check and the shape agree on the set
    path = write(
        tmp_path_factory.mktemp("v"),
        f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
:r a ig:Report ; rdfs:label "Rep{char}ort" ; skos:altLabel "R{char}" ;
    dcterms:source :src ; ig:evidence "Rep" .
""",
    )
    found = {(v.path, v.message) for v in validate_graph(load_graph([path]))}
    assert {p for p, m in found if "invisible characters" in m} == {"rdfs:label", "skos:altLabel"}
