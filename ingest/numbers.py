"""Rupiah amounts and counts as people write them: `.` for thousands, `,` for decimals."""

import polars as pl

MONEY = pl.Decimal(18, 2)

_RUPIAH_PREFIX = r"^RP\.?\s*"
_GROUPED = r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$"
_PLAIN = r"^\d+(,\d{1,2})?$"
# An Excel number cell reads as its decimal form (`1500000.5`), never with thousands groups.
_EXCEL_NUMBER = r"^\d+(\.\d+)?$"


def parse_money(text: pl.Expr, excel: bool = False) -> pl.Expr:
    """Rupiah as DECIMAL(18,2) from `1.500.000`, `1.500.000,00`, `Rp 1.500.000`, `Rp1500000`, `1500000`.

    Negative or unreadable amounts give null. With `excel`, native number cells are read
    as numbers; a text that reads both ways (`1.500`) is taken in the Indonesian way.
    """
    s = text.str.strip_chars().str.to_uppercase().str.replace(_RUPIAH_PREFIX, "")
    indonesian: pl.Expr = pl.when(s.str.contains(_GROUPED) | s.str.contains(_PLAIN)).then(
        s.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    )
    if excel:
        indonesian = pl.coalesce(indonesian, pl.when(s.str.contains(_EXCEL_NUMBER)).then(s))
    return indonesian.cast(MONEY, strict=False)


_COUNT = r"^(\d+|\d{1,3}(\.\d{3})+)$"


def parse_count(text: pl.Expr, excel: bool = False) -> pl.Expr:
    """A non-negative whole number (`1250`, `1.250`); with `excel`, a number cell such as `1250.0` too."""
    s = text.str.strip_chars()
    if excel:
        s = s.str.replace(r"^(\d+)\.0+$", "$1")
    return pl.when(s.str.contains(_COUNT)).then(s.str.replace_all(".", "", literal=True)).cast(pl.Int64, strict=False)


def parse_year(text: pl.Expr, excel: bool = False) -> pl.Expr:
    """A four-digit year between 1900 and 2199."""
    year = parse_count(text, excel)
    return pl.when(year.is_between(1900, 2199) & text.str.strip_chars().str.contains(r"^\d{4}(\.0+)?$")).then(year)
