"""Load every landed file not loaded before: one DuckDB transaction per file, and one load-log row."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from ingest import anggaran, angkatan_kerja, kepesertaan
from ingest.errors import FileRefused
from ingest.landing import LandedFile, landed_files, sha256_of
from ingest.pseudonym import pseudonym_sql
from ingest.read_csv import read_csv_table
from ingest.read_xlsx import read_xlsx_table
from ingest.table import ROW_NUMBER
from ingest.validate import Validated, validate
from ingest.warehouse import ensure_schema

WIT = ZoneInfo("Asia/Jayapura")
READERS: dict[str, ModuleType] = {
    "kepesertaan": kepesertaan,
    "anggaran": anggaran,
    "angkatan_kerja": angkatan_kerja,
}
log = logging.getLogger(__name__)


@dataclass
class FileOutcome:
    """What happened to one landed file: the row that goes into `audit.load_log`."""

    file_name: str
    source: str | None
    extract_date: dt.date | None
    sha256: str | None
    status: str
    message: str
    rows_read: int | None = None
    rows_loaded: int | None = None
    rows_refused: int | None = None
    file_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    extra_columns: list[str] = field(default_factory=list)
    refusals_by_reason: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        counts = ""
        if self.rows_read is not None:
            counts = f": {self.rows_read:,} read, {self.rows_loaded:,} loaded, {self.rows_refused:,} refused"
        return f"{self.file_name} {self.status}{counts} ({self.message})"


def now_wit() -> dt.datetime:
    return dt.datetime.now(WIT).replace(tzinfo=None)


def _read(landed: LandedFile) -> tuple[Validated, dict]:
    module = READERS[landed.source]
    excel = landed.file_format == "xlsx"
    reader = read_xlsx_table if excel else read_csv_table
    table = reader(landed.path, module.SOURCE)
    validated = validate(table, module.SOURCE, excel)
    if module is kepesertaan:
        validated.findings.update(kepesertaan.nik_findings(validated.rows))
    return validated, {"encoding": table.encoding, "delimiter": table.delimiter}


def _message(validated: Validated, refusals_by_reason: dict[str, int]) -> str:
    parts = [f"{validated.rows.height:,} rows loaded"]
    if refusals_by_reason:
        reasons = ", ".join(f"{reason} {count:,}" for reason, count in sorted(refusals_by_reason.items()))
        parts.append(f"refused: {reasons}")
    if validated.findings:
        made_null = ", ".join(f"{col} {finding} {n:,}" for (col, finding), n in sorted(validated.findings.items()))
        parts.append(f"findings: {made_null}")
    if validated.extra_columns:
        parts.append(f"extra columns ignored: {', '.join(validated.extra_columns)}")
    return "; ".join(parts)


def _insert_rows(conn: duckdb.DuckDBPyConnection, landed: LandedFile, load_id: int, rows: pl.DataFrame, pii_key: bytes) -> None:
    module = READERS[landed.source]
    incoming = rows.select(pl.col(ROW_NUMBER).alias("row_number"), **module.RAW_COLUMNS)
    targets, selects = ["row_number"], ["row_number"]
    for name in module.RAW_COLUMNS:
        if name == "nik":  # the raw NIK exists only in memory; the table gets its keyed pseudonym
            targets.append("person_id")
            selects.append(pseudonym_sql(pii_key, "nik"))
        else:
            targets.append(name)
            selects.append(name)
    conn.register("incoming_rows", incoming)
    try:
        conn.execute(
            f"insert into raw.{landed.source} (load_id, file_name, extract_date, {', '.join(targets)}) "
            f"select ?, ?, ?, {', '.join(selects)} from incoming_rows",
            [load_id, landed.name, landed.extract_date],
        )
    finally:
        conn.unregister("incoming_rows")


def _write(conn: duckdb.DuckDBPyConnection, outcome: FileOutcome, landed: LandedFile,
           validated: Validated | None, pii_key: bytes) -> None:
    """Everything about one file, committed together or not at all."""
    conn.begin()
    try:
        load_id = conn.execute("select nextval('audit.load_id_seq')").fetchone()[0]
        if validated is not None:
            _insert_rows(conn, landed, load_id, validated.rows, pii_key)
            refusals = validated.refusals.with_columns(pl.lit(landed.name).alias("file_name"))
            conn.register("incoming_refusals", refusals)
            conn.execute(
                "insert into audit.refused_rows select file_name, row_number, reason, column_name, masked_value "
                "from incoming_refusals"
            )
            conn.unregister("incoming_refusals")
            for (column, finding), count in validated.findings.items():
                conn.execute("insert into audit.findings values (?, ?, ?, ?)", [landed.name, column, finding, count])
        conn.execute(
            "insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id, outcome.file_name, outcome.source, outcome.extract_date, outcome.sha256,
                outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_refused,
                outcome.message, now_wit(), outcome.file_format, outcome.encoding, outcome.delimiter,
                ", ".join(outcome.extra_columns) or None,
            ],
        )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def load_file(conn: duckdb.DuckDBPyConnection, landed: LandedFile, pii_key: bytes) -> FileOutcome:
    """Identify, read, validate and store one landed file; the outcome is what the load log says of it."""
    if landed.source is None:
        outcome = FileOutcome(landed.name, None, None, None, "IGNORED", landed.why_ignored or "not an extract")
        _write(conn, outcome, landed, None, pii_key)
        return outcome
    sha = sha256_of(landed.path)
    base = dict(file_name=landed.name, source=landed.source, extract_date=landed.extract_date, sha256=sha,
                file_format=landed.file_format)
    twin = conn.execute(
        "select file_name from audit.load_log where sha256 = ? and status = 'LOADED' order by load_id limit 1", [sha]
    ).fetchone()
    if twin:
        outcome = FileOutcome(**base, status="DUPLICATE", message=f"same bytes as {twin[0]}, already loaded")
        _write(conn, outcome, landed, None, pii_key)
        return outcome
    try:
        validated, detected = _read(landed)
    except FileRefused as e:
        outcome = FileOutcome(**base, status="REFUSED", message=str(e))
        _write(conn, outcome, landed, None, pii_key)
        return outcome
    refusals_by_reason = dict(validated.refusals.group_by("reason").len().iter_rows())
    outcome = FileOutcome(
        **base,
        status="LOADED",
        message=_message(validated, refusals_by_reason),
        rows_read=validated.rows_read,
        rows_loaded=validated.rows.height,
        rows_refused=validated.refusals.height,
        extra_columns=validated.extra_columns,
        refusals_by_reason=refusals_by_reason,
        **detected,
    )
    _write(conn, outcome, landed, validated, pii_key)
    return outcome


def load_landing(conn: duckdb.DuckDBPyConnection, landing_dir: Path, pii_key: bytes,
                 report: Callable[[str], None] = log.info) -> list[FileOutcome]:
    """Load, in file-name order, every file in the landing folder that the load log does not name yet."""
    ensure_schema(conn)
    conn.execute("set enable_progress_bar = false")  # a terminal progress bar is noise in the run's log
    known = {name for (name,) in conn.execute("select file_name from audit.load_log").fetchall()}
    pending = [f for f in landed_files(landing_dir) if f.name not in known]
    report(f"{len(pending)} new file(s) in {landing_dir} ({len(known)} already in the load log)")
    outcomes = []
    for i, landed in enumerate(pending, start=1):
        outcome = load_file(conn, landed, pii_key)
        report(f"[{i}/{len(pending)}] {outcome.summary()}")
        outcomes.append(outcome)
    return outcomes
