"""The settings of runtime.md, declared once: a configurable resource whose fields are the environment
variables (read by `EnvVar` when the run starts), with defaults that work from the repository root.

Every path the pipeline touches, DuckDB's limits and the pseudonym key come from here: the warehouse
resource, the writers' lock, dbt's profile (passed as `--vars`) and the sensor. The defaults are stated here
only: the Makefile asks for them (`python -m orchestration.settings`, below) and dbt's profile restates none.
Nothing writes the environment back."""

import json
import os
import sys
from pathlib import Path

import dagster as dg

from common.lake import EXTENSION_DIR, Lake, lake_from
from common.province import DEFAULT_PROVINCE, province, serve

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Field → variable (runtime.md's names).
VARIABLES = {
    "landing_dir": "CAKUPAN_LANDING_DIR",
    "warehouse": "CAKUPAN_WAREHOUSE",
    "analytics_db": "CAKUPAN_ANALYTICS_DB",
    "export_dir": "CAKUPAN_EXPORT_DIR",
    "duckdb_memory_limit": "CAKUPAN_DUCKDB_MEMORY_LIMIT",
    "duckdb_threads": "CAKUPAN_DUCKDB_THREADS",
    "duckdb_temp_dir": "CAKUPAN_DUCKDB_TEMP_DIR",
    "pii_key": "CAKUPAN_PII_KEY",
    "province": "CAKUPAN_PROVINCE",
    "provinces": "CAKUPAN_PROVINCES",
    "lake_catalog": "CAKUPAN_LAKE_CATALOG",
    "lake_data": "CAKUPAN_LAKE_DATA",
}


def _as_defined(value: str) -> str:
    """A setting's value as the definitions are made, before a run resolves its `EnvVar`."""
    return (value.get_value() if isinstance(value, dg.EnvVar) else value) or ""


def _path(value: str, default: str) -> Path:
    # A value given is read from the working directory, as a shell user means it; a default is the repository's.
    return Path(value).resolve() if value else PROJECT_ROOT / default


class CakupanSettings(dg.ConfigurableResource):
    """Where the files are, how much memory DuckDB may take, and the pseudonym key. Empty means the default."""

    landing_dir: str = ""
    warehouse: str = ""
    analytics_db: str = ""
    export_dir: str = ""
    duckdb_memory_limit: str = ""
    duckdb_threads: str = ""
    duckdb_temp_dir: str = ""
    pii_key: str = ""
    province: str = ""
    # The provinces of the province-partitioned job, comma-separated codes; unset, CAKUPAN_PROVINCE alone.
    provinces: str = ""
    lake_catalog: str = ""
    lake_data: str = ""
    # A run of the province-partitioned job (orchestration/partitions.py): its province, whose files are in their
    # own folder under each of the landing, analyst-database and export settings. Empty: CAKUPAN_PROVINCE's run.
    partition: str = ""

    @classmethod
    def bound_to_environment(cls) -> "CakupanSettings":
        """For Definitions: each setting bound to its variable when it is set, read when a run starts."""
        return cls(**{field: dg.EnvVar(variable) for field, variable in VARIABLES.items() if os.environ.get(variable)})

    @classmethod
    def from_env(cls) -> "CakupanSettings":
        """For command-line tools outside a Dagster run (make rekey, the province line): the values now. The
        process serves their province from here on, as a run does."""
        settings = cls(**{field: os.environ.get(variable, "") for field, variable in VARIABLES.items()})
        serve(settings.province_code)
        return settings

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """A run serves the settings' province: the ingest's regency names and the clock ask for it
        (common/province.py). An unknown code fails the run here, before anything is read."""
        serve(self.province_code)

    def configured_provinces_setting(self) -> str:
        """CAKUPAN_PROVINCES as the definitions are made (empty when unset)."""
        return _as_defined(self.provinces)

    def configured_provinces(self) -> list[str]:
        """The partitions of the province-partitioned job, as the definitions are made: each a code of the national
        list, checked (an unknown one fails the code location's load, naming it)."""
        value = self.configured_provinces_setting()
        codes = [code.strip() for code in value.split(",") if code.strip()] or [self.configured_province()]
        return sorted({province(code).code for code in codes})

    def configured_province(self) -> str:
        """The province's code as the definitions are made, before a run resolves the settings: the schedule's
        time zone is the province's."""
        return _as_defined(self.province) or DEFAULT_PROVINCE

    @property
    def province_code(self) -> str:
        """The Kemendagri code of the province this warehouse serves; checked against the national list."""
        return province(self.partition or self.province or DEFAULT_PROVINCE).code

    def for_province(self, code: str) -> "CakupanSettings":
        """The settings of one partition of the province-partitioned job: that province, its own folders."""
        return self.model_copy(update={"partition": code})

    def _own(self, path: Path) -> Path:
        """A partition's file: `<folder>/<province>/<name>`."""
        return path.parent / self.province_code / path.name if self.partition else path

    def _own_folder(self, path: Path) -> Path:
        """A partition's folder: `<folder>/<province>`."""
        return path / self.province_code if self.partition else path

    @property
    def landing_path(self) -> Path:
        return self._own_folder(_path(self.landing_dir, "data/landing"))

    @property
    def warehouse_path(self) -> Path:
        """The DuckDB file (a partition's: `<folder>/<province>/warehouse.duckdb`); with a lake, where this province's
        local state goes instead (the writers' lock, the ingest's scratch folder, DuckDB's spill folder, dbt's
        target folder): `<folder>/lake-state/<province>/warehouse` beside CAKUPAN_WAREHOUSE, no database file."""
        path = _path(self.warehouse, "data/warehouse.duckdb")
        return path.parent / "lake-state" / self.province_code / "warehouse" if self.lake else self._own(path)

    @property
    def analytics_db_path(self) -> Path:
        return self._own(_path(self.analytics_db, "data/analytics.duckdb"))

    @property
    def export_path(self) -> Path:
        return self._own_folder(_path(self.export_dir, "data/exports"))

    @property
    def lake(self) -> Lake | None:
        """The DuckLake the settings name (common/lake.py); None: the warehouse is the DuckDB file."""
        return lake_from(self.lake_catalog, self.lake_data)

    @property
    def memory_limit(self) -> str:
        """DuckDB's memory limit for the warehouse's connections and dbt's (the ingest streams in batches
        and holds itself to 500 MB). 4 GB unless set: at 1 GB a refresh's process tree stayed near 2.4 GB
        but the joins and aggregations of a national-size delta, or of four times Maluku's history, ran out
        of memory instead of spilling (docs/performance.md)."""
        return self.duckdb_memory_limit or "4GB"

    @property
    def threads(self) -> int:
        """DuckDB's worker threads for every connection the pipeline opens (dbt's included): the machine's cores
        unless set. With the memory limit, what bounds a refresh's memory by configuration."""
        return int(self.duckdb_threads) if self.duckdb_threads else os.cpu_count() or 1

    def duckdb_config(self) -> dict[str, str | bool | int | float | list[str]]:
        """DuckDB's limits, given when a connection opens."""
        return {"memory_limit": self.memory_limit, "threads": self.threads, "temp_directory": str(self.temp_path)}

    @property
    def temp_path(self) -> Path:
        """Where DuckDB spills what does not fit in its memory limit; by default DuckDB's own place, beside
        the warehouse. Spilled rows are person-level data, like the warehouse's."""
        warehouse = self.warehouse_path
        return (
            Path(self.duckdb_temp_dir).resolve()
            if self.duckdb_temp_dir
            else warehouse.with_name(warehouse.name + ".tmp")
        )

    @property
    def dbt_target_path(self) -> Path:
        """dbt's artifacts of this warehouse's builds (its parse, compiled SQL, run results), beside the warehouse:
        dbt keeps its last parse there and re-parses only what changed, and builds of two warehouses never share
        one folder."""
        warehouse = self.warehouse_path
        return warehouse.with_name(warehouse.name + ".dbt")

    @property
    def pii_key_file(self) -> Path:
        # Beside the warehouse (data/.pii_key by default): pseudonyms must stay stable for that warehouse. The
        # partitions' own warehouse files share it (a NIK is national); a lake takes CAKUPAN_PII_KEY only.
        return _path(self.warehouse, "data/warehouse.duckdb").parent / ".pii_key"

    @property
    def pii_key_value(self) -> str | None:
        """CAKUPAN_PII_KEY; unset, the key file is used (ingest/pseudonym_key.py)."""
        return self.pii_key or None

    def dbt_target(self) -> str:
        """The profile's target (dbt_project/profiles.yml): the DuckDB file, or the lake."""
        return "lake" if self.lake else "warehouse"

    def dbt_vars(self) -> dict[str, str]:
        """What dbt's profile reads (dbt_project/profiles.yml): the same warehouse and limits as ours."""
        lake = self.lake
        if lake is not None:
            return {
                **self._dbt_vars(),
                "lake_catalog": lake.catalog,
                "lake_data_path": lake.data_path(self.province_code),
                "lake_schema": lake.metadata_schema(self.province_code),
                "extension_directory": str(EXTENSION_DIR),
            }
        return self._dbt_vars()

    def _dbt_vars(self) -> dict[str, str]:
        return {
            "warehouse": str(self.warehouse_path),
            "province_code": self.province_code,
            "province_name": province(self.province_code).display_name,
            "province_owner_name": province(self.province_code).government,
            **{name: str(value) for name, value in self.duckdb_config().items()},
        }


# What `python -m orchestration.settings <name>` prints: a path as the pipeline resolves it.
_PATHS = {
    "landing_dir": "landing_path",
    "warehouse": "warehouse_path",
    "analytics_db": "analytics_db_path",
    "export_dir": "export_path",
}


def main(argv: list[str]) -> None:
    """For the Makefile and dbt run by hand, the settings as the pipeline resolves them from the environment:
    no argument, dbt's `--vars` (JSON); a setting's name (landing_dir, warehouse, analytics_db, export_dir), its
    absolute path."""
    settings = CakupanSettings.from_env()
    if not argv:
        print(json.dumps(settings.dbt_vars()))
    elif len(argv) == 1 and argv[0] in _PATHS:
        print(getattr(settings, _PATHS[argv[0]]))
    else:
        raise SystemExit(f"usage: python -m orchestration.settings [{' | '.join(_PATHS)}]")


if __name__ == "__main__":
    main(sys.argv[1:])
