"""`load` cuts big files into pieces loaded by two threads: the store must hold exactly
what the file says, and errors must name the file's true line.

rdflib's own Turtle parser is the independent judge of what a file says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from influencegraph import load as load_module
from influencegraph.errors import DataFileError
from influencegraph.generate import generate_corpus
from influencegraph.graph import StoreSource
from influencegraph.load import Piece, load_files, pieces


def _store_graph(directory: Path) -> Graph:
    graph = Graph()
    for triple in StoreSource(directory).triples((None, None, None)):
        graph.add(triple)
    return graph


def _file_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())


def _cut(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setitem(load_module.SLICE_BYTES, "Turtle", size)
    monkeypatch.setattr(load_module, "SCAN_BYTES", max(64, size // 3))


def test_a_generated_turtle_corpus_loads_in_pieces_exactly(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.ttl"
    generate_corpus(corpus, documents=60, seed=3)
    _cut(monkeypatch, 20_000)
    planned = list(pieces(corpus, "Turtle", corpus.stat().st_size))
    assert len(planned) >= 4
    assert [p.start for p in planned[1:]] == [p.end for p in planned[:-1]]
    assert planned[-1].end == corpus.stat().st_size
    assert all(p.header for p in planned[1:])  # the prefixes travel with every piece
    load_files(tmp_path / "db", [corpus], workers=2, with_ontology=False, optimize=False)
    assert isomorphic(_store_graph(tmp_path / "db"), _file_graph(corpus))


def test_prefixes_redefined_midway_apply_from_where_they_are_said(tmp_path, monkeypatch):
    lines = ["@prefix ex: <http://one.example/> ."]
    for i in range(200):
        if i == 120:
            lines.append("@prefix ex: <http://two.example/> .")
        lines.append(f'ex:s{i} ex:p "row {i}. Based on evidence" ; ex:q ex:o{i} .')
    path = tmp_path / "mid.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _cut(monkeypatch, 2_000)
    assert len(list(pieces(path, "Turtle", path.stat().st_size))) > 3
    load_files(tmp_path / "db", [path], workers=2, with_ontology=False, optimize=False)
    loaded = _store_graph(tmp_path / "db")
    assert isomorphic(loaded, _file_graph(path))
    assert {str(s).split("/")[2] for s, _, _ in loaded} == {"one.example", "two.example"}


@pytest.mark.parametrize(
    "spoiler",
    [
        'ex:long ex:p """a long string\n.\nex:fake ex:p ex:o .\n""" .',
        "_:b ex:p ex:o .",
        "ex:a ex:p ex:o . @prefix ex: <http://three.example/> .",
    ],
)
def test_what_cannot_be_cut_safely_loads_in_one_piece_from_there(tmp_path, monkeypatch, spoiler):
    lines = ["@prefix ex: <http://one.example/> ."]
    lines += [f"ex:s{i} ex:p ex:o{i} ." for i in range(300)]
    lines.insert(150, spoiler)
    lines += ["_:b ex:q ex:end ."] if spoiler.startswith("_:") else []
    path = tmp_path / "spoilt.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _cut(monkeypatch, 1_500)
    planned = list(pieces(path, "Turtle", path.stat().st_size))
    spoilt_at = path.read_bytes().index(spoiler.encode())
    assert all(p.end <= spoilt_at for p in planned[:-1])
    assert planned[-1].start <= spoilt_at
    load_files(tmp_path / "db", [path], workers=2, with_ontology=False, optimize=False)
    assert isomorphic(_store_graph(tmp_path / "db"), _file_graph(path))


def _four_hundred_statements_but(folder: Path, line: int, text: str) -> Path:
    """A Turtle file of a prefix and 400 one-line statements, with line ``line`` (1-based)
    replaced by ``text``."""
    lines = ["@prefix ex: <http://one.example/> ."]
    lines += [f"ex:s{i} ex:p ex:o{i} ." for i in range(400)]
    lines[line - 1] = text
    path = folder / "bad.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_error_in_a_later_piece_names_its_line_in_the_file(tmp_path, monkeypatch):
    path = _four_hundred_statements_but(tmp_path, 351, "ex:broken ex:p .")
    _cut(monkeypatch, 1_000)
    assert len(list(pieces(path, "Turtle", path.stat().st_size))) > 5
    with pytest.raises(DataFileError) as caught:
        load_files(tmp_path / "db", [path], workers=2, with_ontology=False)
    assert caught.value.line == 351
    assert "load it again" in caught.value.reason


def test_an_error_in_a_directive_is_reported_at_the_directive(tmp_path, monkeypatch):
    path = _four_hundred_statements_but(tmp_path, 41, "@prefix bad: <http://one.example/^> .")
    _cut(monkeypatch, 1_000)
    planned = list(pieces(path, "Turtle", path.stat().st_size))
    assert sum(1 for p in planned if len(p.header) == 2) > 3  # copied into later pieces
    with pytest.raises(DataFileError) as caught:
        load_files(tmp_path / "db", [path], workers=2, with_ontology=False)
    assert caught.value.line == 41


def test_small_files_and_one_worker_are_one_piece(tmp_path):
    path = tmp_path / "small.ttl"
    path.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    assert list(pieces(path, "Turtle", path.stat().st_size)) == [Piece(0, path.stat().st_size)]
    assert list(pieces(path, "TriG", 10**9)) == [Piece(0, 10**9)]


# Statements drawn from the parts of Turtle that make cutting hard: full stops, hashes,
# quotes and brackets inside strings and IRIs, comments that end with a full stop,
# predicate and object lists over several lines, anonymous blank nodes and collections.
_NAME = st.sampled_from(["ex:a", "ex:b", "ex:c", "<http://e.example/x.y>", "ex:d1"])
_TEXT = st.text(alphabet=st.sampled_from(list("ab .#;,'<>[]()@\\\"x")), max_size=12)
_LITERAL = _TEXT.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"')
_OBJECT = st.one_of(
    _NAME,
    _LITERAL,
    st.integers(-5, 5).map(str),
    st.just('[ ex:p "in a blank node . @N@" ]'),
    st.just("( ex:a @N@ )"),
)
"""``@N@`` becomes a different number in each blank node: rdflib's isomorphism check takes
exponential time on blank nodes it cannot tell apart (26 s for 20 identical pairs)."""


def _numbered(text: str) -> str:
    """``text`` with each ``@N@`` replaced by the next number."""
    parts = text.split("@N@")
    return "".join(part + (str(i) if i < len(parts) - 1 else "") for i, part in enumerate(parts))


_COMMENT = st.sampled_from(["", " # note .", " # ends ;"])


@st.composite
def _statement(draw: st.DrawFn) -> str:
    subject = draw(_NAME)
    groups = []
    for _ in range(draw(st.integers(1, 3))):
        objects = draw(st.lists(_OBJECT, min_size=1, max_size=3))
        groups.append(f"{draw(_NAME)} {' , '.join(objects)}")
    joiner = draw(st.sampled_from([" ; ", " ;\n    ", " ;\n# a comment line .\n    "]))
    return f"{subject} {joiner.join(groups)} .{draw(_COMMENT)}"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    statements=st.lists(_statement(), min_size=5, max_size=40),
    redefine=st.integers(0, 40),
    size=st.integers(40, 400),
)
def test_any_turtle_loads_in_pieces_as_rdflib_reads_it(
    tmp_path_factory, monkeypatch, statements, redefine, size
):
    head = ["@prefix ex: <http://one.example/> .", "# comment ."]
    middle = [*statements[:redefine], "PREFIX ex: <http://two.example/>", *statements[redefine:]]
    folder = tmp_path_factory.mktemp("pieces")
    path = folder / "any.ttl"
    path.write_text(_numbered("\n".join(head + middle) + "\n"), encoding="utf-8")
    _cut(monkeypatch, size)
    load_files(folder / "db", [path], workers=2, with_ontology=False, optimize=False)
    assert isomorphic(_store_graph(folder / "db"), _file_graph(path))
