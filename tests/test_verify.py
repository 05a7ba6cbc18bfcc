"""verify: every claim's quote against a local copy of its document; add --source-file."""

from __future__ import annotations

import html
import json
import shutil

import pytest

from influencegraph.graph import open_source
from influencegraph.verify import check_quote, find_copy, verify_quotes

CLAIM = ":claim-phf-funds-case-studies a ig:InfluenceClaim"
QUOTE = "The project was supported by a set of case studies, funded by the Paul Hamlyn Foundation"


def test_every_bundled_quote_is_in_its_document(invoke, repo_root):
    report = verify_quotes(open_source())
    assert report.checks and report.counts()["found"] == len(report.checks)
    assert report.folder == repo_root / "data" / "sources"
    result = invoke("verify")
    assert result.exit_code == 0 and "0 altered, 0 missing, 0 unchecked" in result.output


def _with_quote(data_copy, tmp_path, new_quote: str):
    text = data_copy.read_text(encoding="utf-8")
    start = text.index(CLAIM)
    end = text.index("\n\n", start)
    edited = tmp_path / "edited.ttl"
    edited.write_text(
        text[:start] + text[start:end].replace(QUOTE, new_quote) + text[end:], encoding="utf-8"
    )
    return edited


@pytest.mark.parametrize(
    "new_quote, status",
    [
        (
            "The project was supported by a set of case studies, funded by the Nuffield Foundation",
            "altered",
        ),
        ("This quote appears nowhere", "missing"),
    ],
)
def test_altered_and_missing_quotes_are_reported_by_claim(
    invoke, data_copy, tmp_path, repo_root, new_quote, status
):
    edited = _with_quote(data_copy, tmp_path, new_quote)
    result = invoke(
        "--data",
        str(edited),
        "verify",
        "--against",
        str(repo_root / "data" / "sources"),
        "--format",
        "json",
    )
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["claim"], r["status"]) for r in rows] == [
        (
            "Paul Hamlyn Foundation -> The integration of migrants, refugees and asylum seekers "
            "(funds)",
            status,
        )
    ]
    assert list(rows[0]) == ["claim", "claim_iri", "status", "document", "file", "quote", "closest"]
    if status == "altered":
        assert rows[0]["closest"] == QUOTE
    table = invoke(
        "--data", str(edited), "verify", "--against", str(repo_root / "data" / "sources")
    )
    assert table.exit_code == 1 and f"1 {status}" in table.output


def test_documents_without_a_copy_are_unchecked_and_fail(invoke, data_copy, tmp_path, repo_root):
    folder = tmp_path / "copies"
    folder.mkdir()
    shutil.copy(repo_root / "data" / "sources" / "policy-impact.txt", folder)
    report = verify_quotes(open_source([data_copy]), folder)
    statuses = {c.document: c.status for c in report.checks}
    assert statuses["Policy Impact (The Challenge)"] == "found"
    assert set(statuses.values()) == {"found", "unchecked"}
    assert invoke("--data", str(data_copy), "verify", "--against", str(folder)).exit_code == 1


def test_an_html_copy_with_non_breaking_spaces_is_read_like_extract(tmp_path, repo_root):
    text = (repo_root / "data" / "sources" / "policy-impact.txt").read_text(encoding="utf-8")
    body = "".join(
        f"<p>{html.escape(p).replace(' ', '&nbsp;', 3)}</p>\n" for p in text.split("\n\n")
    )
    page = tmp_path / "Policy Impact.html"
    page.write_text(
        f"<html><body><nav>menu</nav><main>{body}</main></body></html>", encoding="utf-8"
    )
    assert find_copy(tmp_path, "https://w3id.org/influencegraph/id/src-policy-impact", None) == page
    report = verify_quotes(open_source(), tmp_path)
    mine = [c for c in report.checks if c.document == "Policy Impact (The Challenge)"]
    assert mine and {c.status for c in mine} == {"found"}
    assert check_quote("menu", page) == ("missing", None)  # navigation is not the text


def test_a_missing_folder_is_exit_2(invoke, tmp_path):
    result = invoke("verify", "--against", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "no such folder" in result.output


def test_add_claim_checks_the_quote_against_the_source_file_at_once(invoke, data_copy, repo_root):
    page = str(repo_root / "data" / "sources" / "policy-impact.txt")
    before = data_copy.read_bytes()
    args = [
        "--data",
        str(data_copy),
        "add",
        "claim",
        "--from",
        "The Challenge",
        "--to",
        "All Together Now",
        "--kind",
        "endorses",
        "--source",
        "Policy Impact",
        "--source-file",
        page,
    ]
    missing = invoke(*args, "--evidence", "This quote appears nowhere")
    assert missing.exit_code == 2 and "--evidence: not in" in missing.output
    altered = invoke(*args, "--evidence", "Policy impact. Leading the conversations.")
    assert altered.exit_code == 2
    assert "closest passage says 'Policy impact. Leading the conversation.'" in altered.output
    assert data_copy.read_bytes() == before
    unreadable = invoke(*args, "--evidence", "x", "--source-file", str(data_copy) + ".pdf")
    assert unreadable.exit_code == 2 and "--source-file:" in unreadable.output
    found = invoke(*args, "--evidence", "Policy impact.\u00a0Leading the  conversation.")
    assert found.exit_code == 0, found.output
    assert data_copy.read_bytes() != before
