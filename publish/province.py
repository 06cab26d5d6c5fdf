"""The province line: the one sentence everyone reads first."""

import duckdb

_PROVINCE = (
    "select province_name, as_of, covered_workers, eligible_workers, coverage_rate, target_rate, workers_to_target, "
    "target_basis = 'configured' from marts.coverage_province"
)


def province_line_markdown(conn: duckdb.DuckDBPyConnection) -> str:
    """`**Provinsi Maluku, 2024-12-31**: 23,693 covered of 59,798 eligible = 39.62% (target 55.00%; 9,196 workers
    to target)`: the province as the marts name it."""
    province = conn.execute(_PROVINCE).fetchone()
    if province is None:
        return "No coverage yet."
    name, as_of, covered, eligible, rate, target, gap, configured = province
    fmt = lambda v, pattern: "n/a" if v is None else pattern.format(v)  # noqa: E731
    return (
        f"**{name}, {as_of}**: {fmt(covered, '{:,}')} covered of {fmt(eligible, '{:,}')} eligible "
        f"= {fmt(rate, '{:.2%}')} (target {fmt(target, '{:.2%}')}{', configured' if configured else ''}; "
        f"{fmt(gap, '{:,}')} workers to target)"
    )
