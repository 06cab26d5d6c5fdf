"""A file's header row and the rows under it, as text, before any column is interpreted."""

from dataclasses import dataclass

import polars as pl

ROW_NUMBER = "__row_number"


@dataclass
class RawTable:
    """`rows` holds one text column per header cell (`c0`, `c1`, ...) and `__row_number`:
    the row's position under the header, counting blank and total rows (the first is 1)."""

    header: list[str | None]
    rows: pl.DataFrame
    encoding: str | None = None
    delimiter: str | None = None
    skipped_total_rows: int = 0


def positional_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]
