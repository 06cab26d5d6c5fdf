"""The performance benchmarks side by side, in one run, on the same files; each case in a fresh process.

    python -m benchmarks [--rows 1000000 10000000] [--xlsx-rows 200000] [--people 468000]
                         [--only ingest xlsx refresh]

ingest   (1) DuckDB's read_csv with plain typing and (2) the project's full-spec ingest, on one generated
         kepesertaan CSV per --rows size (benchmarks.ingest_cases, benchmarks.deltas);
xlsx     a bare polars.read_excel and the project's ingest of one generated XLSX of --xlsx-rows rows;
refresh  (3) a full daily_refresh of a generated history of --people people (≈500k memberships by
         default), (4) the refresh after a 1% delta, (5) a refresh with nothing new (benchmarks.refresh).

Prints one table, the ratios and each goal of the performance issue met or not, and writes them to
benchmarks/results/latest.json and latest.md. Run nothing else heavy meanwhile: it measures time.
"""

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from benchmarks import deltas, machine, report
from benchmarks.ingest_cases import csv_pair, size_label, xlsx_pair
from benchmarks.measure import Measurement
from benchmarks.refresh import MALUKU_PEOPLE, refresh_cases

PARTS = ("ingest", "xlsx", "refresh")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000], help="CSV sizes")
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=MALUKU_PEOPLE, help="population of the refresh history")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS), help="run only these parts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--base-people",
        type=int,
        default=20_000,
        help="population whose generated deltas are tiled into the large files",
    )
    parser.add_argument(
        "--plain", action="store_true", help="tile the generator's plain formats only (one date format, plain money)"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help="where the generated files and databases go (default: the system temp folder)",
    )
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)

    about = machine.describe()
    print(f"machine: {machine.one_line(about)}", flush=True)
    facts: dict = {
        "measured_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "parameters": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }
    results: dict[str, Measurement] = {}
    with tempfile.TemporaryDirectory(prefix="cakupan-bench-", dir=args.work_dir) as scratch:
        work_dir = Path(scratch)
        if {"ingest", "xlsx"} & set(args.only):
            base = deltas.base_rows(work_dir / "generated", args.base_people, args.seed, variety=not args.plain)
            facts["tiled_from_rows"] = base.height
            print(f"tiling {base.height:,} generated kepesertaan rows ({args.base_people:,} people)", flush=True)
            if "ingest" in args.only:
                for rows in sorted(args.rows):
                    print(f"CSV {size_label(rows)} ...", flush=True)
                    results |= csv_pair(base, rows, work_dir)
            if "xlsx" in args.only:
                print(f"XLSX {size_label(args.xlsx_rows)} ...", flush=True)
                results |= xlsx_pair(base, args.xlsx_rows, work_dir)
        if "refresh" in args.only:
            print(f"refresh, {args.people:,} people ...", flush=True)
            cases, facts["refresh"] = refresh_cases(work_dir, args.people, args.seed)
            results |= cases

    ratios, goals = report.ratios_and_goals(results)
    print()
    print(report.text(results, ratios, goals, about))
    as_json, as_md = report.write(args.results, results, ratios, goals, about, facts)
    print(f"\nwritten: {as_json}, {as_md}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
