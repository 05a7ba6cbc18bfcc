"""`generate`: a synthetic corpus that conforms to the shapes, deterministic, heavy-tailed."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influencegraph.errors import InfluenceGraphError
from influencegraph.files import write_atomically
from influencegraph.generate import corpus_lines, generate_corpus
from influencegraph.graph import load_graph
from influencegraph.validate import validate_graph


def test_small_corpus_conforms_to_the_shapes(tmp_path):
    path = tmp_path / "corpus.ttl"
    summary = generate_corpus(path, documents=60, seed=11)
    graph = load_graph([path])
    assert validate_graph(graph) == []
    assert summary.claims > 60
    assert summary.triples == len(graph) - len(load_graph([], with_ontology=True))


@settings(max_examples=6, deadline=None)
@given(documents=st.integers(min_value=1, max_value=40), seed=st.integers(0, 2**32))
def test_any_seed_and_size_conform(tmp_path_factory, documents, seed):
    path = tmp_path_factory.mktemp("gen") / "c.nt"
    generate_corpus(path, documents=documents, seed=seed)
    assert validate_graph(load_graph([path])) == []


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b, c = (tmp_path / n for n in ("a.ttl", "b.ttl", "c.ttl"))
    generate_corpus(a, 200, seed=5)
    generate_corpus(b, 200, seed=5)
    generate_corpus(c, 200, seed=6)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_turtle_and_ntriples_hold_the_same_graph(tmp_path):
    from rdflib.compare import isomorphic

    ttl, nt = tmp_path / "c.ttl", tmp_path / "c.nt"
    generate_corpus(ttl, 80, seed=2)
    generate_corpus(nt, 80, seed=2)
    assert isomorphic(load_graph([ttl], with_ontology=False), load_graph([nt], with_ontology=False))


def test_citations_are_heavy_tailed_and_cover_every_kind():
    text = "".join(corpus_lines(3000, seed=1, fmt="nt"))
    cited = Counter(re.findall(r"> <http://www.w3.org/ns/prov#influencer> <([^>]*doc-\d+)>", text))
    counts = sorted(cited.values())
    median = counts[len(counts) // 2]
    assert counts[-1] >= 20 * median
    kinds = set(re.findall(r"<https://w3id.org/influencegraph/ns#kind> <[^#]*#(\w+)>", text))
    from influencegraph.vocab import INFLUENCE_KINDS

    # plain bibliographic citations (ig:cites) come from bulk imports, not hand-made claims
    assert kinds == {k.name for k in INFLUENCE_KINDS} - {"cites"}


def test_streamed_atomic_write_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old", encoding="utf-8")

    def chunks():
        yield "new"
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_atomically(target, chunks())
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_cli_generate_then_validate(invoke, tmp_path):
    path = tmp_path / "corpus.ttl"
    result = invoke(
        "generate", "--documents", "40", "--seed", "3", "-o", str(path), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == [
        "path",
        "format",
        "seed",
        "documents",
        "organisations",
        "people",
        "groups",
        "memberships",
        "claims",
        "triples",
        "seconds",
    ]
    assert data["documents"] == 40
    assert invoke("--data", str(path), "validate").exit_code == 0


def test_cli_generate_errors_are_exit_2(invoke, tmp_path):
    assert invoke("generate", "-n", "5", "-o", str(tmp_path / "x.xml")).exit_code == 2
    assert invoke("generate", "-n", "0", "-o", str(tmp_path / "x.ttl")).exit_code == 2
    missing_dir = invoke("generate", "-n", "5", "-o", str(tmp_path / "no" / "x.ttl"))
    assert missing_dir.exit_code == 2
    assert "does not exist" in missing_dir.output
    with pytest.raises(InfluenceGraphError):
        list(corpus_lines(0))
