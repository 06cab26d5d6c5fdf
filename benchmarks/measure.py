"""Run one command in a fresh process and measure it: wall time, CPU time, peak RSS of its process tree.

CPU time comes from `os.wait4` on the child, not from `getrusage(RUSAGE_CHILDREN)`: the latter
accumulates over every child this process ever waited for, so a second measurement would carry the
first one's. What `wait4` gives on Linux is the child's own usage plus that of its descendants it waited
for (a refresh's dbt subprocess, for instance).

Peak memory is that of the whole process tree, which is what a machine must hold: a refresh is the
Dagster process and dbt's beside it. A thread samples the sum of the tree's resident sets (psutil) every
50 ms while the command runs, and the largest sum is the peak. `wait4`'s `ru_maxrss` is not used: on Linux
a child's includes the resident set of the process that started it (the child shares the benchmark's memory
until its exec, and the kernel keeps that mark), so after the benchmark held the ×16 history in memory every
later case read ≈ 2.9 GB whatever it used.
"""

import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Measurement:
    case: str
    rows: int | None
    wall_s: float
    cpu_s: float
    peak_rss_mb: float  # MiB: the process tree's, sampled (see the module's docstring)
    extra: dict = field(default_factory=dict)  # whatever else the child reported on its last line

    @property
    def rows_per_s(self) -> float | None:
        return self.rows / self.wall_s if self.rows is not None and self.wall_s > 0 else None

    def as_dict(self) -> dict:
        return asdict(self) | {"rows_per_s": self.rows_per_s}


class CommandFailed(RuntimeError):
    pass


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _parse_rows(line: str) -> tuple[int | None, dict]:
    """The child's last stdout line: a row count, or a JSON object with a `rows` key and extras."""
    if line.isdigit():
        return int(line), {}
    try:
        parsed = json.loads(line)
    except ValueError:
        return None, {}
    if isinstance(parsed, dict):
        rows = parsed.pop("rows", None)
        return (int(rows) if rows is not None else None), parsed
    return None, {}


class _TreeMemory:
    """The peak of the summed RSS of a process and all its descendants, sampled in a thread."""

    INTERVAL_S = 0.05

    def __init__(self, pid: int) -> None:
        import psutil

        self._root = psutil.Process(pid)
        self._stop = threading.Event()
        self.peak_bytes = 0
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _tree_rss(self) -> int:
        import psutil

        total = 0
        try:
            processes = [self._root, *self._root.children(recursive=True)]
        except psutil.Error:
            return 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:  # ended between listing and reading: its memory is gone already
                continue
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._tree_rss())
            self._stop.wait(self.INTERVAL_S)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run(
    case: str,
    command: Sequence[str],
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    tail_lines: int = 30,
) -> Measurement:
    """Run `command` to completion in a fresh process; raise CommandFailed (with its output's tail) on a
    non-zero exit."""
    # Output goes to files, not pipes: nobody reads a pipe while we sit in wait4, and a chatty child
    # (Dagster's run log) would block on a full pipe.
    # Every case starts with the disk's write-back done: a case that fsyncs (DuckDB's checkpoint) would otherwise
    # wait for the pages the previous step wrote (a generated file, another case's database). Seen once: 4 s of a
    # 1M-row ingest that used 7 s of CPU in 11 s.
    os.sync()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
        tree = _TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        tree.stop()
        process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait for it again
        out.seek(0)
        stdout = out.read()
        if process.returncode != 0:
            err.seek(0)
            tail = "\n".join((stdout + err.read()).splitlines()[-tail_lines:])
            raise CommandFailed(f"{case}: exit code {process.returncode}\n{tail}")
    rows, extra = _parse_rows(_last_line(stdout))
    return Measurement(
        case=case,
        rows=rows,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=tree.peak_bytes / 2**20,
        extra=extra,
    )
