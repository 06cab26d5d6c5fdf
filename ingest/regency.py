"""Regency names and codes, in any common spelling, to Kemendagri codes."""

from functools import cache

import polars as pl

from ingest.reference import PROVINCE_CODE, read_seed
from ingest.text import alnum_key, alnum_key_py

# Words that prefix a regency's name in the field; a name is also tried without them.
_PREFIXES = r"^(PEMERINTAH|PEMKAB|PEMKOT|KABUPATEN|KAB|KOTA|KOTAMADYA)+"
_PROVINCE = r"^(PEMERINTAH)?(PROVINSI|PROV|PEMPROV)MALUKU$"


@cache
def regency_lookup() -> dict[str, str]:
    """Normalised spelling → regency code, from the official names, short names, codes and aliases."""
    lookup: dict[str, str] = {}
    for row in read_seed("regencies"):
        code = row["regency_code"]
        for spelling in (row["regency_name"], row["short_name"], code, f"{code[:2]}.{code[2:]}"):
            lookup[alnum_key_py(spelling)] = code
    for row in read_seed("regency_aliases"):
        lookup.setdefault(alnum_key_py(row["alias"]), row["regency_code"])
    return lookup


def _lookup(key: pl.Expr) -> pl.Expr:
    return key.replace_strict(regency_lookup(), default=None, return_dtype=pl.String)


def parse_regency(text: pl.Expr) -> pl.Expr:
    """The Kemendagri code of a regency named or coded in any common spelling; null when unknown."""
    key = alnum_key(text)
    return pl.coalesce(_lookup(key), _lookup(key.str.replace(_PREFIXES, "")))


def parse_budget_owner(text: pl.Expr) -> pl.Expr:
    """`Pemerintah Provinsi Maluku`/`Pemprov Maluku` → `81`; `Pemkab X`, `Pemkot Y`, `Kota Y` → that regency."""
    key = alnum_key(text)
    return pl.when(key.str.contains(_PROVINCE)).then(pl.lit(PROVINCE_CODE)).otherwise(parse_regency(text))
