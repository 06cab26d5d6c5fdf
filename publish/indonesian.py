"""Numbers as an Indonesian reader writes them: a dot between thousands, a comma before decimals
(Rp201.600; 39,6%), and dates with Indonesian month names."""

import datetime as dt
from decimal import Decimal

MISSING = "–"
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
# The d3-format locale Vega uses for axes and legends, so the charts agree with the text around them.
D3_FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""], "percent": "%"}
D3_TIME_LOCALE = {
    "dateTime": "%A, %e %B %Y %X",
    "date": "%d/%m/%Y",
    "time": "%H.%M.%S",
    "periods": ["AM", "PM"],
    "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
    "months": list(MONTHS),
    "shortMonths": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
}


def _swap_separators(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """`59798` → `59.798`; `1234.5, 1` → `1.234,5`."""
    if value is None:
        return MISSING
    return _swap_separators(f"{value:,.{decimals}f}")


def rupiah(value: int | float | Decimal | None) -> str:
    """`201600` → `Rp201.600` (whole Rupiah: the cents of a budget are noise to its readers)."""
    if value is None:
        return MISSING
    return ("-" if value < 0 else "") + "Rp" + number(abs(value))  # type: ignore[arg-type]


def percent(value: float | Decimal | None, decimals: int = 1) -> str:
    """A rate as a fraction (`0.3962`) → `39,6%`."""
    if value is None:
        return MISSING
    return number(float(value) * 100, decimals) + "%"


def points(value: float | None, decimals: int = 1) -> str:
    """A change of rate in percentage points, signed: `+0,4 poin`."""
    if value is None:
        return MISSING
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number(abs(value) * 100, decimals)} poin"


def date(value: dt.date | None) -> str:
    """`2024-12-31` → `31 Desember 2024`."""
    if value is None:
        return MISSING
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month(value: dt.date) -> str:
    """`2024-12-01` → `Desember 2024`."""
    return f"{MONTHS[value.month - 1]} {value.year}"
