"""CSV extracts: strict decoding (UTF-8, UTF-8 BOM, Windows-1252), delimiter detection, rows as text."""

import codecs
import io
import re
from pathlib import Path

import polars as pl

from ingest.columns import Source, match_header
from ingest.errors import FileRefused
from ingest.table import ROW_NUMBER, RawTable, positional_names

DELIMITERS = (",", ";", "|", "\t")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "|": "pipe", "\t": "tab"}


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding; never a lossy replacement character."""
    if not data.strip():
        raise FileRefused("the file is empty: expected a header line and data rows")
    if b"\0" in data:
        raise FileRefused("the file holds NUL bytes (binary, or UTF-16): expected text in UTF-8 or Windows-1252")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        # Windows-1252 text almost never holds well-formed UTF-8 sequences; a file that does is UTF-8
        # with damaged bytes, and reading it as Windows-1252 would silently garble every accent.
        if _UTF8_MULTIBYTE.search(data):
            raise FileRefused(
                f"the file is UTF-8 but byte 0x{data[e.start]:02x} at offset {e.start} is not: "
                "expected one encoding throughout (UTF-8 or Windows-1252)"
            ) from None
    return _strict(data, "cp1252"), "windows-1252"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise FileRefused(
            f"unsupported encoding: byte 0x{data[e.start]:02x} at offset {e.start} is not valid "
            "UTF-8 or Windows-1252 (save the file as UTF-8)"
        ) from None


def _split_header(text: str) -> tuple[str, str]:
    """The first non-empty line and everything after it."""
    start = 0
    while True:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip():
            return line.rstrip("\r"), ("" if end < 0 else text[end + 1:])
        if end < 0:
            raise FileRefused("the file has no header line: expected column names on the first non-empty line")
        start = end + 1


def _split_cells(line: str, delimiter: str) -> list[str]:
    return next(iter(pl.read_csv(io.StringIO(line), separator=delimiter, has_header=False, infer_schema=False).rows()), [])


def detect_delimiter(header_line: str, source: Source) -> str:
    """The delimiter that makes the most known column names out of the header line."""
    def score(delimiter: str) -> tuple[int, int]:
        cells = header_line.split(delimiter)
        return len(match_header(cells, source).positions), len(cells)

    return max(DELIMITERS, key=score)


def read_csv_table(path: Path, source: Source) -> RawTable:
    text, encoding = decode(path.read_bytes())
    header_line, body = _split_header(text)
    delimiter = detect_delimiter(header_line, source)
    try:
        header = _split_cells(header_line, delimiter)
        names = positional_names(len(header))
        if body.strip():
            rows = pl.read_csv(
                io.StringIO(body),
                separator=delimiter,
                has_header=False,
                new_columns=names,
                schema={n: pl.String for n in names},
                quote_char='"',
                truncate_ragged_lines=True,
            )
        else:
            rows = pl.DataFrame(schema={n: pl.String for n in names})
    except pl.exceptions.PolarsError:
        # The parser's own message may quote cell contents (personal data): say what was expected instead.
        raise FileRefused(
            f"not a readable {_DELIMITER_NAMES[delimiter]}-separated file: expected '\"'-quoted cells "
            "with balanced quotes, one record per line"
        ) from None
    _refuse_if_cut_short(body, delimiter, len(header))
    rows = rows.with_row_index(ROW_NUMBER, offset=1).with_columns(pl.col(ROW_NUMBER).cast(pl.Int64))
    return RawTable(header, rows, encoding=encoding, delimiter=_DELIMITER_NAMES[delimiter])


def _refuse_if_cut_short(body: str, delimiter: str, width: int) -> None:
    """A file whose last line has no line end and fewer cells than the header was cut mid-row (a copy
    interrupted, a disk full): refuse it whole rather than load all but a broken last row."""
    if not body.strip() or body.endswith(("\n", "\r")):
        return
    last_line = body[body.rfind("\n") + 1:]
    cells = len(_split_cells(last_line, delimiter)) if last_line.strip() else width
    if cells < width:
        raise FileRefused(
            f"the file ends in the middle of a row: its last line has no line end and {cells} of the "
            f"{width} cells of the header (was the file cut short?)"
        )
