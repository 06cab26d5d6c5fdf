"""Exports of the marts into CAKUPAN_EXPORT_DIR: one Parquet file per mart and one Excel workbook.

Only what changed is written again. A late file or a day's few rows often leave most marts as they were, and
the workbook is the slowest export to write (cell by cell, about a second at Maluku's size): each mart's rows are
fingerprinted in DuckDB (their count and the XOR of their hashes: a mart is a set of rows with a unique key, so
no two rows cancel), and a mart's Parquet file is written again only when its fingerprint moved, the workbook only
when any sheet's did (or its labels, the province's name, or this code). The fingerprints of what the folder holds
are kept beside it (`EXPORTED`), written last."""

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb

from publish import workbook
from publish.workbook import write_workbook

WORKBOOK_NAME = "cakupan_marts.xlsx"
EXPORTED = ".exported.json"
# What the files look like is this code's: a new version of it writes every file again.
_FORMAT = hashlib.sha256(Path(__file__).read_bytes() + Path(workbook.__file__).read_bytes()).hexdigest()


def export_marts(
    analytics: duckdb.DuckDBPyConnection, export_dir: Path, marts: Sequence[str]
) -> tuple[dict[str, int], list[str]]:
    """Write the exports of `marts` (a sheet each, in their order) that changed into a scratch folder first, then
    move each file into place with an atomic rename: a reader never sees half a file. Returns each mart's rows, and
    the files written (the others were already what the marts hold)."""
    export_dir.mkdir(parents=True, exist_ok=True)
    labels = dict(analytics.execute("select column_name, label from reference.column_labels").fetchall())
    province_name = analytics.execute("select province_name from marts.coverage_province").fetchone()[0]
    fingerprints = {mart: _fingerprint(analytics, mart) for mart in marts}
    current = {
        "format": _FORMAT,
        "marts": fingerprints,
        "workbook": [list(marts), sorted(labels.items()), province_name],
    }
    current = json.loads(json.dumps(current))  # as it is kept: pairs as lists
    previous = _exported(export_dir)
    stale = [
        mart
        for mart in marts
        if previous.get("format") != _FORMAT
        or previous.get("marts", {}).get(mart) != fingerprints[mart]
        or not (export_dir / f"{mart}.parquet").exists()
    ]
    workbook_stale = bool(stale) or previous.get("workbook") != current["workbook"]
    workbook_stale = workbook_stale or not (export_dir / WORKBOOK_NAME).exists()
    scratch = export_dir / f".exporting-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        for mart in stale:
            quoted = str(scratch / f"{mart}.parquet").replace("'", "''")
            # Marts are sets; a file for people is read in order of its leading (key) columns.
            analytics.execute(f"copy (select * from marts.{mart} order by all) to '{quoted}' (format parquet)")
        if workbook_stale:
            sheets = []
            for mart in marts:
                cursor = analytics.execute(f"select * from marts.{mart} order by all")
                sheets.append((mart, [d[0] for d in cursor.description], cursor.fetchall()))
            write_workbook(scratch / WORKBOOK_NAME, sheets, labels, province_name)
        written = sorted(path.name for path in scratch.iterdir())
        for name in written:
            os.replace(scratch / name, export_dir / name)
        _keep_exported(export_dir, current)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {mart: fingerprints[mart][0] for mart in marts}, written


def _fingerprint(analytics: duckdb.DuckDBPyConnection, mart: str) -> list:
    (rows, digest) = analytics.execute(
        f"select count(*), coalesce(bit_xor(hash(m)), 0) from marts.{mart} as m"
    ).fetchone() or (0, 0)
    return [rows, str(digest)]


def _exported(export_dir: Path) -> dict:
    """The fingerprints of what the folder holds; nothing known (everything is written) when they cannot be read."""
    try:
        return json.loads((export_dir / EXPORTED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _keep_exported(export_dir: Path, current: dict) -> None:
    scratch = export_dir / f".{os.getpid()}{EXPORTED}"
    scratch.write_text(json.dumps(current), encoding="utf-8")
    os.replace(scratch, export_dir / EXPORTED)
