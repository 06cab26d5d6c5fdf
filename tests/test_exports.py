"""The exports are written again only where the marts changed: a refresh that leaves a mart as it was leaves its
Parquet file (and, when no sheet changed, the workbook) as they were, and one that changes a mart writes that
mart's file and the workbook, with the new rows."""

import shutil

import duckdb
import polars as pl
import pytest

from publish.exports import WORKBOOK_NAME, export_marts
from tests.marts import MART_NAMES
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # reads what a refresh published


def _files(folder) -> dict[str, int]:
    """Each export by name, with its inode: a file written again (into scratch, then renamed) is a new inode."""
    return {p.name: p.stat().st_ino for p in folder.iterdir() if not p.name.startswith(".")}


def test_only_the_exports_of_changed_marts_are_written_again(handmade_published: Workspace, tmp_path):
    analytics = tmp_path / "analytics.duckdb"
    shutil.copy(handmade_published.analytics_db, analytics)
    exports = tmp_path / "exports"
    with duckdb.connect(str(analytics), read_only=True) as conn:
        counts, written = export_marts(conn, exports, MART_NAMES)
    assert sorted(written) == sorted([f"{m}.parquet" for m in MART_NAMES] + [WORKBOOK_NAME])  # a new folder: all
    first = _files(exports)

    with duckdb.connect(str(analytics), read_only=True) as conn:
        assert export_marts(conn, exports, MART_NAMES) == (counts, [])
    assert _files(exports) == first

    with duckdb.connect(str(analytics)) as conn:
        conn.execute("update marts.coverage_sector set covered_workers = covered_workers + 1")
    with duckdb.connect(str(analytics), read_only=True) as conn:
        _, written = export_marts(conn, exports, MART_NAMES)
        expected = conn.execute("select sum(covered_workers) from marts.coverage_sector").fetchone()[0]
    assert written == [WORKBOOK_NAME, "coverage_sector.parquet"]
    changed = {name for name, inode in _files(exports).items() if first[name] != inode}
    assert changed == {WORKBOOK_NAME, "coverage_sector.parquet"}
    assert pl.read_parquet(exports / "coverage_sector.parquet")["covered_workers"].sum() == expected

    (exports / "coverage_regency.parquet").unlink()  # a file someone removed is written again
    with duckdb.connect(str(analytics), read_only=True) as conn:
        assert export_marts(conn, exports, MART_NAMES)[1] == [WORKBOOK_NAME, "coverage_regency.parquet"]
