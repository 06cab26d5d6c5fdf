"""angkatan_kerja: eligible workers per regency and sector, this year and last.

The counts are drawn around the simulated coverage so that the province lands near
the 40% reported for Maluku in 2024, with sectors and regencies spread around it:
village officials (paid by village funds) and wage earners well covered, fishermen,
vulnerable and other informal workers far less, Ambon above the province and the
remote regencies below.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date
from pathlib import Path

from .formats import RegencySpeller, sector_spelling
from .model import FileOutcome, Refusal, Rng
from .reference import POPULATION_DEC_2024, SECTORS, Reference, maluku_role
from .writers import BLANK, CsvLayout, Formula, Number, Total, XlsxLayout, write_csv, write_xlsx

PROVINCE_RATE = 0.40

SECTOR_RATE = {
    "PERANGKAT_DESA": 0.85,
    "PEKERJA_KEAGAMAAN": 0.45,
    "JASA_KONSTRUKSI": 0.5,
    "NON_ASN": 0.7,
    "GURU": 0.55,
    "TENAGA_WISATA": 0.35,
    "NELAYAN": 0.2,
    "PEKERJA_RENTAN": 0.25,
    "PEKERJA_MIGRAN": 0.6,
    "PENERIMA_UPAH_LAINNYA": 0.75,
    "BPU_LAINNYA": 0.15,
}
REGENCY_RATE = {
    "8171": 1.3,
    "8172": 1.1,
    "8101": 1.0,
    "8102": 0.95,
    "8103": 0.9,
    "8104": 0.95,
    "8105": 0.85,
    "8106": 0.95,
    "8107": 0.85,
    "8108": 0.75,
    "8109": 0.8,
}


def eligible_counts(rng: random.Random, covered: Counter, ref: Reference) -> dict[tuple[str, str], int]:
    regencies = sorted(ref.regencies)
    population = {r: POPULATION_DEC_2024[maluku_role(r)] for r in regencies}
    total_pop = sum(population.values())
    total_cov = max(1, sum(covered.values()))
    raw: dict[tuple[str, str], float] = {}
    for r in regencies:
        share = population[r] / total_pop
        for s in SECTORS:
            rate = SECTOR_RATE[s] * REGENCY_RATE[maluku_role(r)] * math.exp(rng.gauss(0, 0.2))
            rate = min(0.95, max(0.05, rate))
            # A cell nobody is covered in still has workers: a floor from the population share.
            floor = total_cov * share * 0.02
            raw[(r, s)] = max(covered.get((r, s), 0) / rate, floor)
    scale = (total_cov / PROVINCE_RATE) / sum(raw.values())
    out = {}
    for key, value in raw.items():
        n = max(1, round(value * scale))
        cov = covered.get(key, 0)
        if n < cov:
            n = math.ceil(cov / 0.97)  # a cell can be nearly, not more than, fully covered
        out[key] = n
    return out


def previous_year(rng: random.Random, counts: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    return {key: max(0, round(n * rng.uniform(0.93, 1.01))) for key, n in counts.items()}


def write_workforce(
    out_dir: Path, ref: Reference, seed: int, year: int, counts: dict, prev: dict, variety: bool, bad_rows: bool
) -> list[FileOutcome]:
    rng = Rng(f"{seed}:workforce-files")
    speller = RegencySpeller(ref)
    outcomes = []

    # Last year's count: a TAB-separated export with labels and official names.
    name = f"angkatan_kerja_{year - 1}.csv"
    header = (
        ["TAHUN", "KABUPATEN_KOTA", "SEKTOR", "JUMLAH"]
        if variety
        else ["TAHUN", "KAB_KOTA", "SEKTOR", "JUMLAH_PEKERJA"]
    )
    body = []
    for (r, s), n in sorted(prev.items()):
        body.append(
            [
                str(year - 1),
                speller.spell(r, "official", rng),
                sector_spelling(ref, s, "label" if variety else "code", rng),
                str(n),
            ]
        )
    layout = CsvLayout("utf-8-sig", "\t", "\r\n") if variety else CsvLayout()
    write_csv(out_dir / name, header, body, layout)
    outcome = FileOutcome(name, "angkatan_kerja", "LOADED", date(year - 1, 1, 1), rows_read=len(body))
    outcome.workforce = [(year - 1, r, s, n) for (r, s), n in sorted(prev.items())]
    outcomes.append(outcome)

    # This year's: an Excel sheet with a title, regency codes, mixed sector spellings and a total.
    rows: list[tuple[list, tuple | None, tuple | None]] = []  # (cells, truth, refusal)
    for (r, s), n in sorted(counts.items()):
        if variety:
            regency = speller.spell(r, rng.choice(["dotted", "code", "mixed", "official"]), rng)
            cells = [Number(year, "0"), regency, sector_spelling(ref, s, "mixed_case", rng), Number(n)]
        else:
            cells = [str(year), r, s, str(n)]
        rows.append((cells, (year, r, s, n), None))
    if bad_rows:
        text_year = Number(year, "0") if variety else str(year)
        ambon, buru, aru = (ref.regencies[ref.role(code)].name for code in ("8171", "8104", "8107"))
        bad = [
            ([text_year, "Kota Jakarta", "Nelayan", _num(variety, 1250)], ("REGENCY_UNKNOWN", "KAB_KOTA")),
            ([text_year, ambon, "Petani Kebun", _num(variety, 830)], ("SECTOR_UNKNOWN", "SEKTOR")),
            ([text_year, buru, "Nelayan dan ABK", ""], ("VALUE_MISSING", "JUMLAH_PEKERJA")),
            ([text_year, aru, "Guru", "sekitar 400"], ("NUMBER_INVALID", "JUMLAH_PEKERJA")),
        ]
        for cells, refusal in bad:
            rows.insert(rng.randrange(len(rows) + 1), (cells, None, refusal))
    body = []
    blank_at = rng.randrange(5, len(rows) - 5) if variety else -1
    positions = []
    for i, (cells, _, _) in enumerate(rows):
        if i == blank_at:
            body.append(BLANK)
        body.append(cells)
        positions.append(len(body))
    if variety:
        name = f"angkatan_kerja_{year}.xlsx"
        body.append(Total(["JUMLAH", "", "", Formula(f"=SUM(D5:D{4 + len(body)})", sum(counts.values()))]))
        header = ["Tahun", "Kab Kota", "Sektor", "Jumlah Pekerja"]
        write_xlsx(
            out_dir / name,
            header,
            body,
            XlsxLayout(
                (
                    f"DATA PEKERJA MENURUT KABUPATEN/KOTA DAN SEKTOR {ref.province.display_name.upper()} TAHUN {year}",
                    f"Sumber: BPS {ref.province.display_name} dan OPD terkait",
                ),
                blank_after_titles=True,
                sheet_name="Pekerja",
            ),
        )
    else:
        name = f"angkatan_kerja_{year}.csv"
        write_csv(out_dir / name, ["TAHUN", "KAB_KOTA", "SEKTOR", "JUMLAH_PEKERJA"], body, CsvLayout())
    outcome = FileOutcome(name, "angkatan_kerja", "LOADED", date(year, 1, 1), rows_read=len(rows))
    for (_cells, truth, refusal), number in zip(rows, positions, strict=False):
        if refusal:
            outcome.refused.append(Refusal(name, number, refusal[0], refusal[1]))
        else:
            outcome.workforce.append(truth)
    outcomes.append(outcome)
    return outcomes


def _num(variety: bool, n: int):
    return Number(n) if variety else str(n)
