"""How values are spelled in the files: every variant here is one extracts.md accepts.

Each function takes the canonical value and a style choice and returns the text (or
the native value for Excel cells). Functions that lose information (a timestamp
written to the minute) have a twin telling the truth what the reader will see.
"""

from __future__ import annotations

import random
from datetime import date, datetime

from .reference import SEGMENT_LONG, Reference

INDO_MONTHS = [
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
]
INDO_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nov", "Des"]


def _case(text: str, case: str) -> str:
    if case == "upper":
        return text.upper()
    if case == "lower":
        return text.lower()
    return text


def render_date(d: date, fmt: str, case: str = "title", august: str = "Agt") -> str:
    if fmt == "dd/mm/yyyy":
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    if fmt == "d/m/yyyy":
        return f"{d.day}/{d.month}/{d.year:04d}"
    if fmt == "dd-mm-yyyy":
        return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"
    if fmt == "yyyy-mm-dd":
        return d.isoformat()
    if fmt == "indo_full":
        return _case(f"{d.day} {INDO_MONTHS[d.month - 1]} {d.year}", case)
    if fmt == "indo_short":
        month = august if d.month == 8 else INDO_SHORT[d.month - 1]
        return _case(f"{d.day} {month} {d.year}", case)
    raise ValueError(fmt)


def render_impossible_date(year: int, fmt: str) -> str:
    """February 31st in the file's own date format (DATE_INVALID)."""
    if fmt == "dd/mm/yyyy":
        return f"31/02/{year}"
    if fmt == "d/m/yyyy":
        return f"31/2/{year}"
    if fmt == "dd-mm-yyyy":
        return f"31-02-{year}"
    if fmt == "yyyy-mm-dd":
        return f"{year}-02-31"
    if fmt == "indo_full":
        return f"31 Februari {year}"
    return f"31 Feb {year}"


def render_ts(ts: datetime, fmt: str) -> str:
    # f-strings, not strftime: this runs once per row and strftime is several times slower.
    if fmt == "yyyy-mm-dd hh:mm:ss":
        return f"{ts.year:04d}-{ts.month:02d}-{ts.day:02d} {ts.hour:02d}:{ts.minute:02d}:{ts.second:02d}"
    if fmt == "dd/mm/yyyy hh:mm":
        return f"{ts.day:02d}/{ts.month:02d}/{ts.year:04d} {ts.hour:02d}:{ts.minute:02d}"
    raise ValueError(fmt)


def ts_as_read(ts: datetime, fmt: str | None) -> datetime:
    """The timestamp the reader gets back: a format without seconds drops them."""
    if fmt == "dd/mm/yyyy hh:mm":
        return ts.replace(second=0, microsecond=0)
    return ts.replace(microsecond=0)


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def render_money(amount: int, fmt: str) -> str:
    if fmt == "dots":
        return _thousands(amount)
    if fmt == "dots_decimals":
        return _thousands(amount) + ",00"
    if fmt == "rp_dots":
        return "Rp " + _thousands(amount)
    if fmt == "rp_plain":
        return f"Rp{amount}"
    if fmt == "plain":
        return str(amount)
    raise ValueError(fmt)


def render_code(code: str, case: str, rng: random.Random | None = None) -> str:
    """A code value as clerks type it: APBD_KAB, apbd_kab, APBD KAB, Apbd Kab."""
    if case == "mixed" and rng is not None:
        case = rng.choice(["upper", "lower", "title", "spaced"])
    if case == "upper":
        return code
    if case == "lower":
        return code.lower()
    if case == "title":
        return code.replace("_", " ").title()
    if case == "spaced":
        return code.replace("_", " ")
    raise ValueError(case)


def render_segmen(code: str, case: str, rng: random.Random) -> str:
    if case == "long":
        return SEGMENT_LONG[code] if rng.random() < 0.8 else code
    return render_code(code, case, rng)


def render_sex(sex: str, style: str) -> str:
    if style == "long":
        return {"L": "LAKI-LAKI", "P": "PEREMPUAN"}[sex]
    if style == "long_title":
        return {"L": "Laki-laki", "P": "Perempuan"}[sex]
    if style == "lower":
        return sex.lower()
    return sex


def render_blth(ym: tuple[int, int] | None, fmt: str) -> str:
    if ym is None:
        return ""
    y, m = ym
    if fmt == "yyyymm":
        return f"{y:04d}{m:02d}"
    if fmt == "mm-yyyy":
        return f"{m:02d}-{y:04d}"
    return f"{y:04d}-{m:02d}"


def render_program(program: tuple[str, ...], sep: str) -> str:
    return sep.join(program)


class RegencySpeller:
    """Regency names as they appear in the field: seed aliases, codes, dotted codes, any case."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.by_kind: dict[str, dict[str, list[str]]] = {}
        for code, aliases in ref.aliases.items():
            for alias, kind in aliases:
                # "Pemkab X" names a budget owner, not a place a worker lives in.
                if alias.lower().startswith(("pemkab", "pemkot")):
                    continue
                self.by_kind.setdefault(kind, {}).setdefault(code, []).append(alias)
        # A short name two regencies share (Kabupaten and Kota Malang) names neither: the official name instead.
        shorts = [r.short_name.upper() for r in ref.regencies.values()]
        self.short = {
            code: r.short_name if shorts.count(r.short_name.upper()) == 1 else r.name
            for code, r in ref.regencies.items()
        }

    def spell(self, code: str, style: str, rng: random.Random) -> str:
        ref = self.ref
        if style == "official":
            return ref.regencies[code].name
        if style == "upper":
            return ref.regencies[code].name.upper()
        if style == "code":
            return code
        if style == "dotted":
            return f"{code[:2]}.{code[2:]}"
        if style == "short":
            return self.short[code]
        # "mixed": any known spelling, the official one most often.
        roll = rng.random()
        if roll < 0.35:
            text = ref.regencies[code].name
        elif roll < 0.55:
            text = rng.choice(self.by_kind["official_or_prefix_variant"][code])
        elif roll < 0.65:
            text = rng.choice(self.by_kind.get("abbreviation", {}).get(code) or [self.short[code]])
        elif roll < 0.72:
            text = rng.choice(self.by_kind.get("capital_town", {}).get(code) or [self.short[code]])
        elif roll < 0.76:
            text = rng.choice(
                self.by_kind.get("former_name", {}).get(code)
                or self.by_kind.get("other_name", {}).get(code)
                or [ref.regencies[code].name]
            )
        elif roll < 0.79:
            text = rng.choice(self.by_kind.get("other_name", {}).get(code) or [ref.regencies[code].name])
        elif roll < 0.9:
            text = rng.choice(self.by_kind["kemendagri_code"][code])
        else:
            text = rng.choice(self.by_kind["official_or_prefix_variant"][code])
            # Case and spacing vary by hand; matching ignores both.
            text = text.upper() if rng.random() < 0.5 else text.lower()
            if rng.random() < 0.4:
                text = text.replace(" ", "  ", 1)
        return text


def sector_spelling(ref: Reference, sector: str, style: str, rng: random.Random) -> str:
    """SEKTOR as code or label (sectors.md), in the case the style asks for."""
    if style == "code":
        return sector
    if style == "code_lower":
        return sector.lower()
    labels = ref.sector_labels[sector]
    if style == "label":
        return labels[0]
    label = rng.choice(labels) if style in ("mixed", "mixed_case") else labels[0]
    if style == "mixed" and rng.random() < 0.25:
        return sector
    if style == "mixed_case":
        label = rng.choice([label, label.upper(), label.lower()])
    return label
