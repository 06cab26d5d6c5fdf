"""Side by side on the same enrolment CSV: DuckDB's own `read_csv` into a table with plain typing (the
practical speed limit here) and the project's full-spec ingest, each in a fresh process.

    python -m benchmarks.ingest_vs_duckdb --rows 1000000
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

BASELINE = """
import duckdb, sys
conn = duckdb.connect()
conn.execute(f\"\"\"create table t as select * from read_csv('{sys.argv[1]}', header=true, all_varchar=false,
    types={{'NO_KPJ': 'VARCHAR', 'NIK': 'VARCHAR'}}, dateformat='%d/%m/%Y', timestampformat='%Y-%m-%d %H:%M:%S')\"\"\")
print(conn.execute("select count(*) from t").fetchone()[0])
"""

PROJECT = """
import duckdb, sys
from pathlib import Path
from ingest.load import load_landing
conn = duckdb.connect()
(outcome,) = load_landing(conn, Path(sys.argv[1]).parent, b"benchmark-key", lambda _: None)
print(outcome.rows_loaded)
"""


def enrolment_delta(path: Path, rows: int) -> None:
    """A valid `kepesertaan` delta in the spec's formats, built with polars expressions."""
    i = pl.col("i")

    def cycle(values: list[str]) -> pl.Expr:
        return pl.lit(pl.Series(values)).get(i % len(values))

    pl.select(pl.int_range(0, rows).alias("i")).select(
        NO_KPJ=(i + 10_000_000).cast(pl.String).str.zfill(11),
        NIK=pl.lit("81710115058") + (i % 90_000 + 10_000).cast(pl.String),
        NAMA_LENGKAP=pl.lit("Nama Peserta"),
        TGL_LAHIR=pl.lit("15/05/1985"),
        JENIS_KELAMIN=pl.lit("L"),
        KAB_KOTA=cycle(["Kota Ambon", "Kab. Buru", "MALTENG", "81.72"]),
        KECAMATAN=pl.lit("Sirimau"),
        SEGMEN=cycle(["BPU", "PU", "JAKON"]),
        PEKERJAAN=cycle(["Nelayan", "Guru Honorer", "Petani", "Kepala Desa"]),
        SUMBER_IURAN=cycle(["MANDIRI", "PEMBERI_KERJA", "APBD_KAB"]),
        PROGRAM=pl.lit("JKK,JKM"),
        UPAH=pl.lit("1500000"),
        TGL_KEPESERTAAN=pl.lit("01/01/2024"),
        BLTH_TERAKHIR=pl.lit("202406"),
        STATUS=pl.lit("AKTIF"),
        TGL_UPDATE=pl.lit("2024-07-15 10:00:00"),
    ).write_csv(path)


def measure(code: str, path: Path) -> dict:
    """Wall time, CPU time and peak RSS of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rows": int(out.stdout.strip().splitlines()[-1]),
        "wall_s": wall,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_rss_mb": after.ru_maxrss / 1024,  # the largest child so far: run the baseline first
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kepesertaan_20240715.csv"
        enrolment_delta(path, args.rows)
        baseline = measure(BASELINE, path)
        project = measure(PROJECT, path)
    print(f"{'':28}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}{'rows/s':>12}")
    for name, m in (("duckdb read_csv (baseline)", baseline), ("project ingest (full spec)", project)):
        print(f"{name:28}{m['wall_s']:9.2f}{m['cpu_s']:9.2f}{m['peak_rss_mb']:9.0f}{m['rows'] / m['wall_s']:12,.0f}")
    print(f"ratio project/baseline, wall: {project['wall_s'] / baseline['wall_s']:.2f}")
    print(json.dumps({"rows": args.rows, "baseline": baseline, "project": project}))


if __name__ == "__main__":
    main()
