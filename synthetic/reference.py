"""Reference data the generator shares with the warehouse: the project's dbt seeds.

The seeds are read at generation time so that the generator and the pipeline
agree on codes, spellings and the occupation classification without copying
them; only the population weights are a constant here, because their source
(shared/reference) is not part of the project at run time.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"

# Dukcapil, Data Kependudukan Semester II (Dec 2024), metric population_total_dukcapil.
POPULATION_DEC_2024: dict[str, int] = {
    "8101": 432361,
    "8102": 129169,
    "8103": 132337,
    "8104": 142347,
    "8105": 140972,
    "8106": 217389,
    "8107": 112531,
    "8108": 97020,
    "8109": 81329,
    "8171": 359661,
    "8172": 90470,
}

# sectors.md order; also the order of expected["cells"].
SECTORS: tuple[str, ...] = (
    "PERANGKAT_DESA",
    "PEKERJA_KEAGAMAAN",
    "JASA_KONSTRUKSI",
    "NON_ASN",
    "GURU",
    "TENAGA_WISATA",
    "NELAYAN",
    "PEKERJA_RENTAN",
    "PEKERJA_MIGRAN",
    "PENERIMA_UPAH_LAINNYA",
    "BPU_LAINNYA",
)

SEGMENTS = ("PU", "BPU", "JAKON", "PMI")
SEGMENT_LONG = {
    "PU": "Penerima Upah",
    "BPU": "Bukan Penerima Upah",
    "JAKON": "Jasa Konstruksi",
    "PMI": "Pekerja Migran Indonesia",
}
PAYERS = ("MANDIRI", "PEMBERI_KERJA", "APBD_PROV", "APBD_KAB", "APBDES", "CSR")
PUBLIC_PAYERS = frozenset({"APBD_PROV", "APBD_KAB", "APBDES", "CSR"})

# One year of the cheapest JKK+JKM protection for an informal worker (marts.md).
PREMIUM_PER_WORKER_YEAR = 201_600
PREMIUM_PER_WORKER_MONTH = 16_800


@dataclass(frozen=True)
class Regency:
    code: str
    name: str  # official name, e.g. "Kabupaten Maluku Tengah"
    short_name: str  # e.g. "Maluku Tengah"
    kind: str  # "kabupaten" | "kota"


@dataclass(frozen=True)
class Reference:
    regencies: dict[str, Regency]
    aliases: dict[str, list[tuple[str, str]]]  # code -> [(alias, kind)]
    districts: dict[str, list[tuple[str, str]]]  # regency code -> [(district code, name)]
    occupations: dict[str, str]  # normalised occupation -> sector
    occupations_by_sector: dict[str, list[str]]
    sector_labels: dict[str, list[str]]  # sector -> labels accepted in files


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS / name, newline="", encoding="utf-8") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@lru_cache(maxsize=65536)
def normalise_occupation(text: str | None) -> str:
    """sectors.md rule 3: upper case, punctuation (any Unicode P* category) to spaces, spaces collapsed."""
    if text is None:
        return ""
    chars = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text.upper())
    return " ".join(part for part in chars.split(" ") if part)


def load_reference() -> Reference:
    regencies = {
        r["regency_code"]: Regency(r["regency_code"], r["regency_name"], r["short_name"], r["regency_type"])
        for r in _rows("regencies.csv")
    }
    aliases: dict[str, list[tuple[str, str]]] = {code: [] for code in regencies}
    for r in _rows("regency_aliases.csv"):
        aliases[r["regency_code"]].append((r["alias"], r["kind"]))
    districts: dict[str, list[tuple[str, str]]] = {code: [] for code in regencies}
    for r in _rows("districts.csv"):
        districts[r["regency_code"]].append((r["district_code"], r["name"]))
    occupations: dict[str, str] = {}
    by_sector: dict[str, list[str]] = {s: [] for s in SECTORS}
    for r in _rows("occupation_sectors.csv"):
        occupations[normalise_occupation(r["occupation"])] = r["sector"]
        by_sector[r["sector"]].append(r["occupation"])
    labels: dict[str, list[str]] = {s: [] for s in SECTORS}
    for r in _rows("sector_labels.csv"):
        labels[r["sector"]].append(r["label"])
    return Reference(regencies, aliases, districts, occupations, by_sector, labels)


def place_sector(segmen: str, pekerjaan: str | None, sumber: str, occupations: dict[str, str]) -> tuple[str, int]:
    """The six rules of sectors.md, in order; returns (sector, rule number)."""
    if segmen == "JAKON":
        return "JASA_KONSTRUKSI", 1
    if segmen == "PMI":
        return "PEKERJA_MIGRAN", 2
    occupation = normalise_occupation(pekerjaan)
    if occupation and occupation in occupations:
        return occupations[occupation], 3
    if segmen == "PU":
        return "PENERIMA_UPAH_LAINNYA", 4
    if sumber in PUBLIC_PAYERS:
        return "PEKERJA_RENTAN", 5
    return "BPU_LAINNYA", 6
