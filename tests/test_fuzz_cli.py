"""Every command driven with generated hostile arguments and files (issue 17).

For each command of the CLI (found by walking it, so a new command is fuzzed too), each
option and argument gets a value drawn for its kind: names (real, misspelt, empty,
invisible characters, quotes, very long), numbers (negative, zero, huge), files (empty,
binary, UTF-16, a BOM, bad Turtle, a bad CSV, a folder, missing, read-only), output paths
(a folder, under /proc, a missing folder, a read-only file, a suffix nobody writes).
Every run must end with no traceback (``result.exception`` is None or SystemExit), an
exit code of 0, 1 or 2, and the data file unchanged unless the command says it wrote it.

Examples are few and derandomized (fixed), so the run takes a few tens of seconds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influencegraph.cli import cli

NAMES = [
    "Tiny Org",
    "Tiny page",
    "tiny org",
    "Tiny Orgg",
    "",
    " ",
    "-",
    "--",
    "x" * 5000,
    "Tiny\u200fOrg",
    "\u202eevil",
    "'; DROP",
    '"quoted"',
    "<script>x</script>",
    "ig:org",
    "https://w3id.org/influencegraph/id/org",
    "Tiny Org\n",
    "…",
    "ICS",
    "Report",
    "endorses",
    "2018",
    "2018-13",
    "0000",
    "file:///etc/passwd",
    "%s{}",
]
NUMBERS = ["-1", "0", "1", "2", "3", "12", "99999999999999999999", "x", "1e3", "-0", " 2"]
EMPTY_QUERIES = ["", "   ", "# only a comment", "PREFIX x: <http://x/>"]
"""D1: these raised a TypeError (and left the next in-process query hanging) before
sparql.py evaluated queries in worker processes."""
QUERIES = [
    *EMPTY_QUERIES,
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK {}",
    "DELETE WHERE { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT ?x WHERE { BIND(1/0 AS ?x) }",
    "SELECT * FROM <http://x/> { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "SELECT ?x WHERE { VALUES ?x { 1 } } LIMIT 0",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999",
    "{",
]
INPUTS = [
    "data.ttl",
    "empty.ttl",
    "binary.ttl",
    "utf16.rq",
    "bom.rq",
    "bad.ttl",
    "bad.csv",
    "claims.csv",
    "page.txt",
    "page.html",
    "adir",
    "missing.ttl",
    "readonly.ttl",
    "fake.pdf",
    "query.rq",
    "/proc/nope/x.ttl",
    "graph.jsonld",
]
OUTPUTS = [
    "out.ttl",
    "out.nt",
    "out.html",
    "out.json",
    "out.md",
    "x.pdf",
    "out.csv",
    "out.gexf",
    "adir",
    "missing/x.ttl",
    "/proc/nope/x.html",
    "readonly.ttl",
    "store.db",
    "out",
]

TINY = """\
@prefix : <https://w3id.org/influencegraph/id/> .
@prefix ig: <https://w3id.org/influencegraph/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

:org a ig:Organisation ; rdfs:label "Tiny Org" ; dcterms:source :src ;
    ig:evidence "Tiny Org says" .
:src a ig:SourceDocument ; rdfs:label "Tiny page (Tiny Org)" ; dcterms:title "Tiny page" ;
    dcterms:publisher :org ; dcterms:source :src ; ig:evidence "Tiny Org says" .
"""


def _files(folder: Path) -> None:
    """The hostile input files, in the current (isolated) folder."""
    (folder / "data.ttl").write_text(TINY, encoding="utf-8")
    (folder / "empty.ttl").write_bytes(b"")
    (folder / "binary.ttl").write_bytes(bytes(range(256)) * 4)
    (folder / "utf16.rq").write_bytes("ASK {}".encode("utf-16"))
    (folder / "bom.rq").write_bytes(b"\xef\xbb\xbfASK {}")
    (folder / "query.rq").write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 2", encoding="utf-8")
    (folder / "bad.ttl").write_text(TINY + ":x :y .\n:broken", encoding="utf-8")
    (folder / "bad.csv").write_text('from,to\n"unclosed,\x00\n', encoding="utf-8")
    (folder / "claims.csv").write_text(
        "from,to,kind,evidence,source\nTiny Org,Tiny Org,endorses,Tiny Org says,Tiny page\n",
        encoding="utf-8",
    )
    (folder / "page.txt").write_text("Tiny Org says that Tiny Org endorses it.\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><script>x</script><p>Tiny Org says</p>", encoding="utf-8"
    )
    (folder / "fake.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "graph.jsonld").write_text("{}", encoding="utf-8")
    (folder / "adir").mkdir()
    (folder / "readonly.ttl").write_text(TINY, encoding="utf-8")
    (folder / "readonly.ttl").chmod(0o444)


def _commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


COMMANDS = dict(_commands())
OUTPUT_PARAMS = {"output", "out", "store"}


def _value(param: click.Parameter) -> st.SearchStrategy[str]:
    """Hostile values for one parameter, by what it takes."""
    kind = param.type
    if param.name in OUTPUT_PARAMS:
        return st.sampled_from(OUTPUTS)
    if param.name == "query":
        return st.sampled_from(QUERIES)
    if param.name == "port":
        return st.sampled_from(["-1", "70000", "x"])  # never a port it could serve on
    if param.name == "documents":
        return st.sampled_from(["-1", "0", "1", "2", "x"])  # generate stays small
    if param.name == "binds":
        return st.sampled_from(["x", "=", "s=Tiny Org", "s=", "s=<http://x/>", "1=2"])
    if isinstance(kind, click.Choice):
        return st.sampled_from([*kind.choices, "bogus", ""])
    if isinstance(kind, (click.IntRange, click.FloatRange)) or kind in (click.INT, click.FLOAT):
        return st.sampled_from(NUMBERS)
    if isinstance(kind, (click.Path, click.File)) or param.name in ("source_file",):
        return st.sampled_from(INPUTS)
    return st.sampled_from(NAMES)


@st.composite
def _arguments(draw, command: click.Command) -> list[str]:
    args: list[str] = []
    for param in command.params:
        if param.name == "help":
            continue
        if isinstance(param, click.Argument):
            count = param.nargs if param.nargs > 0 else draw(st.integers(0, 2))
            if not param.required and not draw(st.booleans()):
                continue
            args += [draw(_value(param)) for _ in range(count)]
        elif getattr(param, "is_flag", False):
            if draw(st.booleans()):
                args.append(param.opts[0])
        elif draw(st.integers(0, 3)) > 0 or param.required or param.name == "port":
            # serve always gets a port it cannot bind, or it would serve until killed
            for _ in range(draw(st.integers(1, 2)) if param.multiple else 1):
                args.append(param.opts[0])
                args += [draw(_value(param)) for _ in range(param.nargs)]
    return args


def test_every_command_is_fuzzed():
    assert {" ".join(p) for p in COMMANDS} >= {
        "add entity",
        "add claim",
        "import",
        "verify",
        "validate",
        "sparql",
        "serve",
        "load",
    }


@pytest.mark.parametrize(
    "path, command", list(COMMANDS.items()), ids=[" ".join(p) for p in COMMANDS]
)
def test_hostile_arguments_never_traceback_or_touch_the_data(path, command, monkeypatch):
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url: False)  # viz --open stays here
    monkeypatch.chdir(Path.cwd())
    runner = CliRunner()

    @settings(
        max_examples=4 if path == ("extract",) else 8,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
        deadline=None,
    )
    @given(
        args=_arguments(command),
        data=st.sampled_from(["data.ttl", "readonly.ttl", "empty.ttl", "bad.ttl"]),
    )
    def run(args: list[str], data: str) -> None:
        with tempfile.TemporaryDirectory() as where:
            folder = Path(where)
            os.chdir(folder)  # relative outputs land here; restored by monkeypatch
            _files(folder)
            before = (folder / data).read_bytes()
            try:
                result = runner.invoke(cli, ["--data", data, *path, *args])
            finally:
                for root, dirs, files in os.walk(folder):  # let the temp folder go
                    for item in dirs + files:
                        os.chmod(os.path.join(root, item), 0o755)
            shown = f"{' '.join(path)} {args!r} -> {result.exit_code}: {result.output[-500:]}"
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                shown,
                result.exc_info,
            )
            assert result.exit_code in (0, 1, 2), shown
            assert "Traceback" not in result.output, shown
            if "written to" not in result.output:
                assert (folder / data).read_bytes() == before, shown
            shutil.rmtree(folder / "adir", ignore_errors=True)

    run()
