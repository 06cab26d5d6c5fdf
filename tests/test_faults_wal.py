"""A stale `.wal` beside the warehouse after a kill: DuckDB replays what was committed, and the next
refresh goes on from there; nothing committed is dropped."""

import signal
import subprocess
import sys
import textwrap

import pytest

from tests.refreshes import land_small
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys, duckdb
    conn = duckdb.connect(sys.argv[1])
    conn.execute("set checkpoint_threshold = '10GB'")  # keep the commit in the WAL only
    conn.execute("insert into audit.findings values ('committed-before-the-kill.csv', 'UPAH', 'MONEY_INVALID', 7)")
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint
""")


def test_committed_data_in_a_stale_wal_survives_and_the_next_refresh_works(tmp_path):
    ws = Workspace(tmp_path)
    ws.activate()
    land_small(ws)
    ws.refresh()
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(ws.warehouse)], timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert ws.warehouse.with_name(ws.warehouse.name + ".wal").exists()

    ws.land(
        "anggaran_20240331.csv",
        "TAHUN_ANGGARAN;PEMDA;NAMA_OPD;SEKTOR_SASARAN;JUMLAH_SASARAN;PAGU;REALISASI\n"
        "2024;Pemprov Maluku;Dinas PMD;Perangkat Desa;10;2.016.000;500.000\n",
    )
    assert ws.refresh().success
    replayed = ws.query(
        "select rows from audit.findings where file_name = 'committed-before-the-kill.csv'", "warehouse"
    )
    assert replayed == [{"rows": 7}]
    assert ws.query("select status from audit.load_log where file_name = 'anggaran_20240331.csv'") == [
        {"status": "LOADED"}
    ]
