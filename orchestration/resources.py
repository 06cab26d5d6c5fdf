"""Resources, declared once: the warehouse (DuckDB) and the dbt project."""

import contextlib
import importlib.metadata
import shutil
import sys
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource
from packaging import version

from common.owner_only import owner_only, protect
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


class WarehouseResource(DuckDBResource):
    """dagster-duckdb's DuckDBResource, with the warehouse's files made readable by their owner only
    (common/owner_only.py), and its connection closed on every path: the stock one leaves it open when
    the step fails, and the warehouse file stays held by the failed step's process."""

    @contextlib.contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with owner_only():
            protect(Path(self.database))
            with super().get_connection() as conn:
                try:
                    settings = Settings.from_env()
                    conn.execute("set memory_limit = ?", [settings.duckdb_memory_limit])
                    conn.execute("set temp_directory = ?", [str(settings.duckdb_temp_dir)])
                    yield conn
                finally:
                    conn.close()


def _dbt_executable() -> str:
    # The dbt beside this interpreter (the project's .venv), whether or not the venv is activated.
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def build_resources() -> dict:
    # The warehouse path is read from the environment when a run starts, not when the code loads.
    Settings.from_env().export_defaults()
    return {
        "warehouse": WarehouseResource(database=dg.EnvVar("CAKUPAN_WAREHOUSE")),
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=_dbt_executable()),
    }
