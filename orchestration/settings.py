"""Settings from the environment (runtime.md), with defaults that work from the repository root."""

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(variable: str, default: str) -> Path:
    value = os.environ.get(variable)
    return Path(value).resolve() if value else PROJECT_ROOT / default


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse: Path
    analytics_db: Path
    export_dir: Path

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            landing_dir=_path("CAKUPAN_LANDING_DIR", "data/landing"),
            warehouse=_path("CAKUPAN_WAREHOUSE", "data/warehouse.duckdb"),
            analytics_db=_path("CAKUPAN_ANALYTICS_DB", "data/analytics.duckdb"),
            export_dir=_path("CAKUPAN_EXPORT_DIR", "data/exports"),
        )

    def export_defaults(self) -> None:
        """Put the resolved defaults into the environment, where resources and dbt read them at run time."""
        for variable, path in (
            ("CAKUPAN_LANDING_DIR", self.landing_dir),
            ("CAKUPAN_WAREHOUSE", self.warehouse),
            ("CAKUPAN_ANALYTICS_DB", self.analytics_db),
            ("CAKUPAN_EXPORT_DIR", self.export_dir),
        ):
            os.environ.setdefault(variable, str(path))

    @property
    def duckdb_memory_limit(self) -> str:
        """DuckDB's memory limit for the warehouse's connections and dbt's: CAKUPAN_DUCKDB_MEMORY_LIMIT, 4GB.
        (The ingest streams in batches and holds itself to 500 MB.)"""
        return os.environ.get("CAKUPAN_DUCKDB_MEMORY_LIMIT") or "4GB"

    @property
    def duckdb_temp_dir(self) -> Path:
        """Where DuckDB spills what does not fit in its memory limit: CAKUPAN_DUCKDB_TEMP_DIR, else DuckDB's
        own default beside the warehouse. Spilled rows are person-level data, like the warehouse's."""
        value = os.environ.get("CAKUPAN_DUCKDB_TEMP_DIR")
        return Path(value).resolve() if value else self.warehouse.with_name(self.warehouse.name + ".tmp")

    @property
    def pii_key_file(self) -> Path:
        # Beside the warehouse (data/.pii_key by default): pseudonyms must stay stable for that warehouse.
        return self.warehouse.parent / ".pii_key"

    @property
    def pii_key(self) -> str | None:
        """CAKUPAN_PII_KEY; unset, the key file is used (ingest/pseudonym_key.py)."""
        return os.environ.get("CAKUPAN_PII_KEY") or None
