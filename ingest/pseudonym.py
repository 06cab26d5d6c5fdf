"""The NIK pseudonym: HMAC-SHA256 under the project's secret key, kept as the first 128 bits of the MAC in a
UHUGEINT.

The MAC is computed in polars, on the validated batch, by polars-hash's vectorised HMAC-SHA256 (Rust, with the
CPU's SHA instructions where it has them): no Python runs per row, and the raw NIK goes no further than the
batch in memory. The staged rows carry the MAC's two 64-bit halves, which the insert puts together
(`PSEUDONYM_FROM_HALVES`). The key reaches the plugin as an argument, never as text of an expression that an
error could quote.

Why 128 bits as an integer, not the 64-character hex: every history table carries the pseudonym, and every
join and grouping by person hashes and compares it. A 16-byte integer is stored, hashed and compared as a
fixed-width value; a 64-character string is four times its size and lives outside DuckDB's vectors.
Truncating an HMAC keeps it a keyed MAC (RFC 2104 §5 allows it down to half its length); at 61 million
people the chance of two sharing a pseudonym is about 10^-23.
"""

import hashlib
import hmac

import polars as pl
import polars_hash  # noqa: F401  (registers the `chash` namespace on polars expressions)

# The staged halves of the pseudonym (`pseudonym_halves`), and the SQL that makes them one UHUGEINT.
HIGH, LOW = "person_id_high", "person_id_low"
PSEUDONYM_FROM_HALVES = f"(({HIGH}::uhugeint << 64) | {LOW}::uhugeint)"


def pseudonym_halves(nik: pl.Expr, key: bytes) -> list[pl.Expr]:
    """The pseudonym of the NIK text in `nik` as two UInt64 expressions, `HIGH` and `LOW`: the first and second
    64 bits of its HMAC-SHA256 under `key` (the key is text: CAKUPAN_PII_KEY or the key file's)."""
    mac = nik.chash.hmac_sha256(key=_text(key))  # type: ignore[attr-defined]  # a namespace polars-hash registers
    return [
        mac.str.slice(0, 16).str.to_integer(base=16, dtype=pl.UInt64).alias(HIGH),
        mac.str.slice(16, 16).str.to_integer(base=16, dtype=pl.UInt64).alias(LOW),
    ]


def _text(key: bytes) -> str:
    try:
        return key.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the pseudonym key must be text (CAKUPAN_PII_KEY, or the key file's contents)") from None


def hex_to_pseudonym(hex_sql: str) -> str:
    """A DuckDB expression: the UHUGEINT of the first 32 hex digits of `hex_sql` (DuckDB casts hex text to
    at most 64 bits, so in two halves). How a warehouse's older 64-character pseudonyms are converted."""
    half = "('0x' || substr({h}, {start}, 16))::ubigint::uhugeint"
    return f"(({half.format(h=hex_sql, start=1)} << 64) | {half.format(h=hex_sql, start=17)})"


def pseudonym(key: bytes, nik: str) -> int:
    """The same pseudonym computed in Python: the reference the vectorised one is tested against."""
    return int.from_bytes(hmac.new(key, nik.encode(), hashlib.sha256).digest()[:16], "big")
