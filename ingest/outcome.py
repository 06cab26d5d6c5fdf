"""What happened to one landed file: the row `audit.load_log` (and `audit.deliveries`) gets, and the line
the run prints."""

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from ingest.deliveries import Delivery, mark_replaced
from ingest.validate import Validated


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
    file_size: int | None = None
    file_mtime_ns: int | None = None
    replaces: Delivery | None = None  # a revision: the earlier delivery of the name it replaced
    kept: Delivery | None = None  # a revision refused whole: the earlier delivery that stays

    def summary(self) -> str:
        counts = ""
        if self.rows_read is not None:
            counts = f": {self.rows_read:,} read, {self.rows_loaded:,} loaded, {self.rows_refused:,} refused"
        revision = ""
        if self.replaces is not None:
            revision = " (a revision: it replaced the earlier delivery)"
        elif self.kept is not None:
            revision = " (a revision refused whole: the earlier delivery stays)"
        return f"{self.file_name} {self.status}{revision}{counts} ({self.message})"


@dataclass
class Tally:
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


def record_delivery(
    conn: duckdb.DuckDBPyConnection, load_id: int, outcome: FileOutcome, loaded_at: dt.datetime
) -> None:
    """Every delivery is listed, whatever became of it."""
    conn.execute(
        "insert into audit.deliveries values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?)",
        [*_described(load_id, outcome, loaded_at), outcome.file_size, outcome.file_mtime_ns],
    )


def _described(load_id: int, outcome: FileOutcome, loaded_at: dt.datetime) -> list:
    """The columns the load log and the deliveries share, in their order: which delivery, what became of it."""
    return [
        load_id,
        outcome.file_name,
        outcome.source,
        outcome.extract_date,
        outcome.sha256,
        outcome.status,
        outcome.rows_read,
        outcome.rows_loaded,
        outcome.rows_refused,
        outcome.message,
        loaded_at,
    ]


def record_current(conn: duckdb.DuckDBPyConnection, load_id: int, outcome: FileOutcome, loaded_at: dt.datetime) -> None:
    """The name's row in the load log, and the delivery it describes (replacing the name's earlier one)."""
    if outcome.replaces is not None:
        mark_replaced(conn, outcome.replaces, loaded_at)
    conn.execute(
        "insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            *_described(load_id, outcome, loaded_at),
            outcome.file_format,
            outcome.encoding,
            outcome.delimiter,
            ", ".join(outcome.extra_columns) or None,
        ],
    )
    record_delivery(conn, load_id, outcome, loaded_at)
