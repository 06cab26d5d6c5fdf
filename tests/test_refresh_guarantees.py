"""Guarantees of a refresh on real files: order of arrival does not matter, and no personal data
(NIK, name) reaches any table, the analyst database, exports, Dagster's storage or the run's output."""

import contextlib
import os
import sys
from pathlib import Path

import duckdb
import pytest

from tests import populations as handmade
from tests.marts import MART_NAMES
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

NAMES = [
    "Yohanis Pattinama",
    "Maria Latuconsina",
    "Ahmad Wattimena",
    "Elisabeth Tuhumury",
    "Abdul Rahman Ohorella",
    "Salomina Pelupessy",
    "Hendrik Matulessy",
    "Nurlela Tuasikal",
    "Kristofel Sahetapy",
]


def with_names(lines: list[str]) -> list[str]:
    # Give each handmade row a realistic, unique name (column 3) that the scan can look for.
    named = []
    for i, line in enumerate(lines):
        cells = line.split(",")
        cells[2] = NAMES[int(cells[0][-2:]) % len(NAMES)] if cells[0].isdigit() else NAMES[i % len(NAMES)]
        named.append(",".join(cells))
    return named


MAY, JUNE = with_names(handmade.MAY), with_names(handmade.JUNE)
PERSONAL = sorted({line.split(",")[1] for line in MAY + JUNE} | {line.split(",")[2] for line in MAY + JUNE})


def land_june(ws: Workspace) -> None:
    ws.land("kepesertaan_20240630.csv", "\n".join([handmade.HEADER, *JUNE]) + "\n")
    ws.land("angkatan_kerja_2024.csv", handmade.WORKFORCE)
    ws.land("anggaran_20240630.csv", handmade.BUDGET_JUNE)


def land_may(ws: Workspace) -> None:
    ws.land("kepesertaan_20240531.csv", "\n".join([handmade.HEADER, *MAY]) + "\n")
    ws.land("anggaran_20240331.csv", handmade.BUDGET_MARCH)


@contextlib.contextmanager
def captured_output(path: Path):
    """Everything the refreshes print: Python's stdout/stderr (Dagster's console log) and fds 1 and 2."""
    sys.stdout.flush(), sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(path, "w", buffering=1) as sink:
        os.dup2(sink.fileno(), 1), os.dup2(sink.fileno(), 2)
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                yield
        finally:
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(saved[0], 1), os.dup2(saved[1], 2)
            os.close(saved[0]), os.close(saved[1])


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    output = tmp_path_factory.mktemp("output") / "refresh.log"
    in_order = Workspace(tmp_path_factory.mktemp("in_order"))
    late_older = Workspace(tmp_path_factory.mktemp("late_older"))
    with captured_output(output):
        in_order.activate()
        land_may(in_order), land_june(in_order)
        in_order.refresh(report=True)  # the report too: no NIK or name may reach it
        late_older.activate()
        land_june(late_older)
        late_older.refresh(report=True)
        land_may(late_older)  # the May delta arrives after June's was loaded
        late_older.refresh(report=True)
    return in_order, late_older, output


MART_NAMES = MART_NAMES


@pytest.mark.parametrize("mart", MART_NAMES)
def test_a_late_older_delta_gives_the_marts_of_loading_in_date_order(refreshed, mart):
    in_order, late_older, _ = refreshed
    query = f"select * from marts.{mart} order by all"
    assert late_older.query(query) == in_order.query(query)


def test_the_late_delta_was_loaded_into_history(refreshed):
    _, late_older, _ = refreshed
    versions = late_older.query("select count(*) as n from raw.kepesertaan", database="warehouse")
    assert versions == [{"n": len(MAY) + len(JUNE) - 1}]  # every row but the refused one


def _tables_as_text(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = conn.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        return "\n".join(
            str(conn.execute(f'select * from "{schema}"."{table}"').fetchall()) for schema, table in tables
        )


def _files_under(*roots: Path):
    for root in roots:
        if root.is_dir():
            yield from (p for p in root.rglob("*") if p.is_file())


def test_no_nik_or_name_anywhere(refreshed):
    in_order, late_older, output = refreshed
    assert len(PERSONAL) >= 18
    places = {}
    for ws in (in_order, late_older):
        places[f"{ws.warehouse} tables"] = _tables_as_text(ws.warehouse)
        places[f"{ws.analytics_db} tables"] = _tables_as_text(ws.analytics_db)
    for path in _files_under(
        Path(os.environ["DAGSTER_HOME"]),
        in_order.export_dir,
        late_older.export_dir,
        in_order.warehouse.parent / "exports",
    ):
        places[str(path)] = path.read_bytes().decode("utf-8", "replace")
    for path in (in_order.warehouse, in_order.analytics_db):
        places[f"{path} bytes"] = path.read_bytes().decode("latin-1")
    places["run output"] = output.read_text(errors="replace")
    assert len(places["run output"]) > 1000  # the capture did see the runs' logs
    leaks = [(value, where) for where, text in places.items() for value in PERSONAL if value in text]
    assert leaks == []
