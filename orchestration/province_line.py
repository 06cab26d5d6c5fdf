"""Print the province line and where the analyst database is (the last thing `make run` says)."""

import sys
from pathlib import Path

import duckdb

from orchestration.settings import CakupanSettings
from publish.province import province_line_markdown


def main() -> None:
    path = CakupanSettings.from_env().analytics_db_path
    if not path.exists():
        raise SystemExit(f"no analyst database at {path}: the refresh did not publish (see the run's log)")
    with duckdb.connect(str(path), read_only=True) as conn:
        print(province_line_markdown(conn).replace("**", ""))
    duckdb_cli = Path(sys.executable).parent / "duckdb"  # DuckDB's command line, installed with the project
    print(f"Analyst database: {path}  (open read-only: {duckdb_cli} -readonly {path}, or make sql)")


if __name__ == "__main__":
    main()
