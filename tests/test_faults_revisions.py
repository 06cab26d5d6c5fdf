"""A corrected file re-sent under its name: the revision replaces the earlier delivery, and the warehouse is
then exactly one that only ever saw the revision; a revision refused whole leaves the earlier delivery in
place; the same bytes again change nothing."""

import os

import dagster as dg
import duckdb
import pytest

from ingest.load import load_landing
from ingest.warehouse import ensure_schema
from tests import populations as handmade
from tests.refreshes import HISTORY, history, marts
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

KEY = b"revision-test-key"


def enrolment(*lines: str) -> str:
    return "\n".join([handmade.HEADER, *lines]) + "\n"


# The branch's first May file, with three mistakes it corrects later: P2's second card (K3) carries
# another person's NIK, so P2 counts twice; a card (K12) that is not P-anyone's at all; and P1's card in
# the wrong regency. The revision is the handmade May file itself.
MAY_MISTAKEN = enrolment(
    handmade.MAY[0].replace("Kota Ambon", "Kab. Buru"),
    handmade.MAY[1],
    handmade.MAY[2].replace("8171015506900002", "8171010707800011"),
    *handmade.MAY[3:],
    "00000000012,8171011212800012,Keduabelas,Kota Ambon,BPU,Petani,MANDIRI,01/04/2024,AKTIF,2024-05-15 10:00:00",
)
MAY_CORRECTED = enrolment(*handmade.MAY)
WORKFORCE_MISTAKEN = handmade.WORKFORCE.replace("Perangkat Desa,20", "Perangkat Desa,25")
BUDGET_MISTAKEN = handmade.BUDGET_JUNE.replace("Pekerja Rentan;4;1.000.000", "Pekerja Rentan;4;2.000.000")
NAMES = ("kepesertaan_20240531.csv", "angkatan_kerja_2024.csv", "anggaran_20240630.csv")


def land_june(ws: Workspace) -> None:
    ws.land("kepesertaan_20240630.csv", enrolment(*handmade.JUNE))
    ws.land("anggaran_20240331.csv", handmade.BUDGET_MARCH)


def run_messages(ws: Workspace, result) -> str:
    return "\n".join(record.user_message for record in dg.DagsterInstance.get().all_logs(result.run_id))


@pytest.fixture(scope="module")
def revised(tmp_path_factory):
    """A warehouse that saw the mistaken files, then their revisions (an incremental build), beside one
    that only ever saw the revisions."""
    only = Workspace(tmp_path_factory.mktemp("only_revisions"))
    only.activate()
    land_june(only)
    only.land(NAMES[0], MAY_CORRECTED)
    only.land(NAMES[1], handmade.WORKFORCE)
    only.land(NAMES[2], handmade.BUDGET_JUNE)
    only.refresh()

    ws = Workspace(tmp_path_factory.mktemp("revised"))
    ws.activate()
    land_june(ws)
    ws.land(NAMES[0], MAY_MISTAKEN)
    ws.land(NAMES[1], WORKFORCE_MISTAKEN)
    ws.land(NAMES[2], BUDGET_MISTAKEN)
    ws.refresh()
    before = [row for row in ws.query("select * from audit.load_log") if row["file_name"] in NAMES]
    mistaken_marts = marts(ws)
    ws.land(NAMES[0], MAY_CORRECTED)
    ws.land(NAMES[1], handmade.WORKFORCE)
    ws.land(NAMES[2], handmade.BUDGET_JUNE)
    result = ws.refresh()
    return only, ws, {row["file_name"]: row for row in before}, mistaken_marts, result


def test_the_marts_are_those_of_a_warehouse_that_only_saw_the_revisions(revised):
    only, ws, _, mistaken_marts, _ = revised
    expected = marts(only)
    assert expected != mistaken_marts  # the mistakes showed in the numbers
    assert marts(ws) == expected
    province = ws.query("select covered_workers from marts.coverage_province")
    assert province == [{"covered_workers": 6}]  # P2 once again, the stray card gone: the handmade truth


def test_history_is_that_of_a_warehouse_that_only_saw_the_revisions(revised):
    only, ws, *_ = revised
    expected, actual = history(only), history(ws)
    for name in HISTORY:
        assert actual[name] == expected[name], name
    builds = ws.query("select full_refresh from audit.builds order by built_at", "warehouse")
    assert [b["full_refresh"] for b in builds] == [True, False]  # the revisions were built incrementally


def test_the_load_log_describes_each_revision_and_names_the_delivery_it_replaced(revised):
    _, ws, before, _, _ = revised
    log = {row["file_name"]: row for row in ws.query("select * from audit.load_log")}
    assert len(log) == 5
    for name in NAMES:
        now, earlier = log[name], before[name]
        assert now["status"] == "LOADED" and now["sha256"] != earlier["sha256"]
        assert earlier["sha256"] in now["message"] and f"{earlier['loaded_at']:%Y-%m-%d %H:%M:%S}" in now["message"]
    assert (log[NAMES[0]]["rows_read"], log[NAMES[0]]["rows_loaded"]) == (8, 8)


def test_every_delivery_stays_listed_with_when_it_was_replaced(revised):
    _, ws, before, _, _ = revised
    deliveries = ws.query(
        "select * from audit.deliveries where file_name = 'kepesertaan_20240531.csv' order by load_id"
    )
    assert [(d["sha256"], d["status"], d["rows_loaded"]) for d in deliveries] == [
        (before[NAMES[0]]["sha256"], "LOADED", 9),
        (
            ws.query("select sha256 from audit.load_log where file_name = 'kepesertaan_20240531.csv'")[0]["sha256"],
            "LOADED",
            8,
        ),
    ]
    assert deliveries[0]["replaced_at"] == deliveries[1]["loaded_at"] and deliveries[1]["replaced_at"] is None
    assert ws.query("select count(*) n from audit.deliveries")[0]["n"] == 8  # published with the rest of audit


def test_the_run_says_that_a_revision_replaced_an_earlier_delivery(revised):
    _, ws, _, _, result = revised
    messages = run_messages(ws, result)
    for name in NAMES:
        (line,) = [m for m in messages.splitlines() if name in m and "LOADED" in m]
        assert "revision" in line and "replaced the earlier delivery" in line


def test_a_revision_refused_whole_leaves_the_earlier_delivery_in_place(revised, tmp_path):
    _, source, *_ = revised
    ws = Workspace(tmp_path)
    ws.activate()
    for path in source.landing.iterdir():
        ws.land(path.name, path.read_bytes())
    ws.refresh()
    marts_before = marts(ws)
    log_before = ws.query("select * from audit.load_log order by all")
    broken = MAY_CORRECTED.replace("KAB_KOTA", "KOTA_ASAL")  # a required column missing
    ws.land(NAMES[0], broken)

    result = ws.refresh()
    assert marts(ws) == marts_before
    assert ws.query("select * from audit.load_log order by all") == log_before
    (attempt,) = ws.query("select * from audit.deliveries where status = 'REFUSED'")
    (kept,) = [row for row in log_before if row["file_name"] == NAMES[0]]
    assert attempt["file_name"] == NAMES[0] and "KAB_KOTA" in attempt["message"]
    assert kept["sha256"] in attempt["message"]  # it names the delivery that stays
    (line,) = [m for m in run_messages(ws, result).splitlines() if NAMES[0] in m and "REFUSED" in m]
    assert "the earlier delivery stays" in line

    deliveries = ws.query("select count(*) n from audit.deliveries")
    os.utime(ws.landing / NAMES[0], ns=(1, 1))  # the same refused bytes, seen again: nothing new
    ws.refresh()
    assert ws.query("select count(*) n from audit.deliveries") == deliveries


def test_the_same_bytes_under_the_same_name_stay_a_no_op(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / NAMES[0]).write_text(MAY_CORRECTED)
    conn = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_schema(conn)
    assert [o.status for o in load_landing(conn, landing, KEY, lambda _: None)] == ["LOADED"]
    (landing / NAMES[0]).write_text(MAY_CORRECTED)  # written again: a new modification time, the same bytes
    lines = []
    assert load_landing(conn, landing, KEY, lines.append) == []
    assert "nothing to do" in lines[-1]
    assert conn.execute("select count(*) from audit.deliveries").fetchone() == (1,)
    assert conn.execute("select count(*) from raw.kepesertaan").fetchone() == (8,)
    lines.clear()
    assert load_landing(conn, landing, KEY, lines.append) == []
    assert lines == ["0 new or changed file(s) in " + str(landing) + " (1 already in the load log)"]  # not hashed again


def test_a_duplicate_of_bytes_a_revision_withdrew_is_loaded(tmp_path):
    """b.csv duplicated a.csv; a.csv is revised, so a warehouse that only saw the revision would have loaded
    b.csv: it is loaded now, in the same refresh, though it comes first in the order."""
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "kepesertaan_20240531_b.csv").write_text(MAY_CORRECTED)
    (landing / "kepesertaan_20240531_c.csv").write_text(MAY_CORRECTED)
    conn = duckdb.connect()
    ensure_schema(conn)
    first = load_landing(conn, landing, KEY, lambda _: None)
    assert [(o.file_name, o.status) for o in first] == [
        ("kepesertaan_20240531_b.csv", "LOADED"),
        ("kepesertaan_20240531_c.csv", "DUPLICATE"),
    ]
    (landing / "kepesertaan_20240531_b.csv").write_text(MAY_MISTAKEN)

    second = load_landing(conn, landing, KEY, lambda _: None)
    assert [(o.file_name, o.status, o.replaces is not None) for o in second] == [
        ("kepesertaan_20240531_b.csv", "LOADED", True),
        ("kepesertaan_20240531_c.csv", "LOADED", True),
    ]
    assert conn.execute("select file_name, count(*) from raw.kepesertaan group by all order by all").fetchall() == [
        ("kepesertaan_20240531_b.csv", 9),
        ("kepesertaan_20240531_c.csv", 8),
    ]
