"""Code values (segments, payers, status, sex, programs, sectors): case-insensitive, to their canonical codes."""

from functools import cache

import polars as pl

from common.seeds import read_seed
from ingest.text import code_key, code_key_text

SEGMEN = {
    "PU": "PU",
    "PENERIMA_UPAH": "PU",
    "BPU": "BPU",
    "BUKAN_PENERIMA_UPAH": "BPU",
    "JAKON": "JAKON",
    "JASA_KONSTRUKSI": "JAKON",
    "PMI": "PMI",
    "PEKERJA_MIGRAN_INDONESIA": "PMI",
}
SUMBER_IURAN = {c: c for c in ("MANDIRI", "PEMBERI_KERJA", "APBD_PROV", "APBD_KAB", "APBDES", "CSR")}
STATUS = {"AKTIF": "AKTIF", "NONAKTIF": "NONAKTIF", "NON_AKTIF": "NONAKTIF"}
JENIS_KELAMIN = {"L": "L", "LAKI_LAKI": "L", "LAKI-LAKI": "L", "P": "P", "PEREMPUAN": "P"}
PROGRAMS = ("JKK", "JKM", "JHT", "JP", "JKP")


def parse_code(text: pl.Expr, codes: dict[str, str]) -> pl.Expr:
    """The canonical code for a value in any case, with spaces for `_`; null when outside the list."""
    return code_key(text).replace_strict(codes, default=None, return_dtype=pl.String)


@cache
def sector_lookup() -> dict[str, str]:
    """Sector codes and their labels (sectors.md), in the form `code_key` gives them."""
    lookup = {row["sector"]: row["sector"] for row in read_seed("sectors")}
    for row in read_seed("sector_labels"):
        lookup[code_key_text(row["label"])] = row["sector"]
    return lookup


def parse_sector(text: pl.Expr) -> pl.Expr:
    return parse_code(text, sector_lookup())


def parse_programs(text: pl.Expr) -> pl.Expr:
    """A set of programs (`JKK, JKM`, `JKK+JKM+JHT`) as its members in canonical order joined by `,`.

    Null when any member is not a known program.
    """
    words = text.str.to_uppercase().str.extract_all(r"[A-Z0-9]+")
    separators_only = text.str.to_uppercase().str.replace_all(r"[A-Z0-9]+|[\s,+/;&]+", "").str.len_chars() == 0
    all_known = words.list.eval(pl.element().is_in(PROGRAMS)).list.all()
    canonical = pl.concat_str(
        [pl.when(words.list.contains(p)).then(pl.lit(p)) for p in PROGRAMS], separator=",", ignore_nulls=True
    )
    return pl.when(all_known & separators_only & (words.list.len() > 0)).then(canonical)
