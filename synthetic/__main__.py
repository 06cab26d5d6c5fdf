"""python -m synthetic --out data/landing --people 30000 --seed 7 [--province 81] [--expected path.json]"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from .generator import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthetic", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("data/landing"), help="landing folder to write into")
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2024, 12, 31), help="YYYY-MM-DD")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--plain", action="store_true", help="no format variety (plain UTF-8 CSV)")
    parser.add_argument("--no-bad-rows", action="store_true", help="no rows to refuse")
    parser.add_argument(
        "--province", default="81", help="Kemendagri code of the province whose extracts to write (81 = Maluku)"
    )
    parser.add_argument("--expected", type=Path, help="write the expected numbers as JSON here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    expected = generate(
        args.out,
        people=args.people,
        seed=args.seed,
        as_of=args.as_of,
        months=args.months,
        variety=not args.plain,
        bad_rows=not args.no_bad_rows,
        province=args.province,
    )
    if args.expected:
        args.expected.parent.mkdir(parents=True, exist_ok=True)
        args.expected.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    files = expected["files"]
    rows = sum(f["rows_read"] for f in files.values())
    province = expected["province"]
    print(
        f"synthetic: {len(files)} files, {rows} rows ({sum(f['rows_refused'] for f in files.values())} to refuse) "
        f"in {args.out}, as of {expected['as_of']}: {province['covered_workers']} covered of "
        f"{province['eligible_workers']} eligible, {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
