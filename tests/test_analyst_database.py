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


@pytest.mark.refresh  # reads what a refresh published
def test_the_marts_descriptions_are_comments_in_the_analyst_database(handmade_published: Workspace):
    """What each mart and each of its columns means, as written in the dbt project, travels with the data."""
    from orchestration.resources import dbt_manifest

    manifest = dbt_manifest()
    marts = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1:2] == ["marts"]
    }
    tables = {
        row["table_name"]: row["comment"]
        for row in handmade_published.query(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
        )
    }
    columns = {
        (row["table_name"], row["column_name"]): row["comment"]
        for row in handmade_published.query(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
        )
    }
    assert set(tables) == set(marts)
    for name, node in marts.items():
        assert tables[name] == node["description"], name
        for column, spec in node["columns"].items():
            assert columns[(name, column)] == spec["description"], (name, column)
    assert tables["coverage_province"].startswith("The whole province in one row")
    assert columns[("coverage_regency_sector", "premium_to_target_idr")].startswith("workers_to_target × Rp201.600")
