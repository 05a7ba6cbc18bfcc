"""The appending writer: a draft rendered as a commented Turtle or N-Triples block,
checked to mean exactly the drafted triples, validated, then appended atomically.

The data files are hand-written Turtle with comments and grouping, so nothing here
re-serialises a file:

1. the inputs are checked by :class:`~influencegraph.edit.draft.Draft` (names resolved by
   label, kinds and types looked up, a quote and a source document required); any problem
   refuses the whole addition (:class:`~influencegraph.errors.EditRefused`, exit 2);
2. the old file plus the block is parsed: it must hold every new triple and nothing
   unexpected (so a misread prefix can never put wrong statements in the file);
3. the loaded graph plus the new triples is validated (SHACL and time order) where the new
   triples can change anything (:func:`~influencegraph.validate.new_violations`); a
   violation the graph did not already have refuses the addition
   (:class:`~influencegraph.errors.ValidationFailed`, exit 1);
4. only then the complete new content is written to a temporary file in the same folder,
   flushed to disk and renamed over the old one (:func:`write_atomically`).

A refused or interrupted addition leaves the file byte-identical.

Example:
    >>> from influencegraph.graph import open_source
    >>> src = open_source(["mine.ttl"])                             # doctest: +SKIP
    >>> spec = EntitySpec(type="Report", label="Bridging Divides",
    ...                   evidence="Bridging Divides (2019)",
    ...                   document="Policy Impact (The Challenge)")
    >>> add_entity(src, Path("mine.ttl"), spec).triples_added       # doctest: +SKIP
    4

Kept as one module: appending is one sequence (render, check that the text says exactly the
drafted triples, validate, write atomically under the lock) whose steps only make sense in
order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EditRefused, InfluenceGraphError, ValidationFailed
from ..files import write_atomically
from ..graph import PathLike, Source, default_data_paths, is_store, rdf_format
from ..output import plural
from ..vocab import PREFIXES
from .draft import Block, ClaimSpec, Draft, EntitySpec, Problem

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib.term import Node

    from ..validate import Violation
    from .working import WorkingCopy

WRITABLE_FORMATS = ("turtle", "nt")
"""Formats an addition can be appended to without re-serialising the file."""

# ---------------------------------------------------------------- rendering

_PREFIX_DECL = re.compile(
    r"""(?P<comment>\#[^\r\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?<![\w:.-])(?:@prefix|[Pp][Rr][Ee][Ff][Ii][Xx])\s+
          (?P<name>[A-Za-z][\w.-]*|):\s*<(?P<ns>[^<>\s]*)>
    | [^#"'<@Pp]+ | .""",
    re.VERBOSE | re.DOTALL,
)


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes in effect at the end of a Turtle text (later declarations win).

    Comments, strings and IRIs are skipped, so a ``@prefix`` inside a quote does not count.
    The result is only used to pick names; the parse check after rendering is what
    guarantees the appended block means what was intended.

    Example:
        >>> declared_prefixes('@prefix : <https://x/> .  # @prefix no: <n> .')
        {'': 'https://x/'}
    """
    found: dict[str, str] = {}
    for match in _PREFIX_DECL.finditer(text):
        if match.group("ns") is not None:
            found[match.group("name")] = match.group("ns")
    return found


_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def quote_string(text: str) -> str:
    """A Turtle / N-Triples string literal, every special character escaped.

    Example:
        >>> print(quote_string('say "hi"\\n'))
        "say \\"hi\\"\\n"
    """
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


class _Namer:
    """Writes terms with the prefixes a file already has, declaring the missing ones."""

    def __init__(self, in_effect: dict[str, str] | None) -> None:
        self.in_effect = in_effect  # None: N-Triples, full IRIs only
        self.declare: dict[str, str] = {}

    def _prefix_for(self, namespace: str) -> str | None:
        assert self.in_effect is not None
        names = [n for n, ns in {**self.in_effect, **self.declare}.items() if ns == namespace]
        preferred = [n for n, ns in PREFIXES.items() if ns == namespace]
        for name in preferred + sorted(names):
            if name in names:
                return name
        for name in preferred:
            if name not in self.in_effect and name not in self.declare:
                self.declare[name] = namespace
                return name
        return None

    def iri(self, iri: str) -> str:
        if self.in_effect is not None:
            spaces = {*PREFIXES.values(), *self.in_effect.values()}
            for namespace in sorted(spaces, key=len, reverse=True):
                local = iri[len(namespace) :]
                if iri.startswith(namespace) and _LOCAL.fullmatch(local):
                    name = self._prefix_for(namespace)
                    if name is not None:
                        return f"{name}:{local}"
        return f"<{iri}>"

    def term(self, node: Node) -> str:
        from rdflib import Literal

        if isinstance(node, Literal):
            text = quote_string(str(node))
            if node.language:
                return f"{text}@{node.language}"
            if node.datatype is not None:
                return f"{text}^^{self.iri(str(node.datatype))}"
            return text
        return self.iri(str(node))


def _comment(text: str) -> str:
    """One comment line: white space (and so line breaks) folded."""
    return "# " + " ".join(text.split())


def render_turtle(
    blocks: Sequence[Block], in_effect: dict[str, str], header: str | None = None
) -> str:
    """The Turtle block to append: a header comment, any missing @prefix lines, paragraphs."""
    from rdflib import RDF

    namer = _Namer(dict(in_effect))
    paragraphs = []
    for i, block in enumerate(blocks):
        # With no header, the first block's comment heads the text, above any @prefix.
        lines = [_comment(block.comment)] if block.comment and (header or i) else []
        subject = namer.term(block.subject)
        parts = []
        for predicate, objects in block.statements:
            verb = "a" if predicate == RDF.type else namer.term(predicate)
            parts.append(f"{verb} " + ", ".join(namer.term(o) for o in objects))
        if block.statements and block.statements[0][0] == RDF.type:
            # ":x a ig:Report ;" then one indented statement per line
            body = f"{subject} {parts[0]}" + "".join(f" ;\n    {p}" for p in parts[1:])
        else:
            body = subject + "\n    " + " ;\n    ".join(parts)
        lines.append(body + " .")
        paragraphs.append("\n".join(lines))
    heading = header or (blocks[0].comment if blocks else None)
    top = [_comment(heading)] if heading else []
    top += [f"@prefix {name}: <{ns}> ." for name, ns in namer.declare.items()]
    if header or namer.declare:
        return "\n".join(top) + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return "\n".join([*top, "\n\n".join(paragraphs)]) + "\n"


def render_ntriples(blocks: Sequence[Block], header: str | None = None) -> str:
    """The N-Triples lines to append, each block after its comment."""
    namer = _Namer(None)
    lines = [_comment(header)] if header else []
    for block in blocks:
        if block.comment:
            lines.append(_comment(block.comment))
        lines += [" ".join(namer.term(t) for t in triple) + " ." for triple in block.triples()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- writing


def edit_target(data: Sequence[PathLike], *, dry_run: bool = False) -> Path:
    """The file additions go to: the first ``--data`` file.

    Without ``--data`` the bundled graph would be the target; it is part of the installed
    package, so writing to it is refused (a dry run may still show what would be added).
    """
    if data:
        return Path(data[0])
    bundled = default_data_paths()[0]
    if dry_run:
        return bundled
    raise EditRefused(
        [
            "adding writes to the first --data file, and none was given; the bundled graph is "
            f"read-only: copy it (cp {bundled} mine.ttl) and pass --data mine.ttl"
        ]
    )


@dataclass
class EditResult:
    """What an addition did (or, in a dry run, would do)."""

    path: Path
    text: str
    """The Turtle (or N-Triples) appended."""
    added: list[str]
    """One description per entity or claim added."""
    triples_added: int
    triples_total: int
    written: bool


def _parsed(text: str, fmt: str, path: Path, parser: str) -> Iterator[pyoxigraph.Quad]:
    """The triples of ``text`` (a whole file) as Oxigraph quads, read by ``parser``:
    ``"oxigraph"``, or ``"rdflib"`` (whose terms are then converted), the parser that read
    the graph they are compared with (the two spell some typed literals differently)."""
    import pyoxigraph

    base = path.resolve().as_uri()
    if parser == "oxigraph":
        ox_format = (
            pyoxigraph.RdfFormat.TURTLE if fmt == "turtle" else pyoxigraph.RdfFormat.N_TRIPLES
        )
        yield from pyoxigraph.parse(text, ox_format, base_iri=base)
        return
    from rdflib import Graph

    from ..graph.terms import to_oxigraph

    graph = Graph()
    graph.parse(data=text, format=fmt, publicID=base)
    for triple in graph:
        yield pyoxigraph.Quad(*(to_oxigraph(term) for term in triple))


def _check_append(
    new_text: str, wanted: set[tuple[Node, Node, Node]], known: WorkingCopy, fmt: str, path: Path
) -> None:
    """The new file must parse, hold every wanted triple, and nothing unexpected.

    ``known`` is the loaded graph plus the wanted triples. The old part of the file parsed
    on its own when it was loaded, and appending text cannot change what earlier
    statements say, so one parse of the new content is enough: a triple that is neither
    wanted nor already known (blank nodes aside: the block has none) means the block was
    misread, and nothing is written. The text is parsed by the parser that read ``known``
    (:attr:`WorkingCopy.parsed_by`) and compared with it in Oxigraph.
    """
    import pyoxigraph

    from ..graph.terms import to_oxigraph

    wanted_quads = {pyoxigraph.Quad(*(to_oxigraph(term) for term in t)) for t in wanted}
    found: set[pyoxigraph.Quad] = set()
    unexpected = False
    blank = pyoxigraph.BlankNode
    try:
        for quad in _parsed(new_text, fmt, path, known.parsed_by):
            if quad in wanted_quads:
                found.add(quad)
            elif quad not in known.store and not (
                isinstance(quad.subject, blank) or isinstance(quad.object, blank)
            ):
                unexpected = True
                break
    except Exception as exc:  # a rendering bug must never reach the disk
        raise InfluenceGraphError(
            f"{path}: the text to append did not parse ({exc}); nothing written"
        ) from None
    if unexpected or found != wanted_quads:
        raise InfluenceGraphError(
            f"{path}: the text to append would not say exactly what was meant; nothing written"
        )


def _new_violations(draft: Draft) -> list[Violation]:
    from ..validate import new_violations

    return new_violations(draft.work.graph, draft.fresh)


def check_draft(draft: Draft, where: PathLike) -> None:
    """Raise :class:`ValidationFailed` if the graph with the draft would have a violation
    it did not have before (each named by the input it came from)."""
    violations = _new_violations(draft)
    if violations:
        lines = [
            f"{draft.origins[v.focus]}: {v}" if v.focus in draft.origins else str(v)
            for v in violations
        ]
        raise ValidationFailed(
            lines,
            f"refused: the graph would have "
            f"{plural(len(violations), 'new violation')}; "
            f"{where} is unchanged",
        )


def write_draft(
    draft: Draft, target: PathLike, *, dry_run: bool = False, header: str | None = None
) -> EditResult:
    """Validate the draft and append it to ``target`` atomically (or only render it).

    Raises :class:`ValidationFailed` when the graph with the additions would have a
    violation it did not have before; the file is then untouched.
    """
    path = Path(target)
    if is_store(path):
        from .store import write_draft_to_store

        return write_draft_to_store(draft, path, dry_run=dry_run)
    fmt = rdf_format(path)
    if fmt not in WRITABLE_FORMATS:
        raise EditRefused(
            [
                f"{path}: additions are appended to Turtle (.ttl) or N-Triples "
                "(.nt) files; give one of those first with --data"
            ]
        )
    if not draft.blocks:
        raise EditRefused(["nothing to add"])
    try:
        old_bytes = path.read_bytes()
        old_text = old_bytes.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InfluenceGraphError(f"{path}: cannot read ({exc})") from None
    if fmt == "nt":
        text = render_ntriples(draft.blocks, header)
    else:
        text = render_turtle(draft.blocks, declared_prefixes(old_text), header)
    first_line, has_break, _ = old_text.partition("\n")
    newline = "\r\n" if has_break and first_line.endswith("\r") else "\n"
    if newline != "\n":  # keep a Windows file's line endings (literals hold no raw breaks)
        text = text.replace("\n", newline)
    joiner = "" if not old_text else (newline if old_text.endswith("\n") else newline * 2)
    new_text = old_text + joiner + text
    triples = draft.triples()
    _check_append(new_text, set(triples), draft.work, fmt, path)

    check_draft(draft, path)
    if not dry_run:
        write_atomically(path, new_text.encode("utf-8"), expect=old_bytes)
    return EditResult(
        path, text, list(draft.added), len(set(triples)), len(draft.work.graph), written=not dry_run
    )


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise EditRefused(["; ".join(p.as_option() for p in problems)])


def add_entity(
    source: Source, target: PathLike, spec: EntitySpec, *, dry_run: bool = False
) -> EditResult:
    """Add one entity to ``target`` (checked, validated, atomic).

    Example:
        >>> add_entity(doc, "mine.ttl", EntitySpec("Report", "Bridging Divides",
        ...     evidence="Bridging Divides (2019)", document="Policy Impact"))  # doctest: +SKIP
    """
    draft = Draft(source, note="---- added by `influencegraph add entity`")
    _refuse(draft.add_entity(spec))
    return write_draft(draft, target, dry_run=dry_run)


def add_claim(
    source: Source, target: PathLike, spec: ClaimSpec, *, dry_run: bool = False
) -> EditResult:
    """Add one influence claim to ``target`` (checked, validated, atomic).

    Example:
        >>> add_claim(doc, "mine.ttl", ClaimSpec("All Together Now", "All of Us", "reflects",
        ...     evidence="...", document="Policy Impact"))                  # doctest: +SKIP
    """
    draft = Draft(source, note="---- added by `influencegraph add claim`")
    _refuse(draft.add_claim(spec))
    return write_draft(draft, target, dry_run=dry_run)
