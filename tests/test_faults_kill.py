"""SIGKILL in the middle of a refresh: afterwards no trace of the half-loaded file, the analyst database is the
previous good one, and the next refresh produces marts identical to a clean run."""

import pytest

from tests.populations import write_big_delta
from tests.refreshes import kill_when, land_small, marts, start_refresh
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    """The same files, refreshed once without any fault: what every faulted workspace must end up equal to."""
    ws = Workspace(tmp_path_factory.mktemp("clean"))
    ws.activate()
    land_small(ws)
    write_big_delta(ws.landing / "kepesertaan_20240731_besar.csv")
    ws.refresh()
    return marts(ws), ws.query(
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
    clean_marts, log = clean_run
    assert marts(ws) == clean_marts
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
    clean_marts, _log = clean_run
    assert marts(ws) == clean_marts
