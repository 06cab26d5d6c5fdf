"""Load every landed file not loaded before: one DuckDB transaction per file, and one load-log row."""

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from ingest import anggaran, angkatan_kerja, kepesertaan
from ingest.errors import FileRefused
from ingest.landing import LandedFile, landed_files, sha256_of
from ingest.pseudonym import pseudonym_parameters, pseudonym_sql
from ingest.read_csv import open_csv
from ingest.read_xlsx import read_xlsx_table
from ingest.scratch import clear_scratch, scratch_folder
from ingest.staging import row_stage
from ingest.table import ROW_NUMBER
from ingest.validate import Validated, validate
from ingest.warehouse import database_file, ensure_schema

WIT = ZoneInfo("Asia/Jayapura")
READERS: dict[str, ModuleType] = {
    "kepesertaan": kepesertaan,
    "anggaran": anggaran,
    "angkatan_kerja": angkatan_kerja,
}
log = logging.getLogger(__name__)
INGEST_MEMORY_LIMIT = "500MB"
CACHE_AFTER_BATCH = "32MB"


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


@dataclass
class _Batches:
    """A file's validated batches, and what reading it detected (encoding and delimiter of a CSV)."""

    detected: dict[str, str | None]
    validated: Iterator[Validated]


@contextlib.contextmanager
def _read(landed: LandedFile, scratch: Path) -> Iterator[_Batches]:
    module = READERS[landed.source]
    distinct = {c.name for c in module.SOURCE.columns if c.distinct}
    if landed.file_format == "xlsx":
        table = read_xlsx_table(landed.path, module.SOURCE)
        yield _Batches({"encoding": None, "delimiter": None}, iter([validate(table, module.SOURCE, True)]))
        return
    with open_csv(landed.path, module.SOURCE, scratch) as csv:
        batches = (validate(batch, module.SOURCE, False) for batch in csv.batches(distinct))
        yield _Batches({"encoding": csv.encoding, "delimiter": csv.delimiter_name}, batches)


@dataclass
class _Tally:
    """Counts over a file's batches."""

    rows_read: int = 0
    rows_loaded: int = 0
    refusals_by_reason: dict[str, int] = field(default_factory=dict)
    findings: dict[tuple[str, str], int] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)

    def add(self, validated: Validated, findings: dict[tuple[str, str], int]) -> None:
        self.rows_read += validated.rows_read
        self.rows_loaded += validated.rows.height
        for reason, count in validated.refusals.group_by("reason").len().iter_rows():
            self.refusals_by_reason[reason] = self.refusals_by_reason.get(reason, 0) + count
        for key, count in [*validated.findings.items(), *findings.items()]:
            self.findings[key] = self.findings.get(key, 0) + count
        self.extra_columns = validated.extra_columns

    @property
    def rows_refused(self) -> int:
        return sum(self.refusals_by_reason.values())

    def message(self) -> str:
        parts = [f"{self.rows_loaded:,} rows loaded"]
        if self.refusals_by_reason:
            reasons = ", ".join(f"{reason} {count:,}" for reason, count in sorted(self.refusals_by_reason.items()))
            parts.append(f"refused: {reasons}")
        if self.findings:
            made_null = ", ".join(f"{col} {finding} {n:,}" for (col, finding), n in sorted(self.findings.items()))
            parts.append(f"findings: {made_null}")
        if self.extra_columns:
            parts.append(f"extra columns ignored: {', '.join(self.extra_columns)}")
        return "; ".join(parts)


def _insert_staged(conn: duckdb.DuckDBPyConnection, landed: LandedFile, load_id: int, staged: list[Path],
                   pii_key: bytes) -> None:
    """Staged Parquet files of validated rows into the raw table, with the NIK replaced by its pseudonym."""
    module = READERS[landed.source]
    targets, selects, parameters = ["row_number"], ["row_number"], {}
    for name in module.RAW_COLUMNS:
        if name == "nik":  # the raw NIK exists only in memory and the scratch folder; the table gets its pseudonym
            targets.append("person_id")
            selects.append(pseudonym_sql("nik"))
            parameters = pseudonym_parameters(pii_key)
        else:
            targets.append(name)
            selects.append(name)
    conn.execute(
        f"insert into raw.{landed.source} (load_id, file_name, extract_date, {', '.join(targets)}) "
        f"select $load_id, $file_name, $extract_date, {', '.join(selects)} from read_parquet($staged)",
        {"load_id": load_id, "file_name": landed.name, "extract_date": landed.extract_date,
         "staged": [str(path) for path in staged], **parameters},
    )
    _drop_cached_blocks(conn)


def _raw_rows(landed: LandedFile, validated: Validated) -> pl.DataFrame:
    module = READERS[landed.source]
    return validated.rows.select(pl.col(ROW_NUMBER).alias("row_number"), **module.RAW_COLUMNS)


def _insert_refusals(conn: duckdb.DuckDBPyConnection, landed: LandedFile, validated: Validated) -> None:
    refusals = validated.refusals.with_columns(pl.lit(landed.name).alias("file_name"))
    conn.register("incoming_refusals", refusals)
    try:
        conn.execute(
            "insert into audit.refused_rows select file_name, row_number, reason, column_name, masked_value "
            "from incoming_refusals"
        )
    finally:
        conn.unregister("incoming_refusals")


def _drop_cached_blocks(conn: duckdb.DuckDBPyConnection) -> None:
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


def _log(conn: duckdb.DuckDBPyConnection, load_id: int, outcome: FileOutcome) -> None:
    conn.execute(
        "insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id, outcome.file_name, outcome.source, outcome.extract_date, outcome.sha256,
            outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_refused,
            outcome.message, now_wit(), outcome.file_format, outcome.encoding, outcome.delimiter,
            ", ".join(outcome.extra_columns) or None,
        ],
    )


@contextlib.contextmanager
def _transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[int]:
    """One file's rows, refusals, findings and load-log row: committed together or not at all."""
    conn.begin()
    try:
        yield conn.execute("select nextval('audit.load_id_seq')").fetchone()[0]
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _write_outcome(conn: duckdb.DuckDBPyConnection, outcome: FileOutcome) -> FileOutcome:
    with _transaction(conn) as load_id:
        _log(conn, load_id, outcome)
    return outcome


def _load_rows(conn: duckdb.DuckDBPyConnection, landed: LandedFile, base: dict, pii_key: bytes) -> FileOutcome:
    """Stream the file's batches into the warehouse inside one transaction; the load-log row closes it."""
    scratch = scratch_folder(conn)
    with _transaction(conn) as load_id, _read(landed, scratch) as read, \
            row_stage(scratch, lambda staged: _insert_staged(conn, landed, load_id, staged, pii_key)) as stage:
        tally = _Tally()
        for validated in read.validated:
            findings = kepesertaan.nik_findings(validated.rows) if landed.source == "kepesertaan" else {}
            stage.add(_raw_rows(landed, validated))
            _insert_refusals(conn, landed, validated)
            tally.add(validated, findings)
        stage.flush()
        for (column, finding), count in tally.findings.items():
            conn.execute("insert into audit.findings values (?, ?, ?, ?)", [landed.name, column, finding, count])
        outcome = FileOutcome(
            **base,
            status="LOADED",
            message=tally.message(),
            rows_read=tally.rows_read,
            rows_loaded=tally.rows_loaded,
            rows_refused=tally.rows_refused,
            extra_columns=tally.extra_columns,
            refusals_by_reason=tally.refusals_by_reason,
            **read.detected,
        )
        _log(conn, load_id, outcome)
    return outcome


def load_file(conn: duckdb.DuckDBPyConnection, landed: LandedFile, pii_key: bytes) -> FileOutcome:
    """Identify, read, validate and store one landed file; the outcome is what the load log says of it."""
    if landed.source is None:
        return _write_outcome(conn, FileOutcome(landed.name, None, None, None, "IGNORED", landed.why_ignored or "not an extract"))
    sha = sha256_of(landed.path)
    base = dict(file_name=landed.name, source=landed.source, extract_date=landed.extract_date, sha256=sha,
                file_format=landed.file_format)
    twin = conn.execute(
        "select file_name from audit.load_log where sha256 = ? and status = 'LOADED' order by load_id limit 1", [sha]
    ).fetchone()
    if twin:
        return _write_outcome(conn, FileOutcome(**base, status="DUPLICATE", message=f"same bytes as {twin[0]}, already loaded"))
    try:
        return _load_rows(conn, landed, base, pii_key)
    except FileRefused as e:  # rolled back: nothing of the file stays but this load-log row
        return _write_outcome(conn, FileOutcome(**base, status="REFUSED", message=str(e)))


def load_landing(conn: duckdb.DuckDBPyConnection, landing_dir: Path, pii_key: bytes,
                 report: Callable[[str], None] = log.info) -> list[FileOutcome]:
    """Load, in file-name order, every file in the landing folder that the load log does not name yet."""
    ensure_schema(conn)
    clear_scratch(conn)
    conn.execute("set enable_progress_bar = false")  # a terminal progress bar is noise in the run's log
    # Appended blocks are already on disk; without a cap DuckDB keeps them all cached, and a 10M-row
    # file would hold gigabytes. Batches stream through, so a small buffer is all the ingest needs.
    conn.execute(f"set memory_limit = '{INGEST_MEMORY_LIMIT}'")
    known = {name for (name,) in conn.execute("select file_name from audit.load_log").fetchall()}
    pending = [f for f in landed_files(landing_dir) if f.name not in known]
    report(f"{len(pending)} new file(s) in {landing_dir} ({len(known)} already in the load log)")
    outcomes = []
    for i, landed in enumerate(pending, start=1):
        outcome = load_file(conn, landed, pii_key)
        report(f"[{i}/{len(pending)}] {outcome.summary()}")
        outcomes.append(outcome)
    return outcomes
