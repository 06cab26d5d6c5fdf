"""Cases (1) and (2), and the XLSX pair: the same generated file loaded side by side, each in a fresh process.

- CSV, per size and kind of file: DuckDB's `read_csv` with plain typing into a file database (the
  baseline, see benchmarks.children) against the project's full-spec ingest (`ingest.load.load_landing`:
  detection, parsing, refusals, pseudonymisation, load log) into another file database. Two kinds:
  `uniform` (one date form, one money form: a national extract; its baseline is DuckDB's typed read) and
  `mixed` (every cell form the spec allows; its baseline types text with `try_strptime`).
- XLSX: a bare `polars.read_excel` (calamine, every column as text) against the project's ingest.

The baseline runs first on each file; both find it in the page cache, having just been written.
Files and databases are deleted after each size, so the 10M-row file does not sit beside the next one.
"""

import contextlib
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl

from benchmarks import deltas
from benchmarks.measure import Measurement, run

ROOT = Path(__file__).resolve().parents[1]
EXTRACT_DATE = date(2024, 12, 31)


def size_label(rows: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if rows >= scale and rows % (scale // 10) == 0:
            return f"{rows / scale:g}{unit}"
    return f"{rows:,}"


def _child(case: str, *args: Path) -> list[str]:
    return [sys.executable, "-m", "benchmarks.children", case, *map(str, args)]


@contextlib.contextmanager
def _alone_in_landing(work_dir: Path, file_format: str, rows: int, kind: str = "") -> Iterator[tuple[Path, Path]]:
    """A case's folder, and the path of its one file in a landing folder of its own (the project loads
    every file of its folder); the folder is deleted afterwards, databases and all."""
    folder = work_dir / f"{file_format}_{kind}_{rows}"
    landing = folder / "landing"
    landing.mkdir(parents=True)
    try:
        yield folder, landing / deltas.delta_name(EXTRACT_DATE, file_format)
    finally:
        shutil.rmtree(folder)


def _project(label: str, path: Path, folder: Path) -> Measurement:
    return run(label, _child("project", path, folder / "project.duckdb"), cwd=ROOT)


def _note_file_size(path: Path, *measurements: Measurement) -> None:
    for measurement in measurements:
        measurement.extra["file_mib"] = round(path.stat().st_size / 2**20, 1)


BASELINES = {"uniform": "baseline-csv-uniform", "mixed": "baseline-csv"}


def csv_pair(base: pl.DataFrame, rows: int, work_dir: Path, kind: str) -> dict[str, Measurement]:
    """Baseline and project on one tiled CSV of `rows` rows; `kind`: uniform or mixed (module docstring)."""
    label = f"{kind} CSV {size_label(rows)}"
    with _alone_in_landing(work_dir, "csv", rows, kind) as (folder, path):
        deltas.write_csv(path, base, rows)
        baseline = run(
            f"(1) DuckDB read_csv, plain typing, {label}",
            _child(BASELINES[kind], path, folder / "baseline.duckdb"),
            cwd=ROOT,
        )
        project = _project(f"(2) project ingest, full spec, {label}", path, folder)
        _note_file_size(path, baseline, project)
    return {f"csv_{kind}_baseline_{rows}": baseline, f"csv_{kind}_project_{rows}": project}


def xlsx_pair(base: pl.DataFrame, rows: int, work_dir: Path) -> dict[str, Measurement]:
    """A bare calamine read and the project's ingest of one tiled XLSX of `rows` rows."""
    label = size_label(rows)
    with _alone_in_landing(work_dir, "xlsx", rows) as (folder, path):
        deltas.write_xlsx(path, base, rows)
        bare = run(f"polars.read_excel (calamine), all text, XLSX {label}", _child("baseline-xlsx", path), cwd=ROOT)
        project = _project(f"project ingest, full spec, XLSX {label}", path, folder)
        _note_file_size(path, bare, project)
    return {f"xlsx_baseline_{rows}": bare, f"xlsx_project_{rows}": project}
