"""The schedule fires at 06:00 in Maluku (WIT, UTC+9), and the landing sensor starts one run per new set of
files, none for the same files again, none for a file still being written."""

import datetime as dt
import os
import time

import dagster as dg

from orchestration.sensors import evaluate_landing


def test_the_schedule_runs_daily_at_six_wit_and_is_on_by_default():
    from dagster._utils.schedules import schedule_execution_time_iterator

    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def("daily_refresh_schedule")
    assert schedule.job_name == "daily_refresh"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    start = dt.datetime(2024, 6, 30, 12, 0, tzinfo=dt.UTC)
    ticks = schedule_execution_time_iterator(start.timestamp(), schedule.cron_schedule, schedule.execution_timezone)
    first, second = next(ticks), next(ticks)
    assert first.astimezone(dt.UTC) == dt.datetime(2024, 6, 30, 21, 0, tzinfo=dt.UTC)  # 06:00 WIT
    assert (first.hour, first.minute, first.utcoffset()) == (6, 0, dt.timedelta(hours=9))
    assert second - first == dt.timedelta(days=1)


def _tick(sensor, landing, cursor):
    from orchestration.settings import CakupanSettings

    settings = CakupanSettings(landing_dir=str(landing))
    with dg.build_sensor_context(cursor=cursor, resources={"settings": settings}) as context:
        result = sensor(context)
        return result, context.cursor


def test_the_landing_sensor(workspace):
    from orchestration.definitions import defs

    sensor = defs.resolve_sensor_def("landing_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    landing = workspace.landing

    first, cursor = _tick(sensor, landing, None)
    assert isinstance(first, dg.SkipReason)  # nothing landed

    (landing / "kepesertaan_20240531.csv").write_text("NO_KPJ,NIK\n")
    result, cursor = _tick(sensor, landing, cursor)
    assert isinstance(result, dg.SkipReason)  # seen once: it may still be growing

    result, cursor = _tick(sensor, landing, cursor)
    assert isinstance(result, dg.RunRequest)
    first_key = result.run_key

    result, cursor = _tick(sensor, landing, cursor)
    assert isinstance(result, dg.SkipReason)  # the same files never start a second run

    growing = landing / "kepesertaan_20240630.csv"
    growing.write_text("NO_KPJ,NIK\n")
    _, cursor = _tick(sensor, landing, cursor)
    with open(growing, "a") as f:
        f.write("00000000001,x\n")  # still being written between ticks
    os.utime(growing, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    result, cursor = _tick(sensor, landing, cursor)
    assert isinstance(result, dg.SkipReason)
    result, cursor = _tick(sensor, landing, cursor)
    assert isinstance(result, dg.RunRequest) and result.run_key != first_key


def test_a_file_replaced_under_the_same_name_is_new_again():
    observed = {"kepesertaan_20240531.csv": [10, 1]}
    _, cursor = evaluate_landing(observed, None)
    ready, cursor = evaluate_landing(observed, cursor)
    assert ready == ["kepesertaan_20240531.csv"]
    assert evaluate_landing(observed, cursor)[0] == []
    changed = {"kepesertaan_20240531.csv": [12, 2]}
    _, cursor = evaluate_landing(changed, cursor)
    assert evaluate_landing(changed, cursor)[0] == ["kepesertaan_20240531.csv"]


def _provinces(settings):
    from orchestration.definitions import definitions

    return definitions(settings)


def test_the_province_schedule_requests_at_six_local_the_provinces_whose_files_land(workspace):
    from orchestration.settings import CakupanSettings

    settings = CakupanSettings(landing_dir=str(workspace.landing), provinces="81,82")  # both WIT
    schedule = _provinces(settings).resolve_schedule_def("province_refresh_schedule")
    (workspace.landing / "82").mkdir(parents=True)
    (workspace.landing / "82" / "kepesertaan_20240531.csv").write_text("NO_KPJ,NIK\n")
    at_six_wit = dt.datetime(2024, 6, 30, 21, 0, tzinfo=dt.UTC)
    with dg.build_schedule_context(scheduled_execution_time=at_six_wit, resources={"settings": settings}) as context:
        requests = schedule(context)
    assert [r.partition_key for r in requests] == ["82"]  # Maluku Utara's folder has files; Maluku's has none here


def test_each_province_is_refreshed_at_six_in_its_own_time_zone():
    from orchestration.partitions import provinces_at_six

    provinces = ["81", "35", "65"]  # WIT (UTC+9), WIB (UTC+7), WITA (UTC+8)
    assert provinces_at_six(provinces, dt.datetime(2024, 6, 30, 21, 0, tzinfo=dt.UTC)) == ["81"]
    assert provinces_at_six(provinces, dt.datetime(2024, 6, 30, 22, 0, tzinfo=dt.UTC)) == ["65"]
    assert provinces_at_six(provinces, dt.datetime(2024, 6, 30, 23, 0, tzinfo=dt.UTC)) == ["35"]
    assert provinces_at_six(provinces, dt.datetime(2024, 6, 30, 12, 0, tzinfo=dt.UTC)) == []


def test_the_province_sensor_requests_the_partitions_with_new_files(workspace):
    from orchestration.settings import CakupanSettings

    settings = CakupanSettings(landing_dir=str(workspace.landing), provinces="81,35")
    sensor = _provinces(settings).resolve_sensor_def("province_landing_sensor")
    assert sensor.job_name == "province_refresh" and sensor.default_status == dg.DefaultSensorStatus.RUNNING
    # Without CAKUPAN_PROVINCES (the Maluku default), daily_refresh alone runs by default.
    default = _provinces(CakupanSettings(landing_dir=str(workspace.landing)))
    assert default.resolve_sensor_def("province_landing_sensor").default_status == dg.DefaultSensorStatus.STOPPED
    assert default.resolve_schedule_def("province_refresh_schedule").default_status == dg.DefaultScheduleStatus.STOPPED

    def tick(cursor):
        with dg.build_sensor_context(cursor=cursor, resources={"settings": settings}) as context:
            return sensor(context), context.cursor

    (workspace.landing / "35").mkdir(parents=True)
    (workspace.landing / "35" / "kepesertaan_20240531.csv").write_text("NO_KPJ,NIK\n")
    result, cursor = tick(None)
    assert isinstance(result, dg.SkipReason)  # seen once: it may still be growing
    result, cursor = tick(cursor)
    assert [request.partition_key for request in result] == ["35"]  # Jawa Timur's folder only
    result, cursor = tick(cursor)
    assert isinstance(result, dg.SkipReason)  # the same files never start a second run


def test_the_partitions_are_the_configured_provinces_and_daily_refresh_stays_one_province():
    from orchestration.settings import CakupanSettings

    defs = _provinces(CakupanSettings(provinces="35, 81,65"))
    job = defs.resolve_job_def("province_refresh")
    assert job.partitions_def.get_partition_keys() == ["35", "65", "81"]
    daily = defs.resolve_job_def("daily_refresh")
    assert daily.partitions_def is None
    assert not [key for key in daily.asset_layer.executable_asset_keys if key.path[0] == "provinces"]
    assert _provinces(CakupanSettings()).resolve_job_def("province_refresh").partitions_def.get_partition_keys() == [
        "81"
    ]
