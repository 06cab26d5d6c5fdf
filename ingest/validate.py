"""Turn a file's text rows into typed rows and refusals, column by column, without per-row Python."""

from dataclasses import dataclass

import polars as pl

from ingest.columns import Column, Source
from ingest.table import ROW_NUMBER, RawTable
from ingest.text import clean

MASK_LIMIT = 100


@dataclass
class Validated:
    rows: pl.DataFrame  # `__row_number` plus one typed column per canonical column kept
    refusals: pl.DataFrame  # row_number, reason, column_name, masked_value
    findings: dict[tuple[str, str], int]  # (column, finding) → rows: optional values made null
    rows_read: int
    extra_columns: list[str]


def _shown(text: pl.Expr) -> pl.Expr:
    return text.str.slice(0, MASK_LIMIT)


def _parsed_by_distinct(text: pl.Series, column: Column, excel: bool) -> tuple[pl.Series, pl.Series]:
    """Whether each row holds a value, and the value, parsing each distinct text once.

    The column is dictionary-encoded; its codes index a small table of parsed distinct texts.
    """
    encoded = text if text.dtype == pl.Categorical else text.cast(pl.Categorical)
    codes = encoded.to_physical()
    distinct = encoded.drop_nulls().unique()
    parsed = pl.DataFrame({"text": distinct.cast(pl.String)}).select(
        clean(pl.col("text")).is_not_null().alias("present"),
        column.parse(clean(pl.col("text")), excel).alias("value"),
    )
    if distinct.len() == 0:
        return pl.repeat(False, text.len(), eager=True), pl.repeat(
            None, text.len(), dtype=parsed["value"].dtype, eager=True
        )
    distinct_codes = distinct.to_physical()
    slot_of_code = pl.repeat(None, distinct_codes.max() + 1, dtype=pl.UInt32, eager=True).scatter(
        distinct_codes, pl.int_range(0, distinct.len(), dtype=pl.UInt32, eager=True)
    )
    slots = slot_of_code.gather(codes)
    return parsed["present"].gather(slots).fill_null(False), parsed["value"].gather(slots)


def _parsed_direct(frame: pl.DataFrame, columns: list[Column], excel: bool) -> pl.DataFrame:
    """Columns with many distinct values, parsed in bulk: the common form first, the full parser on the rest.

    Where a column has a common form, neither reads a trimmed copy of the text: a cell holds a value when it has a
    character that is not a space (what `clean` keeps), and the common form is read from the cell as it stands.
    Lazy, because only a lazy query computes a sub-expression that two outputs share (the cleaned text) once."""
    parsed = frame.lazy().with_columns(expr for c in columns for expr in _present_and_value(c, excel)).collect()
    for column in columns:
        if column.fast is None:
            continue
        present, value = parsed.get_column(f"__p_{column.name}"), parsed.get_column(f"__v_{column.name}")
        unread = (present & value.is_null()).arg_true()
        if unread.len():
            rest = frame.get_column(column.name).gather(unread).to_frame()
            rest_values = rest.select(column.parse(clean(pl.col(column.name)), excel)).to_series()
            parsed = parsed.with_columns(value.scatter(unread, rest_values))
    return parsed


def _present_and_value(column: Column, excel: bool) -> tuple[pl.Expr, pl.Expr]:
    text = pl.col(column.name)
    if column.fast is not None:
        # `\S` is any character but white space, as strip_chars (in `clean`) understands it.
        present = text.str.contains(r"\S").fill_null(False)
        return present.alias(f"__p_{column.name}"), column.fast(text).alias(f"__v_{column.name}")
    cleaned = clean(text)
    return cleaned.is_not_null().alias(f"__p_{column.name}"), column.parse(cleaned, excel).alias(f"__v_{column.name}")


def _parse(frame: pl.DataFrame, columns: list[Column], excel: bool) -> pl.DataFrame:
    """`__p_<name>` (a value is there) and `__v_<name>` (the parsed value) for every column."""
    parsed = _parsed_direct(frame, [c for c in columns if not c.distinct], excel)
    by_distinct = []
    for column in columns:
        if column.distinct:
            present, value = _parsed_by_distinct(frame.get_column(column.name), column, excel)
            by_distinct += [present.alias(f"__p_{column.name}"), value.alias(f"__v_{column.name}")]
    return parsed.with_columns(by_distinct)


def _masked(column: Column) -> pl.Expr:
    text = clean(pl.col(column.name).cast(pl.String))
    return (column.mask or _shown)(text)


def validate(table: RawTable, source: Source, excel: bool) -> Validated:
    """`table`'s rows are under canonical names already (the reader matched the header, ingest/table.py)."""
    frame = table.rows
    columns = [c for c in source.columns if c.parse is not None]
    # Rows with nothing in any column are blank lines: they are not rows read.
    checked = _parse(frame, columns, excel).lazy().filter(pl.any_horizontal(pl.col(f"__p_{c.name}") for c in columns))

    errors, optional_invalid = [], []
    for column in columns:
        present, value = pl.col(f"__p_{column.name}"), pl.col(f"__v_{column.name}")
        if column.required:
            errors.append(
                pl.when(~present).then(pl.lit("VALUE_MISSING")).when(value.is_null()).then(pl.lit(column.reason))
            )
            errors.append(pl.when(~present | value.is_null()).then(pl.lit(column.name)))
        else:
            optional_invalid.append((column, present & value.is_null()))
    checked = checked.with_columns(
        pl.coalesce(errors[0::2]).alias("__reason"), pl.coalesce(errors[1::2]).alias("__column")
    )
    accepted = checked.filter(pl.col("__reason").is_null())
    # What a refusal may show of the value it refuses: masked for identifiers, cut short otherwise.
    masked = pl.coalesce(
        [
            pl.when((pl.col("__column") == c.name) & pl.col(f"__p_{c.name}")).then(_masked(c))
            for c in columns
            if c.required
        ]
    )
    # One pass over the batch for the three results: each reads only the columns it needs.
    rows, refusals, counts = pl.collect_all(
        [
            accepted.select(pl.col(ROW_NUMBER), *[pl.col(f"__v_{c.name}").alias(c.name) for c in columns]),
            checked.filter(pl.col("__reason").is_not_null()).select(
                pl.col(ROW_NUMBER).alias("row_number"),
                pl.col("__reason").alias("reason"),
                pl.col("__column").alias("column_name"),
                masked.alias("masked_value"),
            ),
            checked.select(
                pl.len().alias("__rows_read"),
                *[(flag & pl.col("__reason").is_null()).sum().alias(c.name) for c, flag in optional_invalid],
            ),
        ]
    )
    findings = {
        (column.name, column.reason): int(count)
        for (column, _), count in zip(optional_invalid, counts.row(0)[1:], strict=True)
        if count
    }
    return Validated(rows, refusals, findings, int(counts.item(0, "__rows_read")), table.extra_columns)
