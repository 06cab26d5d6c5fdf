"""The performance benchmarks side by side, in one run, on the same files; each case in a fresh process.

    python -m benchmarks [--rows 1000000 10000000] [--xlsx-rows 200000] [--delta-rows 10000000]
                         [--people 468000] [--scales 1 4 16]
                         [--only ingest xlsx national refresh provinces]
                         [--memory-limit 1GB]

ingest    (1) DuckDB's read_csv with plain typing and (2) the project's full-spec ingest, on a uniform
          and a mixed generated kepesertaan CSV per --rows size (benchmarks.ingest_cases, .deltas);
xlsx      a bare polars.read_excel and the project's ingest of one generated XLSX of --xlsx-rows rows;
national  a uniform delta of --delta-rows rows into a workforce-only warehouse: its refresh against
          DuckDB's bare load of the file (benchmarks.national);
refresh   the scale ladder: a generated history of --people people (≈500k memberships by default)
          tiled at each of --scales (benchmarks.ladder); at each, (3) a full daily_refresh, (4₀) one late
          row, (4) a 1% delta, (5) nothing new, and the warehouse's bytes (benchmarks.refresh).
provinces (6) sixteen provinces of --people people each refreshed as partitions on a DuckLake (a throwaway
          PostgreSQL catalog), two at once, against the same history ×16 in one DuckDB file: time and peak
          per province, lake size on disk (benchmarks.provinces).

Prints one table, the ratios, each goal of the performance issues met or not and the extrapolation to
the country, and writes them to benchmarks/results/latest.{json,md} (a run of some parts only:
latest-<parts>.{json,md}). Run nothing else heavy meanwhile: it measures time.
"""

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

from benchmarks import deltas, machine, report
from benchmarks.ingest_cases import csv_pair, size_label, xlsx_pair
from benchmarks.measure import CommandFailed, Measurement
from benchmarks.national import national_cases
from benchmarks.provinces import provinces_cases
from benchmarks.refresh import MALUKU_PEOPLE, ladder_cases

PARTS = ("ingest", "xlsx", "national", "refresh", "provinces")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000], help="CSV sizes")
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--delta-rows", type=int, default=10_000_000, help="rows of the national delta")
    parser.add_argument("--people", type=int, default=MALUKU_PEOPLE, help="population of the refresh history")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16], help="the ladder's tiling factors")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS), help="run only these parts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--base-people",
        type=int,
        default=20_000,
        help="population whose generated deltas are tiled into the large files",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help="where the generated files and databases go (default: the system temp folder)",
    )
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument(
        "--memory-limit",
        default="1GB",
        help="DuckDB's memory limit for every refresh and ingest measured (CAKUPAN_DUCKDB_MEMORY_LIMIT): the goals "
        "are stated at 1GB, where DuckDB spills rather than grows",
    )
    args = parser.parse_args(argv)
    os.environ["CAKUPAN_DUCKDB_MEMORY_LIMIT"] = args.memory_limit  # the cases' processes inherit it

    about = machine.describe()
    print(f"machine: {machine.one_line(about)}", flush=True)
    facts: dict = {
        "measured_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "parameters": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }
    results: dict[str, Measurement] = {}
    with tempfile.TemporaryDirectory(prefix="cakupan-bench-", dir=args.work_dir) as scratch:
        work_dir = Path(scratch)
        if {"ingest", "xlsx", "national"} & set(args.only):
            mixed = deltas.base_rows(work_dir / "generated", args.base_people, args.seed, variety=True)
            plain = deltas.base_rows(work_dir / "generated_plain", args.base_people, args.seed, variety=False)
            facts["tiled_from_rows"] = {"mixed": mixed.height, "uniform": plain.height}
            print(f"tiling generated kepesertaan rows ({args.base_people:,} people)", flush=True)
            if "ingest" in args.only:
                for rows in sorted(args.rows):
                    for kind, base in (("uniform", deltas.uniform(plain)), ("mixed", mixed)):
                        print(f"{kind} CSV {size_label(rows)} ...", flush=True)
                        results |= csv_pair(base, rows, work_dir, kind)
            if "xlsx" in args.only:
                print(f"XLSX {size_label(args.xlsx_rows)} ...", flush=True)
                results |= xlsx_pair(mixed, args.xlsx_rows, work_dir)
            if "national" in args.only:
                print(f"national delta, {size_label(args.delta_rows)} rows ...", flush=True)
                try:
                    results |= national_cases(work_dir, plain, args.delta_rows, args.seed)
                except CommandFailed as e:  # a finding: the other parts' measurements are kept
                    print(f"national delta FAILED: {e}", flush=True)
                    facts["national_failed"] = str(e)[-3000:]
        if "refresh" in args.only:
            print(f"scale ladder ×{', ×'.join(map(str, args.scales))} of {args.people:,} people ...", flush=True)
            cases, facts["refresh"] = ladder_cases(work_dir, args.people, sorted(args.scales), args.seed)
            results |= cases
        if "provinces" in args.only:
            print(f"sixteen provinces on a lake, {args.people:,} people each ...", flush=True)
            try:
                cases, facts["provinces"] = provinces_cases(work_dir, args.people, args.seed)
                results |= cases
            except Exception as e:  # a failure is a finding: the other parts' measurements stay
                print(f"provinces FAILED: {e}", flush=True)
                facts["provinces_failed"] = str(e)[-3000:]

    failed = (
        tuple((facts.get("refresh") or {}).get("rungs_failed", {}))
        + (("national",) if "national_failed" in facts else ())
        + (("provinces",) if "provinces_failed" in facts else ())
    )
    ratios, goals = report.ratios_and_goals(results, failed)
    facts["extrapolation"] = report.extrapolation(results, facts, about.get("cores_usable") or 2)
    goals += report.country_goals(facts["extrapolation"])
    print()
    print(report.text(results, ratios, goals, about, facts))
    name = "latest" if set(args.only) == set(PARTS) else "latest-" + "-".join(p for p in PARTS if p in args.only)
    as_json, as_md = report.write(args.results, results, ratios, goals, about, facts, name)
    print(f"\nwritten: {as_json}, {as_md}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
