"""Adding entities and claims: validated first, appended as Turtle, written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from influencegraph.edit import (
    ClaimSpec,
    EntitySpec,
    add_claim,
    add_entity,
    date_literal,
    declared_prefixes,
    mint_iri,
    quote_string,
    slugify,
)
from influencegraph.errors import EditRefused, InfluenceGraphError, ValidationFailed
from influencegraph.files import write_atomically
from influencegraph.graph import default_data_paths, load_graph, open_source
from influencegraph.names import invisible_characters, normalise, resolve
from influencegraph.validate import validate_graph
from influencegraph.vocab import IG, IGD, PREFIXES, expand

PROV = PREFIXES["prov"]
DCT = PREFIXES["dcterms"]
CITO = PREFIXES["cito"]
ICS_QUOTE = (
    "The Government’s Integrated Communities Strategy Green Paper, published in 2018, "
    "highlights and endorses The Challenges ‘Design Principles for Meaningful Mixing’"
)
TEAM = [
    "--type",
    "Group",
    "--label",
    "Public affairs and policy team (The Challenge)",
    "--evidence",
    "Our public affairs and policy team inspire policymakers",
    "--source",
    "Policy Impact",
]


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------- add entity


def test_add_entity_then_validate_passes(invoke, data_copy):
    before = data_copy.read_bytes()
    result = invoke(
        "--data",
        str(data_copy),
        "add",
        "entity",
        *TEAM,
        "--alt-label",
        "policy team",
        "--year",
        "2019-03",
        "--publisher",
        "The Challenge",
    )
    assert result.exit_code == 0, result.output
    assert "added Group" in result.output
    after = data_copy.read_bytes()
    assert after.startswith(before), "the old file must be kept byte for byte"
    assert invoke("validate", str(data_copy)).exit_code == 0

    source = open_source([data_copy], needs="edit")
    entity = resolve(source, "policy team")
    assert (entity.label, entity.type) == (
        "Public affairs and policy team (The Challenge)",
        "Group",
    )
    graph = source.graph
    node = URIRef(entity.iri)
    assert entity.iri.startswith(IGD)
    assert graph.value(node, URIRef(DCT + "issued")) == Literal(
        "2019-03", datatype=URIRef(PREFIXES["xsd"] + "gYearMonth")
    )
    assert graph.value(node, URIRef(DCT + "publisher")) == URIRef(IGD + "the-challenge")
    assert graph.value(node, URIRef(DCT + "source")) == URIRef(IGD + "src-policy-impact")


def test_added_block_reuses_the_files_prefixes_and_is_commented(data_source, data_copy):
    result = add_entity(
        data_source,
        data_copy,
        EntitySpec("Report", "Bridging Divides", evidence="quote", document="Policy Impact"),
    )
    assert result.text.startswith("# ---- added by `influencegraph add entity`: Report")
    assert ":bridging-divides a ig:Report ;" in result.text
    assert "@prefix" not in result.text  # the seed file declares everything it needs
    assert result.triples_added == 4  # type, label, source, quote


def test_label_already_taken_is_refused(invoke, data_copy):
    before = data_copy.read_bytes()
    result = invoke(
        "--data",
        str(data_copy),
        "add",
        "entity",
        "--type",
        "Report",
        "--label",
        "all together now",
        "--evidence",
        "x",
        "--source",
        "Policy Impact",
    )
    assert result.exit_code == 2
    assert "--label: 'All Together Now' (Report) already has this label" in result.output
    assert data_copy.read_bytes() == before


@pytest.mark.parametrize(
    "args,expected",
    [
        (["--type", "Widget"], "--type: unknown type 'Widget'; use one of Report, Survey"),
        (["--type", "Source document"], "--type: source documents are added by giving a URL"),
        (["--year", "2019-13"], "--year: '2019-13' is not a year"),
        (["--year", "2019-02-30"], "--year: '2019-02-30' is not a real date"),
        (["--publisher", "Challeng"], "--publisher: no entity is called 'Challeng'; did you mean"),
    ],
)
def test_bad_entity_input_is_exit_2_and_names_the_option(invoke, data_copy, args, expected):
    before = data_copy.read_bytes()
    base = dict(zip(TEAM[::2], TEAM[1::2], strict=True))
    for option, value in zip(args[::2], args[1::2], strict=True):
        base[option] = value
    flat = [x for pair in base.items() for x in pair]
    result = invoke("--data", str(data_copy), "add", "entity", *flat)
    assert result.exit_code == 2
    assert expected in result.output
    assert data_copy.read_bytes() == before


def test_writing_into_the_bundled_graph_is_refused(invoke):
    bundled = default_data_paths()[0]
    before = bundled.read_bytes()
    result = invoke("add", "entity", *TEAM)
    assert result.exit_code == 2
    assert "--data" in result.output and "read-only" in result.output
    assert bundled.read_bytes() == before
    # A dry run writes nothing, so it may look at the bundled graph.
    dry = invoke("add", "entity", *TEAM, "--dry-run")
    assert dry.exit_code == 0
    assert bundled.read_bytes() == before


def test_dry_run_prints_the_turtle_and_touches_nothing(invoke, data_copy):
    before = data_copy.read_bytes()
    stamp = data_copy.stat().st_mtime_ns
    result = invoke("--data", str(data_copy), "add", "entity", *TEAM, "--dry-run")
    assert result.exit_code == 0
    assert data_copy.read_bytes() == before and data_copy.stat().st_mtime_ns == stamp
    assert _files(data_copy.parent) == ["triples.ttl"]
    # What it printed is exactly what a real run appends.
    printed = result.stdout
    invoke("--data", str(data_copy), "add", "entity", *TEAM)
    assert data_copy.read_text(encoding="utf-8").endswith(printed)


# ---------------------------------------------------------------- add claim


def _claim_args(**overrides: str) -> list[str]:
    base = {
        "--from": "Design Principles for Meaningful Mixing",
        "--to": "ICS",
        "--kind": "endorses",
        "--evidence": ICS_QUOTE,
        "--source": "Policy Impact",
    }
    base.update(overrides)
    return [x for pair in base.items() for x in pair if pair[1] is not None]


def test_add_claim_writes_the_qualified_influence_shortcut_and_cito(invoke, data_copy):
    result = invoke("--data", str(data_copy), "add", "claim", *_claim_args())
    assert result.exit_code == 0, result.output
    graph = load_graph([data_copy])
    assert validate_graph(graph) == []
    ics, dp = URIRef(IGD + "integrated-communities-strategy"), URIRef(IGD + "design-principles")
    claims = [
        c
        for c in graph.objects(ics, URIRef(PROV + "qualifiedInfluence"))
        if graph.value(c, URIRef(PROV + "influencer")) == dp
    ]
    assert len(claims) == 1
    claim = claims[0]
    assert (claim, RDF.type, URIRef(IG + "InfluenceClaim")) in graph
    assert graph.value(claim, URIRef(IG + "kind")) == URIRef(IG + "endorses")
    assert str(graph.value(claim, URIRef(IG + "evidence"))) == ICS_QUOTE
    assert graph.value(claim, URIRef(DCT + "source")) == URIRef(IGD + "src-policy-impact")
    # The claimant defaults to the source's publisher.
    assert graph.value(claim, URIRef(IG + "claimant")) == URIRef(IGD + "the-challenge")
    assert (ics, URIRef(PROV + "wasInfluencedBy"), dp) in graph
    assert (ics, URIRef(CITO + "agreesWith"), dp) in graph  # both ends are works


def test_claim_not_between_works_gets_no_cito(data_source, data_copy):
    add_claim(
        data_source,
        data_copy,
        ClaimSpec(
            "Paul Hamlyn Foundation",
            "All Together Now",
            "reflects",
            evidence="q",
            document="Policy Impact",
            claimant="The Challenge",
            year="2018",
        ),
    )
    graph = load_graph([data_copy])
    atn, phf = URIRef(IGD + "all-together-now"), URIRef(IGD + "paul-hamlyn-foundation")
    assert (atn, URIRef(PROV + "wasInfluencedBy"), phf) in graph
    assert (atn, URIRef(CITO + "usesMethodIn"), phf) not in graph
    claim = next(c for c in graph.objects(atn, URIRef(PROV + "qualifiedInfluence")))
    assert graph.value(claim, URIRef(DCT + "date")) == Literal(
        "2018", datatype=URIRef(PREFIXES["xsd"] + "gYear")
    )


@pytest.mark.parametrize(
    "missing,message",
    [
        ("--evidence", "--evidence: is required: quote the source's own words"),
        ("--source", "--source: is required: the label of a source document"),
    ],
)
def test_claim_without_evidence_or_source_is_refused_file_byte_identical(
    invoke, data_copy, missing, message
):
    before = data_copy.read_bytes()
    result = invoke("--data", str(data_copy), "add", "claim", *_claim_args(**{missing: None}))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert data_copy.read_bytes() == before
    assert _files(data_copy.parent) == ["triples.ttl"]


def test_claim_backwards_in_time_is_exit_1_and_file_unchanged(invoke, data_copy):
    before = data_copy.read_bytes()
    result = invoke(
        "--data",
        str(data_copy),
        "add",
        "claim",
        *_claim_args(
            **{
                "--from": "Social mixing in the workplace",
                "--to": "All Together Now",
                "--kind": "draws on",
            }
        ),
    )
    assert result.exit_code == 1
    assert "runs backwards in time: Social mixing in the workplace (2019)" in result.output
    assert "unchanged" in result.output
    assert data_copy.read_bytes() == before


def test_bad_claim_input_lists_every_problem_on_one_line(invoke, data_copy):
    result = invoke(
        "--data",
        str(data_copy),
        "add",
        "claim",
        *_claim_args(**{"--from": "All Togther Now", "--kind": "inspires", "--year": "soon"}),
    )
    assert result.exit_code == 2
    line = result.output.strip()
    assert "\n" not in line
    assert "--from: no entity is called 'All Togther Now'; did you mean 'All Together Now'" in line
    assert "--kind: unknown kind 'inspires'; use one of citesAsKeyInfluence, endorses" in line
    assert "--year: 'soon' is not a year" in line


def test_duplicate_and_self_claims_are_refused(data_source, data_copy):
    with pytest.raises(EditRefused, match="already has this claim"):
        add_claim(
            data_source,
            data_copy,
            ClaimSpec(
                "All Together Now", "ICS", "endorses", evidence="again", document="Policy Impact"
            ),
        )
    with pytest.raises(EditRefused, match="cannot influence itself"):
        add_claim(
            data_source,
            data_copy,
            ClaimSpec(
                "ICS",
                "Integrated Communities Strategy",
                "endorses",
                evidence="q",
                document="Policy Impact",
            ),
        )


def test_claim_kind_help_lists_kinds_with_strengths(invoke):
    from influencegraph.vocab import INFLUENCE_KINDS

    text = invoke("add", "claim", "--help").output
    for kind in INFLUENCE_KINDS:
        assert re.search(rf"{kind.name}\s+{re.escape(kind.label)} \({kind.strength}\)", text)


def test_new_source_by_url_needs_title_and_publisher(data_source, data_copy):
    url = "https://example.org/bridging"
    with pytest.raises(EditRefused) as info:
        add_claim(
            data_source,
            data_copy,
            ClaimSpec("The Challenge", "All of Us", "worksWith", evidence="q", document=url),
        )
    assert "--source-title: a new source" in str(info.value)
    assert "--source-publisher: a new source" in str(info.value)

    add_claim(
        data_source,
        data_copy,
        ClaimSpec(
            "The Challenge",
            "All of Us",
            "worksWith",
            evidence="we work with the GLA",
            document=url,
            document_title="Bridging",
            document_publisher="GLA",
        ),
    )
    graph = load_graph([data_copy])
    page = URIRef(url)
    assert (page, RDF.type, URIRef(IG + "SourceDocument")) in graph
    assert str(graph.value(page, RDFS.label)) == "Bridging (Greater London Authority)"
    assert graph.value(page, URIRef(DCT + "publisher")) == URIRef(IGD + "greater-london-authority")
    claim = graph.value(predicate=URIRef(DCT + "source"), object=page, any=True)
    assert validate_graph(graph) == []
    assert claim is not None

    # The same URL names the source it created: no second source document.
    again = open_source([data_copy], needs="edit")
    add_claim(
        again,
        data_copy,
        ClaimSpec(
            "The Challenge", "Integration City", "contributesTo", evidence="q2", document=url
        ),
    )
    graph = load_graph([data_copy])
    assert len(set(graph.subjects(RDF.type, URIRef(IG + "SourceDocument")))) == 3
    claims = [
        c
        for c in graph.subjects(URIRef(DCT + "source"), page)
        if (c, RDF.type, URIRef(IG + "InfluenceClaim")) in graph
    ]
    assert {graph.value(c, URIRef(IG + "claimant")) for c in claims} == {
        URIRef(IGD + "greater-london-authority")
    }


# ---------------------------------------------------------------- atomic writes


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_interrupted_write_leaves_the_old_file_and_no_temp_file(
    invoke, data_copy, monkeypatch, broken
):
    before = data_copy.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, broken, fail)
    result = invoke("--data", str(data_copy), "add", "entity", *TEAM)
    monkeypatch.undo()
    assert result.exit_code == 2
    assert "No space left on device" in result.output and "unchanged" in result.output
    assert data_copy.read_bytes() == before
    assert _files(data_copy.parent) == ["triples.ttl"]


def test_write_atomically_refuses_when_the_file_changed_meanwhile(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_bytes(b"old")
    with pytest.raises(InfluenceGraphError, match="changed while"):
        write_atomically(path, b"new", expect=b"something else")
    assert path.read_bytes() == b"old"
    assert _files(tmp_path) == ["g.ttl"]
    write_atomically(path, b"new", expect=b"old")
    assert path.read_bytes() == b"new"


def test_write_atomically_keeps_permissions_and_symlinks(tmp_path):
    real = tmp_path / "real.ttl"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert real.stat().st_mode & 0o777 == 0o640


# ---------------------------------------------------------------- other files and formats


def test_file_without_prefixes_gets_them_declared(tmp_path, tiny_graph_text):
    expanded = Graph().parse(data=tiny_graph_text, format="turtle").serialize(format="nt")
    path = tmp_path / "plain.ttl"
    path.write_text("# no prefixes here\n" + expanded, encoding="utf-8")
    result = add_entity(
        open_source([path]),
        path,
        EntitySpec("Person", "Ada", evidence="Ada wrote it", document="Tiny page"),
    )
    assert "@prefix ig: <https://w3id.org/influencegraph/ns#> ." in result.text
    assert "@prefix igd: <https://w3id.org/influencegraph/id/> ." in result.text
    assert validate_graph(load_graph([path])) == []
    assert resolve(open_source([path]), "Ada").type == "Person"


def test_prefix_bound_elsewhere_is_not_reused(tmp_path, tiny_graph_text):
    path = tmp_path / "odd.ttl"
    path.write_text(
        tiny_graph_text + "@prefix ig: <https://example.org/other#> .\n", encoding="utf-8"
    )
    result = add_entity(
        open_source([path]),
        path,
        EntitySpec("Person", "Ada", evidence="Ada wrote it", document="Tiny page"),
    )
    assert "<https://w3id.org/influencegraph/ns#evidence>" in result.text
    assert "ig:" not in result.text.split("\n", 1)[1]
    assert result.text.startswith(
        '# ---- added by `influencegraph add entity`: Person "Ada"\n'
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n\n:ada a "
    )
    assert resolve(open_source([path]), "Ada").type == "Person"


def test_ntriples_target_gets_ntriples_lines(tmp_path, tiny_graph_text):
    path = tmp_path / "g.nt"
    path.write_text(
        Graph().parse(data=tiny_graph_text, format="turtle").serialize(format="nt"),
        encoding="utf-8",
    )
    before = path.read_bytes()
    result = add_entity(
        open_source([path]),
        path,
        EntitySpec("Person", 'Ada "A" Lovelace', evidence="Ada", document="Tiny page"),
    )
    assert path.read_bytes().startswith(before)
    assert all(line.startswith(("#", "<")) for line in result.text.splitlines())
    assert resolve(open_source([path]), 'ada "a" lovelace').label == 'Ada "A" Lovelace'


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's N-Quads parser
def test_nquads_target_is_refused(invoke, tmp_path):
    path = tmp_path / "g.nq"
    path.write_text("", encoding="utf-8")
    result = invoke(
        "--data",
        str(path),
        "add",
        "entity",
        "--type",
        "Person",
        "--label",
        "Ada",
        "--evidence",
        "q",
        "--source",
        "https://example.org/p",
        "--source-title",
        "P",
        "--source-publisher",
        "Ada",
    )
    assert result.exit_code == 2


def test_existing_violations_do_not_block_additions(tmp_path, tiny_graph_text):
    path = tmp_path / "g.ttl"
    broken = tiny_graph_text + ('\n:loose a ig:Report ; rdfs:label "Loose" .\n')
    path.write_text(broken, encoding="utf-8")
    assert validate_graph(load_graph([path]))  # already has a violation
    add_entity(
        open_source([path]), path, EntitySpec("Person", "Ada", evidence="q", document="Tiny page")
    )
    assert resolve(open_source([path]), "Ada").type == "Person"


def test_declared_prefixes_skips_comments_strings_and_iris():
    text = (
        "@prefix a: <https://a/> .\n# @prefix b: <https://b/> .\n"
        ':x :y "@prefix c: <https://c/> ." .\n'
        ':x :y """\n@prefix d: <https://d/> .\n""" .\n'
        "PREFIX e: <https://e/>\n@prefix a: <https://a2/> .\n"
    )
    assert declared_prefixes(text) == {"a": "https://a2/", "e": "https://e/"}


# ---------------------------------------------------------------- properties

_label_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=_label_text, alt=_label_text)
def test_any_label_survives_add_parse_and_lookup(tiny_graph_text, label, alt):
    assume(normalise(label) and normalise(alt))
    assume(not invisible_characters(label + alt))  # refused: tested on their own
    assume(normalise(label) not in {"tiny org", "tiny page (tiny org)"})
    assume(not expand(label.strip()).startswith(IGD))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.ttl"
        path.write_text(tiny_graph_text, encoding="utf-8")
        before = path.read_bytes()
        add_entity(
            open_source([path]),
            path,
            EntitySpec(
                "Report", label, evidence=f"quote: {label}", document="Tiny page", alt_labels=[alt]
            ),
        )
        assert path.read_bytes().startswith(before)
        source = open_source([path], needs="edit")
        found = resolve(source, label)
        assert found.label == label.strip() and found.type == "Report"
        assert str(source.graph.value(URIRef(found.iri), URIRef(IG + "evidence"))) == (
            f"quote: {label}".strip()
        )


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_quote_string_round_trips_through_turtle(text):
    graph = Graph().parse(data=f"<urn:s> <urn:p> {quote_string(text)} .", format="turtle")
    assert str(next(iter(graph.objects()))) == text


@given(st.lists(st.text(max_size=30), min_size=1, max_size=12))
def test_minted_iris_are_unique_and_safe(labels):
    taken: set[str] = set()
    for label in labels:
        slug = slugify(label)
        assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug) and len(slug) <= 60
        iri = mint_iri(slug, taken)
        assert iri not in taken and iri.startswith(IGD)
        taken.add(iri)
    assert len(taken) == len(labels)


@given(st.dates(), st.sampled_from(["year", "month", "day"]))
def test_date_literal_types_follow_precision(day, precision):
    text = {
        "year": f"{day.year:04d}",
        "month": f"{day.year:04d}-{day.month:02d}",
        "day": day.isoformat(),
    }[precision]
    literal = date_literal(text)
    assert str(literal) == text
    assert (
        str(literal.datatype).rsplit("#", 1)[1]
        == {"year": "gYear", "month": "gYearMonth", "day": "date"}[precision]
    )


def test_validation_failure_is_its_own_error_type(data_source, data_copy):
    with pytest.raises(ValidationFailed) as info:
        add_claim(
            data_source,
            data_copy,
            ClaimSpec(
                "British Integration Survey 2019",
                "All Together Now",
                "drawsOn",
                evidence="q",
                document="Policy Impact",
            ),
        )
    assert info.value.problems and "runs backwards in time" in info.value.problems[0]


def test_an_empty_file_can_start_with_an_organisation_and_its_own_page(invoke, tmp_path):
    path = tmp_path / "new.ttl"
    path.write_text("", encoding="utf-8")
    result = invoke(
        "--data",
        str(path),
        "add",
        "entity",
        "--type",
        "Organisation",
        "--label",
        "Bridge Trust",
        "--evidence",
        "Bridge Trust is a charity",
        "--source",
        "https://bridge.example/about",
        "--source-title",
        "About us",
        "--source-publisher",
        "Bridge Trust",
    )
    assert result.exit_code == 0, result.output
    assert invoke("validate", str(path)).exit_code == 0
    graph = load_graph([path])
    page = URIRef("https://bridge.example/about")
    assert graph.value(page, URIRef(DCT + "publisher")) == URIRef(IGD + "bridge-trust")


def test_a_taken_slug_gets_a_numbered_iri(data_source, data_copy):
    add_entity(
        data_source,
        data_copy,
        EntitySpec("Report", "All Together Now!", evidence="q", document="Policy Impact"),
    )
    entity = resolve(open_source([data_copy]), "All Together Now!")
    assert entity.iri == IGD + "all-together-now-2"
    assert resolve(open_source([data_copy]), "All Together Now").iri == IGD + "all-together-now"


def test_a_misread_prefix_is_caught_before_writing(tmp_path, tiny_graph_text, monkeypatch):
    """If the prefix scan were wrong, the parse check refuses instead of writing."""
    import influencegraph.edit.writer as edit

    path = tmp_path / "g.ttl"
    path.write_text(
        tiny_graph_text + "@prefix ig: <https://example.org/other#> .\n", encoding="utf-8"
    )
    before = path.read_bytes()
    monkeypatch.setattr(edit, "declared_prefixes", lambda text: {"ig": IG, "": IGD})
    with pytest.raises(InfluenceGraphError, match="would not say exactly what was meant"):
        add_entity(
            open_source([path]),
            path,
            EntitySpec("Person", "Ada", evidence="q", document="Tiny page"),
        )
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["g.ttl"]


def test_windows_line_endings_are_kept(tmp_path, tiny_graph_text):
    path = tmp_path / "g.ttl"
    path.write_bytes(tiny_graph_text.replace("\n", "\r\n").encode("utf-8"))
    add_entity(
        open_source([path]),
        path,
        EntitySpec("Person", "Ada\nLovelace", evidence="q", document="Tiny page"),
    )
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert resolve(open_source([path]), "Ada\nLovelace").label == "Ada\nLovelace"


# ---------------------------------------------------------------- names that mislead


def test_a_new_label_cannot_take_over_another_entitys_alias(invoke, data_copy):
    """ "ICS" is an alternative label of the Integrated Communities Strategy Green Paper."""
    before = data_copy.read_bytes()
    result = invoke(
        "--data",
        str(data_copy),
        "add",
        "entity",
        "--type",
        "Report",
        "--label",
        "ics",
        "--evidence",
        "x",
        "--source",
        "Policy Impact",
    )
    assert result.exit_code == 2
    assert (
        "--label: 'Integrated Communities Strategy Green Paper' (Strategy) already "
        "answers to 'ics' (an alternative label); choose a distinct one"
    ) in result.output
    assert data_copy.read_bytes() == before
    assert invoke("--data", str(data_copy), "path", "All Together Now", "ICS").exit_code == 0


@pytest.mark.parametrize("char", ["\u200f", "\u202e", "\u200b", "\u2066", "\ufeff"])
def test_invisible_characters_in_names_are_refused(data_source, data_copy, char):
    before = data_copy.read_bytes()
    for spec in (
        EntitySpec("Report", f"Evil{char}Report", evidence="q", document="Policy Impact"),
        EntitySpec(
            "Report", "Plain", evidence="q", document="Policy Impact", alt_labels=[f"P{char}"]
        ),
    ):
        with pytest.raises(EditRefused, match=f"invisible characters \\(U\\+{ord(char):04X}"):
            add_entity(data_source, data_copy, spec)
    assert data_copy.read_bytes() == before
