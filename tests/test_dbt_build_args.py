"""What a refresh asks dbt to build, from its plan: everything when the build is full; otherwise what the sources
of the new deliveries feed, and the marts; the marts alone when no delivery changed rows."""

import json

from orchestration.dbt_build import build_args

VARS = json.dumps({"warehouse": "/data/warehouse.duckdb"})


def selection(args: list[str]) -> list[str]:
    start = args.index("--select") + 1
    end = next((i for i in range(start, len(args)) if args[i].startswith("--")), len(args))
    return args[start:end]


def test_a_full_build_builds_everything_again():
    args = build_args("full", ("kepesertaan",), VARS)
    assert args[0] == "build" and "--full-refresh" in args and "--select" not in args
    assert args[args.index("--threads") + 1] == "1"  # large models one at a time, each with the whole memory limit
    assert args[args.index("--vars") + 1] == VARS
    assert args[args.index("--exclude-resource-type") + 1] == "unit_test"  # the suite runs those
    # History written whole is unique by construction; the check of the keys written guards appends.
    assert "test_name:unique_keys_written" in args[args.index("--exclude") :]
    incremental = build_args("incremental", ("kepesertaan",), VARS)
    assert "test_name:unique_keys_written" not in incremental


def test_new_enrolment_rebuilds_history_and_the_points_and_every_mart():
    args = build_args("incremental", ("kepesertaan",), VARS)
    assert selection(args) == [
        "source:cakupan.raw.kepesertaan+",
        "source:cakupan.raw.kepesertaan_withdrawn+",  # a revision withdraws rows
        "int_as_of+",  # a newer file moves as_of
        "path:models/marts",
    ]
    assert "--full-refresh" not in args and "--threads" not in args  # small models side by side (the profile's)
    # Seeds, views and the seeds' tests change only with the project (then the build is a full one).
    assert {"seed", "unit_test"} <= {args[i + 1] for i, a in enumerate(args) if a == "--exclude-resource-type"}
    excluded = args[args.index("--exclude") + 1 :]
    assert "config.materialized:view" in excluded and "tag:reference_data" in excluded


def test_a_budget_report_alone_rebuilds_the_budget_lines_not_history():
    assert selection(build_args("incremental", ("anggaran",), VARS)) == [
        "source:cakupan.raw.anggaran+",
        "path:models/marts",
    ]
    both = selection(build_args("incremental", ("angkatan_kerja", "anggaran"), VARS))
    assert both == ["source:cakupan.raw.anggaran+", "source:cakupan.raw.angkatan_kerja+", "path:models/marts"]


def test_deliveries_that_changed_no_rows_build_the_marts_alone():
    """Refused, ignored or duplicate files: nothing of history changes, and the analyst database is published
    again with their audit (publishing follows a build of the marts)."""
    assert selection(build_args("incremental", (), VARS)) == ["path:models/marts"]


def test_the_tests_of_what_a_lake_does_not_enforce_run_on_a_lake_only():
    for mode in ("full", "incremental"):
        on_file, on_lake = build_args(mode, ("kepesertaan",), VARS), build_args(mode, ("kepesertaan",), VARS, "lake")
        assert on_file[on_file.index("--target") + 1] == "warehouse"
        assert on_lake[on_lake.index("--target") + 1] == "lake"
        assert "tag:lake_constraints" in on_file[on_file.index("--exclude") :]
        assert "tag:lake_constraints" not in on_lake
