"""Shared fixtures: the parsed seed graph, the seed page texts, a CLI runner, temp data."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from influencegraph.cli import cli
from influencegraph.graph import MemorySource, default_data_paths, load_graph
from influencegraph.vocab import PREFIXES

# Property tests judge results, not speed: on a shared 2-core machine an example can take
# longer than hypothesis's default 200 ms deadline without anything being wrong.
settings.register_profile("influencegraph", deadline=None, print_blob=True)
settings.load_profile("influencegraph")

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
SOURCE_TEXTS = {
    "Policy Impact (The Challenge)": ROOT / "data" / "sources" / "policy-impact.txt",
    '"If you could do one thing..." Local actions to improve social integration '
    "(British Academy)": ROOT / "data" / "sources" / "ba-local-actions.txt",
}


def squash(text: str) -> str:
    """Fold white space (the pages use non-breaking spaces) for verbatim comparison."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session", name="squash")
def squash_fixture():
    """The white-space folding used to compare quotes with the pages."""
    return squash


@pytest.fixture(scope="session")
def seed_graph():
    return load_graph()


@pytest.fixture(scope="session")
def seed_source(seed_graph):
    return MemorySource(seed_graph, default_data_paths())


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Source-document label -> the page's text, white space folded."""
    return {label: squash(path.read_text(encoding="utf-8")) for label, path in SOURCE_TEXTS.items()}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI in-process: ``invoke("stats", "--format", "json")``."""

    def run(*args: str, **kwargs):
        return runner.invoke(cli, list(args), catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the bundled graph."""
    target = tmp_path / "triples.ttl"
    shutil.copy(default_data_paths()[0], target)
    return target


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """An Oxigraph store loaded with the bundled graph (and the vocabulary); read it only."""
    from influencegraph.load import load_files

    directory = tmp_path_factory.mktemp("store") / "seed.db"
    load_files(directory, default_data_paths())
    return directory


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _serving(server, url: str, name: str, *, wait: float, stop: float):
    """Wait until the SPARQL server process answers an ASK at ``url`` (failing the test if
    it dies or takes over ``wait`` seconds), then stop it when the block ends."""
    import subprocess
    import time
    import urllib.request

    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{name} did not start")
                time.sleep(0.05)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=stop)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory):
    """URL of an independent SPARQL server (PyPI `oxigraph`, its own process and loader)
    serving the bundled graph and vocabulary on a free loopback port; stopped at the end."""
    import subprocess
    import sys

    from influencegraph.graph import ontology_path

    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    location = tmp_path_factory.mktemp("endpoint") / "db"
    subprocess.run(
        [
            exe,
            "load",
            "--location",
            str(location),
            "--file",
            str(default_data_paths()[0]),
            "--file",
            str(ontology_path()),
        ],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    with _serving(server, url, "the oxigraph server", wait=15, stop=10):
        yield url


VIRTUOSO_GRAPH = "urn:influencegraph:test"
"""The named graph the Virtuoso fixture loads the data into (its default graph holds
Virtuoso's own system triples), so clients must name it: default-graph-uri."""


@pytest.fixture(scope="session")
def virtuoso_endpoint(tmp_path_factory):
    """URL (with default-graph-uri) of a real Virtuoso 7 (Debian virtuoso-opensource) holding
    the bundled DATA ONLY, without the project's vocabulary: commands must still answer as
    they do locally. Started on free loopback ports in a temporary database; stopped at the
    end. Skips, saying why, where Virtuoso is not installed (.ci/run installs it)."""
    import re
    import subprocess

    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    template = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
    if not exe or not isql or not template.exists():
        pytest.skip(
            "Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does this)"
        )
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    text = template.read_text()
    text = text.replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*1111", f"ServerPort = {sql_port}", text)
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*8890", f"ServerPort = {http_port}", text)
    text = re.sub(r"(?m)^DirsAllowed\s*=.*", f"DirsAllowed = ., {folder}", text)
    text = re.sub(r"(?m)^VADInstallDir\s*=.*", "", text)  # no Conductor: starts faster
    text = re.sub(r"(?m)^ServerRoot\s*=.*", f"ServerRoot = {folder}", text)
    (folder / "virtuoso.ini").write_text(text)
    data = folder / "data.ttl"
    shutil.copy(default_data_paths()[0], data)
    server = subprocess.Popen(
        [exe, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    with _serving(server, url, "Virtuoso", wait=180, stop=30):
        subprocess.run(
            [
                isql,
                str(sql_port),
                "dba",
                "dba",
                f"exec=DB.DBA.TTLP_MT(file_to_string_output('{data}'), '', "
                f"'{VIRTUOSO_GRAPH}'); checkpoint;",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield f"{url}?default-graph-uri={VIRTUOSO_GRAPH}"


TURTLE_PREFIXES = "@prefix : <https://example.org/> .\n" + "".join(
    f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREFIXES.items()
)
"""Turtle prefixes for hand-made test graphs: ``:`` is https://example.org/, the rest are
the project's (vocab.PREFIXES)."""


@pytest.fixture(scope="session")
def turtle_source():
    """Build a source from a Turtle snippet (prefixes :, ig, prov, dcterms, org, foaf, rdfs,
    xsd are declared): ``turtle_source(':a a ig:Report ; rdfs:label "A" .')``."""
    from rdflib import Graph

    def build(text: str) -> MemorySource:
        return MemorySource(Graph().parse(data=TURTLE_PREFIXES + text, format="turtle"))

    return build


@pytest.fixture
def turtle_file(tmp_path):
    """Write a Turtle snippet (same prefixes as ``turtle_source``) to a file; returns its path."""

    def write(text: str, name: str = "graph.ttl") -> Path:
        path = tmp_path / name
        path.write_text(TURTLE_PREFIXES + text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def loopback_trap():
    """A loopback port where a socket listens and never answers.

    ``trap.connections()`` counts the connections anyone opened to it so far, so a test
    can prove that a query naming this port never reached it.
    """
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)

    class Trap:
        port = sock.getsockname()[1]
        url = f"http://127.0.0.1:{port}/sparql"
        accepted = 0

        def connections(self) -> int:
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    return self.accepted
                conn.close()
                self.accepted += 1

    yield Trap()
    sock.close()


@pytest.fixture(params=["threads", "processes"])
def endpoint(request, seed_source):
    """The SPARQL endpoint over the seed graph, on a free loopback port, stopped afterwards:
    answered by threads of this process, or by worker processes (as ``serve`` does)."""
    from influencegraph.server import Endpoint
    from influencegraph.sparql import QueryRunner

    runner = QueryRunner(seed_source, timeout=5.0, max_rows=1000)
    processes = 2 if request.param == "processes" else 0
    with Endpoint(runner, "127.0.0.1", 0, processes=processes).start() as server:
        yield server


@pytest.fixture
def data_source(data_copy):
    """A Source over ``data_copy`` (a writable copy of the bundled graph)."""
    from influencegraph.graph import open_source

    return open_source([data_copy])


TINY_GRAPH = """\
# A minimal conforming graph: one organisation and the page it publishes.
@prefix : <https://w3id.org/influencegraph/id/> .
@prefix ig: <https://w3id.org/influencegraph/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

:org a ig:Organisation ; rdfs:label "Tiny Org" ; dcterms:source :src ;
    ig:evidence "Tiny Org says" .
:src a ig:SourceDocument ; rdfs:label "Tiny page (Tiny Org)" ; dcterms:title "Tiny page" ;
    dcterms:publisher :org ; dcterms:source :src ; ig:evidence "Tiny Org says" .
"""


@pytest.fixture(scope="session")
def tiny_graph_text() -> str:
    """Turtle of a minimal conforming graph (fast to validate, for property tests)."""
    return TINY_GRAPH


GROWN_QUOTE = (
    "The Government’s Integrated Communities Strategy Green Paper, published in 2018, "
    "highlights and endorses The Challenges ‘Design Principles for Meaningful Mixing’"
)


@pytest.fixture(scope="session")
def grown_copy(tmp_path_factory) -> Path:
    """A copy of the bundled graph with one entity and one claim added (read-only use):
    the group "Public affairs and policy team" and Design Principles -> ICS (endorses)."""
    from influencegraph.edit import ClaimSpec, EntitySpec, add_claim, add_entity
    from influencegraph.graph import open_source

    path = tmp_path_factory.mktemp("grown") / "grown.ttl"
    shutil.copy(default_data_paths()[0], path)
    add_entity(
        open_source([path]),
        path,
        EntitySpec(
            "Group",
            "Public affairs and policy team",
            evidence="Our public affairs and policy team",
            document="Policy Impact",
        ),
    )
    add_claim(
        open_source([path]),
        path,
        ClaimSpec(
            "Design Principles for Meaningful Mixing",
            "ICS",
            "endorses",
            evidence=GROWN_QUOTE,
            document="Policy Impact",
        ),
    )
    return path


@pytest.fixture
def tiny_source():
    """Build a small hand-made graph (Turtle, with the usual prefixes and ``:`` =
    https://example.org/) plus the vocabulary: ``tiny_source(":a a ig:Report .")``."""
    from rdflib import Graph

    def make(turtle: str) -> MemorySource:
        graph = Graph().parse(data=TURTLE_PREFIXES + turtle, format="turtle")
        return MemorySource(load_graph(graph))

    return make


@pytest.fixture(scope="session")
def challenge_dossier(seed_source):
    """The dossier of The Challenge on the seed graph (built once; read-only use)."""
    from influencegraph.dossier import build_dossier

    return build_dossier(seed_source, "The Challenge")


HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)">'
"""A label that runs script wherever a page treats text as HTML."""


@pytest.fixture
def hostile_graph():
    """A tiny influence graph whose labels, type and quote are markup meant to run script."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_node("https://example.org/a", label=HOSTILE, type="Report", year="2019")
    graph.add_node(
        "https://example.org/b",
        label="</script><script>window.__pwned=2</script>",
        type="<b>Strategy</b>",
        year=None,
    )
    graph.add_edge(
        "https://example.org/a",
        "https://example.org/b",
        relation="endorses",
        kind="endorses",
        strength=0.8,
        evidence='"quoted" & <svg onload="window.__pwned=3"> \u2028 end',
        source="<i>page</i>",
        claimant="<u>someone</u>",
        inferred=False,
    )
    return graph


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    import importlib.util

    if not Path(CHROMIUM).is_file():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright, one per test module (never downloaded)."""
    reason = _browser_missing()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
