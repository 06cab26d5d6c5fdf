"""The NIK pseudonym: HMAC-SHA256 under the project's secret key, computed inside DuckDB.

HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)) with a 64-byte block. The key pads are
fixed per key, so they go into the SQL as blob literals and DuckDB's vectorised `sha256`
does the rest: no Python runs per row.
"""

import hashlib
import hmac

_BLOCK = 64


def _pads(key: bytes) -> tuple[bytes, bytes]:
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def _blob(data: bytes) -> str:
    return "unhex('" + data.hex() + "')"


def pseudonym_sql(key: bytes, column: str) -> str:
    """A DuckDB expression giving the hex HMAC-SHA256 of the text in `column` under `key`."""
    inner, outer = _pads(key)
    return f"sha256({_blob(outer)} || unhex(sha256({_blob(inner)} || encode({column}))))"


def pseudonym(key: bytes, nik: str) -> str:
    """The same pseudonym computed in Python: the reference the SQL is tested against."""
    return hmac.new(key, nik.encode(), hashlib.sha256).hexdigest()
