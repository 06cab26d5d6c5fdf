"""Where the ingest puts its short-lived files (a batch on its way into DuckDB, a Windows-1252 file's UTF-8
copy, which holds NIKs). They hold person-level data, so they live beside the warehouse in a folder only its
owner can open, and a
refresh clears what a killed one left behind, rather than in a shared temp folder nobody cleans."""

import shutil
import tempfile
from pathlib import Path

import duckdb

from ingest.warehouse import database_file


def scratch_path(warehouse: Path) -> Path:
    """`.<warehouse file>.scratch`, beside the warehouse."""
    return warehouse.with_name(f".{warehouse.name}.scratch")


# On a lake the warehouse has no file to be beside: the connection names the local place that stands for it
# (orchestration/resources.py sets this DuckDB variable).
LOCAL_STATE_VARIABLE = "cakupan_local_state"


def scratch_folder(conn: duckdb.DuckDBPyConnection) -> Path:
    """The warehouse's scratch folder, made if need be; the system temp folder for an in-memory database."""
    path = database_file(conn)
    if path is None:
        local = conn.execute(f"select getvariable('{LOCAL_STATE_VARIABLE}')").fetchone()[0]
        path = Path(local) if local else None
    if path is None:
        return Path(tempfile.gettempdir())
    folder = scratch_path(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def clear_scratch(conn: duckdb.DuckDBPyConnection) -> None:
    """Remove what a killed refresh left (only the warehouse's own folder; one writer holds it at a time)."""
    folder = scratch_folder(conn)
    if folder.name.endswith(".scratch"):
        for leftover in folder.iterdir():
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
