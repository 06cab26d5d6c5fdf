"""Resources, declared once: the warehouse (DuckDB) and the dbt project."""

import importlib.metadata
import shutil
import sys
from functools import cached_property
from pathlib import Path

from packaging import version

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource

from orchestration.settings import PROJECT_ROOT, Settings

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev`, parse the dbt project when the code location loads; elsewhere the manifest
# must already exist (`make manifest`, run by `make run` and CI).
dbt_project.prepare_if_dev()


class DbtCli(DbtCliResource):
    """dagster-dbt's DbtCliResource without two start-up costs of every build (about 10 s of a refresh):
    it runs `dbt --version` in a subprocess to learn the version, and builds an in-process dbt adapter
    that only `fetch_row_counts()`/column metadata use. This project pins dbt-core, and counts rows
    itself (assets/dbt.py), so neither is needed."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def _dbt_executable() -> str:
    # The dbt beside this interpreter (the project's .venv), whether or not the venv is activated.
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def build_resources() -> dict:
    # The warehouse path is read from the environment when a run starts, not when the code loads.
    Settings.from_env().export_defaults()
    return {
        "warehouse": DuckDBResource(database=dg.EnvVar("CAKUPAN_WAREHOUSE")),
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=_dbt_executable()),
    }
