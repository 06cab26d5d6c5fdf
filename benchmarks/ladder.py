"""The scale ladder: the refresh benchmark's generated history tiled ×1, ×4 and ×16 (≈8M memberships).

The generator simulates a year of Maluku (≈500k memberships at its default size) once; simulating 8M
people in Python would take hours, so each rung tiles that year's files instead:

- every kepesertaan file becomes one UTF-8 comma CSV under the canonical header (its cells as written:
  the generator's varied date and money forms stay; an XLSX delta's native cells as their ISO text),
  holding `scale` copies of its rows. Copy c gets its own cards and people: every well-formed NO_KPJ is
  renumbered (one number per distinct card and copy, so a card keeps its history across the files) and
  every valid NIK moves to another province code (digits 1–2; the birth date and sex it encodes stay),
  so ×16 is sixteen Malukus side by side, not one Maluku with sixteen cards per person;
- the budget and workforce files are copied as they are (they are per regency and sector, not per
  person; at ×4 and ×16 coverage exceeds the workforce, which changes no cost).

×1 goes through the same tiling, so the rungs differ only in size.
"""

import re
import shutil
from pathlib import Path

import polars as pl

from ingest import kepesertaan
from ingest.read_xlsx import read_xlsx_table
from synthetic.styles import KEPESERTAAN_COLUMNS

FIRST_KPJ = 20_000_000_000  # 11 digits for every copy of every card: up to 69,999,999,999
_KPJ = r"^\d{11}$"
_NIK = r"^\d{16}$"
_DATE_COLUMNS = ("TGL_LAHIR", "TGL_KEPESERTAAN")


def _canonical(path: Path) -> pl.DataFrame:
    """A kepesertaan file's rows as text under the canonical column names."""
    from benchmarks.deltas import read_generated_csv

    if path.suffix.lower() == ".csv":
        return read_generated_csv(path)
    rows = read_xlsx_table(path, kepesertaan.SOURCE).rows
    frame = rows.select(
        pl.col(c).cast(pl.String) if c in rows.columns else pl.lit(None, pl.String).alias(c)
        for c in KEPESERTAAN_COLUMNS
    )
    # A native Excel date reads back as `YYYY-MM-DD 00:00:00`: its date is the cell.
    return frame.with_columns(pl.col(c).str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "$1") for c in _DATE_COLUMNS)


def _card(cell: pl.Expr) -> pl.Expr:
    """The card number of a NO_KPJ cell as 11 digits (an Excel number cell lost its leading zeros)."""
    digits = cell.str.strip_chars().str.replace(r"\.0+$", "")
    return pl.when(digits.str.contains(r"^\d{1,11}$")).then(digits.str.pad_start(11, "0")).otherwise(digits)


def _copy(frame: pl.DataFrame, cards: pl.DataFrame, copy: int) -> pl.DataFrame:
    """Copy `copy` of a file's rows: its cards renumbered, its people moved to another province code."""
    kpj = _card(pl.col("NO_KPJ"))
    renumbered = frame.with_columns(_kpj=kpj).join(cards, on="_kpj", how="left")
    new_kpj = (pl.col("_rank") + FIRST_KPJ + copy * cards.height).cast(pl.String)
    nik = pl.col("NIK").str.strip_chars()
    province = ((nik.str.slice(0, 2).cast(pl.Int32, strict=False) - 11 + 5 * copy) % 84 + 11).cast(pl.String)
    valid_nik = nik.str.contains(_NIK) & nik.str.slice(0, 2).cast(pl.Int32, strict=False).is_between(11, 94)
    return renumbered.with_columns(
        NO_KPJ=pl.when(kpj.str.contains(_KPJ)).then(new_kpj).otherwise(pl.col("NO_KPJ")),
        NIK=pl.when(valid_nik.fill_null(False)).then(province + nik.str.slice(2)).otherwise(pl.col("NIK")),
    ).select(KEPESERTAAN_COLUMNS)


def tile_history(source: Path, target: Path, scale: int) -> int:
    """The files of `source` into `target`, kepesertaan tiled `scale` times; returns the rows written."""
    target.mkdir(parents=True, exist_ok=True)
    files = {p: _canonical(p) for p in sorted(source.iterdir()) if p.name.lower().startswith("kepesertaan_")}
    distinct = pl.concat([f.select(_kpj=_card(pl.col("NO_KPJ"))) for f in files.values()]).unique()
    cards = distinct.filter(pl.col("_kpj").str.contains(_KPJ)).sort("_kpj").with_row_index("_rank")
    cards = cards.with_columns(pl.col("_rank").cast(pl.Int64))
    written = 0
    for path in sorted(source.iterdir()):
        if path not in files:
            shutil.copy(path, target / path.name)
            continue
        out = target / f"{re.sub(r'[.][^.]*$', '', path.name)}.csv"
        with open(out, "wb") as f:
            for copy in range(scale):
                _copy(files[path], cards, copy).write_csv(f, include_header=copy == 0)
        written += files[path].height * scale
    return written
