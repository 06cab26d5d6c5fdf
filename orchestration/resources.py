"""Resources, declared once: the settings and the warehouse (DuckDB); and the dbt project the dbt assets come from."""

import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtProject
from dagster_duckdb import DuckDBResource

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


def build_resources(settings: CakupanSettings) -> dict[str, dg.ConfigurableResource]:
    """The resources every asset, check and sensor uses, all from one settings resource. dbt runs inside the
    refresh's process (orchestration/dbt_build.py), from the dbt project above: it needs no resource of its own."""
    return {
        "settings": settings,
        "warehouse": WarehouseResource(settings=settings),
    }
