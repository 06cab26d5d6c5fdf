"""Cases (1) and (2), and the XLSX pair: the same generated file loaded side by side, each in a fresh process.

- CSV, per size: DuckDB's `read_csv` with plain typing into a file database (the baseline, see
  benchmarks.children) against the project's full-spec ingest (`ingest.load.load_landing`: detection,
  parsing, refusals, pseudonymisation, load log) into another file database.
- XLSX: a bare `polars.read_excel` (calamine, every column as text) against the project's ingest.

The baseline runs first on each file; both find it in the page cache, having just been written.
Files and databases are deleted after each size, so the 10M-row file does not sit beside the next one.
"""

import shutil
import sys
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


def csv_pair(base: pl.DataFrame, rows: int, work_dir: Path) -> dict[str, Measurement]:
    """Baseline and project on one tiled CSV of `rows` rows."""
    folder = work_dir / f"csv_{rows}"
    landing = folder / "landing"  # the project loads every file of its folder: this one alone
    landing.mkdir(parents=True)
    try:
        path = landing / deltas.delta_name(EXTRACT_DATE, "csv")
        deltas.write_csv(path, base, rows)
        label = size_label(rows)
        baseline = run(f"(1) DuckDB read_csv, plain typing, CSV {label}",
                       _child("baseline-csv", path, folder / "baseline.duckdb"), cwd=ROOT)
        project = run(f"(2) project ingest, full spec, CSV {label}",
                      _child("project", path, folder / "project.duckdb"), cwd=ROOT)
        baseline.extra["file_mib"] = project.extra["file_mib"] = round(path.stat().st_size / 2**20, 1)
    finally:
        shutil.rmtree(folder)
    return {f"csv_baseline_{rows}": baseline, f"csv_project_{rows}": project}


def xlsx_pair(base: pl.DataFrame, rows: int, work_dir: Path) -> dict[str, Measurement]:
    """A bare calamine read and the project's ingest of one tiled XLSX of `rows` rows."""
    folder = work_dir / f"xlsx_{rows}"
    landing = folder / "landing"
    landing.mkdir(parents=True)
    try:
        path = landing / deltas.delta_name(EXTRACT_DATE, "xlsx")
        deltas.write_xlsx(path, base, rows)
        label = size_label(rows)
        bare = run(f"polars.read_excel (calamine), all text, XLSX {label}", _child("baseline-xlsx", path), cwd=ROOT)
        project = run(f"project ingest, full spec, XLSX {label}",
                      _child("project", path, folder / "project.duckdb"), cwd=ROOT)
        bare.extra["file_mib"] = project.extra["file_mib"] = round(path.stat().st_size / 2**20, 1)
    finally:
        shutil.rmtree(folder)
    return {f"xlsx_baseline_{rows}": bare, f"xlsx_project_{rows}": project}
