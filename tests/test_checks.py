"""The ingest checks: refusal ratio per new file, and enrolment freshness."""

import datetime as dt

import dagster as dg
import pytest

from common.clock import now_local
from ingest.outcome import FileOutcome
from orchestration.checks import freshness_result, refusal_ratio_result

KEY = dg.AssetKey(["raw", "kepesertaan"])


def outcome(name: str, read: int, refused: int) -> FileOutcome:
    return FileOutcome(
        name,
        "kepesertaan",
        dt.date(2024, 6, 30),
        "x",
        "LOADED",
        "",
        rows_read=read,
        rows_loaded=read - refused,
        rows_refused=refused,
    )


def test_refusal_ratio_thresholds():
    assert refusal_ratio_result(KEY, [outcome("a.csv", 1000, 10)]).passed  # exactly 1%
    warn = refusal_ratio_result(KEY, [outcome("a.csv", 1000, 11), outcome("b.csv", 1000, 0)])
    assert (warn.passed, warn.severity) == (False, dg.AssetCheckSeverity.WARN) and "a.csv" in warn.description
    error = refusal_ratio_result(KEY, [outcome("a.csv", 1000, 101)])
    assert (error.passed, error.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert refusal_ratio_result(KEY, [outcome("a.csv", 1000, 100)]).severity == dg.AssetCheckSeverity.WARN


def test_a_small_file_with_many_refusals_warns_but_does_not_stop_the_build():
    small = refusal_ratio_result(KEY, [outcome("kecil.csv", 5, 1)])
    assert (small.passed, small.severity) == (False, dg.AssetCheckSeverity.WARN)


def test_no_new_files_pass():
    assert refusal_ratio_result(KEY, []).passed


def test_freshness():
    today = now_local().date()
    assert freshness_result(KEY, today).passed
    assert freshness_result(KEY, today - dt.timedelta(days=1)).passed  # ended at most 24 hours ago
    stale = freshness_result(KEY, today - dt.timedelta(days=3))
    assert (stale.passed, stale.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert not freshness_result(KEY, None).passed


@pytest.mark.refresh
def test_a_file_with_too_many_refusals_stops_the_build_and_publishing(workspace):
    from tests.populations import HEADER, WORKFORCE

    good = [
        f"{i:011d},8171011505850001,Nama,Kota Ambon,BPU,Petani,MANDIRI,01/01/2024,AKTIF,2024-05-15 10:00:00"
        for i in range(1, 101)
    ]
    bad = [
        f"{i:011d},1234,Nama,Kota Ambon,BPU,Petani,MANDIRI,01/01/2024,AKTIF,2024-05-15 10:00:00"
        for i in range(101, 121)
    ]  # 20 of 120 rows: 17% refused
    workspace.land("kepesertaan_20240531.csv", "\n".join([HEADER, *good, *bad]) + "\n")
    workspace.land("angkatan_kerja_2024.csv", WORKFORCE)
    result = workspace.refresh(raise_on_error=False)
    assert not result.success
    evaluations = {
        (e.event_specific_data.asset_key.to_user_string(), e.event_specific_data.check_name): e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert not evaluations[("raw/kepesertaan", "refusal_ratio")].passed
    assert evaluations[("raw/angkatan_kerja", "refusal_ratio")].passed
    assert not workspace.analytics_db.exists()
    assert "cakupan_dbt_models" not in {e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
