"""The NIK pseudonym: HMAC-SHA256 under the project's secret key, computed inside DuckDB.

HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)) with a 64-byte block. The key pads are
fixed per key, so they go into the statement as two blob parameters and DuckDB's vectorised
`sha256` does the rest: no Python runs per row.
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
    """A DuckDB expression giving the hex HMAC-SHA256 of the text in `column`, under the key whose pads
    the statement gets as the parameters `$inner_pad` and `$outer_pad` (`pseudonym_parameters`). The pads
    reveal the key, so they are never SQL text: an error that quotes the statement cannot show them."""
    return f"sha256($outer_pad || unhex(sha256($inner_pad || encode({column}))))"


def pseudonym_parameters(key: bytes) -> dict[str, bytes]:
    inner, outer = _pads(key)
    return {"inner_pad": inner, "outer_pad": outer}


def pseudonym(key: bytes, nik: str) -> str:
    """The same pseudonym computed in Python: the reference the SQL is tested against."""
    return hmac.new(key, nik.encode(), hashlib.sha256).hexdigest()
