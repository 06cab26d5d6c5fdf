"""The scale ladder's tiling (benchmarks/ladder.py): ×k is k Malukus side by side, not one with k cards per person."""

from pathlib import Path

import polars as pl

from benchmarks.deltas import read_generated_csv
from benchmarks.ladder import tile_history
from ingest.identifiers import nik_is_valid
from synthetic import generate


def _kepesertaan(folder: Path) -> pl.DataFrame:
    return pl.concat(read_generated_csv(p) for p in sorted(folder.glob("kepesertaan_*.csv")))


def test_each_copy_has_its_own_cards_and_people_and_every_other_file_is_kept(tmp_path):
    source = tmp_path / "source"
    generate(source, people=300, seed=3)
    one, three = tmp_path / "x1", tmp_path / "x3"
    rows_one = tile_history(source, one, 1)
    rows_three = tile_history(source, three, 3)
    assert rows_three == 3 * rows_one
    assert sorted(p.name for p in three.iterdir() if not p.name.lower().startswith("kepesertaan_")) == sorted(
        p.name for p in source.iterdir() if not p.name.lower().startswith("kepesertaan_")
    )
    x1, x3 = _kepesertaan(one), _kepesertaan(three)
    valid = nik_is_valid(pl.col("NIK"))
    for column, kept_valid in (("NO_KPJ", pl.col("NO_KPJ").str.contains(r"^\d{11}$")), ("NIK", valid)):
        assert (
            x3.filter(kept_valid).get_column(column).n_unique()
            == 3 * x1.filter(kept_valid).get_column(column).n_unique()
        )
    # A NIK moved to another province is still a valid NIK, with the birth date and sex it encoded.
    assert x3.filter(valid).height == 3 * x1.filter(valid).height
    assert sorted(x3.filter(valid).get_column("NIK").str.slice(2).unique()) == sorted(
        x1.filter(valid).get_column("NIK").str.slice(2).unique()
    )
