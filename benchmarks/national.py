"""A national-size delta: one uniform kepesertaan file of --delta-rows rows (10M by default), each row its own
membership and its own person (a distinct NIK: benchmarks.deltas), dropped into a warehouse that holds only a
workforce file, then `daily_refresh`.

    (N1) DuckDB's typed bare load of the file (benchmarks.children `baseline-csv-uniform`): the limit;
    (N2) a refresh with nothing new, on the workforce-only warehouse: what every run pays;
    (N3) the refresh that finds the file.

The delta's cost is N3 − N2; the goal is ≤ 3 × N1 with N3's process tree (Dagster and dbt) at ≤ 2 GiB,
DuckDB's memory limit as the run gives it (`--memory-limit`, 1GB by default), its threads and spill folder as
the settings' defaults give them (README: Settings).
The dbt step's slowest models come from dbt's `run_results.json` of N3: where the time goes.
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

import polars as pl

from benchmarks import deltas
from benchmarks.ingest_cases import size_label
from benchmarks.measure import Measurement, run
from benchmarks.refresh import ROOT, Workspace, ensure_manifest, refresh
from synthetic import generate

EXTRACT_NAME = "kepesertaan_20241231.csv"


def _workforce_only(ws: Workspace, seed: int) -> None:
    """The generator's workforce file of 2024, alone in the landing folder."""
    with tempfile.TemporaryDirectory() as scratch:
        generate(Path(scratch), people=2_000, seed=seed)
        (workforce,) = Path(scratch).glob("angkatan_kerja_2024.*")
        shutil.copy(workforce, ws.landing / workforce.name)


def slowest_models(ws: Workspace, limit: int = 6) -> list[dict]:
    """The dbt nodes of the workspace's last build that took longest, from its run_results.json (dbt's
    artifacts live beside the warehouse: orchestration/settings.py, `dbt_target_path`)."""
    run_results = ws.warehouse.with_name(ws.warehouse.name + ".dbt") / "run_results.json"
    if not run_results.exists():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    nodes = sorted(results, key=lambda r: r.get("execution_time") or 0, reverse=True)[:limit]
    return [{"node": r["unique_id"].split(".")[-1], "s": round(r["execution_time"], 1)} for r in nodes]


def national_cases(work_dir: Path, base: pl.DataFrame, rows: int, seed: int = 7) -> dict[str, Measurement]:
    label = size_label(rows)
    ws = Workspace(work_dir / "national")
    ws.create()
    try:
        ensure_manifest(ws.env())
        _workforce_only(ws, seed)
        refresh(ws, "setup: a warehouse with the workforce file only")
        held = ws.root / EXTRACT_NAME  # beside the landing folder until N3
        deltas.write_csv(held, deltas.uniform(base), rows, own_people=True)
        bare = run(
            f"(N1) DuckDB typed bare load, uniform CSV {label}",
            [
                sys.executable,
                "-m",
                "benchmarks.children",
                "baseline-csv-uniform",
                str(held),
                str(ws.root / "bare.duckdb"),
            ],
            cwd=ROOT,
        )
        (ws.root / "bare.duckdb").unlink()
        nothing = refresh(ws, "(N2) refresh, nothing new (workforce only)")
        print(f"  {nothing.case}: {nothing.wall_s:.1f} s", flush=True)
        held.rename(ws.landing / EXTRACT_NAME)
        with_delta = refresh(ws, f"(N3) refresh with the {label} delta")
        with_delta.extra["slowest_dbt_nodes"] = slowest_models(ws)
        print(f"  {with_delta.case}: {with_delta.wall_s:.1f} s, peak {with_delta.peak_rss_mb:,.0f} MiB", flush=True)
    finally:
        shutil.rmtree(ws.root, ignore_errors=True)
    return {"national_bare": bare, "national_nothing": nothing, "national_delta": with_delta}
