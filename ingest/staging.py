"""Validated rows on their way into DuckDB: they wait as Parquet files until two batches can go in one insert.

The reader's batches are one DuckDB row group (122,880 rows), which keeps what polars holds at a time small;
an insert of one row group runs on one core, an insert of two on both. So batches are staged in pairs.
They go through Parquet at all because DuckDB scans a Parquet file on all cores but a one-chunk Arrow
table on one. The files hold NIKs: they live in the warehouse's scratch folder (ingest/scratch.py).
"""

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from ingest.errors import OutOfSpace, first_line, is_out_of_space

BATCHES_PER_INSERT = 2


class RowStage:
    """Parquet files of validated rows, handed to `insert` two at a time and deleted once inserted."""

    def __init__(self, folder: Path, insert: Callable[[list[Path]], None]) -> None:
        self._folder = folder
        self._insert = insert
        self._waiting: list[Path] = []
        self._written = 0

    def add(self, rows: pl.DataFrame) -> None:
        if rows.height == 0:
            return
        self._written += 1
        staged = self._folder / f"rows-{self._written:06d}.parquet"
        try:
            rows.write_parquet(staged, compression="uncompressed", statistics=False)
        except Exception as e:  # polars' message keeps neither the errno nor the path: name the folder
            if is_out_of_space(e):
                raise OutOfSpace(f"could not write {staged}: {first_line(e)}") from e
            raise
        self._waiting.append(staged)
        if len(self._waiting) >= BATCHES_PER_INSERT:
            self.flush()

    def flush(self) -> None:
        """Insert whatever waits; a file's last batch may wait alone."""
        if not self._waiting:
            return
        self._insert(self._waiting)
        for staged in self._waiting:
            staged.unlink()
        self._waiting = []


@contextlib.contextmanager
def row_stage(scratch: Path, insert: Callable[[list[Path]], None]) -> Iterator[RowStage]:
    """A stage in its own folder under `scratch`, removed with whatever it holds when the file is done."""
    with tempfile.TemporaryDirectory(prefix="stage-", dir=scratch) as folder:
        yield RowStage(Path(folder), insert)
