"""The query library in examples/queries/: each query's answer on the bundled graph.

Every expected value below was read by hand from data/triples.ttl and the two source
pages (data/sources/), never computed by the code under test; where a value is the
pages' own words, the test also checks that the page says it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rdflib import Graph, URIRef

from influencegraph.vocab import IGD, PREFIXES

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "examples" / "queries"
POLICY_IMPACT = "Policy Impact (The Challenge)"
BA_PAGE = (
    '"If you could do one thing..." Local actions to improve social integration (British Academy)'
)
TITLE_TO_PAGE = {
    "Policy Impact": POLICY_IMPACT,
    '"If you could do one thing..." Local actions to improve social integration': BA_PAGE,
}


def run(invoke, name: str, *args: str, data: Path | None = None):
    """Run a library query through the CLI in SPARQL JSON; rows as dicts of plain strings."""
    where = ["--data", str(data)] if data else []
    result = invoke(
        *where, "sparql", "--file", str(QUERIES / f"{name}.rq"), "--format", "json", *args
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    if "boolean" in data:
        return data["boolean"]
    return [
        {var: cell["value"] for var, cell in row.items()} for row in data["results"]["bindings"]
    ]


def split(value: str) -> set[str]:
    return set(value.split("; ")) if value else set()


def test_every_query_has_a_question_and_a_test():
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 10
    module = sys.modules[__name__]
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and first.endswith("?"), f"{path.name}: {first!r}"
        assert hasattr(module, "test_" + path.stem.replace("-", "_")), f"no test for {path.name}"


def test_reports_that_influenced_strategies(invoke, seed_texts, squash):
    rows = run(invoke, "reports-that-influenced-strategies")
    assert [(r["report"], r["kind"], r["strategy"], r["claimant"], r["source"]) for r in rows] == [
        (
            "All Together Now",
            "endorses",
            "Integrated Communities Strategy Green Paper",
            "The Challenge",
            "Policy Impact",
        ),
        (
            "Integration Not Demonisation",
            "cites as key influence",
            "Integrated Communities Strategy Green Paper",
            "The Challenge",
            "Policy Impact",
        ),
    ]
    for row in rows:
        assert squash(row["quote"]) in seed_texts[POLICY_IMPACT]


def test_self_claims(invoke):
    rows = run(invoke, "self-claims")
    assert {(r["claimant"], r["influencer"], r["kind"], r["target"]) for r in rows} == {
        # The Challenge about itself ("our mission", "We provide the secretariat", "We are
        # continuing to work with ...") and about its own report All Together Now.
        ("The Challenge", "The Challenge", "reflects", "All of Us"),
        ("The Challenge", "The Challenge", "runs the secretariat of", "APPG on Social Integration"),
        ("The Challenge", "The Challenge", "works with", "The Government"),
        ("The Challenge", "The Challenge", "works with", "Mayor of London"),
        ("The Challenge", "The Challenge", "works with", "Integration Areas"),
        (
            "The Challenge",
            "All Together Now",
            "endorses",
            "Integrated Communities Strategy Green Paper",
        ),
        # The British Academy about its own publications feeding its own pamphlet.
        (
            "British Academy",
            "10 Local actions to promote social integration",
            "draws on",
            "Key lessons",
        ),
        (
            "British Academy",
            "The integration of migrants, refugees and asylum seekers",
            "draws on",
            "Key lessons",
        ),
    }
    # Not self-made: the APPG published Integration Not Demonisation, The Challenge says so.
    assert "Integration Not Demonisation" not in {r["influencer"] for r in rows}


def test_working_group_members(invoke, seed_texts):
    rows = {r["member"]: r for r in run(invoke, "working-group-members")}
    assert set(rows) == {
        "Anthony Heath",
        "Dominic Abrams",
        "Ellie Greenwood",
        "Abdool Kara",
        "Charles Loft",
        "Maria O'Beirne",
        "Ralph Scott",
        "Hazel Wardrop",
        "Debbie Weekes-Bernard",
    }
    assert {m for m, r in rows.items() if r["groupRole"] == "Chair"} == {"Anthony Heath"}
    assert split(rows["Anthony Heath"]["posts"]) == {
        "Fellow, British Academy",
        "Emeritus Professor of Sociology, Nuffield College",
        "Director, Centre for Social Investigation",
    }
    assert "Fellow, British Academy (inferred)" in split(rows["Dominic Abrams"]["posts"])
    page = seed_texts[BA_PAGE]
    for member in ("Ellie Greenwood", "Abdool Kara", "Charles Loft", "Ralph Scott"):
        for post in split(rows[member]["posts"]):
            assert post in page, post  # e.g. "Senior Adviser, Local Government Association"
    assert len(split(rows["Abdool Kara"]["posts"])) == 2


def test_influence_by_year(invoke):
    rows = run(invoke, "influence-by-year")
    assert [(r["year"], r["claims"], split(r["works"])) for r in rows] == [
        ("2016", "3", {"A Sense of Belonging"}),  # Casey, Umunna, O'Shaughnessy contribute
        ("2018", "3", {"Integrated Communities Strategy Green Paper", "All of Us"}),
    ]


def test_two_step_paths(invoke):
    rows = run(invoke, "two-step-paths")
    paths = [(r["start"], r["firstKind"], r["middle"], r["secondKind"], r["end"]) for r in rows]
    assert len(paths) == len(set(paths))
    assert set(paths) == {
        (
            "The Challenge",
            "publishes",
            "All Together Now",
            "endorses",
            "Integrated Communities Strategy Green Paper",
        ),
        (
            "APPG on Social Integration",
            "publishes",
            "Integration Not Demonisation",
            "cites as key influence",
            "Integrated Communities Strategy Green Paper",
        ),
        (
            "The Challenge",
            "works with",
            "The Government",
            "publishes",
            "Integrated Communities Strategy Green Paper",
        ),
        ("The Challenge", "works with", "The Government", "publishes", "Integration Areas"),
        (
            "The Challenge",
            "runs the secretariat of",
            "APPG on Social Integration",
            "publishes",
            "Integration Not Demonisation",
        ),
        (
            "Chuka Umunna",
            "chairs",
            "APPG on Social Integration",
            "publishes",
            "Integration Not Demonisation",
        ),
        (
            "British Academy",
            "publishes",
            "10 Local actions to promote social integration",
            "draws on",
            "Key lessons",
        ),
        (
            "British Academy",
            "publishes",
            "The integration of migrants, refugees and asylum seekers",
            "draws on",
            "Key lessons",
        ),
        (
            "Paul Hamlyn Foundation",
            "funds",
            "The integration of migrants, refugees and asylum seekers",
            "draws on",
            "Key lessons",
        ),
    }


def test_reports_by_publisher_and_year(invoke, seed_texts):
    rows = run(invoke, "reports-by-publisher-and-year")
    assert [(r["publisher"], r["year"], r["reports"]) for r in rows] == [
        ("APPG on Social Integration", "undated", "1"),
        ("British Academy", "undated", "3"),
        ("The Challenge", "undated", "1"),
        ("The Challenge", "2019", "2"),
        ("The Challenge", "2018", "1"),
        ("The Challenge", "2017", "1"),
        ("The Challenge", "2016", "3"),
    ]
    challenge_2016 = next(r for r in rows if r["year"] == "2016")
    assert split(challenge_2016["titles"]) == {
        "Integration City",
        "A Sense of Belonging",
        "British Integration Survey 2016",
    }
    page = seed_texts[POLICY_IMPACT]
    for title in (
        "Integration City (2016)",
        "A Sense of Belonging (2016)",
        "British Integration Survey (2016)",
        "Rebuilding our Common Life (2017)",
    ):
        assert title in page


def test_funders(invoke, seed_texts, squash):
    rows = run(invoke, "funders")
    assert [(r["funder"], r["funded"], r["claimant"]) for r in rows] == [
        ("Paul Hamlyn Foundation", "If you could do one thing...", "British Academy"),
        (
            "Paul Hamlyn Foundation",
            "The integration of migrants, refugees and asylum seekers",
            "British Academy",
        ),
    ]
    for row in rows:
        assert squash(row["quote"]) in seed_texts[BA_PAGE]


def test_inferred_links(invoke, seed_texts):
    rows = run(invoke, "inferred-links")
    assert [(r["subject"], r["relation"], r["object"]) for r in rows] == [
        ("Dominic Abrams", "holds the post of Fellow at", "British Academy"),
        ("The Challenge Network", "exactMatch", "The Challenge"),
    ]
    assert all(len(r["reason"]) > 40 for r in rows)
    # Why these are inferences: the pages never say them.
    assert "The Challenge Network" in seed_texts[BA_PAGE]
    assert "The Challenge Network" not in seed_texts[POLICY_IMPACT]
    assert "Dominic Abrams FBA" in seed_texts[BA_PAGE]
    assert "Fellow" not in seed_texts[BA_PAGE].split("Dominic Abrams", 1)[1].split("Ellie")[0]


def test_evidence_by_source(invoke, seed_texts, squash):
    rows = run(invoke, "evidence-by-source")
    by_source: dict[str, int] = {}
    for row in rows:
        by_source[row["source"]] = by_source.get(row["source"], 0) + 1
        assert squash(row["quote"]) in seed_texts[TITLE_TO_PAGE[row["source"]]], row["quote"]
    # The British Academy page: 9 working-group claims, chair and funder of the project,
    # the case studies' funder, and two "draws on" claims of Key lessons.
    assert by_source == {
        "Policy Impact": 11,
        '"If you could do one thing..." Local actions to improve social integration': 14,
    }
    assert {r["claimant"] for r in rows if r["source"] == "Policy Impact"} == {"The Challenge"}


def test_people_with_several_posts(invoke):
    rows = run(invoke, "people-with-several-posts")
    assert [(r["person"], r["count"]) for r in rows] == [
        ("Anthony Heath", "4"),
        ("Dominic Abrams", "4"),
        ("Abdool Kara", "3"),
    ]
    assert split(rows[2]["posts"]) == {
        "Member, If you could do one thing... working group",
        "Executive Leader, Local Services, National Audit Office",
        "Policy Spokesperson on Evidence Based Policy, Solace",
    }


def test_influences_on(invoke, seed_texts, squash):
    ics = run(invoke, "influences-on", "--bind", "target=ICS")
    assert [(r["influencer"], r["kind"], r["strength"]) for r in ics] == [
        ("Integration Not Demonisation", "cites as key influence", "0.9"),
        ("All Together Now", "endorses", "0.8"),
    ]
    appg = run(invoke, "influences-on", "--bind", "target=APPG on Social Integration")
    assert [(r["influencer"], r["kind"]) for r in appg] == [
        ("Chuka Umunna", "chairs"),
        ("The Challenge", "runs the secretariat of"),
    ]
    for row in appg:
        assert squash(row["quote"]) in seed_texts[POLICY_IMPACT]
    assert len(run(invoke, "influences-on")) == 25


def test_claims_by_kind(invoke):
    rows = run(invoke, "claims-by-kind")
    assert {r["kind"]: (r["strength"], int(r["claims"])) for r in rows} == {
        "cites as key influence": ("0.9", 1),
        "endorses": ("0.8", 1),
        "chairs": ("0.7", 3),  # Umunna the APPG; Heath the project and its working group
        "draws on": ("0.7", 2),
        "reflects": ("0.6", 1),
        "runs the secretariat of": ("0.6", 1),
        "funds": ("0.5", 2),
        "contributes to": ("0.5", 3),
        "member of working group": ("0.4", 8),  # nine listed, one of them the Chair
        "works with": ("0.3", 3),  # the Government, the Mayor of London, Integration Areas
        "cites": ("0.2", 0),  # plain citations come from bulk imports (issue 15)
    }
    assert [float(r["strength"]) for r in rows] == sorted(
        (float(r["strength"]) for r in rows), reverse=True
    )


def test_cross_page_links(invoke, seed_texts):
    rows = run(invoke, "cross-page-links")
    assert [
        (r["member"], r["role"], r["organisation"], r["sameAs"], r["claimsMade"]) for r in rows
    ] == [("Ralph Scott", "Research Manager", "The Challenge Network", "The Challenge", "11")]
    assert "Ralph Scott, Research Manager, The Challenge Network" in seed_texts[BA_PAGE]


def test_challenge_report_endorsed_by_government(invoke, seed_graph, tmp_path):
    assert run(invoke, "challenge-report-endorsed-by-government") is True
    # Without the two strategy claims the answer flips: the query does test something.
    trimmed = Graph()
    dropped = {URIRef(IGD + "claim-ics-endorses-atn"), URIRef(IGD + "claim-ics-cites-inc")}
    for triple in seed_graph:
        if not dropped & set(triple):
            trimmed.add(triple)
    path = tmp_path / "trimmed.ttl"
    trimmed.serialize(path, format="turtle")
    assert run(invoke, "challenge-report-endorsed-by-government", data=path) is False


def test_influence_network(invoke, seed_graph):
    result = invoke(
        "sparql", "--file", str(QUERIES / "influence-network.rq"), "--format", "ntriples"
    )
    assert result.exit_code == 0
    graph = Graph().parse(data=result.output, format="nt")
    influenced = URIRef(PREFIXES["prov"] + "wasInfluencedBy")
    # The data states the unqualified shortcut beside each of its 25 qualified claims.
    expected = set(seed_graph.triples((None, influenced, None)))
    assert len(expected) == 25
    assert set(graph.triples((None, influenced, None))) == expected
