"""`influencegraph extract` end to end: review files, import, corroboration, bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from influencegraph.corroboration import claim_statuses
from influencegraph.dossier import build_dossier
from influencegraph.graph import open_source

# A government paper of our own words that credits a charity's report: an independent
# statement of an influence the bundled graph holds only as The Challenge's own claim.
GOVERNMENT_PAPER = """# Integrated Communities Strategy Green Paper

Everyone should feel they belong in the place they live.

In shaping these proposals, this green paper welcomes the principles for bringing
people together described in All Together Now, alongside our own consultation.
"""


def rows(path: Path) -> list[dict[str, str]]:
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("#", '"#'))
    ]
    return list(csv.DictReader(lines))


def test_government_paper_corroborates_a_self_reported_claim(invoke, data_copy, tmp_path):
    paper = tmp_path / "ics.md"
    paper.write_text(GOVERNMENT_PAPER, encoding="utf-8")
    atn_endorses_ics = "https://w3id.org/influencegraph/id/claim-ics-endorses-atn"
    before = claim_statuses(open_source([data_copy]))[atn_endorses_ics].status.label
    next_before = [
        n.item for n in build_dossier(open_source([data_copy]), "The Challenge").next_steps
    ]
    assert before == "self-reported"
    assert any("endorses All Together Now" in item for item in next_before)

    result = invoke(
        "--data",
        str(data_copy),
        "extract",
        str(paper),
        "--publisher",
        "The Government",
        "-o",
        str(tmp_path / "review.csv"),
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "review-entities.csv").exists()  # nothing new to add first
    claims = tmp_path / "review-claims.csv"
    (claim,) = rows(claims)
    assert (claim["from"], claim["to"], claim["kind"]) == (
        "All Together Now",
        "Integrated Communities Strategy Green Paper",
        "endorses",
    )
    assert (claim["claimant"], claim["known"]) == ("The Government", "known")
    assert "welcomes the principles for bringing people together" in claim["evidence"]
    assert claim["location"] == "ics.md: line 5"

    dry = invoke("--data", str(data_copy), "import", str(claims), "--kind", "claims", "--dry-run")
    assert dry.exit_code == 0, dry.output
    done = invoke("--data", str(data_copy), "import", str(claims), "--kind", "claims")
    assert done.exit_code == 0, done.output

    source = open_source([data_copy])
    assert claim_statuses(source)[atn_endorses_ics].status.label == "corroborated"
    next_after = [n.item for n in build_dossier(source, "The Challenge").next_steps]
    assert not any("endorses All Together Now" in item for item in next_after)


def test_review_pair_imports_unchanged_entities_then_claims(invoke, data_copy, tmp_path):
    page = tmp_path / "review.txt"
    page.write_text(
        "Impact in 2024\n\n"
        "Our Kitchen Table Talks report (2023) looked at shared meals.\n\n"
        "The Harbourside Renewal Strategy draws on Kitchen Table Talks.\n",
        encoding="utf-8",
    )
    out = tmp_path / "proposed.csv"
    result = invoke(
        "--data",
        str(data_copy),
        "extract",
        str(page),
        "--publisher",
        "The Challenge",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    entities, claims = tmp_path / "proposed-entities.csv", tmp_path / "proposed-claims.csv"
    assert {r["label"] for r in rows(entities)} >= {
        "Kitchen Table Talks",
        "Harbourside Renewal Strategy",
    }
    for path, kind in ((entities, "entities"), (claims, "claims")):
        done = invoke("--data", str(data_copy), "import", str(path), "--kind", kind)
        assert done.exit_code == 0, done.output
    shown = invoke(
        "--data", str(data_copy), "show", "Harbourside Renewal Strategy", "--format", "json"
    )
    facts = json.loads(shown.output)["facts"]
    (claim,) = [f for f in facts if f["fact"] == "influenced by"]
    assert (claim["value"], claim["status"]) == ("Kitchen Table Talks", "self-reported")
    talks = json.loads(
        invoke("--data", str(data_copy), "show", "Kitchen Table Talks", "--format", "json").output
    )
    assert talks["entity"]["year"] == "2023"


def test_json_and_turtle_reviews(invoke, data_copy, tmp_path):
    page = tmp_path / "note.md"
    page.write_text(
        "The Marsh Lane Foundation funded the Tidewater Survey in 2022.\n", encoding="utf-8"
    )
    out = tmp_path / "review.json"
    assert (
        invoke(
            "extract", str(page), "--publisher", "Marsh Lane Foundation", "-o", str(out)
        ).exit_code
        == 0
    )
    review = json.loads(out.read_text(encoding="utf-8"))
    assert [(c["from"], c["kind"], c["to"]) for c in review["claims"]] == [
        ("Marsh Lane Foundation", "funds", "Tidewater Survey")
    ]
    ttl = tmp_path / "review.ttl"
    assert (
        invoke(
            "extract", str(page), "--publisher", "Marsh Lane Foundation", "-o", str(ttl)
        ).exit_code
        == 0
    )
    validated = invoke("--data", str(data_copy), "--data", str(ttl), "validate")
    assert validated.exit_code == 0, validated.output


def test_unreadable_files_are_named_and_exit_1(invoke, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "ok.txt").write_text(
        "The Marsh Lane Foundation funds the Tidewater Survey.\n", encoding="utf-8"
    )
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    (folder / "page.html").write_text("<p>Fine.</p><script>while(1){}</script>", encoding="utf-8")
    result = invoke(
        "extract",
        str(folder),
        "--publisher",
        "Marsh Lane Foundation",
        "-o",
        str(tmp_path / "r.csv"),
    )
    assert result.exit_code == 1
    assert "read 2 of 3 document(s)" in result.output
    assert f"not read: {folder / 'broken.pdf'}: not a readable PDF" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "r-claims.csv").exists()


def test_no_documents_is_a_user_error(invoke, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("extract", str(empty))
    assert result.exit_code == 2
    assert "no documents to read" in result.output


def test_a_bad_year_is_a_user_error(invoke, tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("Nothing here.\n", encoding="utf-8")
    result = invoke("extract", str(page), "--year", "last year")
    assert result.exit_code == 2
    assert result.output.startswith("Error: --year: 'last year' is not a year")
