"""What the warehouse holds of each file name, and what a landed file is to it.

A name is delivered once, then maybe again: the same bytes again change nothing; other bytes are a
revision that replaces the earlier delivery (extracts.md). `audit.load_log` describes each name's current
delivery; `audit.deliveries` lists every delivery, replaced ones included.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

RAW_TABLES = ("raw.kepesertaan", "raw.anggaran", "raw.angkatan_kerja")


@dataclass(frozen=True)
class Delivery:
    load_id: int
    file_name: str
    sha256: str | None
    status: str
    loaded_at: dt.datetime
    file_size: int | None = None
    file_mtime_ns: int | None = None

    def describe(self) -> str:
        """How a message names this delivery: when it was loaded and its bytes' sha256."""
        return f"the delivery of {self.loaded_at:%Y-%m-%d %H:%M:%S} (sha256 {self.sha256})"


@dataclass(frozen=True)
class Known:
    """A name the load log holds: its current delivery, and the latest attempt (a refused revision may
    have come after the current delivery and left it in place)."""

    current: Delivery
    latest: Delivery

    def unchanged_on_disk(self, path: Path) -> bool:
        """The landed file has the size and modification time it had when last seen: same bytes, no hash needed."""
        stat = path.stat()
        return (self.latest.file_size, self.latest.file_mtime_ns) == (stat.st_size, stat.st_mtime_ns)

    def holds(self, sha256: str) -> bool:
        """These bytes were delivered under this name already (as the current delivery, or as a refused
        revision tried before): delivering them again changes nothing."""
        return sha256 in (self.current.sha256, self.latest.sha256)


_COLUMNS = "load_id, file_name, sha256, status, loaded_at, file_size, file_mtime_ns"


def known_names(conn: duckdb.DuckDBPyConnection) -> dict[str, Known]:
    current = {
        row[1]: Delivery(*row)
        for row in conn.execute(
            f"select {_COLUMNS} from audit.deliveries where load_id in (select load_id from audit.load_log)"
        ).fetchall()
    }
    latest = {
        row[1]: Delivery(*row)
        for row in conn.execute(
            f"select {_COLUMNS} from audit.deliveries qualify row_number() over "
            "(partition by file_name order by load_id desc) = 1"
        ).fetchall()
    }
    return {name: Known(delivery, latest.get(name, delivery)) for name, delivery in current.items()}


def loaded_twin(conn: duckdb.DuckDBPyConnection, sha256: str, other_than: str) -> str | None:
    """Another name whose current delivery is these bytes, loaded."""
    row = conn.execute(
        "select file_name from audit.load_log where sha256 = ? and status = 'LOADED' and file_name <> ? "
        "order by load_id limit 1",
        [sha256, other_than],
    ).fetchone()
    return row[0] if row else None


def orphaned_duplicates(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """Names logged as DUPLICATE of bytes no name holds loaded any more (a revision withdrew them): a
    warehouse that only ever saw the revision would have loaded them."""
    return {
        name
        for (name,) in conn.execute(
            "select file_name from audit.load_log as duplicate where status = 'DUPLICATE' and not exists ("
            " select 1 from audit.load_log as twin where twin.sha256 = duplicate.sha256 and twin.status = 'LOADED')"
        ).fetchall()
    }


def remember_as_seen(conn: duckdb.DuckDBPyConnection, known: Known, path: Path) -> None:
    """The bytes proved the same: remember the file's size and time, so the next refresh need not hash it."""
    stat = path.stat()
    conn.execute(
        "update audit.deliveries set file_size = ?, file_mtime_ns = ? where load_id = ?",
        [stat.st_size, stat.st_mtime_ns, known.latest.load_id],
    )


def withdraw(conn: duckdb.DuckDBPyConnection, current: Delivery, revision_load_id: int) -> None:
    """Take out everything the current delivery of a name brought (rows, refusals, findings), inside the
    revision's transaction. The memberships it held are remembered as withdrawn, so an
    incremental build recomputes them though no row names them any more."""
    conn.execute(
        "insert into raw.kepesertaan_withdrawn "
        "select distinct $revision, file_name, no_kpj, person_id from raw.kepesertaan where load_id = $earlier",
        {"revision": revision_load_id, "earlier": current.load_id},
    )
    for table in RAW_TABLES:
        conn.execute(f"delete from {table} where load_id = ?", [current.load_id])
    for table in ("audit.refused_rows", "audit.findings"):
        conn.execute(f"delete from {table} where file_name = ?", [current.file_name])


def mark_replaced(conn: duckdb.DuckDBPyConnection, current: Delivery, now: dt.datetime) -> None:
    """The name's load-log row gives way to its next delivery's; the delivery stays listed, replaced then."""
    conn.execute("delete from audit.load_log where load_id = ?", [current.load_id])
    conn.execute("update audit.deliveries set replaced_at = ? where load_id = ?", [now, current.load_id])
