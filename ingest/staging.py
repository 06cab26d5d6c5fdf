"""Validated rows on their way into DuckDB: DuckDB inserts a batch while polars reads and validates the next.

The reader's batches are two DuckDB row groups (245,760 rows): big enough that polars' fixed cost per call
is small beside its work, small enough that what the ingest holds at a time stays bounded. A batch goes to
DuckDB as it is, through Arrow, without a copy on disk, as a frame of two chunks, which DuckDB scans (and so
inserts) on two cores. The frames hold person-level rows (pseudonyms, not NIKs: ingest/pseudonym.py), in
memory only.

Reading and validating (polars) and inserting (DuckDB) each leave cores idle part of the time, so they overlap:
the file's database work runs, in order, on one writer thread, a few jobs behind the reader at most. Both
libraries release Python's lock while they work. The connection is only ever used by one thread at a time: the
caller hands its database work to the stage (`then`) until the stage is flushed.
"""

import collections
import contextlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import polars as pl

# DuckDB scans a frame's chunks side by side: a batch goes in as this many.
CHUNKS_PER_INSERT = 2
# Jobs handed to the writer and not yet done: the reader runs this far ahead of the inserts, no further (each
# job holds its frame, a batch's rows or its refusals, in memory until it is done).
JOBS_AHEAD = 2


class RowStage:
    """Batches of validated rows, handed to `insert` on the writer thread; and any other database work of the
    file, in the same order (`then`)."""

    def __init__(self, insert: Callable[[pl.DataFrame], None], writer: ThreadPoolExecutor) -> None:
        self._insert = insert
        self._writer = writer
        self._pending: collections.deque[Future] = collections.deque()
        self._failed = threading.Event()

    def add(self, rows: pl.DataFrame) -> None:
        if rows.height == 0:
            return
        step = -(-rows.height // CHUNKS_PER_INSERT)
        chunked = pl.concat([rows.slice(start, step) for start in range(0, rows.height, step)], rechunk=False)
        self.then(lambda: self._insert(chunked))

    def then(self, work: Callable[[], None]) -> None:
        """Run `work` (database work of the file) on the writer thread, after everything handed over before; once
        a job has failed, the ones after it do not run (the file's transaction is lost anyway)."""

        def job() -> None:
            if self._failed.is_set():
                return
            try:
                work()
            except BaseException:
                self._failed.set()
                raise

        self._pending.append(self._writer.submit(job))
        while len(self._pending) > JOBS_AHEAD:
            self._pending.popleft().result()

    def flush(self) -> None:
        """Wait until everything handed over is done."""
        self._wait()

    def _wait(self) -> None:
        """Every job handed over, finished: the first error, if one failed, is raised here, in the reader's thread."""
        while self._pending:
            self._pending.popleft().result()


@contextlib.contextmanager
def row_stage(insert: Callable[[pl.DataFrame], None]) -> Iterator[RowStage]:
    """A stage and its writer thread. On the way out, whatever way, the writer finishes the job it is running
    first (what waits is cancelled): only then may the caller roll back or go on."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer") as writer:
        stage = RowStage(insert, writer)
        try:
            yield stage
        except BaseException:
            for job in stage._pending:
                job.cancel()
            raise
