"""SIGKILL in the middle of a refresh: afterwards no trace of the half-loaded file, the analyst database is the
previous good one, and the next refresh produces marts identical to a clean run."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from tests import test_handmade_population as handmade
from tests.marts import MART_NAMES
from tests.workspace import ROOT, Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

MARTS = MART_NAMES
BIG_ROWS = 400_000


def write_big_delta(path: Path, rows: int = BIG_ROWS, encoding: str = "utf-8") -> None:
    """A large, valid enrolment delta (built with polars, so it takes a second, not a minute); in Windows-1252
    its names carry an accent, so that the file is read through a UTF-8 copy (ingest/read_csv.py)."""
    i = pl.int_range(0, rows, eager=True)
    frame = pl.DataFrame(
        {
            "NO_KPJ": (i + 10_000_000).cast(pl.String).str.zfill(11),
            "NIK": "81710115058" + (i % 90_000 + 10_000).cast(pl.String),
            "NAMA_LENGKAP": pl.Series(["Nama Besar" if encoding == "utf-8" else "Nama Bésar"] * rows),
            "KAB_KOTA": pl.Series(["Kota Ambon", "Kab. Buru", "Malteng"] * (rows // 3) + ["Kota Ambon"] * (rows % 3)),
            "SEGMEN": pl.Series(["BPU"] * rows),
            "PEKERJAAN": pl.Series(["Nelayan"] * rows),
            "SUMBER_IURAN": pl.Series(["MANDIRI"] * rows),
            "TGL_KEPESERTAAN": pl.Series(["01/01/2024"] * rows),
            "STATUS": pl.Series(["AKTIF"] * rows),
            "TGL_UPDATE": pl.Series(["2024-07-15 10:00:00"] * rows),
        }
    )
    if encoding == "utf-8":
        frame.write_csv(path)
    else:
        path.write_bytes(frame.write_csv().encode(encoding))


def land_small(ws: Workspace) -> None:
    ws.land("anggaran_20240630.csv", handmade.BUDGET_JUNE)
    ws.land("angkatan_kerja_2024.csv", handmade.WORKFORCE)
    ws.land("kepesertaan_20240531.csv", "\n".join([handmade.HEADER, *handmade.MAY]) + "\n")


def marts_of(ws: Workspace) -> dict:
    return {mart: ws.query(f"select * from marts.{mart} order by all") for mart in MARTS}


def start_refresh(ws: Workspace) -> tuple[subprocess.Popen, list[str]]:
    """`daily_refresh` headless, as the schedule runs it, in its own process group; its log lines collected."""
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
            "daily_refresh",
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


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    """The same files, refreshed once without any fault: what every faulted workspace must end up equal to."""
    ws = Workspace(tmp_path_factory.mktemp("clean"))
    ws.activate()
    land_small(ws)
    write_big_delta(ws.landing / "kepesertaan_20240731_besar.csv")
    ws.refresh()
    return marts_of(ws), ws.query(
        "select file_name, status, rows_read, rows_loaded, rows_refused from audit.load_log order by all"
    )


def test_kill_while_loading_a_large_file(tmp_path, clean_run):
    ws = Workspace(tmp_path)
    ws.activate()
    land_small(ws)
    ws.refresh()  # a previous good refresh: the analyst database to keep
    published = ws.analytics_db.read_bytes()
    write_big_delta(ws.landing / "kepesertaan_20240731_besar.csv")

    process, lines = start_refresh(ws)
    kill_when(process, lines, "1 new or changed file(s)", delay=0.5)

    assert ws.analytics_db.read_bytes() == published
    assert ws.query("select count(*) n from audit.load_log where file_name like '%besar%'", "warehouse") == [{"n": 0}]
    assert ws.query("select count(*) n from raw.kepesertaan where file_name like '%besar%'", "warehouse") == [{"n": 0}]

    ws.refresh()
    marts, log = clean_run
    assert marts_of(ws) == marts
    assert (
        ws.query("select file_name, status, rows_read, rows_loaded, rows_refused from audit.load_log order by all")
        == log
    )


def test_kill_during_the_dbt_build(tmp_path, clean_run):
    ws = Workspace(tmp_path)
    ws.activate()
    land_small(ws)
    ws.refresh()
    published = ws.analytics_db.read_bytes()
    write_big_delta(ws.landing / "kepesertaan_20240731_besar.csv")

    process, lines = start_refresh(ws)
    kill_when(process, lines, "dbt: parsing the project and building", delay=1.5)  # dbt is building

    assert ws.analytics_db.read_bytes() == published
    ws.refresh()
    marts, _log = clean_run
    assert marts_of(ws) == marts
