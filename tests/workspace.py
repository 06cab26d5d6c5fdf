"""A throwaway set of pipeline folders (landing, warehouse, analyst database, exports) and ways to drive it."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]


def run_dbt(warehouse: Path, target: Path, *args: str) -> subprocess.CompletedProcess:
    """dbt of this environment on `warehouse` (a file named warehouse.duckdb: dbt's catalog is named after
    it), writing its artifacts to `target`, not the project's own target folder."""
    env = {**os.environ, "CAKUPAN_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(target)}
    return subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--quiet", "--profiles-dir", "."],
        cwd=ROOT / "dbt_project",
        env=env,
        timeout=300,
        capture_output=True,
        text=True,
    )


@dataclass
class Workspace:
    root: Path
    province: str = "81"
    lake_catalog: str = ""  # a lake's PostgreSQL catalog (tests/postgres.py); empty, the warehouse is a DuckDB file
    provinces: str = ""  # the partitions of province_refresh (CAKUPAN_PROVINCES)
    shared_lake_data: Path | None = None  # another workspace's lake folder, to share its lake

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def analytics_db(self) -> Path:
        return self.root / "analytics.duckdb"

    @property
    def lake_data(self) -> Path:
        return self.shared_lake_data or self.root / "lake"

    @property
    def export_dir(self) -> Path:
        return self.root / "exports"

    def environment(self) -> dict[str, str]:
        """The settings (runtime.md) that point the pipeline at this workspace."""
        return {
            "CAKUPAN_LANDING_DIR": str(self.landing),
            "CAKUPAN_WAREHOUSE": str(self.warehouse),
            "CAKUPAN_ANALYTICS_DB": str(self.analytics_db),
            "CAKUPAN_EXPORT_DIR": str(self.export_dir),
            "CAKUPAN_PROVINCE": self.province,
            "CAKUPAN_PROVINCES": self.provinces,
            "CAKUPAN_LAKE_CATALOG": self.lake_catalog,
            "CAKUPAN_LAKE_DATA": str(self.lake_data) if self.lake_catalog else "",
        }

    def settings(self):
        """The settings resource for this workspace (the rest, the pseudonym key among them, as the
        environment has them)."""
        from orchestration.settings import CakupanSettings

        return CakupanSettings.from_env().model_copy(
            update={
                "landing_dir": str(self.landing),
                "warehouse": str(self.warehouse),
                "analytics_db": str(self.analytics_db),
                "export_dir": str(self.export_dir),
                "province": self.province,
                "provinces": self.provinces,
                "lake_catalog": self.lake_catalog,
                "lake_data": str(self.lake_data) if self.lake_catalog else "",
            }
        )

    def activate(self) -> None:
        self.landing.mkdir(parents=True, exist_ok=True)
        os.environ.update(self.environment())

    def land(self, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = self.landing / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def refresh(self, raise_on_error: bool = True, run_config: dict | None = None, report: bool = False):
        """Run `daily_refresh` in this process, as the schedule would, with this workspace's resources.

        Without `report`, every asset but the coverage report: its page and the PDF Chromium prints cost about
        2 s a refresh, and only the tests of the report and of personal data in what is published read them
        (they ask for it; the refreshes run as the schedule runs them, tests/test_faults_kill.py, make it too).
        The report is publishing's last step and records the build as published: after a refresh without it,
        the next one publishes again, so a test of what a later refresh does asks for it too."""
        import dagster as dg

        from orchestration.definitions import definitions

        self.landing.mkdir(parents=True, exist_ok=True)
        job = definitions(self.settings()).resolve_job_def("daily_refresh")
        report_key = dg.AssetKey("coverage_report")
        selection = None if report else [k for k in job.asset_layer.executable_asset_keys if k != report_key]
        return job.execute_in_process(
            instance=dg.DagsterInstance.get(),
            raise_on_error=raise_on_error,
            run_config=run_config,
            asset_selection=selection,
        )

    def query(self, sql: str, database: str = "analytics") -> list[dict]:
        """Rows as dicts, read-only, from the analyst database (or the warehouse: the DuckDB file, or the province's
        lake at its latest snapshot)."""
        if database != "analytics" and self.lake_catalog:
            from common.lake import Lake, attach, extension_config

            conn = duckdb.connect(config=extension_config())
            attach(conn, Lake(self.lake_catalog, str(self.lake_data)), self.province, read_only=True)
        else:
            path = self.analytics_db if database == "analytics" else self.warehouse
            conn = duckdb.connect(str(path), read_only=True)
        with conn:
            cursor = conn.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
