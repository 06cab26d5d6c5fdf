"""Two refreshes started together: one waits for the other's writes; nothing is loaded twice and the marts
equal a single clean refresh."""

import pytest

from tests.marts import MART_NAMES
from tests.refreshes import land_small, start_refresh
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out


def test_two_refreshes_started_together(tmp_path):
    clean = Workspace(tmp_path / "clean")
    clean.activate()
    land_small(clean)
    clean.refresh()

    ws = Workspace(tmp_path / "together")
    ws.activate()
    land_small(ws)
    first, first_lines = start_refresh(ws)
    second, second_lines = start_refresh(ws)
    assert first.wait(timeout=600) == 0, "".join(first_lines[-30:])
    assert second.wait(timeout=600) == 0, "".join(second_lines[-30:])

    log = "".join(first_lines + second_lines)
    assert "another refresh is writing the warehouse" in log  # one of them waited, and said so
    assert ws.query("select file_name, count(*) n from audit.load_log group by file_name having n > 1") == []
    for table in ("raw.kepesertaan", "raw.anggaran", "raw.angkatan_kerja"):
        query = f"select count(*) n from {table}"
        assert ws.query(query, "warehouse") == clean.query(query, "warehouse"), table
    for mart in MART_NAMES:
        query = f"select * from marts.{mart} order by all"
        assert ws.query(query) == clean.query(query), mart
