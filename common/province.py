"""The province a warehouse serves (runtime.md, `CAKUPAN_PROVINCE`): its code, its name as reports and budget
lines give it, its time zone and its regencies, all from the national reference list the project ships as a dbt
seed (dbt_project/seeds/indonesia_regencies.csv, Kemendagri's codes).

A run serves one province: the settings resource names it when the run starts (`serve`), and the ingest's regency
parser and the clock ask `served()`. A Dagster run is one process, so two provinces refreshing at once are two
processes, each serving its own."""

import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from common.seeds import read_seed

DEFAULT_PROVINCE = "81"

# Kemendagri's names of two provinces carry their status; people write them short (`DKI Jakarta`, `Jakarta`).
_STATUS = re.compile(r"^(Daerah Khusus Ibukota|Daerah Istimewa) ")
_STATUS_SHORT = {"Daerah Khusus Ibukota": "DKI", "Daerah Istimewa": "DI"}


@dataclass(frozen=True)
class Regency:
    code: str  # Kemendagri, 4 digits: the first four of a NIK
    name: str  # official: `Kabupaten Maluku Tengah`, `Kota Ambon`
    kind: str  # `kabupaten` or `kota`

    @property
    def short_name(self) -> str:
        """The name without its `Kabupaten `/`Kota ` prefix (nor Jakarta's `Administrasi `); not unique in a province
        (Kabupaten and Kota Malang)."""
        return self.name.split(" ", 1)[1].removeprefix("Administrasi ")


@dataclass(frozen=True)
class Province:
    code: str  # Kemendagri, 2 digits: `81`
    name: str  # `Maluku`
    time_zone: str  # IANA: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)
    regencies: tuple[Regency, ...]

    @property
    def display_name(self) -> str:
        """As the marts and the report name it: `Provinsi Maluku`."""
        return f"Provinsi {self.name}"

    @property
    def government(self) -> str:
        """As budget lines name its government: `Pemerintah Provinsi Maluku`."""
        return f"Pemerintah Provinsi {self.name}"

    @property
    def names(self) -> tuple[str, ...]:
        """The province's name as written: `Daerah Khusus Ibukota Jakarta`, `DKI Jakarta`, `Jakarta`."""
        match = _STATUS.match(self.name)
        if match is None:
            return (self.name,)
        bare = self.name[match.end() :]
        return (self.name, f"{_STATUS_SHORT[match.group(1)]} {bare}", bare)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def zone_abbreviation(self) -> str:
        """WIB, WITA or WIT, as Indonesians write a time."""
        return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}[self.time_zone]


class UnknownProvince(ValueError):
    pass


@cache
def provinces() -> dict[str, Province]:
    """Every province of the national reference list, by code."""
    by_code: dict[str, list[dict[str, str]]] = {}
    for row in read_seed("indonesia_regencies"):
        by_code.setdefault(row["province_code"], []).append(row)
    return {
        code: Province(
            code,
            group[0]["province_name"],
            group[0]["time_zone"],
            tuple(Regency(r["regency_code"], r["regency_name"], r["regency_type"].lower()) for r in group),
        )
        for code, group in by_code.items()
    }


def province(code: str) -> Province:
    """The province of a Kemendagri code (`81`); a clear error for a code the national list does not have."""
    found = provinces().get(code.strip())
    if found is None:
        raise UnknownProvince(
            f"CAKUPAN_PROVINCE={code!r} is not a province code of the national reference list "
            f"(dbt_project/seeds/indonesia_regencies.csv): expected two digits, one of {', '.join(sorted(provinces()))}"
        )
    return found


_served: list[Province] = []


def serve(code: str) -> Province:
    """From now on this process serves the province `code` (the settings resource calls it as a run starts)."""
    _served[:] = [province(code)]
    return _served[0]


def served() -> Province:
    """The province this process serves: Maluku until told otherwise."""
    return _served[0] if _served else province(DEFAULT_PROVINCE)
