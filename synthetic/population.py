"""Workers of Maluku and the memberships they take: who, where, which sector, who pays.

A membership is drawn from an intended sector (the programme's sector list), then
given the SEGMEN, SUMBER_IURAN and PEKERJAAN a branch clerk would record for such a
worker. The sector the warehouse will place it in is never taken from the intent:
the truth recomputes it from the written values with the rules of sectors.md, so
the deliberately awkward cases (a JAKON card of a carpenter, a migrant ABK, "GURU"
alone, an unclassified village aide paid by APBDES) are judged by the rules alone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .model import Person
from .reference import POPULATION_DEC_2024, SECTORS, Reference, maluku_role, normalise_occupation

# Share of covered memberships by intended sector, province-wide.
SECTOR_MIX = {
    "PERANGKAT_DESA": 0.08,
    "PEKERJA_KEAGAMAAN": 0.04,
    "JASA_KONSTRUKSI": 0.05,
    "NON_ASN": 0.08,
    "GURU": 0.06,
    "TENAGA_WISATA": 0.025,
    "NELAYAN": 0.09,
    "PEKERJA_RENTAN": 0.12,
    "PEKERJA_MIGRAN": 0.02,
    "PENERIMA_UPAH_LAINNYA": 0.28,
    "BPU_LAINNYA": 0.155,
}

# Where the mix differs: Ambon is the formal-job city; Aru, Tual and Malra fish; MBD and
# Buru Selatan are villages; Banda (Maluku Tengah) and Kei (Malra) draw tourists.
REGENCY_TILT = {
    "8171": {"PENERIMA_UPAH_LAINNYA": 1.8, "NON_ASN": 1.4, "PERANGKAT_DESA": 0.3, "NELAYAN": 0.5, "TENAGA_WISATA": 1.3},
    "8172": {"NELAYAN": 1.8, "PERANGKAT_DESA": 0.6},
    "8107": {"NELAYAN": 2.0, "PENERIMA_UPAH_LAINNYA": 0.6},
    "8108": {"PERANGKAT_DESA": 1.8, "PEKERJA_RENTAN": 1.3, "PENERIMA_UPAH_LAINNYA": 0.5},
    "8101": {"TENAGA_WISATA": 1.5, "PEKERJA_KEAGAMAAN": 1.2},
    "8104": {"BPU_LAINNYA": 1.3, "JASA_KONSTRUKSI": 1.2},
    "8109": {"PERANGKAT_DESA": 1.4, "PENERIMA_UPAH_LAINNYA": 0.6},
    "8105": {"PEKERJA_RENTAN": 1.2},
    "8106": {"PERANGKAT_DESA": 1.2},
    "8102": {"NELAYAN": 1.3, "TENAGA_WISATA": 1.3},
    "8103": {"PEKERJA_MIGRAN": 1.5, "NELAYAN": 1.2},
}

# Workers concentrate where the jobs are: Ambon weighs more than its population.
REGENCY_PULL = {"8171": 1.3}

# Occupations the classification does not know (they reach rules 4-6).
UNMAPPED_INFORMAL = [
    "PETANI",
    "PETANI",
    "PETANI",
    "PEDAGANG",
    "PEDAGANG",
    "OJEK",
    "TUKANG OJEK",
    "BURUH HARIAN",
    "SOPIR",
    "TUKANG",
    "PEKEBUN",
    "PETANI CENGKEH",
    "PETANI PALA",
    "PEDAGANG IKAN",
    "WIRASWASTA",
    "MONTIR",
    "PENJAHIT",
    "BURUH PELABUHAN",
    "MOTORIS",
    "GURU",
]
UNMAPPED_FORMAL = [
    "KARYAWAN SWASTA",
    "KARYAWAN SWASTA",
    "KARYAWAN SWASTA",
    "STAF ADMINISTRASI",
    "KASIR",
    "SATPAM",
    "PERAWAT",
    "BIDAN",
    "SOPIR",
    "TEKNISI",
    "PRAMUNIAGA",
    "KARYAWAN BUMN",
    "TELLER BANK",
    "PEGAWAI KONTRAK",
    "CLEANING SERVICE",
    "OPERATOR",
]
UNMAPPED_CONSTRUCTION = ["OPERATOR ALAT BERAT", "SOPIR", "TUKANG BATU", "PEKERJA PROYEK"]
MIGRANT_JOBS = ["ABK", "ABK", "ASISTEN RUMAH TANGGA", "PEKERJA PERKEBUNAN", "PERAWAT", "BURUH PABRIK"]

OTHER_PROVINCES = ["73", "74", "82", "91", "92", "94", "35", "32", "71", "72", "53", "76"]

_MALE_HEADS = [
    "Yo",
    "Ha",
    "Ro",
    "Da",
    "Ja",
    "Ma",
    "Fre",
    "Ste",
    "Ri",
    "Jo",
    "Ab",
    "Mu",
    "Ar",
    "Sa",
    "Ke",
    "Ni",
    "Pi",
    "Le",
    "Ti",
    "Be",
    "No",
    "Ve",
    "Ha",
    "Ru",
    "Sem",
    "Ed",
    "Al",
    "Fa",
]
_MALE_TAILS = [
    "nis",
    "fan",
    "drik",
    "bert",
    "dy",
    "san",
    "vin",
    "mat",
    "lis",
    "ton",
    "kus",
    "ri",
    "no",
    "sul",
    "man",
    "wan",
    "dri",
    "mon",
    "hen",
    "lan",
]
_FEMALE_HEADS = [
    "Ma",
    "Li",
    "Sa",
    "Ne",
    "Ve",
    "Ra",
    "Jo",
    "Fi",
    "De",
    "Me",
    "Yu",
    "Ri",
    "Ag",
    "Chri",
    "El",
    "Nur",
    "Wa",
    "Hel",
    "Ju",
    "Sel",
]
_FEMALE_TAILS = ["ria", "na", "lin", "ce", "sye", "nita", "dah", "tri", "sa", "ly", "wati", "ni", "lia", "ra"]
_FAMILY_HEADS = [
    "Latu",
    "Patti",
    "Lei",
    "Watti",
    "Sahe",
    "Tua",
    "Ruma",
    "Wali",
    "Ohoi",
    "Reny",
    "Lesta",
    "Maka",
    "Tela",
    "Hale",
    "Souh",
    "Kaya",
    "Mata",
    "Rahan",
    "Lawa",
    "Nanu",
    "Tahi",
    "Siahaya",
    "Pela",
    "Ratu",
    "Sopa",
]
_FAMILY_TAILS = [
    "consina",
    "mahu",
    "sina",
    "wakabessy",
    "tapy",
    "sikal",
    "lessy",
    "mena",
    "wael",
    "ela",
    "luhu",
    "ruw",
    "pessy",
    "hatu",
    "tuny",
    "rela",
    "kotta",
    "mury",
    "laly",
    "ruw",
    "nussa",
]
# A few given names carry letters outside ASCII but inside Windows-1252, so encodings matter.
_ACCENTED = ["Renée", "José", "Noël", "Zoë", "Andréa", "Héléna", "Désy", "Anaïs"]
_MUSLIM_PREFIX = ["Muhammad", "Abdul", "Siti", "Nur", "Ahmad"]


def make_name(rng: random.Random, sex: str) -> str:
    if rng.random() < 0.006:
        given = rng.choice(_ACCENTED)
    elif sex == "L":
        given = rng.choice(_MALE_HEADS) + rng.choice(_MALE_TAILS)
    else:
        given = rng.choice(_FEMALE_HEADS) + rng.choice(_FEMALE_TAILS)
    parts = [given]
    if rng.random() < 0.15:
        prefix = rng.choice(_MUSLIM_PREFIX)
        if (prefix == "Siti") == (sex == "P") or prefix in ("Nur",):
            parts.insert(0, prefix)
    if rng.random() < 0.02:
        parts.append("Ma'ruf" if sex == "L" else "Sa'diah")
    family = rng.choice(_FAMILY_HEADS) + rng.choice(_FAMILY_TAILS)
    parts.append(family)
    return " ".join(parts)


class PersonFactory:
    """Draws people with unique, valid NIKs consistent with birth date and sex."""

    def __init__(self, rng: random.Random, ref: Reference, used_niks: set[str]):
        self.rng = rng
        self.ref = ref
        self.used = used_niks
        # Another province's regencies borrow Maluku's weights (synthetic/reference.py, maluku_role).
        codes = sorted(ref.regencies)
        self.codes = codes
        roles = [maluku_role(c) for c in codes]
        self.cum_weights = _cumulative([POPULATION_DEC_2024[r] * REGENCY_PULL.get(r, 1.0) for r in roles])
        self.migrant_provinces = [p for p in (*OTHER_PROVINCES, "81") if p != ref.province.code][: len(OTHER_PROVINCES)]

    def pick_regency(self) -> str:
        return self.rng.choices(self.codes, cum_weights=self.cum_weights)[0]

    def nik(self, province: str, regency2: str, district2: str, birth: date, sex: str) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        base = f"{province}{regency2}{district2}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        while True:
            nik = base + f"{self.rng.randrange(1, 10000):04d}"
            if nik not in self.used:
                self.used.add(nik)
                return nik

    def person(self, on: date, home: str | None = None, ages: tuple[int, int, int] = (18, 58, 33)) -> Person:
        rng = self.rng
        home = home or self.pick_regency()
        sex = "L" if rng.random() < 0.62 else "P"
        age = int(rng.triangular(*ages))
        birth = on - timedelta(days=age * 365 + rng.randrange(365))
        if rng.random() < 0.04:
            # Migrant from another province: the NIK carries their home province.
            nik = self.nik(
                rng.choice(self.migrant_provinces),
                f"{rng.randrange(1, 20):02d}",
                f"{rng.randrange(1, 25):02d}",
                birth,
                sex,
            )
        else:
            district_code, _ = rng.choice(self.ref.districts[home])
            nik = self.nik(home[:2], home[2:4], district_code[4:6], birth, sex)
        birth_written, sex_written = birth, sex
        roll = rng.random()
        if roll < 0.004:
            birth_written = birth + timedelta(days=rng.choice([-1, 1, 30, 365]))
        elif roll < 0.007:
            sex_written = "P" if sex == "L" else "L"
        return Person(nik, make_name(rng, sex), birth, sex, home, birth_written, sex_written)


def new_kpj(rng: random.Random, used: set[str]) -> str:
    """An 11-digit NO_KPJ; about a quarter start with 0, so numeric Excel cells that drop it are exercised."""
    while True:
        kpj = f"{rng.randrange(10**8, 4 * 10**10):011d}"
        if kpj not in used:
            used.add(kpj)
            return kpj


def _cumulative(weights: list[float]) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


_SECTOR_CUM = {
    r: _cumulative([SECTOR_MIX[s] * REGENCY_TILT.get(r, {}).get(s, 1.0) for s in SECTORS]) for r in POPULATION_DEC_2024
}


def pick_sector(rng: random.Random, regency: str) -> str:
    return rng.choices(SECTORS, cum_weights=_SECTOR_CUM[maluku_role(regency)])[0]


def _pick(rng: random.Random, options: list[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def noisy(rng: random.Random, text: str) -> str:
    """A clerk's spelling of an occupation; always normalises back to the same text."""
    if rng.random() >= 0.3:
        return text
    words = text.split(" ")
    kind = rng.randrange(8)
    if kind == 0:
        out = text.lower()
    elif kind == 1:
        out = text.title()
    elif kind == 2 and len(words) > 1:
        out = rng.choice(["-", "_", " - ", "/", "–"]).join(words).lower()
        out = out + "." if rng.random() < 0.5 else out
    elif kind == 3:
        out = text + rng.choice([".", ",", " .", "’"])
    elif kind == 4:
        out = "  " + text.replace(" ", "  ") + " "
    elif kind == 5 and len(words) > 1:
        out = " ".join(words[:-1]) + " (" + words[-1].lower() + ")"
    elif kind == 6:
        out = text.capitalize() + "."
    else:
        out = text
    assert normalise_occupation(out) == normalise_occupation(text), (out, text)
    return out


def realise(rng: random.Random, ref: Reference, sector: str) -> tuple[str, str, str | None]:
    """(SEGMEN, SUMBER_IURAN, PEKERJAAN) a clerk would record for a worker of the intended sector."""
    mapped = ref.occupations_by_sector.get(sector, [])
    r = rng.random()
    if sector == "PERANGKAT_DESA":
        segmen = "PU" if r < 0.07 else "BPU"
        sumber = "APBDES" if segmen == "PU" else _pick(rng, [("APBDES", 0.72), ("APBD_KAB", 0.18), ("MANDIRI", 0.10)])
        job = rng.choice(mapped) if rng.random() < 0.92 else "APARAT DESA"
    elif sector == "PEKERJA_KEAGAMAAN":
        segmen = "BPU"
        sumber = _pick(rng, [("APBD_PROV", 0.45), ("APBD_KAB", 0.30), ("MANDIRI", 0.20), ("CSR", 0.05)])
        job = rng.choice(mapped) if rng.random() < 0.95 else "PELAYAN GEREJA"
    elif sector == "JASA_KONSTRUKSI":
        if r < 0.8:
            segmen, sumber = "JAKON", "PEMBERI_KERJA"
            job = _pick(rng, [("MAPPED", 0.55), ("UNMAPPED", 0.3), ("", 0.15)])
            job = rng.choice(mapped) if job == "MAPPED" else (rng.choice(UNMAPPED_CONSTRUCTION) if job else None)
        else:
            segmen = "BPU"
            sumber = _pick(rng, [("MANDIRI", 0.6), ("APBD_KAB", 0.4)])
            job = rng.choice(mapped)
    elif sector == "NON_ASN":
        segmen = "PU" if r < 0.85 else "BPU"
        sumber = _pick(rng, [("APBD_KAB", 0.45), ("APBD_PROV", 0.30), ("PEMBERI_KERJA", 0.25)])
        job = rng.choice(mapped) if rng.random() < 0.9 else "PEGAWAI KONTRAK"
    elif sector == "GURU":
        if r < 0.45:
            segmen = "PU"
            sumber = _pick(rng, [("PEMBERI_KERJA", 0.7), ("APBD_KAB", 0.3)])
        else:
            segmen = "BPU"
            sumber = _pick(rng, [("APBD_KAB", 0.40), ("APBD_PROV", 0.25), ("MANDIRI", 0.35)])
        job = rng.choice(mapped) if rng.random() < 0.9 else "GURU"
    elif sector == "TENAGA_WISATA":
        segmen = "BPU"
        sumber = _pick(rng, [("APBD_PROV", 0.4), ("MANDIRI", 0.4), ("CSR", 0.1), ("APBD_KAB", 0.1)])
        job = rng.choice(mapped) if rng.random() < 0.9 else "PENJUAL SOUVENIR"
    elif sector == "NELAYAN":
        if r < 0.9:
            segmen = "BPU"
            sumber = _pick(rng, [("MANDIRI", 0.45), ("APBD_KAB", 0.25), ("APBD_PROV", 0.20), ("CSR", 0.10)])
            job = rng.choice(mapped) if rng.random() < 0.93 else "MOTORIS"
        else:
            segmen, sumber = "PU", "PEMBERI_KERJA"
            job = rng.choice(["ABK", "BURUH NELAYAN", "ANAK BUAH KAPAL"])
    elif sector == "PEKERJA_RENTAN":
        segmen = "BPU"
        sumber = _pick(rng, [("APBD_KAB", 0.40), ("APBD_PROV", 0.25), ("APBDES", 0.20), ("CSR", 0.15)])
        job = rng.choice(UNMAPPED_INFORMAL) if rng.random() < 0.88 else None
    elif sector == "PEKERJA_MIGRAN":
        segmen = "PMI"
        sumber = "MANDIRI" if r < 0.9 else "PEMBERI_KERJA"
        job = rng.choice(MIGRANT_JOBS) if rng.random() < 0.85 else None
    elif sector == "PENERIMA_UPAH_LAINNYA":
        segmen = "PU"
        sumber = _pick(rng, [("PEMBERI_KERJA", 0.95), ("APBD_KAB", 0.03), ("APBD_PROV", 0.02)])
        job = rng.choice(UNMAPPED_FORMAL) if rng.random() < 0.85 else None
    else:  # BPU_LAINNYA
        segmen, sumber = "BPU", "MANDIRI"
        roll = rng.random()
        job = rng.choice(UNMAPPED_INFORMAL) if roll < 0.85 else ("-" if roll < 0.9 else None)
    if job:
        job = noisy(rng, job)
    return segmen, sumber, job


def program_for(rng: random.Random, segmen: str) -> tuple[str, ...]:
    if segmen == "PU":
        base = ("JKK", "JKM", "JHT", "JP")
        return (*base, "JKP") if rng.random() < 0.5 else base
    if segmen == "BPU":
        return ("JKK", "JKM") if rng.random() < 0.7 else ("JKK", "JKM", "JHT")
    if segmen == "JAKON":
        return ("JKK", "JKM")
    return ("JKK", "JKM", "JHT")


UMP_MALUKU_2024 = 2_949_953


def wage_for(rng: random.Random, segmen: str) -> int | None:
    if segmen == "PU":
        if rng.random() < 0.3:
            return UMP_MALUKU_2024
        return rng.randrange(60, 180) * 50_000
    if segmen == "BPU":
        if rng.random() < 0.05:
            return None
        return rng.choices([1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000], [60, 15, 12, 8, 5])[0]
    if segmen == "PMI":
        return None if rng.random() < 0.4 else rng.randrange(30, 70) * 100_000
    return None  # JAKON premiums follow the project value, not a wage
