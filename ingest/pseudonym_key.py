"""Which key the NIK pseudonyms are made under, and the guard that a warehouse never mixes two keys.

The warehouse records a check value of its key (an HMAC of a fixed label: it proves a key is the same
without revealing it) the first time it pseudonymises. Every refresh compares before loading anything.
A key from another shell, a moved server or a restored backup without the key file would otherwise
split the same people into two pseudonyms, silently.
"""

import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

KEY_VARIABLE = "CAKUPAN_PII_KEY"
_CHECK_LABEL = b"cakupan: the pseudonym key of this warehouse"
log = logging.getLogger(__name__)


class PseudonymKeyError(Exception):
    """The key at hand is not the warehouse's: nothing may be loaded. The message names the setting to
    check, never the key or its check value."""


@dataclass(frozen=True)
class PseudonymKey:
    secret: bytes = field(repr=False)
    source: str  # where it came from, as a message names it: the variable, or the key file's path

    @property
    def check_value(self) -> str:
        return hmac.new(self.secret, _CHECK_LABEL, hashlib.sha256).hexdigest()


def recorded_check_value(conn: duckdb.DuckDBPyConnection) -> str | None:
    row = conn.execute("select check_value from pipeline.pseudonym_key").fetchone()
    return row[0] if row else None


def holds_pseudonyms(conn: duckdb.DuckDBPyConnection) -> bool:
    if recorded_check_value(conn) is not None:
        return True
    return conn.execute("select exists (select 1 from raw.kepesertaan)").fetchone()[0]


def record_key(conn: duckdb.DuckDBPyConnection, key: PseudonymKey, now: dt.datetime, remade: bool = False) -> None:
    """The warehouse's key from now on: its first pseudonyms', or a deliberate change that remade them all
    (ingest/rekey.py)."""
    conn.execute("delete from pipeline.pseudonym_key")
    conn.execute("insert into pipeline.pseudonym_key values (?, ?, ?)", [key.check_value, now, remade])


def pseudonyms_remade_at(conn: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """When every pseudonym was last remade under a new key: what was built from the old ones is stale."""
    row = conn.execute("select recorded_at from pipeline.pseudonym_key where remade").fetchone()
    return row[0] if row else None


def _fix(key_file: Path) -> str:
    return (
        f"Set {KEY_VARIABLE} (or restore the key file {key_file}) to the key this warehouse was made under; "
        "to change the key on purpose, run `make rekey` (README, 'Changing the pseudonym key')"
    )


def verify_key(conn: duckdb.DuckDBPyConnection, key: PseudonymKey, now: dt.datetime) -> None:
    """Refuse a key other than the one the warehouse's pseudonyms were made under."""
    recorded = recorded_check_value(conn)
    if recorded is None:
        if holds_pseudonyms(conn):  # made before keys were checked: its key is taken to be this one
            log.warning("the warehouse holds pseudonyms but no check value of their key: recording %s's", key.source)
            record_key(conn, key, now)
        return
    if not hmac.compare_digest(recorded, key.check_value):
        raise PseudonymKeyError(
            f"the pseudonym key from {key.source} is not the key this warehouse's pseudonyms were made "
            f"under, so nothing was loaded (the same people would be counted twice). Set {KEY_VARIABLE} (or "
            "restore the key file) to the key this warehouse was made under; to change the key on purpose, "
            "run `make rekey` (README, 'Changing the pseudonym key')."
        )


def verify_national_key(conn: duckdb.DuckDBPyConnection, key: PseudonymKey) -> None:
    """On a lake, one key for every province (a NIK is national: the same person is the same pseudonym wherever
    they are enrolled): the national lake records the first province's check value, and a province refreshing
    under another key loads nothing. A no-op without a lake (no `national` database attached)."""
    attached = conn.execute("select count(*) from duckdb_databases() where database_name = 'national'").fetchone()[0]
    if not attached:
        return
    distinct = "select distinct check_value from national.pipeline.pseudonym_key"
    recorded = [row[0] for row in conn.execute(distinct).fetchall()]
    if not recorded:
        utc = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # the provinces' clocks differ
        conn.execute("insert into national.pipeline.pseudonym_key values (?, ?)", [key.check_value, utc])
        # Two provinces' first refreshes may both have found no key: each reads what is there now, and a lake
        # holding two keys refuses both rather than splitting the country's people in two.
        recorded = [row[0] for row in conn.execute(distinct).fetchall()]
    if len(recorded) > 1 or not hmac.compare_digest(recorded[0], key.check_value):
        raise PseudonymKeyError(
            f"the pseudonym key from {key.source} is not the key of the lake's other provinces, so nothing was "
            f"loaded (a NIK is national: every province of one lake must pseudonymise it alike). Set {KEY_VARIABLE} "
            "to the key the lake's provinces share."
        )


def resolve_key(
    conn: duckdb.DuckDBPyConnection, configured: str | None, key_file: Path, create: bool = False
) -> PseudonymKey:
    """`CAKUPAN_PII_KEY` when set; else the key file beside the warehouse. A missing key file is created
    (mode 0600, with a warning) only for a warehouse that holds no pseudonyms yet, or when `create` (a
    deliberate key change): next to existing pseudonyms it would silently start a second key."""
    if configured:
        return PseudonymKey(configured.encode(), KEY_VARIABLE)
    source = f"the key file {key_file} ({KEY_VARIABLE} is not set)"
    if key_file.exists():
        log.warning("%s is not set: using the pseudonym key in %s", KEY_VARIABLE, key_file)
        return PseudonymKey(key_file.read_text().strip().encode(), source)
    if holds_pseudonyms(conn) and not create:
        raise PseudonymKeyError(
            f"{KEY_VARIABLE} is not set and the key file {key_file} is missing, but this warehouse holds "
            f"pseudonyms made under a key: nothing was loaded. {_fix(key_file)}."
        )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    log.warning("%s is not set: created a random pseudonym key in %s; keep it safe", KEY_VARIABLE, key_file)
    return PseudonymKey(key_file.read_text().strip().encode(), source)
