"""`anggaran`: budget realisation reports, one row per (year, owner, OPD, target sector)."""

import polars as pl

from ingest.codes import parse_sector
from ingest.columns import Column, Source
from ingest.numbers import parse_count, parse_money, parse_year
from ingest.regency import parse_budget_owner

SOURCE = Source(
    "anggaran",
    (
        Column("TAHUN_ANGGARAN", True, parse_year, "NUMBER_INVALID", ("TAHUN",)),
        Column("PEMDA", True, lambda t, x: parse_budget_owner(t), "REGENCY_UNKNOWN", ("PEMERINTAH_DAERAH",)),
        Column("NAMA_OPD", True, lambda t, x: t.str.replace_all(r"\s+", " "), aliases=("OPD", "SKPD")),
        Column("SEKTOR_SASARAN", True, lambda t, x: parse_sector(t), "SECTOR_UNKNOWN", ("SEKTOR",)),
        Column("JUMLAH_SASARAN", True, parse_count, "NUMBER_INVALID", ("TARGET_PESERTA",)),
        Column("PAGU", True, parse_money, "MONEY_INVALID", ("PAGU_ANGGARAN",)),
        Column("REALISASI", True, parse_money, "MONEY_INVALID"),
    ),
)

RAW_COLUMNS = {
    "fiscal_year": pl.col("TAHUN_ANGGARAN").cast(pl.Int32),
    "owner_code": pl.col("PEMDA"),
    "opd_name": pl.col("NAMA_OPD"),
    "sector": pl.col("SEKTOR_SASARAN"),
    "targeted_workers": pl.col("JUMLAH_SASARAN"),
    "pagu_idr": pl.col("PAGU"),
    "realisasi_idr": pl.col("REALISASI"),
}
