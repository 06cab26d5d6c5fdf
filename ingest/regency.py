"""Regency names and codes, in any common spelling, to Kemendagri codes, for the province the run serves.

Every province's regencies are known by their official names (`Kabupaten Malang`), with the prefix spelt as people
write it (`Kab. Malang`, `Pemkab Malang`), by their short names (`Malang`) and by their codes (`3507`, `35.07`).
A short name that two regencies of the province share (Kabupaten and Kota Malang) names neither: it is refused
as unknown rather than guessed. Maluku also has the spellings collected in the field (seed `regency_aliases`:
abbreviations, former names, capitals)."""

from functools import cache

import polars as pl

from common.province import Province, province, served
from common.seeds import read_seed
from ingest.text import alnum_key, alnum_key_py

# Words that prefix a regency's name in the field; a name is also tried without them.
_PREFIXES = r"^(PEMERINTAH|PEMKAB|PEMKOT|KABUPATEN|KAB|KOTA|KOTAMADYA)+"
# How the field writes each kind's prefix: `Kab. X`, `Pemkab X`, `Pemerintah Kabupaten X`; `Kotamadya Y`, `Pemkot Y`.
_KIND_PREFIXES = {
    "kabupaten": ("KABUPATEN", "KAB", "PEMKAB", "PEMERINTAHKABUPATEN", "PEMERINTAHKAB"),
    "kota": ("KOTA", "KOTAMADYA", "PEMKOT", "PEMERINTAHKOTA", "PEMERINTAHKOTAMADYA"),
}
# The province's seed of field spellings (regency_aliases) is Maluku's.
_ALIASES_OF = "81"


@cache
def regency_lookup(province_code: str) -> dict[str, str]:
    """Normalised spelling → regency code, for one province: official names (with every prefix), short names where
    unambiguous, codes, and, for Maluku, the aliases."""
    regencies = province(province_code).regencies
    lookup: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for regency in regencies:
        code, bare = regency.code, alnum_key_py(regency.short_name)
        for spelling in (regency.name, code, f"{code[:2]}.{code[2:]}"):
            lookup[alnum_key_py(spelling)] = code
        for prefix in _KIND_PREFIXES[regency.kind]:
            lookup.setdefault(prefix + bare, code)
        short.setdefault(bare, set()).add(code)
    for bare, codes in short.items():
        if len(codes) == 1:
            lookup.setdefault(bare, codes.pop())
    if province_code == _ALIASES_OF:
        for row in read_seed("regency_aliases"):
            lookup.setdefault(alnum_key_py(row["alias"]), row["regency_code"])
    return lookup


def _lookup(key: pl.Expr, province_code: str) -> pl.Expr:
    return key.replace_strict(regency_lookup(province_code), default=None, return_dtype=pl.String)


def parse_regency(text: pl.Expr) -> pl.Expr:
    """The Kemendagri code of a regency of the served province named or coded in any common spelling; null when
    unknown, or when the name could be two of its regencies."""
    code = served().code
    key = alnum_key(text)
    return pl.coalesce(_lookup(key, code), _lookup(key.str.replace(_PREFIXES, ""), code))


def _government_pattern(province: Province) -> str:
    names = "|".join(alnum_key_py(name) for name in province.names)
    return rf"^(PEMERINTAH)?(PROVINSI|PROV|PEMPROV)({names})$"


def parse_budget_owner(text: pl.Expr) -> pl.Expr:
    """`Pemerintah Provinsi Maluku`/`Pemprov Maluku` → `81`; `Pemkab X`, `Pemkot Y`, `Kota Y` → that regency."""
    province = served()
    key = alnum_key(text)
    return (
        pl.when(key.str.contains(_government_pattern(province)))
        .then(pl.lit(province.code))
        .otherwise(parse_regency(text))
    )
