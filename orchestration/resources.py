"""Resources, declared once: the settings and the warehouse (DuckDB); and the dbt project the dbt assets come from."""

import contextlib
import fcntl
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtProject, DbtProjectPreparer
from dagster_duckdb import DuckDBResource

from common.lake import attach, extension_config
from common.owner_only import owner_only, protect
from ingest.scratch import LOCAL_STATE_VARIABLE, scratch_path
from orchestration.settings import PROJECT_ROOT, CakupanSettings
from orchestration.warehouse_lock import warehouse_lock

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


class InProcessDbtPreparer(DbtProjectPreparer):
    """Under `dagster dev` (and `dg dev`), parse the dbt project when the code location loads, with dbt-core's
    programmatic runner in this process, as a build runs it (orchestration/dbt_build.py). dagster-dbt's own
    preparer (DagsterDbtProjectPreparer, 0.29) runs a `dbt` looked up on PATH, so the code location failed to load
    unless the venv was activated; it offers no argument for the executable. Processes that load the code location
    together take turns (a lock beside the manifest)."""

    def prepare_if_dev(self, project: DbtProject) -> None:
        if self.using_dagster_dev():
            self.prepare(project)

    def prepare(self, project: DbtProject) -> None:
        from dbt.cli.main import dbtRunner

        target = project.project_dir / project.target_path
        target.mkdir(parents=True, exist_ok=True)
        flags = ["--quiet", "--project-dir", str(project.project_dir), "--profiles-dir", str(project.profiles_dir)]
        with open(target / ".prepare.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            # dbt_utils is vendored (dbt_project/vendor): `deps` links it into dbt_packages/ without any network.
            # The profile takes the warehouse from the settings, as a build does (dbt_project/profiles.yml).
            dbt_vars = json.dumps(CakupanSettings.from_env().dbt_vars())
            for command in (["deps"], ["parse", "--vars", dbt_vars, "--target-path", str(target)]):
                done = dbtRunner().invoke([*command, *flags])
                if not done.success:
                    raise RuntimeError(f"`dbt {command[0]}` of {project.project_dir} failed: {done.exception}")


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev`, parse the dbt project when the code location loads; elsewhere the manifest
# must already exist (`make manifest`, run by `make run` and CI).
InProcessDbtPreparer().prepare_if_dev(dbt_project)


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
        """The warehouse as the connection's default database: the DuckDB file, or the province's lake attached
        to an in-memory DuckDB under the file's name (`warehouse`), so every statement reads the same."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lake = self.settings.lake
        with owner_only():
            protect(*self.person_level_files())
            connection: contextlib.AbstractContextManager[duckdb.DuckDBPyConnection] = (
                DuckDBResource(database=str(self.path)).get_connection()
                if lake is None
                else contextlib.closing(duckdb.connect(config=extension_config()))
            )
            with connection as conn:
                try:
                    for name, value in self.settings.duckdb_config().items():
                        conn.execute(f"set {name} = ?", [value])
                    if lake is not None:
                        attach(conn, lake, self.settings.province_code)
                        conn.execute(f"set variable {LOCAL_STATE_VARIABLE} = ?", [str(self.path)])
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
