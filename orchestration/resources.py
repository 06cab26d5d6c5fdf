"""Resources, declared once: the settings, the warehouse (DuckDB) and the dbt project."""

import contextlib
import functools
import importlib.metadata
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource
from packaging import version

from common.owner_only import owner_only, protect
from ingest.scratch import scratch_path
from orchestration.settings import PROJECT_ROOT, CakupanSettings
from orchestration.warehouse_lock import warehouse_lock

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev`, parse the dbt project when the code location loads; elsewhere the manifest
# must already exist (`make manifest`, run by `make run` and CI).
dbt_project.prepare_if_dev()


@functools.cache
def dbt_manifest() -> dict[str, Any]:
    """dbt's manifest of the project: what the assets, the published marts and the personal-data tags come from."""
    return json.loads(dbt_project.manifest_path.read_text())


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


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse, at the settings' path: dagster-duckdb's DuckDBResource with DuckDB's memory limit and
    spill folder from the settings, the warehouse's files readable by their owner only (common/owner_only.py),
    the connection closed on every path (the stock one leaves it open when the step fails, and the file stays
    held by the failed step's process), and the writers' lock beside the same file."""

    settings: CakupanSettings

    @property
    def path(self) -> Path:
        return self.settings.warehouse_path

    def person_level_files(self) -> tuple[list[Path], list[Path]]:
        """The files and folders that hold person-level data: the warehouse, its WAL, DuckDB's default spill
        folder, the ingest's scratch folder."""
        path = self.path
        return [path, path.with_name(path.name + ".wal")], [path.with_name(path.name + ".tmp"), scratch_path(path)]

    def lock(self, report: Callable[[str], None]) -> contextlib.AbstractContextManager[None]:
        """One writer at a time (orchestration/warehouse_lock.py)."""
        return warehouse_lock(self.path, report)

    @contextlib.contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with owner_only():
            protect(*self.person_level_files())
            with DuckDBResource(database=str(self.path)).get_connection() as conn:
                try:
                    for name, value in self.settings.duckdb_config().items():
                        conn.execute(f"set {name} = ?", [value])
                    yield conn
                finally:
                    conn.close()


def _dbt_executable() -> str:
    # The dbt beside this interpreter (the project's .venv), whether or not the venv is activated.
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def build_resources(settings: CakupanSettings) -> dict[str, dg.ConfigurableResource]:
    """The resources every asset, check and sensor uses, all from one settings resource."""
    return {
        "settings": settings,
        "warehouse": WarehouseResource(settings=settings),
        "dbt": DbtCli(
            project_dir=str(dbt_project.project_dir),
            profiles_dir=str(dbt_project.profiles_dir),
            dbt_executable=_dbt_executable(),
        ),
    }
