"""Print the province line and where the analyst database is (the last thing `make run` says)."""

import duckdb

from orchestration.settings import CakupanSettings
from publish.province import province_line_markdown


def main() -> None:
    path = CakupanSettings.from_env().analytics_db_path
    if not path.exists():
        raise SystemExit(f"no analyst database at {path}: the refresh did not publish (see the run's log)")
    with duckdb.connect(str(path), read_only=True) as conn:
        print(province_line_markdown(conn).replace("**", ""))
    print(f"Analyst database: {path}  (open read-only: duckdb -readonly {path})")


if __name__ == "__main__":
    main()
