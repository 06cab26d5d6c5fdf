"""Exports of the marts into CAKUPAN_EXPORT_DIR: one Parquet file per mart and one Excel workbook."""

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb

from publish.workbook import write_workbook

WORKBOOK_NAME = "cakupan_marts.xlsx"


def export_marts(analytics: duckdb.DuckDBPyConnection, export_dir: Path, marts: Sequence[str]) -> dict[str, int]:
    """Write every export of `marts` (a sheet each, in their order) into a scratch folder first, then move each file into place with an atomic
    rename: a reader never sees half a file."""
    export_dir.mkdir(parents=True, exist_ok=True)
    scratch = export_dir / f".exporting-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        labels = dict(analytics.execute("select column_name, label from reference.column_labels").fetchall())
        province_name = analytics.execute("select province_name from marts.coverage_province").fetchone()[0]
        sheets, counts = [], {}
        for mart in marts:
            quoted = str(scratch / f"{mart}.parquet").replace("'", "''")
            # Marts are sets; a file for people is read in order of its leading (key) columns.
            analytics.execute(f"copy (select * from marts.{mart} order by all) to '{quoted}' (format parquet)")
            cursor = analytics.execute(f"select * from marts.{mart} order by all")
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            sheets.append((mart, columns, rows))
            counts[mart] = len(rows)
        write_workbook(scratch / WORKBOOK_NAME, sheets, labels, province_name)
        for path in scratch.iterdir():
            os.replace(path, export_dir / path.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return counts
