"""A file's rows under its header, as text under the canonical column names, before any value is interpreted."""

from dataclasses import dataclass

import polars as pl

ROW_NUMBER = "__row_number"


@dataclass
class RawTable:
    """`rows` holds `__row_number` (the row's position under the header, counting blank and total rows;
    the first is 1) and one text column per column the source keeps, under its canonical name (all nulls
    when the header lacks it). The reader matched the header once and renamed the columns: nothing
    downstream looks at the header again."""

    rows: pl.DataFrame
    extra_columns: list[str]  # header names that match no column, as the load log lists them
    skipped_total_rows: int = 0


def positional_name(position: int) -> str:
    """How a reader names a column by its position in the row, before the header is matched."""
    return f"c{position}"


def positional_names(width: int) -> list[str]:
    return [positional_name(i) for i in range(width)]
