"""Load every landed file not loaded before, and every revision of one: one DuckDB transaction per file,
and one load-log row per file name.

What one file's transaction holds (its rows, refusals, findings, the earlier delivery it withdraws, its load-log
row) reads as one story here; reading a file is ingest/read.py, putting its rows in ingest/insert.py and
ingest/staging.py, the bookkeeping of deliveries ingest/deliveries.py and ingest/outcome.py."""

import contextlib
import dataclasses
import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from common.clock import now_local
from ingest import kepesertaan
from ingest.deliveries import Known, known_names, loaded_twin, orphaned_duplicates, remember_as_seen, withdraw
from ingest.errors import FileRefused, OutOfSpace, first_line, is_out_of_space
from ingest.insert import INGEST_MEMORY_LIMIT, UNUSED_COMPRESSION, insert_refusals, insert_rows, raw_rows
from ingest.landing import LandedFile, fingerprint_of, landed_files
from ingest.outcome import FileOutcome, Tally, record_current, record_delivery
from ingest.progress import Progress
from ingest.pseudonym_key import PseudonymKey, record_key, recorded_check_value, verify_key, verify_national_key
from ingest.read import read_validated
from ingest.scratch import clear_scratch, scratch_folder
from ingest.staging import row_stage
from ingest.warehouse import ensure_schema, next_load_id

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[int]:
    """One file's rows, refusals, findings and load-log row: committed together or not at all."""
    conn.begin()
    try:
        yield next_load_id(conn)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _withdraw_earlier(conn: duckdb.DuckDBPyConnection, known: Known | None, load_id: int) -> None:
    """A revision: the rows the name's current delivery loaded are withdrawn (its load-log row gives way
    when the revision's is written)."""
    if known is not None and known.current.status == "LOADED":
        withdraw(conn, known.current, load_id)


def _write_outcome(conn: duckdb.DuckDBPyConnection, outcome: FileOutcome, known: Known | None = None) -> FileOutcome:
    with _transaction(conn) as load_id:
        _withdraw_earlier(conn, known, load_id)
        record_current(conn, load_id, outcome, now_local())
    return outcome


def _refused(conn: duckdb.DuckDBPyConnection, outcome: FileOutcome, known: Known | None) -> FileOutcome:
    """A file refused whole. A revision refused whole leaves the loaded delivery it would have replaced in
    place: only the attempt is listed among the deliveries."""
    if known is None or known.current.status != "LOADED":
        return _write_outcome(conn, outcome, known)
    outcome.replaces, outcome.kept = None, known.current
    outcome.message = f"{outcome.message}; this revision is not loaded: {known.current.describe()} stays"
    with _transaction(conn) as load_id:
        record_delivery(conn, load_id, outcome, now_local())
    return outcome


def _load_rows(
    conn: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    base: dict[str, Any],
    key: PseudonymKey,
    known: Known | None,
    prefix: str,
    report: Callable[[str], None],
) -> FileOutcome:
    """Stream the file's batches into the warehouse inside one transaction; the load-log row closes it."""
    scratch = scratch_folder(conn)
    with (
        _transaction(conn) as load_id,
        read_validated(landed, scratch) as read,
        row_stage(lambda rows: insert_rows(conn, landed, load_id, rows)) as stage,
    ):
        _withdraw_earlier(conn, known, load_id)
        tally = Tally()
        progress = Progress(landed.name, landed.fingerprint.lines if landed.fingerprint else None, report)
        for validated in read.validated:
            findings = kepesertaan.nik_findings(validated.rows) if landed.source == "kepesertaan" else {}
            stage.add(raw_rows(landed, validated, key.secret))
            if validated.refusals.height:
                stage.then(functools.partial(insert_refusals, conn, landed.name, validated.refusals))
            tally.add(validated, findings)
            progress.read(validated.rows_read)
        stage.flush()  # from here on, the connection is this thread's again
        for (column, finding), count in tally.findings.items():
            conn.execute("insert into audit.findings values (?, ?, ?, ?)", [landed.name, column, finding, count])
        outcome = FileOutcome(
            **base,
            status="LOADED",
            message=prefix + tally.message(),
            rows_read=tally.rows_read,
            rows_loaded=tally.rows_loaded,
            rows_refused=tally.rows_refused,
            extra_columns=tally.extra_columns,
            refusals_by_reason=tally.refusals_by_reason,
            **read.detected,
        )
        now = now_local()
        if landed.source == "kepesertaan" and recorded_check_value(conn) is None:
            record_key(conn, key, now)  # the warehouse's first pseudonyms: its key from now on
        record_current(conn, load_id, outcome, now)
    return outcome


def _prefix(known: Known | None, reload: bool) -> str:
    """What a message says first of a name delivered before."""
    if known is None:
        return ""
    if reload:
        return "loaded now: the bytes it duplicated were withdrawn by a revision of another file; "
    return f"a revision: replaces {known.current.describe()}; "


def load_file(
    conn: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    pii_key: PseudonymKey | bytes,
    known: Known | None = None,
    reload: bool = False,
    report: Callable[[str], None] = log.info,
) -> FileOutcome | None:
    """Identify, read, validate and store one landed file; the outcome is what the load log says of it.

    `known`: what the load log holds of the name already. The same bytes again are nothing to do (None);
    other bytes are a revision, which replaces that delivery. `reload`: a duplicate whose twin's bytes a
    revision withdrew, loaded now though its own bytes did not change. `report`: where to say how far a long
    file's read has come."""
    key = _as_key(pii_key)
    if landed.source is None:
        return _write_outcome(
            conn, FileOutcome(landed.name, None, None, None, "IGNORED", landed.why_ignored or "not an extract")
        )
    stat = landed.path.stat()
    # One pass over the bytes: their sha256, and a CSV's encoding, which the read takes from the landed file.
    fingerprint = fingerprint_of(landed.path, text=landed.file_format == "csv")
    landed = dataclasses.replace(landed, fingerprint=fingerprint)
    sha = fingerprint.sha256
    if known is not None and not reload and known.holds(sha):
        remember_as_seen(conn, known, landed.path)
        return None
    base: dict[str, Any] = {
        "file_name": landed.name,
        "source": landed.source,
        "extract_date": landed.extract_date,
        "sha256": sha,
        "file_format": landed.file_format,
        "file_size": stat.st_size,
        "file_mtime_ns": stat.st_mtime_ns,
        "replaces": known.current if known is not None else None,
    }
    prefix = _prefix(known, reload)
    twin = loaded_twin(conn, sha, landed.name)
    if twin:
        outcome = FileOutcome(**base, status="DUPLICATE", message=f"{prefix}same bytes as {twin}, already loaded")
        return _write_outcome(conn, outcome, known)
    try:
        return _load_rows(conn, landed, base, key, known, prefix, report)
    except FileRefused as e:  # rolled back: nothing of the file stays but its load-log row
        return _refused(conn, FileOutcome(**base, status="REFUSED", message=f"{prefix}{e}"), known)


def _as_key(pii_key: PseudonymKey | bytes) -> PseudonymKey:
    return pii_key if isinstance(pii_key, PseudonymKey) else PseudonymKey(pii_key, "the key given")


@dataclass
class _Pending:
    landed: LandedFile
    known: Known | None
    reload: bool = False


def _pending(conn: duckdb.DuckDBPyConnection, landed: list[LandedFile], done: set[str]) -> list[_Pending]:
    """Files with something to do: new names, names whose file changed on disk (maybe a revision), and
    duplicates whose twin's bytes a revision withdrew."""
    known, orphans = known_names(conn), orphaned_duplicates(conn)
    pending = []
    for file in landed:
        if file.name in done:
            continue
        mine = known.get(file.name)
        if mine is None:
            pending.append(_Pending(file, None))
        elif file.source is None:
            continue  # an ignored name stays ignored, whatever its bytes
        elif file.name in orphans:
            pending.append(_Pending(file, mine, reload=True))
        elif not mine.unchanged_on_disk(file.path):
            pending.append(_Pending(file, mine))
    return pending


def _load_or_say_why_not(
    conn: duckdb.DuckDBPyConnection, item: _Pending, key: PseudonymKey, report: Callable[[str], None]
) -> FileOutcome | None:
    try:
        return load_file(conn, item.landed, key, item.known, item.reload, report)
    except Exception as e:  # rolled back: the warehouse is as before this file
        if is_out_of_space(e):
            raise OutOfSpace(f"out of disk space while loading {item.landed.name}: {first_line(e)}") from e
        raise


def load_landing(
    conn: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    pii_key: PseudonymKey | bytes,
    report: Callable[[str], None] = log.info,
    key_file: Path | None = None,
) -> list[FileOutcome]:
    """Load, in file-name order, every file in the landing folder that the load log does not name yet, and
    every revision of one it does. Nothing is loaded under a pseudonym key other than the warehouse's."""
    key = _as_key(pii_key)
    ensure_schema(conn)
    verify_key(conn, key, now_local())
    verify_national_key(conn, key)
    clear_scratch(conn)
    conn.execute("set enable_progress_bar = false")  # a terminal progress bar is noise in the run's log
    # Appended blocks are already on disk; without a cap DuckDB keeps them all cached, and a 10M-row
    # file would hold gigabytes. Batches stream through, so a small buffer is all the ingest needs.
    conn.execute(f"set memory_limit = '{INGEST_MEMORY_LIMIT}'")
    conn.execute(f"set disabled_compression_methods = '{UNUSED_COMPRESSION}'")
    landed = landed_files(landing_dir)
    pending = _pending(conn, landed, set())
    logged = conn.execute("select count(*) from audit.load_log").fetchone()[0]
    report(f"{len(pending)} new or changed file(s) in {landing_dir} ({logged} already in the load log)")
    outcomes: list[FileOutcome] = []
    done: set[str] = set()
    # A second round: a revision in the first may have withdrawn bytes that a duplicate of them, landed
    # under another name earlier in the order, now has to bring.
    for round_ in (1, 2):
        if round_ == 2:
            pending = _pending(conn, landed, done)
        for i, item in enumerate(pending, start=1):
            outcome = _load_or_say_why_not(conn, item, key, report)
            done.add(item.landed.name)
            if outcome is None:
                report(f"[{i}/{len(pending)}] {item.landed.name}: the same bytes as delivered before, nothing to do")
                continue
            report(f"[{i}/{len(pending)}] {outcome.summary()}")
            outcomes.append(outcome)
    landed_names = {file.name for file in landed}
    for name in sorted(orphaned_duplicates(conn) - landed_names):
        report(
            f"{name} duplicated bytes that a revision withdrew, and is no longer in the landing folder: "
            "land it again to load it"
        )
    return outcomes
