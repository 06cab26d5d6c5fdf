"""`make dev` shows the job, schedule, sensor, checks and groups: start the webserver on a loopback port
for a bounded time and find them through its GraphQL API."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.workspace import ROOT

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

QUERY = """
{
  assetNodes { assetKey { path } groupName kinds owners { ... on TeamAssetOwner { team } } tags { key value }
               assetChecksOrError { ... on AssetChecks { checks { name } } } metadataEntries { label } }
  repositoriesOrError { ... on RepositoryConnection { nodes {
    jobs { name }
    schedules { name cronSchedule executionTimezone scheduleState { status } }
    sensors { name sensorState { status } }
  } } }
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["data"]


def test_the_ui_shows_the_whole_pipeline(tmp_path):
    port = _free_port()
    # The Maluku default: no province, provinces or lake a test before this one in the process activated.
    default = dict.fromkeys(("CAKUPAN_PROVINCE", "CAKUPAN_PROVINCES", "CAKUPAN_LAKE_CATALOG", "CAKUPAN_LAKE_DATA"), "")
    env = {**os.environ, **default, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=open(tmp_path / "webserver.log", "w"),  # noqa: SIM115 (the server writes it until the test ends)
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        data = None
        while time.monotonic() < deadline and data is None:
            time.sleep(2)
            try:
                candidate = _post(port, QUERY)
                if candidate["assetNodes"]:
                    data = candidate
            except OSError:
                continue
        assert data is not None, (tmp_path / "webserver.log").read_text()[-2000:]
    finally:
        server.terminate()
        server.wait(timeout=30)

    nodes = {"/".join(n["assetKey"]["path"]): n for n in data["assetNodes"]}
    assert {n["groupName"] for n in nodes.values()} >= {"ingest", "staging", "marts", "publish"}
    for key in ("raw/kepesertaan", "marts/coverage_province", "analytics_database", "mart_exports", "coverage_report"):
        assert key in nodes, key
    assert {"key": "pii", "value": ""} in nodes["raw/kepesertaan"]["tags"]
    assert {"key": "pii", "value": ""} not in nodes["marts/coverage_province"]["tags"]
    assert "polars" in nodes["raw/kepesertaan"]["kinds"] and "duckdb" in nodes["marts/coverage_province"]["kinds"]
    assert nodes["marts/coverage_province"]["owners"] == [{"team": "analytics"}]
    assert "dagster/column_schema" in {m["label"] for m in nodes["marts/coverage_province"]["metadataEntries"]}
    checks = {c["name"] for c in nodes["marts/coverage_province"]["assetChecksOrError"]["checks"]}
    assert "breakdowns_sum_to_the_province" in checks

    (repository,) = data["repositoriesOrError"]["nodes"]
    assert "daily_refresh" in {j["name"] for j in repository["jobs"]}
    schedules = {s["name"]: s for s in repository["schedules"]}
    schedule = schedules["daily_refresh_schedule"]
    assert (schedule["cronSchedule"], schedule["executionTimezone"]) == ("0 6 * * *", "Asia/Jayapura")
    assert schedule["scheduleState"]["status"] == "RUNNING"
    sensors = {s["name"]: s["sensorState"]["status"] for s in repository["sensors"]}
    # The provinces' partitions run by default only where CAKUPAN_PROVINCES is set: the Maluku default is daily_refresh.
    assert sensors == {"landing_sensor": "RUNNING", "province_landing_sensor": "STOPPED"}
    assert schedules["province_refresh_schedule"]["scheduleState"]["status"] == "STOPPED"
