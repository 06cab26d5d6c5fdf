"""`kepesertaan`: enrolment deltas, one row per membership (KPJ card) that changed."""

import polars as pl

from ingest import codes
from ingest.columns import Column, Source
from ingest.dates import parse_common_timestamp, parse_date, parse_month, parse_timestamp
from ingest.identifiers import (
    common_kpj,
    common_nik,
    mask_nik,
    nik_birth_day_month,
    nik_digits,
    nik_is_valid,
    nik_sex,
    parse_kpj,
)
from ingest.numbers import parse_money
from ingest.regency import parse_regency


def _nik(text: pl.Expr, excel: bool) -> pl.Expr:
    digits = nik_digits(text)
    return pl.when(nik_is_valid(digits)).then(digits)


def _text(text: pl.Expr, excel: bool) -> pl.Expr:
    return text.str.replace_all(r"\s+", " ")


def _code(values: dict[str, str]):
    return lambda text, excel: codes.parse_code(text, values)


# Membership numbers, NIKs and update times are (nearly) all distinct: they are parsed row by row, in bulk.
SOURCE = Source(
    "kepesertaan",
    (
        Column("NO_KPJ", True, parse_kpj, "KPJ_INVALID", ("KPJ", "NOMOR_KPJ"), distinct=False, fast=common_kpj),
        Column("NIK", True, _nik, "NIK_INVALID", ("NO_NIK",), mask=mask_nik, distinct=False, fast=common_nik),
        Column("NAMA_LENGKAP", False, None, aliases=("NAMA",)),
        Column("TGL_LAHIR", False, parse_date, "DATE_INVALID", ("TANGGAL_LAHIR",)),
        Column("JENIS_KELAMIN", False, _code(codes.JENIS_KELAMIN), "CODE_UNKNOWN", ("JK",)),
        Column("KAB_KOTA", True, lambda t, x: parse_regency(t), "REGENCY_UNKNOWN", ("KABUPATEN_KOTA", "WILAYAH")),
        Column("KECAMATAN", False, _text),
        Column("SEGMEN", True, _code(codes.SEGMEN), "CODE_UNKNOWN"),
        Column("PEKERJAAN", False, _text),
        Column("SUMBER_IURAN", True, _code(codes.SUMBER_IURAN), "CODE_UNKNOWN", ("SUMBER_DANA",)),
        Column("PROGRAM", False, lambda t, x: codes.parse_programs(t), "CODE_UNKNOWN"),
        Column("UPAH", False, parse_money, "MONEY_INVALID", ("UPAH_DILAPORKAN",)),
        Column("TGL_KEPESERTAAN", True, parse_date, "DATE_INVALID", ("TGL_DAFTAR",)),
        Column("BLTH_TERAKHIR", False, lambda t, x: parse_month(t), "DATE_INVALID"),
        Column("STATUS", True, _code(codes.STATUS), "CODE_UNKNOWN"),
        Column(
            "TGL_UPDATE",
            True,
            lambda t, x: parse_timestamp(t),
            "DATE_INVALID",
            distinct=False,
            fast=parse_common_timestamp,
        ),
    ),
)

# Raw table columns, in order; `nik` is turned into `person_id` by the loader and never stored.
RAW_COLUMNS = {
    "no_kpj": pl.col("NO_KPJ").cast(pl.Int64),  # 11 digits always: stored as an integer (ingest/warehouse.py)
    "nik": pl.col("NIK"),
    "birth_year": pl.col("TGL_LAHIR").dt.year().cast(pl.Int16),
    "sex": pl.col("JENIS_KELAMIN"),
    "regency_code": pl.col("KAB_KOTA"),
    "district": pl.col("KECAMATAN"),
    "segmen": pl.col("SEGMEN"),
    "occupation": pl.col("PEKERJAAN"),
    "sumber_iuran": pl.col("SUMBER_IURAN"),
    "programs": pl.col("PROGRAM"),
    "wage_idr": pl.col("UPAH"),
    "membership_date": pl.col("TGL_KEPESERTAAN"),
    "last_paid_month": pl.col("BLTH_TERAKHIR"),
    "status": pl.col("STATUS"),
    "updated_at": pl.col("TGL_UPDATE"),
}


def nik_findings(rows: pl.DataFrame) -> dict[tuple[str, str], int]:
    """Rows whose birth date or sex disagrees with what their NIK says: loaded, and counted here."""
    day, month, year2 = nik_birth_day_month(pl.col("NIK"))
    birth = pl.col("TGL_LAHIR")
    birth_mismatch = birth.is_not_null() & (
        (birth.dt.day() != day) | (birth.dt.month() != month) | ((birth.dt.year() % 100) != year2)
    )
    sex_mismatch = pl.col("JENIS_KELAMIN").is_not_null() & (pl.col("JENIS_KELAMIN") != nik_sex(pl.col("NIK")))
    counts = rows.select(birth_mismatch.sum().alias("b"), sex_mismatch.sum().alias("s")).row(0)
    findings = {("TGL_LAHIR", "NIK_BIRTHDATE_MISMATCH"): counts[0], ("JENIS_KELAMIN", "NIK_SEX_MISMATCH"): counts[1]}
    return {k: int(v) for k, v in findings.items() if v}
