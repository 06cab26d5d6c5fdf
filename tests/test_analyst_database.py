"""The analyst database as an analyst meets it: the README's first command, run as written, answers."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.workspace import ROOT, Workspace


def _readme_analyst_command() -> list[str]:
    """The command in the README's "For analysts" section, as a shell would split it."""
    section = (ROOT / "README.md").read_text().split("\n## For analysts\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "README's For analysts section has no sh block"
    (line,) = [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    return shlex.split(line)


def test_the_duckdb_command_is_the_pipelines_duckdb():
    """What analysts open the file with reads what the pipeline's DuckDB wrote: the same release."""
    done = subprocess.run([Path(sys.executable).parent / "duckdb", "--version"], capture_output=True, text=True)
    assert done.stdout.split()[0] == f"v{duckdb.__version__}"


@pytest.mark.refresh  # reads what a refresh published
def test_the_readme_analyst_command_works_from_a_fresh_shell(handmade_published: Workspace):
    command = _readme_analyst_command()
    assert "data/analytics.duckdb" in command  # the default CAKUPAN_ANALYTICS_DB, here the test's published copy
    command = [str(handmade_published.analytics_db) if arg == "data/analytics.duckdb" else arg for arg in command]
    # From the repository root, with no venv activated and nothing but the system's PATH.
    done = subprocess.run(command, cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    for regency in handmade_published.query("select regency_code from marts.coverage_regency"):
        assert regency["regency_code"] in done.stdout
    assert "11 rows" in done.stdout
