"""A deliberate change of the pseudonym key: every pseudonym remade from the landed files under the new key.

The NIK is never stored, so the new pseudonyms can only come from the files themselves: every loaded
enrolment delivery must still be in the landing folder with the bytes it was loaded from. Its rows are read
and validated exactly as at ingest, and each stored row's pseudonym is replaced, matched by its delivery and
row number, in one transaction with the new key's check value. What was built from the old pseudonyms
(history, placements) is then stale: the next build is a full one (orchestration/build_state.py).
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from ingest.landing import identify, sha256_of
from ingest.pseudonym import PSEUDONYM_FROM_HALVES, pseudonym_halves
from ingest.pseudonym_key import PseudonymKey, record_key, recorded_check_value
from ingest.read import read_validated
from ingest.scratch import clear_scratch, scratch_folder
from ingest.staging import row_stage
from ingest.table import ROW_NUMBER
from ingest.warehouse import ensure_schema


class RekeyRefused(Exception):
    """The pseudonyms cannot all be remade: nothing was changed."""


def _enrolment_deliveries(conn: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str]]:
    return conn.execute(
        "select load_id, file_name, sha256 from audit.load_log where source = 'kepesertaan' and status = 'LOADED' "
        "order by file_name"
    ).fetchall()


def _check_landed(landing_dir: Path, deliveries: list[tuple[int, str, str]]) -> None:
    missing = [name for _, name, _ in deliveries if not (landing_dir / name).is_file()]
    changed = [name for _, name, sha in deliveries if name not in missing and sha256_of(landing_dir / name) != sha]
    if missing or changed:
        lines = [
            *(f"  missing: {name}" for name in missing),
            *(f"  changed since it was loaded: {name}" for name in changed),
        ]
        raise RekeyRefused(
            f"every loaded enrolment file must be in {landing_dir} with the bytes it was loaded from, to remake "
            "its pseudonyms; nothing was changed. Put these back (or let a refresh load the changed ones first):\n"
            + "\n".join(lines)
        )


def _remake(
    conn: duckdb.DuckDBPyConnection, landing_dir: Path, load_id: int, name: str, key: PseudonymKey, scratch: Path
) -> int:
    """Replace the pseudonym of every stored row of one delivery; how many rows were remade."""
    landed = identify(landing_dir / name)
    remade = 0

    def update(rows: pl.DataFrame) -> None:
        nonlocal remade
        # Read by DuckDB's replacement scan of this local variable (ingest/load.py says why not `register`).
        landed_rows = rows  # noqa: F841
        remade += conn.execute(
            f"update raw.kepesertaan as stored set person_id = {PSEUDONYM_FROM_HALVES} "
            "from landed_rows as landed "
            "where stored.load_id = $load_id and stored.row_number = landed.row_number",
            {"load_id": load_id},
        ).fetchone()[0]

    with read_validated(landed, scratch) as read, row_stage(update) as stage:
        for validated in read.validated:
            stage.add(
                validated.rows.select(
                    pl.col(ROW_NUMBER).alias("row_number"), *pseudonym_halves(pl.col("NIK"), key.secret)
                )
            )
        stage.flush()
    stored = conn.execute("select count(*) from raw.kepesertaan where load_id = ?", [load_id]).fetchone()[0]
    if remade != stored:
        raise RekeyRefused(
            f"{name}: {stored:,} rows are stored but {remade:,} were read back from the file (was it loaded "
            "under other validation rules?); nothing was changed"
        )
    return remade


def rekey(
    conn: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    key: PseudonymKey,
    now: dt.datetime,
    report: Callable[[str], None],
) -> int:
    """Remake every pseudonym under `key`, all or nothing; how many rows were remade (0: already this key)."""
    ensure_schema(conn)
    if recorded_check_value(conn) == key.check_value:
        report(f"the warehouse's pseudonyms are already made under the key from {key.source}: nothing to do")
        return 0
    deliveries = _enrolment_deliveries(conn)
    _check_landed(landing_dir, deliveries)
    clear_scratch(conn)
    scratch = scratch_folder(conn)
    conn.begin()
    try:
        remade = 0
        for i, (load_id, name, _) in enumerate(deliveries, start=1):
            remade += _remake(conn, landing_dir, load_id, name, key, scratch)
            report(f"[{i}/{len(deliveries)}] {name}: pseudonyms remade")
        # Holders of withdrawn versions, under the old key: only an incremental build reads them, and the
        # build after this one is full.
        conn.execute("delete from raw.kepesertaan_withdrawn")
        record_key(conn, key, now, remade=True)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    report(f"{remade:,} pseudonyms remade under the key from {key.source}; the next refresh rebuilds everything")
    return remade
