"""Validated rows into the raw tables and their refusals into the audit, inside the file's transaction."""

import duckdb
import polars as pl

from ingest.landing import LandedFile
from ingest.pseudonym import PSEUDONYM_FROM_HALVES, pseudonym_halves
from ingest.read import READERS
from ingest.table import ROW_NUMBER
from ingest.validate import Validated
from ingest.warehouse import database_file

INGEST_MEMORY_LIMIT = "500MB"
CACHE_AFTER_BATCH = "32MB"
# DuckDB tries FSST on every text column of every row group it writes, and keeps it almost nowhere: the raw
# tables' texts are codes, districts and occupations, a few hundred distinct values a row group, which its
# dictionary compression stores smaller. Not trying it, the inserts of the national delta's 10M rows take
# 9.3 s instead of 11 (measured alone; the ingest's CPU, 2% less). dbt's profile says the same for the models.
UNUSED_COMPRESSION = "fsst"


def insert_rows(conn: duckdb.DuckDBPyConnection, landed: LandedFile, load_id: int, rows: pl.DataFrame) -> None:
    """Validated rows into the raw table; a NIK arrives as its pseudonym's two halves."""
    module = READERS[landed.source]
    targets, selects = ["row_number"], ["row_number"]
    for name in module.RAW_COLUMNS:
        if name == "nik":  # the raw NIK never left the batch in memory: the table gets its pseudonym
            targets.append("person_id")
            selects.append(PSEUDONYM_FROM_HALVES)
        else:
            targets.append(name)
            selects.append(name)
    # Read by DuckDB's replacement scan of this local variable, not `register`ed: a view registered inside the
    # file's transaction stays in its catalog, with the frame it holds, until the transaction ends.
    incoming_rows = rows  # noqa: F841
    conn.execute(
        f"insert into raw.{landed.source} (load_id, file_name, extract_date, {', '.join(targets)}) "
        f"select $load_id, $file_name, $extract_date, {', '.join(selects)} from incoming_rows",
        {"load_id": load_id, "file_name": landed.name, "extract_date": landed.extract_date},
    )
    drop_cached_blocks(conn)


def raw_rows(landed: LandedFile, validated: Validated, pii_key: bytes) -> pl.DataFrame:
    """The raw table's columns of the validated rows, the NIK replaced by its pseudonym's halves."""
    module = READERS[landed.source]
    columns = [pl.col(ROW_NUMBER).alias("row_number")]
    for name, expr in module.RAW_COLUMNS.items():
        columns += pseudonym_halves(expr, pii_key) if name == "nik" else [expr.alias(name)]
    # Lazy: the two halves share one HMAC, which only a lazy query computes once.
    return validated.rows.lazy().select(columns).collect()


def insert_refusals(conn: duckdb.DuckDBPyConnection, file_name: str, refusals: pl.DataFrame) -> None:
    incoming_refusals = refusals.with_columns(pl.lit(file_name).alias("file_name"))  # noqa: F841 (as above)
    conn.execute(
        "insert into audit.refused_rows select file_name, row_number, reason, column_name, masked_value "
        "from incoming_refusals"
    )


def drop_cached_blocks(conn: duckdb.DuckDBPyConnection) -> None:
    """Let go of the blocks the last batch wrote: they are on disk already, and DuckDB would keep them cached
    up to its memory limit, so a 10M-row file would hold hundreds of MB more than a 1M-row one.

    Lowering the limit for an instant evicts them. It runs on a side cursor, because a limit DuckDB cannot
    meet fails, and a failed statement on the file's own connection would abort the file's transaction.
    An in-memory database has nothing on disk to fall back on: it is left alone."""
    if database_file(conn) is None:
        return
    with conn.cursor() as side:
        try:
            side.execute(f"set memory_limit = '{CACHE_AFTER_BATCH}'")
        except duckdb.OutOfMemoryException:
            pass  # something cached cannot be evicted yet; it stays, and the next batch tries again
        finally:
            side.execute(f"set memory_limit = '{INGEST_MEMORY_LIMIT}'")  # raising a limit cannot fail
