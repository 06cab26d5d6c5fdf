"""The NIK pseudonym: HMAC-SHA256 under the project's secret key, computed inside DuckDB, kept as the
first 128 bits of the MAC in a UHUGEINT.

HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)) with a 64-byte block. The key pads are
fixed per key, so they go into the statement as two blob parameters and DuckDB's vectorised
`sha256` does the rest: no Python runs per row.

Why 128 bits as an integer, not the 64-character hex: every history table carries the pseudonym, and
every join and grouping by person hashes and compares it. A 16-byte integer is stored, hashed and compared
as a fixed-width value; a 64-character string is four times its size and lives outside DuckDB's vectors.
Truncating an HMAC keeps it a keyed MAC (RFC 2104 §5 allows it down to half its length); at 61 million
people the chance of two sharing a pseudonym is about 10^-23.
"""

import hashlib
import hmac

_BLOCK = 64


def _pads(key: bytes) -> tuple[bytes, bytes]:
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def pseudonym_sql(column: str) -> str:
    """A DuckDB expression giving the first 128 bits of the HMAC-SHA256 of the text in `column` as a
    UHUGEINT, under the key whose pads the statement gets as the parameters `$inner_pad` and `$outer_pad`
    (`pseudonym_parameters`). The pads reveal the key, so they are never SQL text: an error that quotes the
    statement cannot show them."""
    return hex_to_pseudonym(f"sha256($outer_pad || unhex(sha256($inner_pad || encode({column}))))")


def hex_to_pseudonym(hex_sql: str) -> str:
    """A DuckDB expression: the UHUGEINT of the first 32 hex digits of `hex_sql` (DuckDB casts hex text to
    at most 64 bits, so in two halves). Also how a warehouse's older 64-character pseudonyms are converted."""
    half = "('0x' || substr({h}, {start}, 16))::ubigint::uhugeint"
    return f"(({half.format(h=hex_sql, start=1)} << 64) | {half.format(h=hex_sql, start=17)})"


def pseudonym_parameters(key: bytes) -> dict[str, bytes]:
    inner, outer = _pads(key)
    return {"inner_pad": inner, "outer_pad": outer}


def pseudonym(key: bytes, nik: str) -> int:
    """The same pseudonym computed in Python: the reference the SQL is tested against."""
    return int.from_bytes(hmac.new(key, nik.encode(), hashlib.sha256).digest()[:16], "big")
