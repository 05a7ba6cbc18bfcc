"""extract.readers: documents -> located paragraphs; bad files refused with one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from influencegraph.extract.readers import DocumentError, read_document


def make_pdf(path: Path, pages: list[str], *, title: str | None = None) -> Path:
    """A small PDF with one text page per item (an empty item gives a page with no text)."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.set_font("helvetica", size=11)
            pdf.multi_cell(0, 7, text)
        else:
            pdf.rect(20, 20, 50, 50)  # drawing only: no text layer
    pdf.output(str(path))
    return path


def texts(path: Path) -> list[tuple[str, str]]:
    return [(u.location, u.text) for u in read_document(path).units()]


def test_text_paragraphs_keep_line_numbers_and_join_broken_names(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Annual review\n\nOur work was praised by the\nNorthfield Housing\n"
        "Trust in a long state-\nment.\n  • First item\n  • Second item\n",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert doc.title == "Annual review"
    assert texts(page) == [
        ("line 1", "Annual review"),
        ("line 3", "Our work was praised by the Northfield Housing Trust in a long statement."),
        ("line 7", "First item"),
        ("line 8", "Second item"),
    ]


def test_markdown_marks_are_dropped(tmp_path):
    page = tmp_path / "notes.md"
    page.write_text(
        "# Impact notes\nSee [the report](https://x.org) and **bold** words.\n```\ncode = 1\n```\n",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert doc.title == "Impact notes"
    assert texts(page) == [("line 1", "Impact notes"), ("line 2", "See the report and bold words.")]


def test_html_main_text_only_scripts_never_kept(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><title>Plan</title><link rel="canonical" href="https://ex.org/plan">'
        '<script>fetch("https://evil.example/")</script></head><body>'
        "<nav>Home | About</nav><header>Banner</header><main><h1>Our plan</h1>"
        "<p>It builds on <a href='/r'>the Bridge report</a>.</p>"
        "<script>document.write('injected')</script><ul><li>One</li></ul></main>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert (doc.title, doc.url) == ("Plan", "https://ex.org/plan")
    assert texts(page) == [
        ("paragraph 1", "Our plan"),
        ("paragraph 2", "It builds on the Bridge report."),
        ("paragraph 3", "One"),
    ]


def test_pdf_pages_are_numbered(tmp_path):
    pdf = make_pdf(
        tmp_path / "a.pdf", ["The first page.", "The second page says more."], title="A strategy"
    )
    doc = read_document(pdf)
    assert (doc.title, doc.pages) == ("A strategy", 2)
    assert texts(pdf) == [("page 1", "The first page."), ("page 2", "The second page says more.")]


def test_encrypted_pdf_is_refused_with_a_reason(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", ["Secret words."])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt("a password")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(DocumentError, match=r"locked\.pdf: encrypted PDF"):
        list(read_document(locked).units())


def test_corrupt_pdf_is_one_line(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a PDF at all\n")
    with pytest.raises(DocumentError, match=r"bad\.pdf: not a readable PDF") as caught:
        list(read_document(bad).units())
    assert "\n" not in str(caught.value)


def test_pdf_without_text_layer_is_named(tmp_path):
    scan = make_pdf(tmp_path / "scan.pdf", ["", ""])
    with pytest.raises(DocumentError, match="no text layer"):
        list(read_document(scan).units())


def test_non_utf8_text_is_detected(tmp_path):
    page = tmp_path / "latin.txt"
    page.write_bytes("Café society’s report was welcomed by the Council. ".encode("cp1252") * 4)
    doc = read_document(page)
    assert doc.encoding not in (None, "utf-8")
    assert "Café society’s report" in next(iter(doc.units())).text


def test_binary_and_unknown_files_are_refused(tmp_path):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(DocumentError, match="binary data"):
        read_document(blob)
    sheet = tmp_path / "sheet.xlsx"
    sheet.write_bytes(b"PK")
    with pytest.raises(DocumentError, match=r"cannot read \.xlsx"):
        read_document(sheet)
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "missing.txt")


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("abcXYZé’'.,- \t"), min_size=1, max_size=40),
        min_size=1,
        max_size=8,
    )
)
def test_every_word_of_a_text_file_is_read_once(tmp_path_factory, lines):
    page = tmp_path_factory.mktemp("h") / "page.txt"
    page.write_text("\n".join(lines), encoding="utf-8")
    words = [w for line in lines for w in line.split()]
    read = [w for u in read_document(page).units() for w in u.text.split()]
    # hyphenated line ends are joined, so compare the letters only
    assert "".join(read).replace("-", "") == "".join(words).replace("-", "")


def test_pdf_headings_and_paragraphs_come_back_from_line_lengths(tmp_path):
    long = (
        "Every neighbourhood in the study had at least one place where people met by "
        "chance, and those places mattered more than any planned programme. "
    )
    pdf = make_pdf(tmp_path / "wrapped.pdf", [long * 2 + "\nSteering group\n" + long])
    found = [text for _, text in texts(pdf)]
    assert found == [" ".join((long * 2).split()), "Steering group", " ".join(long.split())]


def test_a_pdf_heading_may_start_with_a_count_but_a_page_number_is_no_heading(tmp_path):
    long = (
        "Every neighbourhood in the study had at least one place where people met by "
        "chance, and those places mattered more than any planned programme. "
    )
    pdf = make_pdf(tmp_path / "counted.pdf", [long + "\n7 Ways to share a street\n" + long])
    found = [text for _, text in texts(pdf)]
    assert found == [" ".join(long.split()), "7 Ways to share a street", " ".join(long.split())]
    pdf = make_pdf(tmp_path / "numbered.pdf", [long + "\n12\n" + long])
    assert "12" not in [text for _, text in texts(pdf)]


def test_html_in_its_declared_charset(tmp_path):
    page = tmp_path / "old.html"
    page.write_bytes(
        '<html><head><meta charset="windows-1252"><title>Café</title></head>'
        "<body><p>The Café Trust’s report was welcomed.</p></body></html>".encode("cp1252")
    )
    doc = read_document(page)
    assert doc.title == "Café"
    assert texts(page) == [("paragraph 1", "The Café Trust’s report was welcomed.")]
