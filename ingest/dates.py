"""Dates, timestamps and months as the extracts write them (Indonesian formats, Excel cells)."""

import polars as pl

# Full Indonesian month names and the short forms seen in the field.
MONTHS = {
    "JANUARI": 1,
    "JAN": 1,
    "FEBRUARI": 2,
    "FEB": 2,
    "PEBRUARI": 2,
    "PEB": 2,
    "MARET": 3,
    "MAR": 3,
    "APRIL": 4,
    "APR": 4,
    "MEI": 5,
    "JUNI": 6,
    "JUN": 6,
    "JULI": 7,
    "JUL": 7,
    "AGUSTUS": 8,
    "AGT": 8,
    "AGU": 8,
    "AGS": 8,
    "SEPTEMBER": 9,
    "SEP": 9,
    "SEPT": 9,
    "OKTOBER": 10,
    "OKT": 10,
    "NOVEMBER": 11,
    "NOV": 11,
    "NOPEMBER": 11,
    "NOP": 11,
    "DESEMBER": 12,
    "DES": 12,
}

_EXCEL_EPOCH = pl.date(1899, 12, 30)
_NUMERIC_DATE = r"^(\d{1,2})([/-])(\d{1,2})[/-](\d{4})$"
_ISO_DATE = r"^(\d{4})-(\d{1,2})-(\d{1,2})$"
_NAMED_MONTH = r"^(\d{1,2})[\s-]+([A-Z]+)\.?[\s-]+(\d{4})$"
_MIDNIGHT = r"\s+00:00(:00(\.0+)?)?$"


def _iso(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    return pl.concat_str(year, pl.lit("-"), month.str.zfill(2), pl.lit("-"), day.str.zfill(2))


def _same_separator(text: pl.Expr) -> pl.Expr:
    # `9/3-2000` is not a date: both separators must be the same.
    return text.str.count_matches("/") != 1


def parse_date(text: pl.Expr, excel: bool = False) -> pl.Expr:
    """A date from `DD/MM/YYYY`, `DD-MM-YYYY`, `D/M/YYYY`, `YYYY-MM-DD` or `17 Agustus 1985`.

    Impossible dates (`31/02/2024`) give null. With `excel`, Excel date cells (read as
    `YYYY-MM-DD 00:00:00`) and date serial numbers are accepted too.
    """
    s = text.str.strip_chars().str.to_uppercase()
    if excel:
        s = s.str.replace(_MIDNIGHT, "")
    numeric = _iso(s.str.extract(_NUMERIC_DATE, 4), s.str.extract(_NUMERIC_DATE, 3), s.str.extract(_NUMERIC_DATE, 1))
    numeric = pl.when(_same_separator(s)).then(numeric)
    iso = _iso(s.str.extract(_ISO_DATE, 1), s.str.extract(_ISO_DATE, 2), s.str.extract(_ISO_DATE, 3))
    month_number = (
        s.str.extract(_NAMED_MONTH, 2).replace_strict(MONTHS, default=None, return_dtype=pl.Int32).cast(pl.String)
    )
    named = _iso(s.str.extract(_NAMED_MONTH, 3), month_number, s.str.extract(_NAMED_MONTH, 1))
    parsed = pl.coalesce(numeric, iso, named).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    if excel:
        serial = s.str.extract(r"^(\d{1,7})(\.0+)?$", 1).cast(pl.Int64, strict=False)
        from_serial = pl.when(serial.is_between(1, 2958465)).then(_EXCEL_EPOCH + pl.duration(days=serial))
        parsed = pl.coalesce(parsed, from_serial)
    return parsed


_TIMESTAMP_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(\.\d+)?$"
_TIMESTAMP_DMY = r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$"


def _iso_timestamp(pattern: str, s: pl.Expr, y: int, m: int, d: int) -> pl.Expr:
    parts = s.str.extract_groups(pattern)  # one regex pass for all seven groups

    def group(i: int) -> pl.Expr:
        return parts.struct.field(str(i))

    return pl.concat_str(
        _iso(group(y), group(m), group(d)),
        pl.lit(" "),
        group(4).str.zfill(2),
        pl.lit(":"),
        group(5),
        pl.lit(":"),
        group(6).fill_null("00"),
    )


# The two forms branch systems write, zero-padded; `parse_timestamp` reads each the same way.
_COMMON_TIMESTAMPS = (
    (r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", "%Y-%m-%d %H:%M:%S"),
    (r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$", "%d/%m/%Y %H:%M"),
)


def parse_common_timestamp(text: pl.Expr) -> pl.Expr:
    """Only `YYYY-MM-DD HH:MM:SS` and `DD/MM/YYYY HH:MM`, zero-padded: cheap, for columns of many distinct values."""
    return pl.coalesce(
        pl.when(text.str.contains(pattern)).then(text.str.strptime(pl.Datetime("us"), fmt, strict=False))
        for pattern, fmt in _COMMON_TIMESTAMPS
    )


def parse_timestamp(text: pl.Expr) -> pl.Expr:
    """A naive timestamp meaning WIT from `YYYY-MM-DD HH:MM:SS`, `DD/MM/YYYY HH:MM` or an Excel datetime cell."""
    s = text.str.strip_chars()
    iso = _iso_timestamp(_TIMESTAMP_ISO, s, 1, 2, 3)
    dmy = _iso_timestamp(_TIMESTAMP_DMY, s, 3, 2, 1)
    return pl.coalesce(iso, dmy).str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)


_MONTH_PATTERNS = (
    (r"^(\d{4})(\d{2})$", 1, 2),
    (r"^(\d{1,2})[-/](\d{4})$", 2, 1),
    (r"^(\d{4})[-/](\d{1,2})$", 1, 2),
)


def parse_month(text: pl.Expr) -> pl.Expr:
    """The first day of a month written `YYYYMM`, `MM-YYYY` or `YYYY-MM`."""
    s = text.str.strip_chars()
    candidates = [
        _iso(s.str.extract(pattern, y), s.str.extract(pattern, m), pl.lit("1")) for pattern, y, m in _MONTH_PATTERNS
    ]
    return pl.coalesce(candidates).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
