"""Apply a polars parsing expression to plain Python values (the helpers are expressions, not scalar functions)."""

from collections.abc import Callable, Sequence

import polars as pl


def apply(parser: Callable[[pl.Expr], pl.Expr], values: Sequence[str | None]) -> list:
    frame = pl.DataFrame({"v": list(values)}, schema={"v": pl.String})
    return frame.select(parser(pl.col("v")).alias("out")).to_series().to_list()


def one(parser: Callable[[pl.Expr], pl.Expr], value: str | None):
    return apply(parser, [value])[0]
