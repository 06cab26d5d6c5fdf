"""NIK and KPJ numbers: validity, what a NIK says of its holder, and masking for error reports."""

import polars as pl

_NIK = r"^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{4})$"


def _nik_part(nik: pl.Expr, group: int) -> pl.Expr:
    return nik.str.extract(_NIK, group).cast(pl.Int32)


def nik_digits(text: pl.Expr) -> pl.Expr:
    """The NIK's 16 digits; an Excel number cell (its 16 digits, perhaps followed by `.0`) gives its integer digits."""
    return text.str.strip_chars().str.replace(r"^(\d{16})\.0+$", "$1")


def nik_is_valid(nik: pl.Expr) -> pl.Expr:
    """16 digits, province 11–94, birth day 01–31 (after removing 40 for women), month 01–12."""
    province, day, month = _nik_part(nik, 1), _nik_part(nik, 4) % 40, _nik_part(nik, 5)
    valid = province.is_between(11, 94) & day.is_between(1, 31) & month.is_between(1, 12)
    return valid.fill_null(False)


def nik_sex(nik: pl.Expr) -> pl.Expr:
    """`P` when 40 was added to the birth day, else `L`."""
    return pl.when(_nik_part(nik, 4) > 40).then(pl.lit("P")).otherwise(pl.lit("L"))


def nik_birth_day_month(nik: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Day, month and two-digit year of birth written in a NIK."""
    return _nik_part(nik, 4) % 40, _nik_part(nik, 5), _nik_part(nik, 6)


def mask_nik(text: pl.Expr) -> pl.Expr:
    """What an error report may show of a NIK: its first 4 characters and its length (`8171… (15)`)."""
    s = text.str.strip_chars()
    return pl.concat_str(s.str.slice(0, 4), pl.lit("… ("), s.str.len_chars().cast(pl.String), pl.lit(")"))


def parse_kpj(text: pl.Expr, excel: bool = False) -> pl.Expr:
    """An 11-digit membership number; in XLSX a number cell lost its leading zeros, so pad it back."""
    s = text.str.strip_chars()
    if excel:
        s = s.str.replace(r"^(\d{1,11})(\.0+)?$", "$1").str.zfill(11)
    return pl.when(s.str.contains(r"^\d{11}$")).then(s)
