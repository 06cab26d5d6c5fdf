"""`angkatan_kerja`: eligible workers per (year, regency, sector), the coverage denominators."""

import polars as pl

from ingest.codes import parse_sector
from ingest.columns import Column, Source
from ingest.numbers import parse_count, parse_year
from ingest.regency import parse_regency

SOURCE = Source(
    "angkatan_kerja",
    (
        Column("TAHUN", True, parse_year, "NUMBER_INVALID"),
        Column("KAB_KOTA", True, lambda t, x: parse_regency(t), "REGENCY_UNKNOWN", ("KABUPATEN_KOTA",)),
        Column("SEKTOR", True, lambda t, x: parse_sector(t), "SECTOR_UNKNOWN"),
        Column("JUMLAH_PEKERJA", True, parse_count, "NUMBER_INVALID", ("JUMLAH",)),
    ),
)

RAW_COLUMNS = {
    "year": pl.col("TAHUN").cast(pl.Int32),
    "regency_code": pl.col("KAB_KOTA"),
    "sector": pl.col("SEKTOR"),
    "eligible_workers": pl.col("JUMLAH_PEKERJA"),
}
