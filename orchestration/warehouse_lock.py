"""One writer at a time, and crash-safe: an exclusive lock on a file beside the warehouse, held by each step
that writes it. The kernel releases the lock when its process dies, even by SIGKILL, so a killed refresh
never leaves the next one waiting forever (a Dagster pool slot held by a killed run is never given back)."""

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def warehouse_lock(warehouse: Path, report: Callable[[str], None]) -> Iterator[None]:
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            report(f"another refresh is writing the warehouse (lock {lock_path}): waiting for it to finish")
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            report("the other refresh finished: going on")
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
