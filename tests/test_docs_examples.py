"""Every console example in docs/*.md runs, and prints what the page shows.

A transcript is a fenced block whose lines starting with ``$ `` are commands (continued by a
trailing backslash); the lines after one, up to the next ``$ `` or the end of the block, are
what the reader is told it prints. Each page runs its blocks in order, in a fresh folder
holding copies of the repository's ``data/``, ``examples/`` and ``src/influencegraph/queries``
(the paths the pages use), so every example is one a reader could paste in a checkout, and
a page that goes stale (a count, a message, an exit code) fails here, naming the command.

* ``influencegraph ...`` runs in-process through click's CliRunner (stdout and stderr
  together, as a terminal shows them), at a fixed 120-column width so tables lay out alike;
  ``serve`` runs as its own process, since it only stops when told to.
* ``cp``, ``cat`` and ``| head -N`` are done in Python. A ``cat`` of a file that does not
  exist yet is how a page shows the reader a file to create: its shown text is written.
* ``curl`` and ``oxigraph serve-read-only ... &`` run as processes; every ``127.0.0.1:PORT``
  is moved to a free port (and shown back as the page's port), so nothing clashes.
* The exit code is the one the page implies: a last shown line ``exit N`` says it; else an
  output starting ``Error:`` is 2 (a user error), one with a line ``refused:`` or starting
  ``no influence path`` is 1 (a check failed), anything else 0.
* Output is compared whole, after normalising only what must vary: trailing white space,
  the temporary folder (pages show it as ``/tmp/ex``), durations (``4.9 s``) and CSV
  columns named ``seconds``. A shown line ``...`` marks a deliberately abridged output: the
  runs of lines between the ``...`` must appear in that order (a run not preceded by
  ``...`` starts the output, one not followed by ``...`` ends it). A page or site a
  successful command writes with ``-o X.html`` or ``-o DIR/`` must exist.

No command is skipped; pages with no transcript have nothing to run. docs/commands.md
(generated from --help) is checked by tests/test_docs.py, and docs/python.md is a doctest
that pytest runs (pyproject.toml).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from influencegraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SHOWN_DIR = "/tmp/ex"  # how the pages name the folder their examples run in
COPIED = ["data", "examples", "src/influencegraph/queries"]
NOT_HERE = {"commands.md", "python.md"}  # test_docs.py; pytest's doctest run (pyproject)
GRAPH_VARIABLES = ["INFLUENCEGRAPH_DATA", "INFLUENCEGRAPH_STORE", "INFLUENCEGRAPH_ENDPOINT"]


def transcripts(page: Path) -> list[tuple[str, list[str]]]:
    """The page's (command, shown output lines), in order, over all its transcript blocks."""
    blocks: list[list[str]] = []
    block: list[str] | None = None
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```") and block is None:
            block = []
        elif line.startswith("```"):
            blocks.append(block)
            block = None
        elif block is not None:
            block.append(line)
    steps: list[tuple[str, list[str]]] = []
    for lines in blocks:
        if not any(line.startswith("$ ") for line in lines):
            continue  # code, a synopsis or a file: not a transcript
        assert lines[0].startswith("$ "), f"{page.name}: a transcript starts with {lines[0]!r}"
        while lines:
            command = lines.pop(0)[2:]
            while command.endswith("\\"):
                command = command[:-1] + " " + lines.pop(0).strip()
            shown = []
            while lines and not lines[0].startswith("$ "):
                shown.append(lines.pop(0))
            steps.append((command, shown))
    return steps


PAGES = sorted(p.name for p in DOCS.glob("*.md") if p.name not in NOT_HERE and transcripts(p))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """One page's shell: its folder, its ports, the servers it started."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ports: dict[str, str] = {}  # the page's port -> the one really used
        self.servers: list[subprocess.Popen] = []
        # A reader's terminal: 120 columns, and no graph chosen by the environment.
        self.env: dict[str, str | None] = {"COLUMNS": "120"}
        self.env.update(dict.fromkeys(GRAPH_VARIABLES))

    def localise(self, command: str) -> str:
        """The command with each loopback port moved to a free one."""

        def move(match: re.Match) -> str:
            return match[1] + self.ports.setdefault(match[2], str(_free_port()))

        return re.sub(r"(127\.0\.0\.1:|--port )(\d+)", move, command)

    def run(self, command: str, shown: list[str]) -> tuple[int, str]:
        """Run one command as a reader's shell would; its exit code and what it printed."""
        command = self.localise(command)
        head = None
        if match := re.fullmatch(r"(.*) \| head -(\d+)", command):
            command, head = match[1], int(match[2])
        argv = shlex.split(command)
        if argv[0] == "influencegraph" and "serve" in argv:
            code, output = self.start(
                [sys.executable, "-m", "influencegraph", *argv[1:]], reads_first_line=True
            )
        elif argv[0] == "influencegraph":
            result = CliRunner().invoke(cli, argv[1:], env=self.env, prog_name="influencegraph")
            if result.exception and not isinstance(result.exception, SystemExit):
                raise result.exception
            code, output = result.exit_code, result.output
        elif argv[0] == "cp":
            shutil.copy(argv[1], argv[2])
            code, output = 0, ""
        elif argv[0] == "cat":
            path = Path(argv[1])
            if not path.exists():  # the page shows a file for the reader to create
                path.write_text("".join(line + "\n" for line in shown), encoding="utf-8")
            code, output = 0, path.read_text(encoding="utf-8")
        elif argv[0] == "curl":
            done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
            code, output = done.returncode, done.stdout + done.stderr
        elif argv[0] == "oxigraph" and argv[-1] == "&":
            exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
            code, output = self.start([exe, *argv[1:-1]])
            bind = argv[argv.index("--bind") + 1]
            self.wait_for(f"http://{bind}/query?query=ASK%7B%7D")
        else:
            raise AssertionError(f"the test cannot run {argv[0]!r}; teach it or change the page")
        if head is not None:
            output = "".join(output.splitlines(keepends=True)[:head])
        return code, output

    def start(self, argv: list[str], reads_first_line: bool = False) -> tuple[int, str]:
        """Start a server process in the background, as ``&`` or a second terminal would."""
        server = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE if reads_first_line else subprocess.DEVNULL,
            stderr=subprocess.STDOUT if reads_first_line else subprocess.DEVNULL,
            text=True,
            env={
                **{k: v for k, v in os.environ.items() if k not in GRAPH_VARIABLES},
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": str(ROOT / "src"),
            },
        )
        self.servers.append(server)
        return 0, server.stdout.readline() if server.stdout else ""

    @staticmethod
    def wait_for(url: str) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                return
            except OSError:
                assert time.monotonic() < deadline, f"nothing answered at {url}"
                time.sleep(0.1)

    def normalise(self, output: str) -> str:
        output = output.replace(str(self.folder), SHOWN_DIR)
        for shown_port, port in self.ports.items():
            output = output.replace(f"127.0.0.1:{port}", f"127.0.0.1:{shown_port}")
        return normalise(output)

    def stop(self) -> None:
        for server in self.servers:
            server.terminate()
            server.wait(timeout=10)


def normalise(output: str) -> str:
    """Trailing white space, durations and CSV timing columns, which vary run to run."""
    lines = [line.rstrip() for line in output.rstrip().splitlines()]
    if lines and "seconds" in lines[0].split(","):
        rows = list(csv.reader(lines))
        timed = {i for i, name in enumerate(rows[0]) if name.endswith("seconds")}
        for row in rows[1:]:
            row[:] = ["<t>" if i in timed else cell for i, cell in enumerate(row)]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        lines = buffer.getvalue().splitlines()
    return re.sub(r"\b\d+(\.\d+)? s\b", "<t> s", "\n".join(lines))


def expected(shown: list[str]) -> tuple[int, list[str]]:
    """The exit code the page implies, and the output it shows without an ``exit N`` line."""
    if shown and re.fullmatch(r"exit \d+", shown[-1]):
        return int(shown[-1].split()[1]), shown[:-1]
    if shown and shown[0].startswith("Error:"):
        return 2, shown
    if any(line.startswith(("refused:", "no influence path")) for line in shown):
        return 1, shown
    return 0, shown


def matches(shown: str, real: str) -> bool:
    """Whole equality, or, for an output abridged with ``...`` lines, its runs of lines in
    order (each ``...`` stands for any number of lines, none included)."""
    lines = shown.split("\n")
    if "..." not in lines:
        return shown == real
    pattern = "".join("(?:.*\n)*?" if line == "..." else re.escape(line) + "\n" for line in lines)
    return re.fullmatch(pattern, real + "\n") is not None


@pytest.mark.parametrize("page", PAGES)
def test_page_examples_run_as_shown(page, tmp_path, monkeypatch):
    for folder in COPIED:
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    session = Session(tmp_path)
    try:
        for command, shown in transcripts(DOCS / page):
            code, output = session.run(command, shown)
            exit_code, shown = expected(shown)
            where = f"{page}: $ {command}\n--- shown:\n" + "\n".join(shown)
            where += f"\n--- printed (exit {code}):\n{output}"
            assert code == exit_code, where
            assert matches(normalise("\n".join(shown)), session.normalise(output)), where
            if code == 0:  # a page or site it says it wrote is there
                for written in re.findall(r" -o (\S+(?:\.html|/))", command):
                    assert (tmp_path / written).exists(), where
    finally:
        session.stop()
