"""Dagster's SQLite event log, with each database's SQLAlchemy engine kept for the process's life.

Dagster's own (`SqliteEventLogStorage`, dagster 1.13) makes a new engine for every connection it opens: every event a
run stores, every asset record it reads. SQLAlchemy keeps the SQL it compiled per engine, so each event compiles its
insert statements again: most of the ≈ 8 ms an asset event costs here, and a refresh stores a few hundred (each dbt
model's materialisation, each check's evaluation, the ones planned when the run starts). With the engine kept, an
event costs ≈ 5 ms and an asset record read ≈ 6 ms instead of ≈ 11 (measured side by side on this machine).

Only the engine is kept. Connections are still opened per use and closed after it (`NullPool`, as Dagster's), so no
process holds a database file between writes and the daemon, the webserver and the runs share the files as before.
Chosen in orchestration/dagster.yaml (`event_log_storage`); its files are where Dagster's default puts them.
"""

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import _check as check
from dagster._config import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool


class KeptEngineSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` whose engines outlive a connection. `base_dir`: where the databases are; by default
    Dagster's own place for them, `$DAGSTER_HOME/history/runs`."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: dict[str, Engine] = {}
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> Mapping[str, Any]:
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> "KeptEngineSqliteEventLogStorage":
        base_dir = config_value.get("base_dir") or os.path.join(os.environ["DAGSTER_HOME"], "history", "runs")
        return cls(base_dir, inst_data=inst_data)

    def _engine(self, shard: str) -> Engine:
        conn_string = self.conn_string_for_shard(shard)
        engine = self._engines.get(conn_string)
        if engine is None:
            engine = create_engine(
                conn_string, poolclass=NullPool, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
            )
            self._engines[conn_string] = engine
        return engine

    def has_table(self, table_name: str) -> bool:
        engine = self._engine(INDEX_SHARD_NAME)
        with engine.connect() as conn:
            return bool(engine.dialect.has_table(conn, table_name))

    @contextlib.contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # As Dagster's own, with the shard's engine kept: one thread at a time, each shard made on first use.
        with self._db_lock:
            check.str_param(shard, "shard")
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        super().dispose()
