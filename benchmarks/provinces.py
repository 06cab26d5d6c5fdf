"""Case (6): the ×16 rung as sixteen provinces on one lake (issue 23), against the same amount of history in one DuckDB
file.

Sixteen provinces (Maluku and fifteen others of the WIT and WITA zones), each a generated year of `people` people
(≈500k memberships at the default, Maluku's scale, so ≈8M in all, the ×16 rung's size), are landed in their folders
and refreshed as partitions of `province_refresh` on a DuckLake whose catalog is a throwaway PostgreSQL on 127.0.0.1
(tests/postgres.py, Debian's server) and whose files are a local folder: two runs at once, each a fresh
`dagster job execute` process against one Dagster instance, as a deployment's run queue with a concurrency of two
would start them. Each run's wall time and its process tree's peak memory are measured (benchmarks.measure).

Beside it, in the same run: Maluku's generated year tiled ×16 (benchmarks.ladder) refreshed in full into one DuckDB
file, the one-machine, one-file way of holding that much history. Then the lake's size on disk (its Parquet files and
its catalog database) against the file's.
"""

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from benchmarks.measure import Measurement, run
from benchmarks.refresh import BIN, ROOT, Workspace, ensure_manifest, generate_history, refresh, warehouse_size
from tests.postgres import running_server

# Maluku first, then provinces of WIT and WITA (the schedule's 06:00 is each one's own).
PROVINCES = ("81", "82", "71", "72", "73", "74", "75", "76", "61", "62", "63", "64", "65", "51", "52", "53")
AT_ONCE = 2


def _generate(ws: Workspace, code: str, people: int, seed: int) -> None:
    out = ["--out", str(ws.landing / code)]
    subprocess.run(
        [sys.executable, "-m", "synthetic", *out, "--people", str(people), "--seed", str(seed), "--province", code],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def _in_pairs(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _partition_run(ws: Workspace, code: str, results: dict[str, Measurement]) -> None:
    job = ["job", "execute", "-m", "orchestration.definitions", "-j", "province_refresh"]
    results[code] = run(
        f"(6) province {code} on the lake, full refresh (two at once)",
        [str(BIN / "dagster"), *job, "--tags", json.dumps({"dagster/partition": code})],
        cwd=ROOT,
        env=ws.env(),
    )


def _memberships(ws: Workspace, code: str) -> int:
    from common.lake import Lake, attach, extension_config

    with duckdb.connect(config=extension_config()) as conn:
        attach(conn, Lake(ws.lake_catalog, str(ws.lake_data)), code, read_only=True)
        return conn.execute("select count(distinct no_kpj) from intermediate.int_membership_versions").fetchone()[0]


def _folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def provinces_cases(work_dir: Path, people: int, seed: int = 7) -> tuple[dict[str, Measurement], dict]:
    """The sixteen provinces on the lake, two at once, and the ×16 file beside them; the cases keyed `provinces_*`
    and the facts (sizes, per-province figures)."""
    from benchmarks.ladder import tile_history

    cases: dict[str, Measurement] = {}
    with running_server() as server:
        ws = Workspace(
            work_dir / "provinces", lake_catalog=server.create_database("provinces"), provinces=",".join(PROVINCES)
        )
        ws.create()
        ensure_manifest(ws.env())
        print(f"  generating {len(PROVINCES)} provinces of {people:,} people, {AT_ONCE} at a time ...", flush=True)
        for pair in _in_pairs(list(PROVINCES), AT_ONCE):
            threads = [
                threading.Thread(target=_generate, args=(ws, code, people, seed + i)) for i, code in enumerate(pair)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        # The Dagster instance's storage made once, as a deployment's daemon makes it: two runs making it at once collide.
        subprocess.run(
            [str(BIN / "dagster"), "instance", "migrate"], cwd=ROOT, env=ws.env(), check=True, capture_output=True
        )
        measured: dict[str, Measurement] = {}
        pair_peaks: list[float] = []  # what the machine held: the two runs' trees at once, at most their sum
        started = time.monotonic()
        for pair in _in_pairs(list(PROVINCES), AT_ONCE):
            threads = [threading.Thread(target=_partition_run, args=(ws, code, measured)) for code in pair]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            missing = [code for code in pair if code not in measured]
            if missing:
                raise RuntimeError(f"province_refresh failed for {', '.join(missing)}")
            pair_peaks.append(sum(measured[code].peak_rss_mb for code in pair))
            for code in pair:
                m = measured[code]
                print(f"  {m.case}: {m.wall_s:.1f} s, peak {m.peak_rss_mb:,.0f} MiB", flush=True)
        elapsed = time.monotonic() - started
        memberships = {code: _memberships(ws, code) for code in PROVINCES}
        lake_files = _folder_bytes(ws.lake_data)
        catalog = int(server.psql("select pg_database_size('provinces')").strip())
        for code in PROVINCES:
            m = measured[code]
            m.case += f", {memberships[code]:,} memberships"
            cases[f"provinces_{code}"] = m
        slowest = max(measured.values(), key=lambda m: m.wall_s)
        total = Measurement(
            f"(6) 16 provinces on the lake, {AT_ONCE} at once: all done, {sum(memberships.values()):,} memberships",
            sum(m.rows or 0 for m in measured.values()) or None,
            elapsed,
            sum(m.cpu_s for m in measured.values()),
            max(pair_peaks),
        )
        cases["provinces_all"] = total
        shutil.rmtree(ws.landing, ignore_errors=True)

    # The same amount of history in one DuckDB file: Maluku's generated year tiled ×16, refreshed in full.
    source = Workspace(work_dir / "provinces_file_source")
    source.create()
    generate_history(source, people, seed)
    file = Workspace(work_dir / "provinces_file")
    file.create()
    tile_history(source.landing, file.landing, 16)
    shutil.rmtree(source.root, ignore_errors=True)
    one_file = refresh(file, "(6) the same history ×16 in one DuckDB file, full refresh")
    size = warehouse_size(file)
    one_file.case += f", {size['memberships']:,} memberships"
    cases["provinces_one_file"] = one_file
    shutil.rmtree(file.root, ignore_errors=True)

    facts = {
        "provinces": list(PROVINCES),
        "at_once": AT_ONCE,
        "memberships": memberships,
        "lake_files_bytes": lake_files,
        "lake_catalog_bytes": catalog,
        "one_file_bytes": size["warehouse_bytes"],
        "slowest_province": slowest.case,
        "per_province_s": {code: round(m.wall_s, 1) for code, m in measured.items()},
        "per_province_peak_mib": {code: round(m.peak_rss_mb) for code, m in measured.items()},
    }
    print(
        f"  16 provinces: {elapsed:.0f} s in all ({AT_ONCE} at once), against {one_file.wall_s:.0f} s for ×16 in one "
        f"file; lake {lake_files / 2**20:,.0f} MiB of files + {catalog / 2**20:,.0f} MiB of catalog, the file "
        f"{size['warehouse_bytes'] / 2**20:,.0f} MiB",
        flush=True,
    )
    return cases, facts
