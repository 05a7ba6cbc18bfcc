"""Documents -> units of text with their location (page or line), never running or fetching.

One public entry point, :func:`read_document`: it opens a file by its suffix (HTML, PDF,
Markdown, plain text), refuses what it cannot read with a one-line reason
(:class:`DocumentError`), and yields the document's text as :class:`Unit` paragraphs, one
at a time, so a huge file is read page by page (PDF) or line by line (text) in bounded
memory. HTML is parsed by selectolax: scripts, styles, navigation, headers and footers are
dropped, never run, and nothing it links to is fetched.

Example:
    >>> doc = read_document("data/sources/policy-impact.txt")       # doctest: +SKIP
    >>> next(iter(doc.units())).location                            # doctest: +SKIP
    'line 1'

Kept as one module: one entry point over four formats, each reader a few small functions
behind :class:`Document`; callers need the one entry point only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InfluenceGraphError

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
SUFFIXES = HTML_SUFFIXES | PDF_SUFFIXES | MARKDOWN_SUFFIXES | TEXT_SUFFIXES
"""Every suffix :func:`read_document` reads; a folder is searched for these."""

MAX_HTML_BYTES = 32 * 1024 * 1024
"""An HTML page is parsed whole, so larger ones are refused rather than exhaust memory."""
MAX_UNIT_CHARS = 20_000
"""A paragraph longer than this (a text file with no blank lines) is cut into pieces."""
SNIFF_BYTES = 64 * 1024

_DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "object",
    "embed",
    "svg",
    "button",
    "select",
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "tr",
        "dt",
        "dd",
        "blockquote",
        "figcaption",
        "pre",
        "div",
        "section",
        "article",
        "main",
        "br",
        "ul",
        "ol",
        "table",
        "caption",
        "title",
    }
)
_BULLET = re.compile(r"^\s*(?:[•‣◦▪●*+-]|\d{1,3}[.)])\s+")
_HYPHEN_BREAK = re.compile(r"(\w)-\n(?=[a-z])")


class DocumentError(InfluenceGraphError):
    """A document that cannot be read, with a one-line reason (``file: reason``)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class Unit:
    """A paragraph (or list item, or heading) of a document and where it starts."""

    text: str
    page: int | None = None
    line: int | None = None
    paragraph: int | None = None
    """For HTML, which has no useful lines: the paragraph's number in the main text."""

    @property
    def location(self) -> str:
        """``page 3``, ``line 12`` or ``paragraph 5`` (for people, in the review file)."""
        if self.page:
            return f"page {self.page}"
        if self.line:
            return f"line {self.line}"
        return f"paragraph {self.paragraph}" if self.paragraph else ""


@dataclass
class Document:
    """An opened document: what it says about itself, and a reader of its units."""

    path: Path
    kind: str
    """``html``, ``pdf``, ``markdown`` or ``text``."""
    title: str | None = None
    url: str | None = None
    year: str | None = None
    encoding: str | None = None
    """For text files: the encoding detected, when it was not UTF-8."""
    pages: int | None = None

    def units(self) -> Iterator[Unit]:
        """The document's paragraphs in order; raises :class:`DocumentError` part way if
        the file turns out unreadable (a PDF page that will not parse, bad bytes)."""
        readers = {
            "html": _html_units,
            "pdf": _pdf_units,
            "markdown": _markdown_units,
            "text": _text_units,
        }
        return readers[self.kind](self)


def document_kind(path: Path) -> str | None:
    """The reader for a file name's suffix, or None when no reader takes it."""
    suffix = path.suffix.lower()
    for kind, suffixes in (
        ("html", HTML_SUFFIXES),
        ("pdf", PDF_SUFFIXES),
        ("markdown", MARKDOWN_SUFFIXES),
        ("text", TEXT_SUFFIXES),
    ):
        if suffix in suffixes:
            return kind
    return None


def read_document(path: str | Path) -> Document:
    """Open one document and read what it says about itself (title, URL, year).

    Raises :class:`DocumentError` with a one-line reason for a missing, unsupported,
    encrypted, corrupt or undecodable file. The text itself is read lazily by
    :meth:`Document.units`.
    """
    path = Path(path)
    if not path.is_file():
        raise DocumentError(path, "no such file" if not path.exists() else "not a file")
    kind = document_kind(path)
    if kind is None:
        raise DocumentError(
            path,
            f"cannot read {path.suffix or 'files without a suffix'}: "
            "give HTML, PDF, Markdown (.md) or text (.txt) files",
        )
    doc = Document(path, kind)
    if kind == "pdf":
        _open_pdf(doc)
    elif kind == "html":
        _html_tree(doc)
    else:
        doc.encoding = _text_encoding(path)
        if kind == "markdown":
            doc.title = next(
                (_strip_markdown(line) for _, line in _lines(doc) if line.startswith("# ")), None
            )
        else:
            doc.title = next((line.strip() for _, line in _lines(doc) if line.strip()), None)
            if doc.title and len(doc.title) > 150:
                doc.title = None
    return doc


# ---------------------------------------------------------------- plain text and Markdown


def _text_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or an encoding detected from the
    first bytes; undecodable text is refused with the reason."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head:
        raise DocumentError(path, "binary data, not text")
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and len(head) == SNIFF_BYTES:
            return "utf-8"  # a character cut at the end of the sniffed bytes
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None or best.encoding in {"utf_8", "ascii"}:
        raise DocumentError(
            path,
            "not UTF-8 text and no other encoding fits; convert it "
            "to UTF-8 (e.g. iconv -f CP1252 -t UTF-8)",
        )
    return best.encoding


def _lines(doc: Document) -> Iterator[tuple[int, str]]:
    """(line number, line) one at a time; bad bytes part way are a :class:`DocumentError`."""
    number = 0
    try:
        with doc.path.open(encoding=doc.encoding, newline=None) as handle:
            for number, line in enumerate(handle, start=1):
                yield number, line.rstrip("\n")
    except UnicodeDecodeError:
        raise DocumentError(
            doc.path,
            f"line {number + 1}: bytes that are not {doc.encoding} text; convert the file to UTF-8",
        ) from None


def _paragraphs(lines: Iterable[tuple[int, str]], page: int | None = None) -> Iterator[Unit]:
    """Join lines into paragraphs: a blank line or a list item starts a new one; a word
    hyphenated across a line break is joined again; a long run is cut."""
    buffer: list[str] = []
    start = 0
    size = 0

    def flush() -> Iterator[Unit]:
        text = _HYPHEN_BREAK.sub(r"\1", "\n".join(buffer))
        text = " ".join(text.split())
        if text:
            yield Unit(text, page, start or None)

    for number, raw in lines:
        line = raw.strip()
        if not line or _BULLET.match(line) or size > MAX_UNIT_CHARS:
            yield from flush()
            buffer, size = [], 0
        if line:
            if not buffer:
                start = number
            buffer.append(_BULLET.sub("", line) if not buffer else line)
            size += len(line)
    yield from flush()


def _text_units(doc: Document) -> Iterator[Unit]:
    return _paragraphs(_lines(doc))


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`")


def _strip_markdown(line: str) -> str:
    """A Markdown line as plain text: heading marks, emphasis, code marks, links."""
    line = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?)", "", line)
    return _MD_MARKS.sub("", _MD_LINK.sub(r"\1", line)).strip()


def _markdown_units(doc: Document) -> Iterator[Unit]:
    def lines() -> Iterator[tuple[int, str]]:
        fenced = False
        for number, line in _lines(doc):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
                yield number, ""
                continue
            if fenced or re.match(r"^\s*(\|?\s*:?-{3,}|[-*_]{3,}\s*$)", line):
                yield number, ""
                continue
            heading = re.match(r"^\s{0,3}#{1,6}\s", line)
            if heading:  # a heading is a paragraph of its own
                yield number, ""
                yield number, _strip_markdown(line)
                yield number, ""
            else:
                yield number, _strip_markdown(line)

    return _paragraphs(lines())


# ---------------------------------------------------------------- HTML


def _html_tree(doc: Document) -> Any:  # a selectolax LexborHTMLParser
    from selectolax.lexbor import LexborHTMLParser

    size = doc.path.stat().st_size
    if size > MAX_HTML_BYTES:
        raise DocumentError(
            doc.path,
            f"HTML page of {size // 2**20} MB: larger than "
            f"{MAX_HTML_BYTES // 2**20} MB is not read",
        )
    tree = LexborHTMLParser(_html_text(doc.path, doc.path.read_bytes()))
    if tree.root is None:
        raise DocumentError(doc.path, "not an HTML page")

    def attr(selector: str, name: str) -> str | None:
        node = tree.css_first(selector)
        value = node.attributes.get(name) if node is not None else None
        return value.strip() if value and value.strip() else None

    title = tree.css_first("title")
    doc.title = (
        attr('meta[property="og:title"]', "content")
        or (" ".join(title.text().split()) if title is not None else None)
        or None
    )
    doc.url = attr('link[rel="canonical"]', "href") or attr('meta[property="og:url"]', "content")
    date = (
        attr('meta[property="article:published_time"]', "content")
        or attr('meta[name="dcterms.date"]', "content")
        or attr('meta[name="DC.date"]', "content")
    )
    found = re.match(r"\d{4}", date or "")
    doc.year = found.group(0) if found else None
    return tree


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _html_text(path: Path, data: bytes) -> str:
    """A page's text: UTF-8 (or its BOM), else the charset its <meta> declares, else one
    detected; refused with the reason when none decodes it."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    candidates = [declared.group(1).decode("ascii", "ignore")] if declared else []
    if not candidates:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:SNIFF_BYTES]).best()
        candidates = [best.encoding] if best is not None else []
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    raise DocumentError(
        path,
        "not UTF-8 and its declared or detected encoding does not "
        "decode it; save the page as UTF-8",
    )


def _html_units(doc: Document) -> Iterator[Unit]:
    tree = _html_tree(doc)
    tree.strip_tags(list(_DROPPED_TAGS))
    for node in tree.css('[role="navigation"], [aria-hidden="true"]'):
        node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    pieces: list[str] = []
    number = 0

    def flush() -> Iterator[Unit]:
        nonlocal number
        text = " ".join("".join(pieces).split())
        pieces.clear()
        if text:
            number += 1
            yield Unit(text, paragraph=number)

    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            pieces.append(node.text_content or "")
        elif node.tag in _BLOCK_TAGS:
            yield from flush()
    yield from flush()


# ---------------------------------------------------------------- PDF


def _pdf_reader(doc: Document) -> Any:  # a pypdf.PdfReader
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(doc.path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                doc.path, "encrypted PDF: it needs a password; save an unencrypted copy first"
            )
        pages = len(reader.pages)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many types on broken files
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if "decrypt" in reason.lower() or "crypt" in reason.lower():
            reason = f"encrypted PDF that cannot be opened ({reason})"
        raise DocumentError(doc.path, f"not a readable PDF ({reason[:160]})") from None
    doc.pages = pages
    return reader


def _open_pdf(doc: Document) -> None:
    reader = _pdf_reader(doc)
    info = None
    try:
        info = reader.metadata
    except Exception:  # metadata is optional; a broken info dictionary is not fatal
        info = None
    if info is not None:
        doc.title = " ".join(str(info.get("/Title") or "").split()) or None
        created = str(info.get("/CreationDate") or "")
        found = re.match(r"(?:D:)?(\d{4})", created)
        doc.year = found.group(1) if found else None


def _pdf_units(doc: Document) -> Iterator[Unit]:
    reader = _pdf_reader(doc)
    any_text = False
    for number in range(len(reader.pages)):
        try:
            text = reader.pages[number].extract_text() or ""
        except Exception as exc:  # pypdf raises many types on broken content streams
            reason = " ".join(str(exc).split())[:160] or type(exc).__name__
            raise DocumentError(
                doc.path, f"page {number + 1}: cannot extract text ({reason})"
            ) from None
        if text.strip():
            any_text = True
        yield from _paragraphs(_pdf_lines(text.splitlines()), page=number + 1)
    if not any_text:
        raise DocumentError(
            doc.path, "no text layer (a scanned PDF?): run OCR on it first, e.g. with ocrmypdf"
        )


def _pdf_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """A PDF page's lines with blank lines put back where a paragraph ends (a short line
    closing a sentence) and around headings (a short line that closes nothing and starts
    with a capital or a count: "5 Lessons from the pilots"), since extracted text keeps no
    blank lines."""
    longest = max((len(line.strip()) for line in lines), default=0)
    after_break = True  # a heading stands after a paragraph's end, not inside one
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        short = len(line) < 0.7 * longest
        heading = (
            short
            and after_break
            and (line[:1].isupper() or re.match(r"\d+ [A-Za-z]", line) is not None)
            and not line.endswith((".", ",", ";", ":", "!", "?", "-"))
        )
        if heading:
            yield number, ""
        yield number, line
        after_break = heading or (len(line) < 0.9 * longest and line.endswith((".", "!", "?", ":")))
        if after_break:
            yield number, ""
