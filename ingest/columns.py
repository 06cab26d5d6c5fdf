"""How a source's columns are declared, and how a header row is matched against them."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from ingest.errors import FileRefused
from ingest.table import positional_name
from ingest.text import code_key_text

Parser = Callable[[pl.Expr, bool], pl.Expr]


@dataclass(frozen=True)
class Column:
    """A canonical column of an extract.

    `parse(text, excel)` turns the trimmed text into a typed value, null when unreadable;
    `reason` is the refusal reason for an unreadable value. Columns with `parse=None` are
    personal data that is dropped as soon as the header is read. A `distinct` column holds few
    distinct values (codes, dates, regencies): each distinct text is parsed once, not once per row.
    `fast(text)` reads only the common form of a column with many distinct values, cheaply, from the cell's text
    as it stands (not trimmed: a cell with spaces around its value is left to `parse`); `parse` then runs on the
    rows it leaves unread. Wherever `fast` gives a value, `parse` gives the same.
    """

    name: str
    required: bool
    parse: Parser | None
    reason: str = "VALUE_MISSING"
    aliases: tuple[str, ...] = ()
    mask: Callable[[pl.Expr], pl.Expr] | None = None
    distinct: bool = True
    fast: Callable[[pl.Expr], pl.Expr] | None = None


@dataclass(frozen=True)
class Source:
    name: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def alias_map(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for column in self.columns:
            for spelling in (column.name, *column.aliases):
                names[code_key_text(spelling)] = column.name
        return names


@dataclass(frozen=True)
class HeaderMatch:
    positions: dict[str, int]  # canonical name → position in the row
    extra: list[str]  # header names that match no column
    missing: list[str]  # required columns not found

    @property
    def extra_columns(self) -> list[str]:
        """The header names that match no column, as the load log lists them."""
        return [name[:60] for name in self.extra]

    def kept(self, source: Source) -> dict[str, int]:
        """Canonical name → position in the row, of the columns the source keeps (personal data not kept is
        left out here)."""
        kept = {c.name for c in source.columns if c.parse is not None}
        return {name: pos for name, pos in self.positions.items() if name in kept}

    def absent(self, source: Source) -> list[str]:
        """The columns the source keeps that the header lacks (optional ones: they read as nulls)."""
        return [c.name for c in source.columns if c.parse is not None and c.name not in self.positions]

    def canonical(self, source: Source) -> list[pl.Expr]:
        """The kept columns of a row of positional text columns (`c0`, `c1`, ...) under their canonical names;
        a kept column the header lacks is all nulls."""
        return [pl.col(positional_name(pos)).alias(name) for name, pos in self.kept(source).items()] + [
            pl.lit(None, dtype=pl.String).alias(name) for name in self.absent(source)
        ]

    def require_all(self) -> None:
        """Refuse the file when a required column is missing."""
        if self.missing:
            raise FileRefused(
                f"missing required column(s) {', '.join(self.missing)}: expected them (or an alias) in the header row"
            )


def match_header(cells: Sequence[str | None], source: Source) -> HeaderMatch:
    """Map a header row onto the source's canonical columns (case, spaces, `_` and aliases ignored)."""
    aliases = source.alias_map()
    positions: dict[str, int] = {}
    extra: list[str] = []
    for i, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        canonical = aliases.get(code_key_text(str(cell)))
        if canonical is None or canonical in positions:
            extra.append(str(cell).strip())
        else:
            positions[canonical] = i
    missing = [name for name in source.required if name not in positions]
    return HeaderMatch(positions, extra, missing)
