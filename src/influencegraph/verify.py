"""Quotes checked against documents: is every claim's evidence really in its source?

A claim's ``ig:evidence`` must be the source document's own words, verbatim up to white
space (pages use non-breaking spaces and break lines anywhere). :func:`verify_quotes`
finds a local copy of each claim's source document in a folder (``--against DIR``; by
default ``sources/`` beside the first data file, so the bundled graph is checked against
``data/sources/``), reads it with the same readers as ``extract`` (HTML, PDF, Markdown,
text) and says, claim by claim, whether the quote is there (``found``), is there only
with other words (``altered``, with the closest passage), is not there (``missing``), or
cannot be checked because no copy of its document is in the folder (``unchecked``).

A document's copy is the file whose name (without its suffix) is, folded to a slug, the
last part of the document's IRI (``:src-policy-impact`` -> ``policy-impact.txt``, a
leading ``src-`` dropped; ``https://example.org/reports/bridging`` -> ``bridging.html``)
or its title (``Policy Impact`` -> ``policy-impact.pdf``).

Example:
    >>> from influencegraph.graph import open_source
    >>> report = verify_quotes(open_source())
    >>> report.counts()["found"] == len(report.checks)
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import InfluenceGraphError
from .graph import PathLike, Source, default_data_paths
from .names import entities
from .vocab import INFLUENCE_KINDS

STATUSES = ("found", "altered", "missing", "unchecked")
"""What a check says about a quote; all but ``found`` make ``verify`` exit 1."""
CHECK_COLUMNS = ("claim", "status", "document", "quote", "closest")
"""Table and CSV columns; JSON rows add ``claim_iri`` and ``file``."""
ALTERED_SCORE = 80.0
"""How alike (0-100, rapidfuzz's partial ratio) the closest passage must be for a quote
that is not in the document verbatim to count as altered rather than missing."""

_QUOTES = """
SELECT ?claim ?target ?influencer ?kind ?evidence ?doc ?title WHERE {
  ?target prov:qualifiedInfluence ?claim .
  ?claim prov:influencer ?influencer ; ig:kind ?kind ; ig:evidence ?evidence ;
         dcterms:source ?doc .
  OPTIONAL { ?doc dcterms:title ?title }
}"""


def squash(text: str) -> str:
    """Text with every run of white space (non-breaking spaces included) as one space.

    Example:
        >>> squash("a\\u00a0 b\\n c ")
        'a b c'
    """
    return " ".join(text.split())


@dataclass(frozen=True)
class QuoteCheck:
    """One claim's quote against its document: ``status`` is one of :data:`STATUSES`;
    ``closest`` is the document's nearest passage for an altered quote."""

    claim: str
    claim_iri: str
    status: str
    document: str
    file: str | None
    quote: str
    closest: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass
class VerifyReport:
    """Every check made, and the folder the documents were looked for in."""

    folder: Path
    checks: list[QuoteCheck] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Checks by status, every status present (0 where none)."""
        return {s: sum(1 for c in self.checks if c.status == s) for s in STATUSES}

    @property
    def problems(self) -> list[QuoteCheck]:
        return [c for c in self.checks if c.status != "found"]

    def summary(self) -> str:
        """``"11 quotes checked against data/sources: 11 found, 0 altered, ..."``."""
        counts = ", ".join(f"{n} {s}" for s, n in self.counts().items())
        return f"{len(self.checks)} quotes checked against {self.folder}: {counts}"


@dataclass
class DocumentText:
    """A document read once: its paragraphs, and all of it squashed for exact search."""

    path: Path
    paragraphs: list[str]
    whole: str

    @classmethod
    def read(cls, path: PathLike) -> DocumentText:
        """Read with ``extract``'s readers; a :class:`InfluenceGraphError` if unreadable."""
        from .extract.readers import read_document

        paragraphs = [squash(unit.text) for unit in read_document(Path(path)).units()]
        return cls(Path(path), paragraphs, " ".join(paragraphs))

    def check(self, quote: str) -> tuple[str, str | None]:
        """``("found", None)``, ``("altered", closest passage)`` or ``("missing", None)``."""
        wanted = squash(quote)
        if wanted and wanted in self.whole:
            return "found", None
        from rapidfuzz import fuzz

        best, passage = 0.0, None
        for paragraph in self.paragraphs:
            found = fuzz.partial_ratio_alignment(wanted, paragraph, score_cutoff=best)
            if found is not None and found.score > best:
                best, passage = (
                    found.score,
                    _whole_words(paragraph, found.dest_start, found.dest_end),
                )
        if passage is not None and best >= ALTERED_SCORE:
            return "altered", passage
        return "missing", None


def _whole_words(text: str, start: int, end: int) -> str:
    """``text[start:end]`` widened to whole words at both ends."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def check_quote(quote: str, path: PathLike) -> tuple[str, str | None]:
    """Whether ``quote`` is in the document at ``path``: see :meth:`DocumentText.check`.

    Example:
        >>> check_quote("Leading the conversation.", "data/sources/policy-impact.txt")
        ('found', None)
    """
    return DocumentText.read(path).check(quote)


def default_folder(data: Iterable[PathLike]) -> Path:
    """``sources/`` beside the first data file (the bundled graph's: ``data/sources``)."""
    first = next(iter(data), None) or default_data_paths()[0]
    return Path(first).resolve().parent / "sources"


def slug(text: str) -> str:
    """A file-name slug: lower case, runs of other characters as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def find_copy(folder: Path, document: str, title: str | None) -> Path | None:
    """The local copy of ``document`` (an IRI) in ``folder``, or None (see the module)."""
    tail = re.split(r"[/#:]", document.rstrip("/"))[-1]
    tail = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", tail)
    names = {slug(tail), slug(tail).removeprefix("src-"), slug(title or "")} - {""}
    for path in sorted(folder.iterdir()):
        if path.is_file() and slug(path.stem) in names:
            return path
    return None


def verify_quotes(
    source: Source, against: PathLike | None = None, data: Iterable[PathLike] = ()
) -> VerifyReport:
    """Check every influence claim's quote against a local copy of its source document.

    ``against`` is the folder of copies (default :func:`default_folder` of ``data``).
    Raises :class:`InfluenceGraphError` when the folder does not exist or a copy cannot be
    read.
    """
    folder = Path(against) if against is not None else default_folder(data)
    if not folder.is_dir():
        raise InfluenceGraphError(
            f"{folder}: no such folder of source documents; give the "
            "folder that holds local copies with --against DIR"
        )
    rows = source.select(_QUOTES)
    names = entities(source, {str(r[k]) for r in rows for k in ("influencer", "target", "doc")})
    kinds = {k.iri: k.label for k in INFLUENCE_KINDS}
    texts: dict[Path, DocumentText] = {}
    report = VerifyReport(folder)
    for row in sorted(rows, key=lambda r: (str(r["claim"]), str(r["evidence"]))):
        doc = str(row["doc"])
        label = names[doc].label if doc in names else doc
        name = (
            f"{_label(names, str(row['influencer']))} -> {_label(names, str(row['target']))}"
            f" ({kinds.get(str(row['kind']), str(row['kind']))})"
        )
        copy = find_copy(folder, doc, str(row["title"]) if "title" in row else None)
        status, closest = "unchecked", None
        if copy is not None:
            if copy not in texts:
                texts[copy] = DocumentText.read(copy)
            status, closest = texts[copy].check(str(row["evidence"]))
        report.checks.append(
            QuoteCheck(
                name,
                str(row["claim"]),
                status,
                label,
                str(copy) if copy else None,
                str(row["evidence"]),
                closest,
            )
        )
    return report


def _label(names: dict[str, Any], iri: str) -> str:
    return names[iri].label if iri in names else iri
