"""Print the province line and where the analyst database is (the last thing `make run` says)."""

import duckdb

from orchestration.assets.publish import province_line_markdown
from orchestration.settings import Settings


def main() -> None:
    path = Settings.from_env().analytics_db
    if not path.exists():
        raise SystemExit(f"no analyst database at {path}: the refresh did not publish (see the run's log)")
    with duckdb.connect(str(path), read_only=True) as conn:
        province = conn.execute(
            "select as_of, covered_workers, eligible_workers, coverage_rate, target_rate, workers_to_target "
            "from marts.coverage_province"
        ).fetchone()
    print(province_line_markdown(province).replace("**", ""))
    print(f"Analyst database: {path}  (open read-only: duckdb -readonly {path})")


if __name__ == "__main__":
    main()
