"""Large `kepesertaan` deltas within the spec, made from the project's synthetic generator.

The generator (`synthetic/`) writes a year of varied extracts for a small population: its monthly CSV
deltas carry every cell format extracts.md allows (four date formats and Indonesian month names, money
as `1.500.000,00`, `Rp 1.500.000` or plain, regencies as names, aliases, codes and dotted codes, codes
in any case, long SEGMEN names) and a few deliberately bad rows. Simulating millions of people in
Python would take far too long, so this module reads those rows back as text and tiles them with
polars to the size asked for:

- only the monthly CSV deltas are used (not the first extract, which is the plain-format snapshot of
  everyone, nor the XLSX deltas, whose native Excel cells have no text form a CSV could carry);
- each file's encoding (UTF-8, UTF-8 BOM, Windows-1252), delimiter and header spelling are undone, so
  the output is one UTF-8, comma-separated file with the canonical header;
- NO_KPJ is rewritten so that every row is a distinct 11-digit membership; rows whose NO_KPJ was
  deliberately malformed keep it, so they are still refused (about 0.3% of rows are refused in all);
- every other cell is kept as written, NIK and names included (synthetic people, never printed).

The CSV is written in chunks, so generating 10M rows needs memory for one chunk, not for the file.

    python -m benchmarks.deltas --out /tmp/landing --rows 1000000 [--xlsx]
"""

import argparse
import re
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl
import xlsxwriter

from synthetic import generate
from synthetic.styles import KEPESERTAAN_COLUMNS, KEPESERTAAN_PRESETS, PLAIN

CHUNK_ROWS = 500_000
# 11 digits from the first row to the 89,999,999,999th: no leading zero to lose, no 12th digit.
FIRST_KPJ = 10_000_000_000
_KPJ = r"^\d{11}$"
_DELIMITERS = (",", ";", "|", "\t")


def _header_key(text: str) -> str:
    return re.sub(r"[\s_]+", "_", text.strip().upper())


def _canonical_names() -> dict[str, str]:
    """Every header spelling the generator writes (any preset), mapped to its canonical column name."""
    names: dict[str, str] = {}
    for style in (PLAIN, *KEPESERTAAN_PRESETS):
        for column in KEPESERTAAN_COLUMNS:
            key = _header_key(style.header(column))
            if names.setdefault(key, column) != column:
                raise ValueError(f"header spelling {key!r} names two columns")
    return names


def _decode(data: bytes) -> str:
    # utf-8-sig drops a BOM when there is one and reads plain UTF-8 otherwise.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_generated_csv(path: Path) -> pl.DataFrame:
    """One generated kepesertaan CSV as text, under the canonical column names (missing columns null)."""
    lines = _decode(path.read_bytes()).splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip())  # first non-empty line is the header
    header = lines[start]
    delimiter = max(_DELIMITERS, key=header.count)
    frame = pl.read_csv(
        "".join(lines[start:]).encode(),
        separator=delimiter,
        quote_char='"',
        infer_schema=False,
        truncate_ragged_lines=True,
    )
    names = _canonical_names()
    renamed = {c: names[_header_key(c)] for c in frame.columns if _header_key(c) in names}
    frame = frame.select(pl.col(c).alias(n) for c, n in renamed.items())
    frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))  # blank lines between rows
    return frame.select(
        pl.col(c) if c in frame.columns else pl.lit(None, pl.String).alias(c) for c in KEPESERTAAN_COLUMNS
    )


def base_rows(work_dir: Path, people: int = 20_000, seed: int = 7, variety: bool = True) -> pl.DataFrame:
    """The rows of the generator's monthly CSV deltas for a small population, as text, in file order.

    With variety=False every file is the generator's plain UTF-8 comma CSV (one date format, plain money),
    the easiest case for a baseline's typing; the first extract is then used too, all files being alike.
    """
    generate(work_dir, people=people, seed=seed, variety=variety)
    files = sorted(
        (p for p in work_dir.iterdir() if p.name.lower().startswith("kepesertaan_") and p.suffix.lower() == ".csv"),
        key=lambda p: p.name.lower(),
    )
    if variety:
        files = files[1:]  # the first extract is the plain snapshot of everyone: not varied
    return pl.concat([read_generated_csv(p) for p in files])


def uniform(plain: pl.DataFrame) -> pl.DataFrame:
    """The plain rows (`base_rows(variety=False)`) in one form per kind of cell, as a national extract is
    written: dates `DD/MM/YYYY`, money in dotted Rupiah (`4.400.000`), ISO timestamps, `YYYYMM` months.
    Cells that do not parse (the generator's deliberately bad rows) are kept as written."""

    def ddmmyyyy(column: str) -> pl.Expr:
        parsed = pl.col(column).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        return pl.coalesce(parsed.dt.strftime("%d/%m/%Y"), pl.col(column)).alias(column)

    wages = plain.get_column("UPAH").drop_nulls().unique()
    dotted = {w: f"{int(w):,}".replace(",", ".") for w in wages.to_list() if w.isdigit()}
    return plain.with_columns(
        ddmmyyyy("TGL_LAHIR"),
        ddmmyyyy("TGL_KEPESERTAAN"),
        pl.col("UPAH").replace(dotted),
    )


def tiled(base: pl.DataFrame, start: int, stop: int, own_people: bool = False) -> pl.DataFrame:
    """Rows start..stop-1 of the endless repetition of `base`, each with its own NO_KPJ, and with
    `own_people` each its own person too (`_own_person`)."""
    n = pl.int_range(start, stop, dtype=pl.Int64, eager=True)
    rows = base.select(pl.all().gather(n % base.height))
    kpj = (n + FIRST_KPJ).cast(pl.String)
    rows = rows.with_columns(
        NO_KPJ=pl.when(pl.col("NO_KPJ").str.contains(_KPJ)).then(pl.lit(kpj)).otherwise(pl.col("NO_KPJ"))
    )
    return _own_person(rows, n) if own_people else rows


def _own_person(rows: pl.DataFrame, n: pl.Series) -> pl.DataFrame:
    """Each valid NIK made unique by the row's index: its first six digits (province, regency, district) kept,
    its birth date (DDMMYY, 40 added to the day for women) and serial made from the index, and TGL_LAHIR the
    same date, so that NIK and birth date agree as in the generated rows. Up to 28 × 12 × 40 × 9,999 rows
    (134M) get distinct NIKs; rows whose NIK was deliberately malformed keep it, so they are still refused."""
    day = n % 28 + 1
    month = n // 28 % 12 + 1
    year = n // (28 * 12) % 40 + 60
    serial = n // (28 * 12 * 40) + 1
    woman = pl.col("JENIS_KELAMIN").str.to_uppercase().str.strip_chars().is_in(["P", "PEREMPUAN"]).fill_null(False)
    nik_day = pl.lit(day) + pl.when(woman).then(40).otherwise(0)
    two = lambda e: e.cast(pl.String).str.pad_start(2, "0")  # noqa: E731
    nik = pl.col("NIK").str.strip_chars()
    valid = nik.str.contains(r"^\d{16}$").fill_null(False)
    return rows.with_columns(
        NIK=pl.when(valid)
        .then(
            pl.concat_str(
                nik.str.slice(0, 6),
                two(nik_day),
                two(pl.lit(month)),
                two(pl.lit(year)),
                pl.lit(serial).cast(pl.String).str.pad_start(4, "0"),
            )
        )
        .otherwise(pl.col("NIK")),
        TGL_LAHIR=pl.when(valid)
        .then(pl.concat_str(two(pl.lit(day)), pl.lit("/"), two(pl.lit(month)), pl.lit("/19"), two(pl.lit(year))))
        .otherwise(pl.col("TGL_LAHIR")),
    )


def delta_name(extract_date: date, ext: str) -> str:
    return f"kepesertaan_{extract_date:%Y%m%d}.{ext}"


def write_csv(
    path: Path, base: pl.DataFrame, rows: int, chunk_rows: int = CHUNK_ROWS, own_people: bool = False
) -> None:
    """`rows` data rows under the canonical header, UTF-8, comma-separated, `"` quoting where needed; with
    `own_people`, each row its own person (a distinct NIK), as a national delta of new members is."""
    with open(path, "wb") as f:
        for start in range(0, rows, chunk_rows):
            tiled(base, start, min(start + chunk_rows, rows), own_people).write_csv(f, include_header=start == 0)


def write_xlsx(path: Path, base: pl.DataFrame, rows: int, chunk_rows: int = CHUNK_ROWS) -> None:
    """The same rows as an XLSX workbook: header in row 1, every cell a text cell (the spec's advice for
    identifiers, and how the tiled text is best kept as written); empty cells left out.

    xlsxwriter's constant_memory mode flushes each row as it is written, so memory stays flat.
    """
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = workbook.add_worksheet("Kepesertaan")
    for col, name in enumerate(KEPESERTAAN_COLUMNS):
        sheet.write_string(0, col, name)
    row_index = 0
    for start in range(0, rows, chunk_rows):
        for row in tiled(base, start, min(start + chunk_rows, rows)).iter_rows():
            row_index += 1
            for col, cell in enumerate(row):
                if cell:
                    sheet.write_string(row_index, col, cell)
    workbook.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.deltas", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write the delta into")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx", action="store_true", help="write an XLSX workbook instead of a CSV")
    parser.add_argument("--date", type=date.fromisoformat, default=date(2024, 12, 31), help="date in the file name")
    parser.add_argument("--people", type=int, default=20_000, help="population of the generated source files")
    parser.add_argument("--plain", action="store_true", help="the generator's plain formats only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        base = base_rows(Path(scratch), args.people, variety=not args.plain)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / delta_name(args.date, "xlsx" if args.xlsx else "csv")
    (write_xlsx if args.xlsx else write_csv)(path, base, args.rows)
    print(
        f"{path}: {args.rows:,} rows tiled from {base.height:,} generated rows, "
        f"{path.stat().st_size / 2**20:,.0f} MiB, {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
