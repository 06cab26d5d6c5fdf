"""Turn a file's text rows into typed rows and refusals, column by column, without per-row Python."""

from dataclasses import dataclass

import polars as pl

from ingest.columns import Source, match_header
from ingest.errors import FileRefused
from ingest.table import ROW_NUMBER, RawTable
from ingest.text import clean

MASK_LIMIT = 100
REFUSAL_COLUMNS = {"row_number": pl.Int64, "reason": pl.String, "column_name": pl.String, "masked_value": pl.String}


@dataclass
class Validated:
    rows: pl.DataFrame  # `__row_number` plus one typed column per canonical column kept
    refusals: pl.DataFrame  # row_number, reason, column_name, masked_value
    findings: dict[tuple[str, str], int]  # (column, finding) → rows: optional values made null
    rows_read: int
    extra_columns: list[str]


def _shown(text: pl.Expr) -> pl.Expr:
    return text.str.slice(0, MASK_LIMIT)


def canonical_frame(table: RawTable, source: Source) -> tuple[pl.DataFrame, list[str]]:
    """Rename the positional columns to canonical names; personal data not kept is dropped here."""
    found = match_header(table.header, source)
    if found.missing:
        raise FileRefused(
            f"missing required column(s) {', '.join(found.missing)}: expected them (or an alias) in the header row"
        )
    kept = {c.name for c in source.columns if c.parse is not None}
    select = [pl.col(f"c{pos}").alias(name) for name, pos in found.positions.items() if name in kept]
    for column in source.columns:
        if column.parse is not None and column.name not in found.positions:
            select.append(pl.lit(None, dtype=pl.String).alias(column.name))
    frame = table.rows.select(pl.col(ROW_NUMBER), *select)
    return frame, [name[:60] for name in found.extra]


def validate(table: RawTable, source: Source, excel: bool) -> Validated:
    frame, extra = canonical_frame(table, source)
    columns = [c for c in source.columns if c.parse is not None]
    frame = frame.with_columns(clean(pl.col(c.name)).alias(c.name) for c in columns)
    blank = pl.all_horizontal(pl.col(c.name).is_null() for c in columns)
    frame = frame.filter(~blank)

    # Parse each column once into `__v_<name>`; refusals and findings are read off the parsed values.
    frame = frame.with_columns(c.parse(pl.col(c.name), excel).alias(f"__v_{c.name}") for c in columns)
    errors, optional_invalid = [], []
    for column in columns:
        text, value = pl.col(column.name), pl.col(f"__v_{column.name}")
        if column.required:
            errors.append(
                pl.when(text.is_null()).then(pl.lit("VALUE_MISSING"))
                .when(value.is_null()).then(pl.lit(column.reason))
            )
        else:
            optional_invalid.append((column, text.is_not_null() & value.is_null()))
            errors.append(pl.lit(None, dtype=pl.String))

    failing = [
        (pl.when(e.is_not_null()).then(pl.lit(c.name)), c) for e, c in zip(errors, columns, strict=True)
    ]
    masked = [
        pl.when(e.is_not_null() & pl.col(c.name).is_not_null()).then((c.mask or _shown)(pl.col(c.name)))
        for e, c in zip(errors, columns, strict=True)
    ]
    checked = frame.with_columns(
        pl.coalesce(errors).alias("__reason"),
        pl.coalesce([f for f, _ in failing]).alias("__column"),
        pl.coalesce(masked).alias("__masked"),
        *[flag.alias(f"__invalid_{c.name}") for c, flag in optional_invalid],
    )
    refused = checked.filter(pl.col("__reason").is_not_null())
    accepted = checked.filter(pl.col("__reason").is_null())
    findings = {}
    if optional_invalid:
        counts = accepted.select(pl.col(f"__invalid_{c.name}").sum() for c, _ in optional_invalid).row(0)
        for (column, _), count in zip(optional_invalid, counts, strict=True):
            if count:
                findings[(column.name, column.reason)] = int(count)
    rows = accepted.select(pl.col(ROW_NUMBER), *[pl.col(f"__v_{c.name}").alias(c.name) for c in columns])
    refusals = refused.select(
        pl.col(ROW_NUMBER).alias("row_number"),
        pl.col("__reason").alias("reason"),
        pl.col("__column").alias("column_name"),
        pl.col("__masked").alias("masked_value"),
    )
    return Validated(rows, refusals, findings, frame.height, extra)
