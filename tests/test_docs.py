"""The README stays true: its two commands are CI's, and every command is documented."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from influencegraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """The shell commands in the README's 'Set up' section, in order."""
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def test_readme_has_exactly_two_setup_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)


def test_ci_runs_the_readme_commands_verbatim():
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in readme_commands():
        assert command in ci_lines


def test_every_command_is_in_the_readme_and_the_reference():
    reference = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`{name}" in README, f"command {name} is missing from README.md"
        assert f"## `{name}`" in reference, f"command {name} is missing from docs/commands.md"


def test_the_command_reference_is_current():
    """docs/commands.md is every --help as the tool prints it; regenerate it with
    `.venv/bin/python docs/gen_commands.py` after changing a command."""
    import runpy

    generate = runpy.run_path(str(ROOT / "docs" / "gen_commands.py"))["reference"]
    assert (ROOT / "docs" / "commands.md").read_text(encoding="utf-8") == generate()


def test_the_readme_stays_a_front_door():
    assert len(README.splitlines()) <= 220


def test_every_docs_page_is_in_the_site_and_every_link_resolves():
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = {next(iter(item.values())) for item in config["nav"]}
    assert pages == {p.name for p in (ROOT / "docs").glob("*.md")}
    for link in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / link).is_file(), link


@pytest.mark.skipif(
    shutil.which("mkdocs") is None and not (ROOT / ".venv/bin/mkdocs").exists(),
    reason="mkdocs is not installed (pip install -e '.[test]')",
)
def test_the_docs_site_builds_strictly_and_fetches_nothing(tmp_path):
    mkdocs = shutil.which("mkdocs") or str(ROOT / ".venv/bin/mkdocs")
    done = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in index and "<h1" in index
