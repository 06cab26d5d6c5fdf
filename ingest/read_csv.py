"""CSV extracts: strict decoding (UTF-8, UTF-8 BOM, Windows-1252), delimiter detection, rows as text, in batches.

A national delta is millions of rows, so nothing here holds the whole file. The loader reads the bytes once
to hash them and check their encoding (ingest/landing.py), then polars reads the rows in batches of bounded
size, under canonical column names: the header is matched once, here. A Windows-1252 file takes one more
pass, its UTF-8 copy, which polars reads instead.
"""

import codecs
import contextlib
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest.columns import HeaderMatch, Source, match_header
from ingest.encoding import WHITESPACE as _WHITESPACE
from ingest.encoding import EncodingCheck, unsupported
from ingest.errors import FileRefused
from ingest.table import ROW_NUMBER, RawTable, positional_names

DELIMITERS = (",", ";", "|", "\t")
BATCH_ROWS = 245_760  # two DuckDB row groups: ingest/staging.py inserts a batch on two cores
_CHUNK = 1 << 22
_PROBE = 1 << 16  # what is read at a time to learn whether any row follows the header
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "|": "pipe", "\t": "tab"}


def _chunks(path: Path, start: int = 0, size: int = _CHUNK) -> Iterator[bytes]:
    with open(path, "rb") as f:
        f.seek(start)
        while chunk := f.read(size):
            yield chunk


def detect_encoding(path: Path) -> str:
    """`utf-8`, `utf-8-sig` or `windows-1252`, read in one streaming pass; never a lossy replacement character.

    The loader learns it from the pass that hashes the file (ingest/landing.py); this is for a file read
    without that fingerprint."""
    check = EncodingCheck()
    for chunk in _chunks(path):
        check.feed(chunk)
    return check.verdict()


def _transcode_cp1252(path: Path, target) -> None:
    """Windows-1252 to UTF-8, chunk by chunk (Windows-1252 is one byte per character: chunks split cleanly)."""
    offset = 0
    for chunk in _chunks(path):
        try:
            target.write(chunk.decode("cp1252").encode("utf-8"))
        except UnicodeDecodeError as e:
            raise unsupported(chunk[e.start], offset + e.start) from None
        offset += len(chunk)
    target.flush()


def _split_cells(line: str, delimiter: str) -> list[str]:
    rows = pl.read_csv(io.StringIO(line), separator=delimiter, has_header=False, infer_schema=False).rows()
    return list(rows[0]) if rows else []


def detect_delimiter(header_line: str, source: Source) -> str:
    """The delimiter that makes the most known column names out of the header line."""

    def score(delimiter: str) -> tuple[int, int]:
        cells = header_line.split(delimiter)
        return len(match_header(cells, source).positions), len(cells)

    return max(DELIMITERS, key=score)


@dataclass
class CsvFile:
    """A UTF-8 CSV (the landed file, or its transcoded copy) whose header has been found and matched."""

    path: Path
    source: Source
    encoding: str
    header: list[str]
    found: HeaderMatch  # the header matched against the source's columns, once for the whole file
    delimiter: str
    lines_to_skip: int  # lines up to and including the header line
    body_start: int  # byte offset just after the header line

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES[self.delimiter]

    def _has_rows(self) -> bool:
        return any(chunk.strip(_WHITESPACE) for chunk in _chunks(self.path, self.body_start, _PROBE))

    def batches(self, distinct: set[str]) -> Iterator[RawTable]:
        """The rows under the header, `BATCH_ROWS` at a time, holding only the columns a source keeps, under
        their canonical names.

        Columns named in `distinct` have few distinct values (codes, dates, regencies): they are read
        dictionary-encoded, so each distinct text is parsed once, not once per row.
        """
        found = self.found
        found.require_all()
        extra = found.extra_columns
        kept = found.kept(self.source)
        if not self._has_rows():
            names = [*kept, *found.absent(self.source)]
            yield RawTable(pl.DataFrame(schema={ROW_NUMBER: pl.Int64, **dict.fromkeys(names, pl.String)}), extra)
            return
        canonical_at = {pos: name for name, pos in kept.items()}
        schema = {
            n: (pl.Categorical if canonical_at.get(i) in distinct else pl.String)
            for i, n in enumerate(positional_names(len(self.header)))
        }
        rows = (
            pl.scan_csv(
                self.path,
                has_header=False,
                skip_lines=self.lines_to_skip,
                separator=self.delimiter,
                quote_char='"',
                schema=schema,
                truncate_ragged_lines=True,
                encoding="utf8",
            )
            .select(found.canonical(self.source))
            .with_row_index(ROW_NUMBER, offset=1)
            .with_columns(pl.col(ROW_NUMBER).cast(pl.Int64))
        )
        try:
            for batch in rows.collect_batches(chunk_size=BATCH_ROWS):
                yield RawTable(batch, extra)
        except pl.exceptions.PolarsError:
            # The parser's own message may quote cell contents (personal data): say what was expected instead.
            raise FileRefused(
                f"not a readable {self.delimiter_name}-separated file: expected '\"'-quoted cells "
                "with balanced quotes, one record per line"
            ) from None


def _find_header(path: Path) -> tuple[str, int, int]:
    """The first non-empty line, how many lines it ends, and the byte offset after it."""
    with open(path, "rb") as f:
        if f.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
            f.seek(0)
        lines = 0
        while line := f.readline():
            lines += 1
            if line.strip(_WHITESPACE):
                return line.decode("utf-8").rstrip("\r\n"), lines, f.tell()
    raise FileRefused("the file has no header line: expected column names on the first non-empty line")


def _refuse_if_cut_short(csv: CsvFile) -> None:
    """A file whose last line has no line end and fewer cells than the header was cut mid-row (a copy
    interrupted, a disk full): refuse it whole rather than load all but a broken last row."""
    size = csv.path.stat().st_size
    if size <= csv.body_start:
        return
    with open(csv.path, "rb") as f:
        tail_start = max(csv.body_start, size - (1 << 16))
        f.seek(tail_start)
        tail = f.read()
        while b"\n" not in tail and tail_start > csv.body_start:  # a last line longer than the tail read
            tail_start = max(csv.body_start, tail_start - (1 << 20))
            f.seek(tail_start)
            tail = f.read()
    if tail.endswith((b"\n", b"\r")) or not tail.strip(_WHITESPACE):
        return
    last_line = tail[tail.rfind(b"\n") + 1 :].decode("utf-8", "replace")
    width = len(csv.header)
    cells = len(_split_cells(last_line, csv.delimiter)) if last_line.strip() else width
    if cells < width:
        raise FileRefused(
            f"the file ends in the middle of a row: its last line has no line end and {cells} of the "
            f"{width} cells of the header (was the file cut short?)"
        )


@contextlib.contextmanager
def open_csv(path: Path, source: Source, scratch: Path | None = None, encoding: str | None = None) -> Iterator[CsvFile]:
    """Find the file's header and delimiter and match the header, once; a Windows-1252 file is read through a
    UTF-8 copy in `scratch` (ingest/scratch.py), deleted when the file is done. `encoding`: what the pass
    that hashed the file learnt (ingest/landing.py); without it, the bytes are checked here."""
    if encoding is None:
        encoding = detect_encoding(path)
    with contextlib.ExitStack() as stack:
        readable = path
        if encoding == "windows-1252":
            copy = stack.enter_context(tempfile.NamedTemporaryFile(prefix="utf8-copy-", suffix=".csv", dir=scratch))
            _transcode_cp1252(path, copy)
            readable = Path(copy.name)
        header_line, lines, body_start = _find_header(readable)
        delimiter = detect_delimiter(header_line, source)
        try:
            header = _split_cells(header_line, delimiter)
        except pl.exceptions.PolarsError:
            raise FileRefused(
                f"the header line is not a readable {_DELIMITER_NAMES[delimiter]}-separated row: "
                "expected column names with balanced '\"' quotes"
            ) from None
        csv = CsvFile(readable, source, encoding, header, match_header(header, source), delimiter, lines, body_start)
        _refuse_if_cut_short(csv)
        yield csv
