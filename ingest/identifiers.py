"""NIK and KPJ numbers: validity, what a NIK says of its holder, and masking for error reports."""

import polars as pl

_NIK = r"^\d{16}$"


def _nik_part(nik: pl.Expr, group: int) -> pl.Expr:
    """The `group`-th two-digit field of a NIK (1: province ... 6: year of birth); null where not two digits."""
    return nik.str.slice(2 * (group - 1), 2).cast(pl.Int32, strict=False)


def nik_digits(text: pl.Expr) -> pl.Expr:
    """The NIK's 16 digits; an Excel number cell (its 16 digits, perhaps followed by `.0`) gives its integer digits."""
    return text.str.strip_chars().str.replace(r"^(\d{16})\.0+$", "$1")


def nik_is_valid(nik: pl.Expr) -> pl.Expr:
    """16 digits, province 11–96 (the four Papua provinces made in 2022 included), birth day 01–31 (after removing 40
    for women), month 01–12."""
    province, day, month = _nik_part(nik, 1), _nik_part(nik, 4) % 40, _nik_part(nik, 5)
    valid = nik.str.contains(_NIK) & province.is_between(11, 96) & day.is_between(1, 31) & month.is_between(1, 12)
    return valid.fill_null(False)


def common_nik(text: pl.Expr) -> pl.Expr:
    """A valid NIK already written as its 16 digits (nearly every cell): the same as `nik_digits` then `nik_is_valid`."""
    return pl.when(nik_is_valid(text)).then(text)


def nik_sex(nik: pl.Expr) -> pl.Expr:
    """`P` when 40 was added to the birth day, else `L` (of a valid NIK)."""
    return pl.when(_nik_part(nik, 4) > 40).then(pl.lit("P")).otherwise(pl.lit("L"))


def nik_birth_day_month(nik: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Day, month and two-digit year of birth written in a valid NIK."""
    return _nik_part(nik, 4) % 40, _nik_part(nik, 5), _nik_part(nik, 6)


def mask_nik(text: pl.Expr) -> pl.Expr:
    """What an error report may show of a NIK: its first 4 characters and its length (`8171… (15)`)."""
    s = text.str.strip_chars()
    return pl.concat_str(s.str.slice(0, 4), pl.lit("… ("), s.str.len_chars().cast(pl.String), pl.lit(")"))


def common_kpj(text: pl.Expr) -> pl.Expr:
    """A membership number already written as its 11 digits (nearly every cell): as `parse_kpj` reads it."""
    return pl.when(text.str.contains(r"^\d{11}$")).then(text)


def parse_kpj(text: pl.Expr, excel: bool = False) -> pl.Expr:
    """An 11-digit membership number; in XLSX a number cell lost its leading zeros, so pad it back."""
    s = text.str.strip_chars()
    if excel:
        s = s.str.replace(r"^(\d{1,11})(\.0+)?$", "$1").str.zfill(11)
    return pl.when(s.str.contains(r"^\d{11}$")).then(s)
