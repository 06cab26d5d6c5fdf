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

from common.province import Province, province

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
    province: Province

    def role(self, maluku_code: str) -> str:
        """The regency of this province that plays the part the generator gives a Maluku regency (its budget
        lines, its village programme): itself in Maluku, elsewhere the regency at the same place in the code
        order (wrapping round in a province with fewer than eleven); `81` is the province itself."""
        if maluku_code == MALUKU:
            return self.province.code
        codes = sorted(self.regencies)
        return codes[MALUKU_CODES.index(maluku_code) % len(codes)]


MALUKU = "81"
MALUKU_CODES = tuple(sorted(POPULATION_DEC_2024))


def maluku_role(regency_code: str) -> str:
    """The Maluku regency whose figures (population, sector mix, coverage) another province's regency borrows:
    the one at the same place in the code order, wrapping round. Maluku's own are themselves."""
    if regency_code in POPULATION_DEC_2024:
        return regency_code
    codes = sorted(r.code for r in province(regency_code[:2]).regencies)
    return MALUKU_CODES[codes.index(regency_code) % len(MALUKU_CODES)]


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


def load_reference(province_code: str = MALUKU) -> Reference:
    """The seeds as the generator uses them, for a province: Maluku's field spellings and districts are Maluku's;
    another province's regencies are spelt as the national list names them (official names with their prefixes,
    codes, and short names where no two of its regencies share one) and get five numbered districts each."""
    served = province(province_code)
    if province_code == MALUKU:
        regencies, aliases, districts = _maluku_places()
    else:
        regencies, aliases, districts = _places(served)
    occupations: dict[str, str] = {}
    by_sector: dict[str, list[str]] = {s: [] for s in SECTORS}
    for r in _rows("occupation_sectors.csv"):
        occupations[normalise_occupation(r["occupation"])] = r["sector"]
        by_sector[r["sector"]].append(r["occupation"])
    labels: dict[str, list[str]] = {s: [] for s in SECTORS}
    for r in _rows("sector_labels.csv"):
        labels[r["sector"]].append(r["label"])
    return Reference(regencies, aliases, districts, occupations, by_sector, labels, served)


Places = tuple[dict[str, Regency], dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]


def _maluku_places() -> Places:
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
    return regencies, aliases, districts


_PREFIX_VARIANTS = {"kabupaten": ("Kab. {}", "KAB {}", "Kabupaten {}"), "kota": ("Kota {}", "KOTA {}", "Kotamadya {}")}


def _places(served: Province) -> Places:
    shared = {r.short_name.upper() for r in served.regencies}
    shared = {n for n in shared if sum(r.short_name.upper() == n for r in served.regencies) > 1}
    regencies, aliases, districts = {}, {}, {}
    for r in served.regencies:
        regencies[r.code] = Regency(r.code, r.name, r.short_name, r.kind)
        own = [(variant.format(r.short_name), "official_or_prefix_variant") for variant in _PREFIX_VARIANTS[r.kind]]
        own += [(r.code, "kemendagri_code"), (f"{r.code[:2]}.{r.code[2:]}", "kemendagri_code")]
        if r.short_name.upper() not in shared:
            own.append((r.short_name, "other_name"))
        aliases[r.code] = own
        districts[r.code] = [(f"{r.code}{n:02d}", f"Kecamatan {r.short_name} {n}") for n in range(1, 6)]
    return regencies, aliases, districts


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
