"""Ways to drive and read a refresh that several test modules share: what to land, how to start one as the
schedule does, and what it published. Helpers only: tests import them, never another test module."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests import populations as handmade
from tests.marts import MART_NAMES
from tests.workspace import ROOT, Workspace

HISTORY = (
    "int_membership_versions",
    "int_person_spells",
    "int_first_memberships",
    "int_lapses",
    "int_unclassified_occupations",
)


def marts(ws: Workspace) -> dict:
    return {mart: ws.query(f"select * from marts.{mart} order by all") for mart in MART_NAMES}


def history(ws: Workspace) -> dict:
    # built_at is when the build that wrote a row started, which differs between the two ways.
    return {
        name: ws.query(f"select * exclude (built_at) from intermediate.{name} order by all", "warehouse")
        for name in HISTORY
    }


def land_small(ws: Workspace) -> None:
    ws.land("anggaran_20240630.csv", handmade.BUDGET_JUNE)
    ws.land("angkatan_kerja_2024.csv", handmade.WORKFORCE)
    ws.land("kepesertaan_20240531.csv", "\n".join([handmade.HEADER, *handmade.MAY]) + "\n")


def start_refresh(ws: Workspace, partition: str | None = None) -> tuple[subprocess.Popen, list[str]]:
    """`daily_refresh` headless, as the schedule runs it, in its own process group; its log lines collected. With
    `partition`, that province's partition of `province_refresh` instead, as its sensor or schedule starts it."""
    ws.activate()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster"),
            "job",
            "execute",
            "-m",
            "orchestration.definitions",
            "-j",
            "daily_refresh" if partition is None else "province_refresh",
            *([] if partition is None else ["--tags", json.dumps({"dagster/partition": partition})]),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    return process, lines


def published(ws: Workspace) -> dict:
    """The analyst database and every export, byte for byte."""
    files = [ws.analytics_db, *sorted(p for p in ws.export_dir.rglob("*") if p.is_file())]
    return {str(path): path.read_bytes() for path in files}


def failure_message(result) -> str:
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    return str(failure.step_failure_data.error.message) + str(failure.step_failure_data.user_failure_data)


def kill_when(process: subprocess.Popen, lines: list[str], marker: str, delay: float, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not any(marker in line for line in list(lines)):
        assert process.poll() is None, "".join(lines[-30:])
        assert time.monotonic() < deadline, f"never saw {marker!r}"
        time.sleep(0.05)
    time.sleep(delay)
    assert process.poll() is None, f"finished before the kill: {''.join(lines[-10:])}"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
