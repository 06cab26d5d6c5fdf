"""XLSX extracts: the first sheet, title rows above the header, total rows, every cell as text."""

from pathlib import Path

import fastexcel
import polars as pl

from ingest.columns import HeaderMatch, Source, match_header
from ingest.errors import FileRefused
from ingest.table import ROW_NUMBER, RawTable, positional_names

# Up to 10 title rows may stand above the header; blank rows among them are allowed too.
HEADER_SEARCH_ROWS = 30
TOTAL_LABELS = ("JUMLAH", "TOTAL", "GRAND TOTAL")


def _load_first_sheet(path: Path) -> pl.DataFrame:
    try:
        reader = fastexcel.read_excel(str(path))
        if not reader.sheet_names:
            raise FileRefused("the workbook has no sheet: expected the data on the first sheet")
        sheet = reader.load_sheet(0, header_row=None, dtypes="string")
        return sheet.to_polars()
    except FileRefused:
        raise
    except Exception as e:  # calamine reports broken zips and XML with many exception types
        raise FileRefused(
            f"not a readable XLSX workbook ({type(e).__name__}): expected an .xlsx file saved by Excel or LibreOffice"
        ) from None


def _find_header(frame: pl.DataFrame, source: Source) -> tuple[int, HeaderMatch]:
    """The header row (the first holding every required column, else the one holding the most columns), matched."""
    best: tuple[int, HeaderMatch] | None = None
    for i, row in enumerate(frame.head(HEADER_SEARCH_ROWS).iter_rows()):
        found = match_header(row, source)
        if not found.missing:
            return i, found
        if best is None or len(found.positions) > len(best[1].positions):
            best = i, found
    assert best is not None  # the sheet has a row
    return best


def _label(cell: pl.Expr) -> pl.Expr:
    return cell.str.to_uppercase().str.strip_chars(" :").str.replace_all(r"\s+", " ")


def _total_rows(rows: pl.DataFrame) -> pl.Series:
    """Rows whose first non-empty cell is a total label. Almost every row has its first cell filled,
    so the first column decides; only rows with an empty first cell look further along."""
    cells = [c for c in rows.columns if c != ROW_NUMBER]
    first = pl.col(cells[0]).str.strip_chars().replace("", None)
    total = rows.select(
        pl.when(first.is_not_null()).then(_label(first).is_in(TOTAL_LABELS)).otherwise(None).alias("total")
    ).to_series()
    undecided = total.is_null().arg_true()
    if undecided.len():
        rest = (
            rows[undecided]
            .select(
                _label(pl.coalesce([pl.col(c).str.strip_chars().replace("", None) for c in cells]))
                .is_in(TOTAL_LABELS)
                .fill_null(False)
                .alias("total")
            )
            .to_series()
        )
        total = total.scatter(undecided, rest)
    return total


def read_xlsx_table(path: Path, source: Source) -> RawTable:
    """The rows under the header row, total rows left out, holding only the columns a source keeps, under their
    canonical names (the header is matched once, here)."""
    frame = _load_first_sheet(path)
    if frame.height == 0:
        raise FileRefused("the first sheet is empty: expected a header row and data rows")
    header_index, found = _find_header(frame, source)
    found.require_all()
    rows = frame.slice(header_index + 1)
    rows.columns = positional_names(frame.width)
    rows = rows.with_row_index(ROW_NUMBER, offset=1).with_columns(pl.col(ROW_NUMBER).cast(pl.Int64))
    total = _total_rows(rows)
    kept = rows.filter(~total).select(pl.col(ROW_NUMBER), *found.canonical(source))
    return RawTable(kept, found.extra_columns, skipped_total_rows=int(total.sum()))
