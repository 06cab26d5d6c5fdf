"""What the warehouse's models were last built from, so a refresh does only the work new loads ask for.

A build is known by the dbt project's files (models, macros, seeds, tests), the last delivery's load_id
and the raw tables' row count. Same project and no new delivery since a published build: nothing to do.
New deliveries only (revisions included): an incremental build of what they touched. A changed project
(an analyst edited a seed, a model changed), raw rows changed without a load (a hand-made fix), pseudonyms
remade under a new key (ingest/rekey.py), no build yet, or the first enrolment rows after builds that had
none (a warehouse that held only budget or workforce files): a full rebuild.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.deliveries import RAW_TABLES
from ingest.pseudonym_key import pseudonyms_remade_at

# One row per good dbt build: what it was built from, and when the analyst database got it. This layer writes
# and reads it; dbt reads it as a source (what an incremental model's scope starts after).
BUILDS_DDL = """
create schema if not exists audit;
create table if not exists audit.builds (
    built_at            timestamp not null,
    project_fingerprint varchar not null,
    load_watermark      integer not null,
    raw_rows            bigint not null,
    full_refresh        boolean not null,
    published_at        timestamp
);
"""
PROJECT_FILES = ("dbt_project.yml", "packages.yml", "package-lock.yml", "vendor", "models", "macros", "seeds", "tests")


def project_fingerprint(project_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in PROJECT_FILES:
        root = project_dir / name
        for path in sorted(root.rglob("*") if root.is_dir() else [root]):
            if path.is_file():
                digest.update(str(path.relative_to(project_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Build:
    project_fingerprint: str
    load_watermark: int
    raw_rows: int
    published: bool = False
    built_at: dt.datetime | None = None


@dataclass(frozen=True)
class Plan:
    """What this refresh's dbt step does: `skip`, `incremental` (since `since_load_id`, what the deliveries of
    `changed_sources` touched) or `full`."""

    mode: str
    current: Build
    since_load_id: int = 0
    reason: str = ""
    changed_sources: tuple[str, ...] = ()


def ensure_builds(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(BUILDS_DDL)


def current_build(conn: duckdb.DuckDBPyConnection, project_dir: Path) -> Build:
    watermark = conn.execute("select coalesce(max(load_id), 0) from audit.deliveries").fetchone()[0]
    counts = " + ".join(f"(select count(*) from {table})" for table in RAW_TABLES)
    raw_rows = conn.execute(f"select {counts}").fetchone()[0]
    return Build(project_fingerprint(project_dir), int(watermark), int(raw_rows))


def last_build(conn: duckdb.DuckDBPyConnection) -> Build | None:
    row = conn.execute(
        "select project_fingerprint, load_watermark, raw_rows, published_at is not null, built_at from audit.builds "
        "order by built_at desc limit 1"
    ).fetchone()
    return Build(*row) if row else None


def plan_build(
    conn: duckdb.DuckDBPyConnection, project_dir: Path, published: list[Path], full_refresh: bool = False
) -> Plan:
    """`published`: what publishing makes (the analyst database, the exports); one gone is made again.
    `full_refresh`: a data engineer asked for a full rebuild (the run's config)."""
    ensure_builds(conn)
    current, last = current_build(conn, project_dir), last_build(conn)
    if full_refresh:
        return Plan("full", current, reason="a full rebuild was asked for in the run's config")
    if last is None:
        return Plan("full", current, reason="no build yet")
    if last.project_fingerprint != current.project_fingerprint:
        return Plan("full", current, reason="the dbt project changed since the last build")
    remade = pseudonyms_remade_at(conn)
    if remade is not None and last.built_at is not None and remade > last.built_at:
        return Plan("full", current, reason="the pseudonyms were remade under a new key since the last build")
    if not _enrolment_built(conn, last.load_watermark) and _enrolment_built(conn, current.load_watermark):
        # Tracing what new loads touched pays only against a history to keep: with none, build it whole.
        return Plan("full", current, reason="the first enrolment files since the last build: history is built whole")
    if last.load_watermark == current.load_watermark:
        if last.raw_rows != current.raw_rows:
            return Plan("full", current, reason="raw rows changed without a load (a fix by hand?)")
        if last.published and all(path.exists() for path in published):
            return Plan("skip", current, reason=f"nothing loaded since the last build (load {current.load_watermark})")
        return Plan("incremental", current, last.load_watermark, "the last build was not published")
    return Plan(
        "incremental",
        current,
        last.load_watermark,
        f"loads {last.load_watermark + 1}–{current.load_watermark} are new",
        changed_sources(conn, last.load_watermark),
    )


def changed_sources(conn: duckdb.DuckDBPyConnection, since_load_id: int) -> tuple[str, ...]:
    """The sources whose rows deliveries after `since_load_id` changed: those loaded (a revision loaded withdrew
    the rows it replaces too); a refused, ignored or duplicate file changes no rows."""
    rows = conn.execute(
        "select distinct source from audit.deliveries where load_id > ? and status = 'LOADED' order by source",
        [since_load_id],
    ).fetchall()
    return tuple(source for (source,) in rows)


def _enrolment_built(conn: duckdb.DuckDBPyConnection, load_watermark: int) -> bool:
    """Whether any enrolment row loaded up to `load_watermark` is in the warehouse."""
    row = conn.execute("select exists (select 1 from raw.kepesertaan where load_id <= ?)", [load_watermark])
    return bool(row.fetchone()[0])


def record_build(conn: duckdb.DuckDBPyConnection, plan: Plan, built_at: dt.datetime) -> None:
    conn.execute(
        "insert into audit.builds values (?, ?, ?, ?, ?, null)",
        [
            built_at,
            plan.current.project_fingerprint,
            plan.current.load_watermark,
            plan.current.raw_rows,
            plan.mode == "full",
        ],
    )


def record_published(conn: duckdb.DuckDBPyConnection, published_at: dt.datetime) -> None:
    conn.execute(
        "update audit.builds set published_at = ? where built_at = (select max(built_at) from audit.builds)",
        [published_at],
    )
