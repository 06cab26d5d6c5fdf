"""What runs inside each measured process of the ingest benchmarks (one case per process).

    python -m benchmarks.children baseline-csv  FILE DATABASE
    python -m benchmarks.children baseline-csv-uniform FILE DATABASE
    python -m benchmarks.children baseline-xlsx FILE
    python -m benchmarks.children project       FILE DATABASE

Each prints, as its last line, JSON with `rows` (data rows read) for benchmarks.measure. Imports are
inside the cases so that each process pays only for what it uses (the baseline never imports polars).

The CSV baseline is DuckDB's own reader with plain typing and no validation: the practical speed
limit for getting the file into a table here. The tiled file keeps the generator's varied cell formats,
so no single `dateformat` fits a column; the baseline reads the cells as VARCHAR and types them in the
same statement with `try_strptime` over the numeric formats of the spec (dates, the two timestamp
formats, the three month formats) and `try_cast` to BIGINT for the wage. Indonesian month names,
`1.500.000`-style money and the like become NULL: parsing those is exactly the work the project adds.
Like the project, it writes into a DuckDB file database and closes it (a checkpoint), as daily_refresh
does.

The uniform file (benchmarks.deltas.uniform: one form per kind of cell) gets the tightest baseline there
is: `read_csv` with every column's type declared and the file's one date and timestamp format, so DuckDB
parses dates and timestamps in its reader; the dotted Rupiah loses its dots and becomes a BIGINT, the
`YYYYMM` month a date, in the same statement. Rows DuckDB cannot type are skipped (`ignore_errors`), not
reported: a bare load validates nothing.
"""

import json
import sys
from pathlib import Path

PII_KEY = b"benchmark-key"

_DATES = "['%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y']"
_TIMESTAMPS = "['%Y-%m-%d %H:%M:%S', '%d/%m/%Y %H:%M']"
_MONTHS = "['%Y%m', '%m-%Y', '%Y-%m']"
BASELINE_SQL = f"""
create table kepesertaan as
select
    NO_KPJ, NIK, NAMA_LENGKAP,
    try_strptime(TGL_LAHIR, {_DATES})::date as TGL_LAHIR,
    JENIS_KELAMIN, KAB_KOTA, KECAMATAN, SEGMEN, PEKERJAAN, SUMBER_IURAN, PROGRAM,
    try_cast(UPAH as bigint) as UPAH,
    try_strptime(TGL_KEPESERTAAN, {_DATES})::date as TGL_KEPESERTAAN,
    try_strptime(BLTH_TERAKHIR, {_MONTHS})::date as BLTH_TERAKHIR,
    STATUS,
    try_strptime(TGL_UPDATE, {_TIMESTAMPS}) as TGL_UPDATE
from read_csv(?, header = true, delim = ',', quote = '"', all_varchar = true)
"""

_UNIFORM_TYPES = {
    "NO_KPJ": "VARCHAR",
    "NIK": "VARCHAR",
    "NAMA_LENGKAP": "VARCHAR",
    "TGL_LAHIR": "DATE",
    "JENIS_KELAMIN": "VARCHAR",
    "KAB_KOTA": "VARCHAR",
    "KECAMATAN": "VARCHAR",
    "SEGMEN": "VARCHAR",
    "PEKERJAAN": "VARCHAR",
    "SUMBER_IURAN": "VARCHAR",
    "PROGRAM": "VARCHAR",
    "UPAH": "VARCHAR",
    "TGL_KEPESERTAAN": "DATE",
    "BLTH_TERAKHIR": "VARCHAR",
    "STATUS": "VARCHAR",
    "TGL_UPDATE": "TIMESTAMP",
}
UNIFORM_BASELINE_SQL = f"""
create table kepesertaan as
select
    * replace (
        try_cast(replace(UPAH, '.', '') as bigint) as UPAH,
        try_strptime(BLTH_TERAKHIR, '%Y%m')::date as BLTH_TERAKHIR
    )
from read_csv(
    ?, header = true, delim = ',', quote = '"', dateformat = '%d/%m/%Y', timestampformat = '%Y-%m-%d %H:%M:%S',
    columns = {_UNIFORM_TYPES!r}, ignore_errors = true
)
"""


def _bare_load(sql: str, path: Path, database: Path) -> dict:
    import duckdb

    conn = duckdb.connect(str(database))
    conn.execute("set enable_progress_bar = false")
    conn.execute(sql, [str(path)])
    rows = conn.execute("select count(*) from kepesertaan").fetchone()[0]
    conn.close()
    return {"rows": rows}


def baseline_csv(path: Path, database: Path) -> dict:
    """The mixed file: every cell read as text and typed with `try_strptime` over the spec's forms."""
    return _bare_load(BASELINE_SQL, path, database)


def baseline_csv_uniform(path: Path, database: Path) -> dict:
    """The uniform file: DuckDB's typed read, one format per column."""
    return _bare_load(UNIFORM_BASELINE_SQL, path, database)


def baseline_xlsx(path: Path) -> dict:
    """A bare read of the first sheet with calamine (fastexcel), every column as text."""
    import polars as pl

    frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    return {"rows": frame.height}


def project(path: Path, database: Path) -> dict:
    """The project's ingest of the one file in `path`'s folder, whole spec, as daily_refresh runs it."""
    import duckdb

    from ingest.load import load_landing

    conn = duckdb.connect(str(database))
    outcomes = load_landing(conn, path.parent, PII_KEY, lambda _: None)
    conn.close()
    (outcome,) = [o for o in outcomes if o.file_name == path.name]
    if outcome.status != "LOADED":
        raise SystemExit(f"{path.name}: {outcome.status} ({outcome.message})")
    return {"rows": outcome.rows_read, "loaded": outcome.rows_loaded, "refused": outcome.rows_refused}


def main(argv: list[str]) -> None:
    case, *args = argv
    paths = [Path(a) for a in args]
    cases = {
        "baseline-csv": baseline_csv,
        "baseline-csv-uniform": baseline_csv_uniform,
        "baseline-xlsx": baseline_xlsx,
        "project": project,
    }
    result = cases[case](*paths)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
