"""anggaran: what the province and the regencies budget for workers' premiums, and spend.

Each government reports twice in the year: a mid-year realisation, and a year-end one
that supersedes most lines with a higher REALISASI (a line it leaves out keeps its
mid-year value; a line it spoils is refused and does not supersede). Targets are set
from the workers each government actually pays for, and PAGU is the yearly premium
of Rp201.600 per targeted worker, sometimes rounded up to the million.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .formats import render_money, sector_spelling
from .model import BudgetLine, FileOutcome, LoadedBudgetRow, Refusal, Rng, shift_months
from .reference import PREMIUM_PER_WORKER_MONTH, PREMIUM_PER_WORKER_YEAR, Reference
from .writers import BLANK, CsvLayout, Number, Total, XlsxLayout, write_csv, write_xlsx

OWNER_NAMES = {  # how each of Maluku's governments signs its report (extracts.md, PEMDA)
    "81": ["Pemerintah Provinsi Maluku", "Pemprov Maluku"],
    "8101": ["Pemkab Maluku Tengah", "Pemerintah Kabupaten Maluku Tengah"],
    "8104": ["Pemkab Buru", "Pemerintah Kabupaten Buru"],
    "8106": ["Pemkab Seram Bagian Barat", "Pemerintah Kabupaten Seram Bagian Barat"],
    "8107": ["Pemkab Kepulauan Aru", "Pemerintah Kabupaten Kepulauan Aru"],
    "8108": ["Pemkab Maluku Barat Daya", "Pemerintah Kabupaten Maluku Barat Daya"],
    "8171": ["Pemkot Ambon", "Kota Ambon"],
    "8172": ["Kota Tual", "Pemkot Tual"],
}
EN_DASH_OPD = "Dinas Pariwisata – Seksi Destinasi"
OPDS = {
    "81": [
        ("Biro Kesejahteraan Rakyat", "PEKERJA_KEAGAMAAN"),
        ("Dinas Pariwisata", "TENAGA_WISATA"),
        (EN_DASH_OPD, "TENAGA_WISATA"),
        ("Dinas Kelautan dan Perikanan", "NELAYAN"),
        ("Dinas Tenaga Kerja dan Transmigrasi", "PEKERJA_RENTAN"),
        ("Dinas Sosial", "PEKERJA_RENTAN"),
        ("Badan Kepegawaian Daerah", "NON_ASN"),
        ("Dinas Pendidikan dan Kebudayaan", "GURU"),
    ],
    "8101": [
        ("Dinas PMD", "PERANGKAT_DESA"),
        ("Dinas Sosial", "PEKERJA_RENTAN"),
        ("Dinas Pendidikan", "GURU"),
        ("Bagian Kesra Setda", "PEKERJA_KEAGAMAAN"),
        ("Dinas PUPR", "JASA_KONSTRUKSI"),
    ],
    "8104": [("Dinas Pemberdayaan Masyarakat dan Desa", "PERANGKAT_DESA"), ("Dinas Perikanan", "NELAYAN")],
    "8106": [("Dinas PMD", "PERANGKAT_DESA"), ("BKPSDM", "NON_ASN"), ("Dinas Sosial", "PEKERJA_RENTAN")],
    "8107": [("Dinas Perikanan", "NELAYAN"), ("Dinas PMD", "PERANGKAT_DESA")],
    "8108": [("Dinas PMD", "PERANGKAT_DESA"), ("Dinas Sosial", "PEKERJA_RENTAN")],
    "8171": [
        ("BKD", "NON_ASN"),
        ("Dinas Pendidikan", "GURU"),
        ("Dinas Sosial", "PEKERJA_RENTAN"),
        ("Dinas Pariwisata", "TENAGA_WISATA"),
    ],
    "8172": [("Dinas Perikanan", "NELAYAN"), ("Dinas Sosial", "PEKERJA_RENTAN")],
}
# Lines that first appear in the year-end report.
LATE_OPDS = {"81": [("Dinas Perhubungan", "PEKERJA_RENTAN")], "8172": [("Dinas Pariwisata", "TENAGA_WISATA")]}


def _opds(ref: Reference, table: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
    """The OPDs above, each government's given to the one that plays its part in the served province (wrapping
    round in a province with fewer than eleven regencies: two parts' OPDs then merge, each OPD once)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for role, opds in table.items():
        mine = out.setdefault(ref.role(role), [])
        mine += [(opd, sector) for opd, sector in opds if opd not in {o for o, _ in mine}]
    return out


def _owner_names(ref: Reference) -> dict[str, list[str]]:
    """How each government of the served province signs its report: Maluku's as collected, another's by pattern."""
    if ref.province.code == "81":
        return OWNER_NAMES
    names = {ref.province.code: [ref.province.government, f"Pemprov {ref.province.name}"]}
    for code, regency in ref.regencies.items():
        if regency.kind == "kota":
            names[code] = [f"Pemkot {regency.short_name}", f"Kota {regency.short_name}"]
        else:
            names[code] = [f"Pemkab {regency.short_name}", f"Pemerintah Kabupaten {regency.short_name}"]
    return names


HEADER = ["TAHUN_ANGGARAN", "PEMDA", "NAMA_OPD", "SEKTOR_SASARAN", "JUMLAH_SASARAN", "PAGU", "REALISASI"]


@dataclass
class Report:
    """One file: several owners' lines as of one date."""

    name: str
    date: date
    rows: list  # (BudgetLine, spoil or None) ; spoil = (column, text, reason)


def _round_premium(rng: random.Random, targeted: int) -> int:
    pagu = targeted * PREMIUM_PER_WORKER_YEAR
    if rng.random() < 0.3:
        pagu = math.ceil(pagu / 1_000_000) * 1_000_000
    return pagu


def _spent(pagu: int, share: float) -> int:
    # Premiums are paid in whole months of Rp16.800 per worker.
    return int(pagu * share) // PREMIUM_PER_WORKER_MONTH * PREMIUM_PER_WORKER_MONTH


def plan_lines(
    rng: random.Random, year: int, funded: Counter, ref: Reference
) -> tuple[list[BudgetLine], list[BudgetLine], list[BudgetLine]]:
    """(mid-year lines, year-end lines, last year's final lines)."""
    mid, end, last_year = [], [], []
    opds, late_opds, province = _opds(ref, OPDS), _opds(ref, LATE_OPDS), ref.province.code
    for owner in sorted(opds):
        for opd, sector in opds[owner]:
            same = [o for o, s in opds[owner] if s == sector]
            workers = funded.get((owner, sector), 0) / len(same)
            targeted = max(20, round(workers * rng.uniform(1.05, 1.7) / 10) * 10)
            pagu = _round_premium(rng, targeted)
            first = _spent(pagu, rng.uniform(0.25, 0.55))
            mid.append(BudgetLine(year, owner, opd, sector, targeted, pagu, first))
            # The en-dash OPD always reports at year end: it lands in the Windows-1252 file.
            if rng.random() < 0.85 or opd == EN_DASH_OPD:
                end.append(
                    BudgetLine(
                        year,
                        owner,
                        opd,
                        sector,
                        targeted,
                        pagu,
                        max(first + PREMIUM_PER_WORKER_MONTH, _spent(pagu, rng.uniform(0.7, 1.0))),
                    )
                )
            if owner == province and rng.random() < 0.5:
                t = max(20, round(targeted * rng.uniform(0.6, 0.9) / 10) * 10)
                p = _round_premium(rng, t)
                last_year.append(BudgetLine(year - 1, owner, opd, sector, t, p, _spent(p, rng.uniform(0.8, 1.0))))
        for opd, sector in late_opds.get(owner, []):
            if opd in {o for o, _ in opds[owner]}:
                continue  # the part that reports late merged into one that has the OPD already
            targeted = rng.randrange(5, 30) * 10
            pagu = _round_premium(rng, targeted)
            end.append(BudgetLine(year, owner, opd, sector, targeted, pagu, _spent(pagu, rng.uniform(0.3, 0.6))))
    return mid, end, last_year


def _money_cell(amount: int, money_fmt: str, xlsx: bool):
    return Number(amount) if xlsx else render_money(amount, money_fmt)


@dataclass(frozen=True)
class ReportStyle:
    kind: str
    headers: list
    money_fmt: str = "plain"
    sector_style: str = "code"
    owner_variant: int = 0
    csv: CsvLayout = field(default_factory=CsvLayout)
    xlsx: XlsxLayout = field(default_factory=XlsxLayout)
    extra: str | None = None
    total: bool = False


def write_budget(
    out_dir: Path, ref: Reference, seed: int, as_of: date, funded: Counter, variety: bool, bad_rows: bool
) -> list[FileOutcome]:
    rng = Rng(f"{seed}:budget")
    year = as_of.year
    # Mid-year report: six months earlier, but inside the fiscal year when as_of allows it.
    mid_date = max(shift_months(as_of, -6), date(year, 1, 31))
    if mid_date >= as_of:
        mid_date = as_of - timedelta(days=20)
    mid, end, last_year = plan_lines(rng, year, funded, ref)
    role, province_code = ref.role, ref.province.code

    if bad_rows:
        # The province's year-end line for Dinas Sosial is spoiled: refused, so mid-year stands.
        spoil = ("REALISASI", None, "MONEY_INVALID")
        at = next((i for i, x in enumerate(end) if x.owner == province_code and x.opd == "Dinas Sosial"), None)
        if at is None:
            before = next(x for x in mid if x.owner == province_code and x.opd == "Dinas Sosial")
            end.append((before, spoil))
        else:
            end[at] = (end[at], spoil)

    if variety:
        # Whitespace and case as typed: the OPD keeps the spelling first seen (mid-year).
        for i, line in enumerate(end):
            if isinstance(line, BudgetLine) and line.owner == role("8101") and line.opd == "Dinas PMD":
                end[i] = BudgetLine(
                    line.year, line.owner, "DINAS PMD", line.sector, line.targeted, line.pagu, line.realisasi
                )
            elif isinstance(line, BudgetLine) and line.opd == "Dinas Sosial" and line.owner == role("8106"):
                end[i] = BudgetLine(
                    line.year, line.owner, " Dinas  Sosial ", line.sector, line.targeted, line.pagu, line.realisasi
                )

    def owners(lines, keep):
        return [x for x in lines if (x[0] if isinstance(x, tuple) else x).owner in keep]

    ambon = {role("8171")}
    province = {province_code}
    regencies = set(_opds(ref, OPDS)) - province
    # Ambon files its year-end report a fortnight early.
    ambon_date = as_of - timedelta(days=16)
    if variety:
        reports = [
            (f"anggaran_{mid_date:%Y%m%d}_pemprov.xlsx", mid_date, owners(mid, province) + last_year, _PROV_MID),
            (f"anggaran_{mid_date:%Y%m%d}_kabkota.csv", mid_date, owners(mid, regencies), _KAB_MID),
            (f"anggaran_{as_of:%Y%m%d}_pemprov.csv", as_of, owners(end, province), _PROV_END),
            (f"anggaran_{as_of:%Y%m%d}_kabkota.xlsx", as_of, owners(end, regencies - ambon), _KAB_END),
            (f"ANGGARAN_{ambon_date:%Y%m%d}_pemkot_ambon.csv", ambon_date, owners(end, ambon), _AMBON_END),
        ]
    else:
        reports = [
            (f"anggaran_{mid_date:%Y%m%d}.csv", mid_date, mid + last_year, _PLAIN),
            (f"anggaran_{as_of:%Y%m%d}.csv", as_of, end, _PLAIN),
        ]

    outcomes = []
    for name, when, lines, style in reports:
        rows = [(x if isinstance(x, tuple) else (x, None)) for x in lines]
        r = Rng(f"{seed}:budget-order:{name}")
        if bad_rows and when == as_of and (style is _KAB_END or not variety):
            for bad in _fresh_bad_rows(year, ref):
                rows.insert(r.randrange(len(rows) + 1), bad)
        if bad_rows and style is _AMBON_END:
            rows.append(
                (
                    BudgetLine(year, role("8171"), "Dinas Perhubungan", "PEKERJA_RENTAN", 150, 30_240_000, 0),
                    ("JUMLAH_SASARAN", "150 orang", "NUMBER_INVALID"),
                )
            )
        if variety and style.kind == "csv":
            r.shuffle(rows)  # hand-kept sheets are in no particular order
        outcomes.append(_write_report(out_dir, ref, name, when, rows, style, r))
    return outcomes


def _fresh_bad_rows(year: int, ref: Reference) -> list:
    """Lines that name no real key: an unknown sector, an unknown government (one of another province's), a
    missing OPD."""
    foreign = "Pemkab Halmahera Barat" if ref.province.code != "82" else "Pemkab Maluku Tengah"
    return [
        (
            BudgetLine(year, ref.role("8104"), "Dinas Pertanian", "?", 200, 40_320_000, 12_096_000),
            ("SEKTOR_SASARAN", "Petani", "SECTOR_UNKNOWN"),
        ),
        (
            BudgetLine(year, ref.role("8101"), "Dinas Sosial", "PEKERJA_RENTAN", 100, 20_160_000, 5_040_000),
            ("PEMDA", foreign, "REGENCY_UNKNOWN"),
        ),
        (
            BudgetLine(year, ref.role("8107"), "", "NELAYAN", 120, 24_192_000, 8_064_000),
            ("NAMA_OPD", "", "VALUE_MISSING"),
        ),
    ]


_PLAIN = ReportStyle("csv", HEADER)
_PROV_MID = ReportStyle(
    "xlsx",
    [*HEADER, "KETERANGAN"],
    sector_style="label",
    owner_variant=0,
    extra="KETERANGAN",
    total=True,
    xlsx=XlsxLayout(
        (
            "LAPORAN REALISASI ANGGARAN TAHUN {year}",
            "{government}",
            "PROGRAM PERLINDUNGAN JAMINAN SOSIAL KETENAGAKERJAAN",
        ),
        blank_after_titles=True,
        merge_titles=True,
        sheet_name="Realisasi",
    ),
)
_KAB_MID = ReportStyle(
    "csv",
    ["TAHUN", "PEMERINTAH_DAERAH", "OPD", "SEKTOR", "TARGET_PESERTA", "PAGU_ANGGARAN", "REALISASI"],
    money_fmt="dots",
    sector_style="code_lower",
    owner_variant=0,
    csv=CsvLayout("utf-8", ",", "\n"),
)
_PROV_END = ReportStyle(
    "csv",
    ["Tahun Anggaran", "Pemda", "SKPD", "Sektor Sasaran", "Jumlah Sasaran", "Pagu", "Realisasi"],
    money_fmt="rp_dots",
    sector_style="mixed_case",
    owner_variant=1,
    csv=CsvLayout("cp1252", ";", "\r\n"),
)
_KAB_END = ReportStyle(
    "xlsx",
    ["NO", "TAHUN_ANGGARAN", "PEMERINTAH DAERAH", "NAMA OPD", "SEKTOR", "JUMLAH SASARAN", "PAGU", "REALISASI"],
    sector_style="mixed",
    owner_variant=1,
    extra="NO",
    total=True,
    xlsx=XlsxLayout(
        ("REKAPITULASI REALISASI IURAN BPJS KETENAGAKERJAAN KABUPATEN/KOTA", "Keadaan s.d. akhir tahun"),
        sheet_name="Rekap",
    ),
)
_AMBON_END = ReportStyle(
    "csv",
    ["tahun", "pemda", "nama_opd", "sektor_sasaran", "jumlah_sasaran", "pagu", "realisasi"],
    money_fmt="dots_decimals",
    sector_style="label",
    owner_variant=0,
    csv=CsvLayout("utf-8-sig", "|", "\r\n", quote_all=True),
)


def _write_report(
    out_dir: Path, ref: Reference, name: str, when: date, rows: list, style: ReportStyle, rng: random.Random
) -> FileOutcome:
    xlsx = style.kind == "xlsx"
    owner_names = _owner_names(ref)
    canonical = ["NO"] if style.extra == "NO" else []
    canonical += HEADER + (["KETERANGAN"] if style.extra == "KETERANGAN" else [])
    body: list = []
    positions = []
    for i, (line, spoil) in enumerate(rows):
        owner = owner_names[line.owner][style.owner_variant]
        values = {
            "NO": Number(i + 1, "0"),
            "TAHUN_ANGGARAN": Number(line.year, "0") if xlsx else str(line.year),
            "PEMDA": owner,
            "NAMA_OPD": line.opd,
            "SEKTOR_SASARAN": sector_spelling(ref, line.sector, style.sector_style, rng) if line.sector != "?" else "",
            "JUMLAH_SASARAN": Number(line.targeted, "0") if xlsx else str(line.targeted),
            "PAGU": _money_cell(line.pagu, style.money_fmt, xlsx),
            "REALISASI": _money_cell(line.realisasi, style.money_fmt, xlsx),
            "KETERANGAN": rng.choice(["", "", "Triwulan II", "sesuai SP2D", "menunggu SPJ"]),
        }
        if spoil:
            column, text, _ = spoil
            if text is None:
                # A negative amount, typed the way the file types money.
                amount = line.realisasi if column == "REALISASI" else line.pagu
                text = Number(-amount) if xlsx else "-" + render_money(amount, style.money_fmt)
            values[column] = text
        body.append([values[c] for c in canonical])
        positions.append(len(body))
    if xlsx and style.total:
        pagu_col = canonical.index("PAGU")
        total = [""] * len(canonical)
        total[0] = "JUMLAH"
        total[pagu_col] = Number(sum(line.pagu for line, _ in rows))
        total[pagu_col + 1] = Number(sum(line.realisasi for line, _ in rows))
        body.append(BLANK)
        body.append(Total(total))
    path = out_dir / name
    if xlsx:
        layout = style.xlsx
        layout = XlsxLayout(
            tuple(t.format(year=when.year, government=ref.province.government.upper()) for t in layout.titles),
            layout.blank_after_titles,
            layout.merge_titles,
            layout.sheet_name,
        )
        write_xlsx(path, style.headers, body, layout)
    else:
        write_csv(path, style.headers, body, style.csv)
    outcome = FileOutcome(name, "anggaran", "LOADED", when, rows_read=len(rows))
    for (line, spoil), number in zip(rows, positions, strict=False):
        if spoil:
            outcome.refused.append(Refusal(name, number, spoil[2], spoil[0]))
        else:
            outcome.budget.append(LoadedBudgetRow(line, when, name, number))
    return outcome
