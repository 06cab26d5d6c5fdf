"""Which encoding a CSV's bytes are in (UTF-8, UTF-8 with BOM or Windows-1252), learnt chunk by chunk.

The check is fed the chunks of the pass that hashes a landed file (ingest/landing.py), so the bytes are read
once for both; it holds one chunk at a time, never the file.
"""

import codecs

import polars as pl

from ingest.errors import FileRefused


def _byte_class(byte: int) -> bytes:
    """What a byte can be in UTF-8: the lead of a multi-byte sequence, a continuation byte, or neither."""
    if 0xC2 <= byte <= 0xF4:
        return b"L"
    return b"c" if 0x80 <= byte <= 0xBF else b"."


_BYTE_CLASSES = b"".join(_byte_class(byte) for byte in range(256))
WHITESPACE = b" \t\r\n\x0b\x0c"


def unsupported(byte: int, offset: int) -> FileRefused:
    return FileRefused(
        f"unsupported encoding: byte 0x{byte:02x} at offset {offset} is not valid "
        "UTF-8 or Windows-1252 (save the file as UTF-8)"
    )


def _is_utf8(data: bytes) -> bool:
    """Whether `data` is well-formed UTF-8: polars' check, an order of magnitude faster than decoding it to a
    Python string (Python's decoder then says where a file is not UTF-8)."""
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return False
    return True


def _holds_multibyte(data: bytes) -> bool:
    """Whether `data` holds a well-formed multi-byte UTF-8 sequence (a lead byte `[\xc2-\xf4]` and as many
    continuation bytes `[\x80-\xbf]` as it announces). Each byte is mapped to its class and the possible starts
    found by substring search: a regular expression over the bytes is some thirty times slower."""
    classes = data.translate(_BYTE_CLASSES)
    start = classes.find(b"Lc")
    while start != -1:
        length = 2 if data[start] <= 0xDF else 3 if data[start] <= 0xEF else 4
        if classes[start + 1 : start + length] == b"c" * (length - 1):
            return True
        start = classes.find(b"Lc", start + 1)
    return False


def _complete(data: bytes) -> int:
    """Where a character left incomplete at the end of `data` (its lead byte and fewer continuation bytes than
    the lead announces) starts; `len(data)` when there is none."""
    end = len(data)
    i = end - 1
    while i >= 0 and end - i <= 3 and 0x80 <= data[i] <= 0xBF:
        i -= 1
    if i < 0 or data[i] < 0xC0:
        return end
    needed = 2 if data[i] < 0xE0 else 3 if data[i] < 0xF0 else 4
    return i if end - i < needed else end


class EncodingCheck:
    """Feed it a file's bytes in order, chunk by chunk; `verdict()` then says `utf-8`, `utf-8-sig` or
    `windows-1252`, or refuses the file. Never a lossy replacement character."""

    def __init__(self) -> None:
        self._started = False
        self._has_bom = False
        self._nul = False
        self._nonblank = False
        self._offset = 0  # of the next chunk in the file
        self._carry = b""  # the start of a character split between two chunks
        self._bad: tuple[int, int] | None = None  # the first byte that is not UTF-8: its offset, its value
        self._multibyte = False  # a well-formed multi-byte UTF-8 sequence was seen
        self._tail = b""  # the end of the last chunk, for a sequence split between two chunks

    def feed(self, chunk: bytes) -> None:
        if not self._started:
            self._started = True
            if chunk.startswith(codecs.BOM_UTF8):
                self._has_bom, chunk, self._offset = True, chunk[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
        if self._nul or not chunk:
            return
        if b"\0" in chunk:
            self._nul = True  # refused whatever else the file holds: nothing more to learn
            return
        self._nonblank = self._nonblank or bool(chunk.strip(WHITESPACE))
        if self._bad is None:
            self._check_utf8(chunk)
        elif not self._multibyte:
            self._search_multibyte(chunk)
        self._offset += len(chunk)

    def _check_utf8(self, chunk: bytes) -> None:
        if not self._carry and chunk.isascii():
            return  # plain ASCII: UTF-8, and no multi-byte sequence
        data = self._carry + chunk if self._carry else chunk
        start = self._offset - len(self._carry)  # of `data` in the file
        end = _complete(data)
        whole = data if end == len(data) else data[:end]
        if _is_utf8(whole):
            # In valid UTF-8, a byte outside ASCII is exactly part of a well-formed multi-byte sequence.
            self._multibyte = self._multibyte or not whole.isascii()
            self._carry = data[end:]
            return
        try:
            whole.decode("utf-8")
        except UnicodeDecodeError as e:
            self._bad = (start + e.start, whole[e.start])
            # Before the bad byte the text was valid UTF-8; whether it held a multi-byte sequence is known
            # (above). From here on, the bytes are searched for one.
            self._carry = b""
            self._search_multibyte(data)
        else:  # polars and Python disagree: Python's decoder has the last word
            self._multibyte = self._multibyte or not whole.isascii()
            self._carry = data[end:]

    def _search_multibyte(self, data: bytes) -> None:
        # A sequence split between the last chunk and this one lies within their 3 + 3 bytes either side.
        across = self._tail + data[:3]
        self._multibyte = self._multibyte or _holds_multibyte(across) or _holds_multibyte(data)
        self._tail = (self._tail + data[-3:])[-3:]

    def verdict(self) -> str:
        if self._nul:
            raise FileRefused("the file holds NUL bytes (binary, or UTF-16): expected text in UTF-8 or Windows-1252")
        if not self._nonblank:
            raise FileRefused("the file is empty: expected a header line and data rows")
        bad = self._bad
        if bad is None and self._carry:  # the file ends inside a multi-byte character
            bad = (self._offset - len(self._carry), self._carry[0])
        if bad is None:
            return "utf-8-sig" if self._has_bom else "utf-8"
        position, byte = bad
        if self._has_bom:
            raise unsupported(byte, position)
        # Windows-1252 text almost never holds well-formed UTF-8 sequences; a file that does is UTF-8
        # with damaged bytes, and reading it as Windows-1252 would silently garble every accent.
        if self._multibyte:
            raise FileRefused(
                f"the file is UTF-8 but byte 0x{byte:02x} at offset {position} is not: "
                "expected one encoding throughout (UTF-8 or Windows-1252)"
            )
        return "windows-1252"
